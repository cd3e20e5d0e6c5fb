"""The inline SVG charts: well-formed XML, escaped text, and the geometry they promise."""

from __future__ import annotations

import doctest
import math
import xml.etree.ElementTree as ET

import pytest

from serving.web import charts
from serving.web.charts import bar_chart, level_badge, line_chart, network, sparkline

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script> & Co"
THRESHOLDS = {"red": 0.6, "orange": 0.3, "yellow": 0.1}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def find(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(f"{NS}{tag}")
            if cls is None or cls in e.get("class", "").split()]


def text_of(e: ET.Element) -> str:
    return "".join(e.itertext())


def titles(root: ET.Element) -> list[str]:
    return [text_of(t) for t in root.iter(f"{NS}title")]


def no_data(svg: str) -> bool:
    return [text_of(t) for t in find(parse(svg), "text", "no-data")] == ["no data"]


def f(e: ET.Element, name: str) -> float:
    return float(e.get(name))


def shape_center(node: ET.Element) -> tuple[float, float]:
    shape = next(e for e in node.iter() if "shape" in e.get("class", "").split())
    if shape.tag == f"{NS}circle":
        return f(shape, "cx"), f(shape, "cy")
    if shape.tag == f"{NS}rect":
        return f(shape, "x") + f(shape, "width") / 2, f(shape, "y") + f(shape, "height") / 2
    pts = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def links(n: int, kinds=("official", "enterprise", "tender", "unit", "person")) -> list[dict]:
    return [{"label": f"Entity {i}", "kind": kinds[i % len(kinds)], "relation": f"rel {i}"}
            for i in range(n)]


ALL = {
    "sparkline": sparkline([0.1, 0.5, None, 0.9]),
    "sparkline-empty": sparkline([]),
    "line": line_chart([("2026-09-01", 0.72), ("2026-09-08", 0.4)], thresholds=THRESHOLDS,
                       title="History"),
    "line-empty": line_chart([], title="History"),
    "bar": bar_chart([("a", 0.3), ("b", -0.2)], title="Why"),
    "bar-empty": bar_chart([], title="Why"),
    "network": network(("Center", "official"), links(30)),
    "network-empty": network(("Center", "official"), []),
}


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_svg_is_well_formed_labelled_and_scalable(name: str) -> None:
    root = parse(ALL[name])
    x0, y0, w, h = map(float, root.get("viewBox").split())
    assert (x0, y0) == (0, 0) and w > 0 and h > 0
    assert (float(root.get("width")), float(root.get("height"))) == (w, h)
    assert root.get("role") == "img"
    assert root[0].tag == f"{NS}title" and text_of(root[0]) == root.get("aria-label") != ""
    assert no_data(ALL[name]) == name.endswith("-empty")
    assert "<script" not in ALL[name]  # no JavaScript, ever


def test_module_docstring_example_holds() -> None:
    assert doctest.testmod(charts).failed == 0


# --- escaping -----------------------------------------------------------------------------

def test_text_is_escaped_everywhere_and_round_trips() -> None:
    svgs = [
        line_chart([(EVIL, 0.5), ("2026-09-01", 0.2)], thresholds={EVIL: 0.4}, title=EVIL),
        bar_chart([(EVIL, 0.5)], title=EVIL),
        network((EVIL, "official"), [{"label": EVIL, "kind": "unit", "relation": EVIL,
                                      "href": "/x?a=1&b=<2>"}]),
        sparkline([], width=50),
    ]
    for svg in svgs:
        assert "<script>" not in svg and "& " not in svg
        parse(svg)
    line, bar, net = (parse(s) for s in svgs[:3])
    assert line.get("aria-label") == EVIL and f"{EVIL}: 0.50" in titles(line)
    assert f"{EVIL} threshold 0.40" in titles(line)
    assert [g.get("class") for g in find(line, "g", "threshold")] == ["threshold level-other"]
    assert bar.get("aria-label") == EVIL and f"{EVIL}: +0.500" in titles(bar)
    assert f"{EVIL} (unit) — {EVIL}" in titles(net) and f"{EVIL} (official)" in titles(net)
    assert [a.get("href") for a in find(net, "a")] == ["/x?a=1&b=<2>"]


def test_characters_xml_forbids_are_dropped() -> None:
    root = parse(bar_chart([("bad\x00\x08name", 1.0)], title="t\x1f"))
    assert "badname: +1.000" in titles(root) and root.get("aria-label") == "t"


# --- sparkline ----------------------------------------------------------------------------

def polyline_points(e: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in e.get("points").split()]


def test_sparkline_draws_every_value_on_the_low_high_scale() -> None:
    root = parse(sparkline([0.0, 0.5, 1.0, 0.25], width=100, height=20))
    (line,) = find(root, "polyline")
    pts = polyline_points(line)
    assert len(pts) == 4
    xs, ys = zip(*pts)
    assert xs == tuple(sorted(xs)) and xs[0] < 5 and xs[-1] > 95
    assert ys[0] > ys[3] > ys[1] > ys[2]  # higher score, higher up (smaller y)
    assert ys[0] == pytest.approx(17.5) and ys[2] == pytest.approx(2.5)
    (last,) = find(root, "circle", "last")
    assert (f(last, "cx"), f(last, "cy")) == pts[-1]
    assert root.get("aria-label") == "Score history, 4 points, last 0.25"


def test_sparkline_leaves_gaps_for_none_and_nan() -> None:
    root = parse(sparkline([0.1, 0.2, None, 0.3, 0.4, float("nan"), 0.5]))
    lines = find(root, "polyline")
    assert [len(polyline_points(p)) for p in lines] == [2, 2]
    assert polyline_points(lines[0])[1][0] < polyline_points(lines[1])[0][0]
    assert find(root, "circle", "point") == []  # 0.5 alone is the last dot, not drawn twice
    (last,) = find(root, "circle", "last")
    assert f(last, "cx") > polyline_points(lines[1])[-1][0]


def test_sparkline_isolated_point_is_a_dot_and_values_are_clamped() -> None:
    root = parse(sparkline([0.3, None, 2.0, -1.0], low=0.0, high=1.0, height=24))
    assert len(find(root, "circle", "point")) == 1
    (line,) = find(root, "polyline")
    assert [y for _, y in polyline_points(line)] == [2.5, 21.5]


def test_sparkline_empty_and_bad_scale() -> None:
    assert no_data(sparkline([])) and no_data(sparkline([None, None]))
    with pytest.raises(ValueError):
        sparkline([0.1], low=1.0, high=1.0)


# --- line chart ---------------------------------------------------------------------------

def test_line_chart_markers_tooltips_and_threshold_lines() -> None:
    pts = [("2026-09-01", 0.72), ("2026-09-08", 0.35), ("2026-09-15", 0.05)]
    root = parse(line_chart(pts, thresholds=THRESHOLDS, title="Score history"))
    markers = find(root, "circle", "point")
    assert [text_of(m) for m in markers] == ["2026-09-01: 0.72", "2026-09-08: 0.35",
                                             "2026-09-15: 0.05"]
    assert len(polyline_points(find(root, "polyline", "series")[0])) == 3
    groups = find(root, "g", "threshold")
    assert len(groups) == 3
    lines = {g.get("class").split()[1]: g.find(f"{NS}line") for g in groups}
    assert {k: v.get("stroke") for k, v in lines.items()} == {
        "level-red": "#d62728", "level-orange": "#ff7f0e", "level-yellow": "#e6b800"}
    assert all(v.get("stroke-dasharray") for v in lines.values())
    red_y, orange_y, yellow_y = (f(lines[f"level-{k}"], "y1") for k in THRESHOLDS)
    assert red_y < orange_y < yellow_y
    assert f(markers[0], "cy") < red_y < f(markers[1], "cy")  # 0.72 above the red line, 0.35 below
    assert [text_of(t) for g in groups for t in g.iter(f"{NS}text")] == [
        "red 0.60", "orange 0.30", "yellow 0.10"]
    ticks = [text_of(t) for t in find(root, "text", "ytick")]
    assert ticks == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert [text_of(t) for t in find(root, "text", "xtick-label")][0] == "2026-09-01"


def test_line_chart_spaces_dates_by_time_and_sorts_them() -> None:
    pts = [("2026-09-11", 0.3), ("2026-09-01", 0.1), ("2026-09-02", 0.2)]
    markers = find(parse(line_chart(pts, title="t")), "circle", "point")
    assert [text_of(m) for m in markers] == ["2026-09-01: 0.10", "2026-09-02: 0.20",
                                             "2026-09-11: 0.30"]
    x = [f(m, "cx") for m in markers]
    assert (x[2] - x[1]) / (x[1] - x[0]) == pytest.approx(9, rel=0.01)


def test_line_chart_without_dates_is_evenly_spaced_in_given_order() -> None:
    markers = find(parse(line_chart([("b", 0.1), ("a", 0.2), ("c", 0.3)], title="t")),
                   "circle", "point")
    assert [text_of(m).split(":")[0] for m in markers] == ["b", "a", "c"]
    x = [f(m, "cx") for m in markers]
    assert x[1] - x[0] == pytest.approx(x[2] - x[1])


def test_line_chart_gaps_out_of_range_thresholds_and_tick_spacing() -> None:
    pts = [(f"2026-{m:02d}-{d:02d}", 0.5) for m in range(1, 13) for d in (1, 15)]
    pts[5] = (pts[5][0], math.nan)
    root = parse(line_chart(pts, thresholds={"red": 1.5, "orange": 0.3}, title="t"))
    assert len(find(root, "circle", "point")) == 23
    assert [len(polyline_points(p)) for p in find(root, "polyline", "series")] == [5, 18]
    assert len(find(root, "g", "threshold")) == 1
    tick_x = [f(t, "x") for t in find(root, "text", "xtick-label")]
    assert 2 <= len(tick_x) <= 7 and min(b - a for a, b in zip(tick_x, tick_x[1:])) >= 70


def test_line_chart_empty() -> None:
    assert no_data(line_chart([], title="History"))
    assert no_data(line_chart([("2026-09-01", math.nan)], title="History"))
    assert parse(line_chart([], title="History")).get("aria-label") == "History: no data"


# --- bar chart ----------------------------------------------------------------------------

def bars(root: ET.Element) -> list[ET.Element]:
    return find(root, "rect", "bar")


def test_bar_chart_signs_order_and_lengths() -> None:
    items = [("up a lot", 0.4), ("down", -0.3), ("up a little", 0.2), ("down a little", -0.1)]
    root = parse(bar_chart(items, title="Why"))
    rects = bars(root)
    assert len(rects) == 4
    assert [t.split(":")[0] for t in titles(root)[1:]] == [label for label, _ in items]
    ys = [f(r, "y") for r in rects]
    assert ys == sorted(ys) and len(set(ys)) == 4  # top to bottom in the order given
    (axis,) = find(root, "line", "zero-axis")
    zero = f(axis, "x1")
    for r, (_, v) in zip(rects, items):
        if v > 0:
            assert f(r, "x") >= zero and r.get("fill") == "#d62728" and "pos" in r.get("class")
        else:
            assert f(r, "x") < zero and f(r, "x") + f(r, "width") == pytest.approx(zero)
            assert r.get("fill") == "#1f77b4" and "neg" in r.get("class")
    widths = [f(r, "width") for r in rects]
    assert widths[0] == pytest.approx(2 * widths[2], abs=0.2)
    assert widths[1] == pytest.approx(3 * widths[3], abs=0.2)
    values = [text_of(t) for t in find(root, "text", "value")]
    assert values == ["+0.400", "-0.300", "+0.200", "-0.100"]


def test_bar_chart_value_sits_at_the_bar_end() -> None:
    root = parse(bar_chart([("p", 0.5), ("n", -0.5)], title="t"))
    (pos, neg), (tp, tn) = bars(root), find(root, "text", "value")
    assert f(tp, "x") > f(pos, "x") + f(pos, "width") and tp.get("text-anchor") == "start"
    assert f(tn, "x") < f(neg, "x") and tn.get("text-anchor") == "end"


def test_bar_chart_all_positive_puts_the_axis_left_and_uses_the_format() -> None:
    root = parse(bar_chart([("a", 2.0), ("b", 1.0)], title="t", value_format="{:.1f} pts"))
    zero = f(find(root, "line", "zero-axis")[0], "x1")
    assert all(f(r, "x") == zero for r in bars(root))
    assert zero < 640 / 2 + 20
    assert [text_of(t) for t in find(root, "text", "value")] == ["2.0 pts", "1.0 pts"]


def test_bar_chart_long_labels_are_cut_with_the_full_text_in_the_title() -> None:
    label = ("The enterprise won four of the last five tenders at a price within one percent "
             "of the confidential estimate")
    root = parse(bar_chart([(label, 0.1), ("单一来源采购比例异常高" * 6, -0.1)], title="t"))
    shown = [" ".join(text_of(e) for e in t.iter(f"{NS}tspan"))
             for t in find(root, "text", "label")]
    assert shown[0].endswith("…") and 50 <= len(shown[0]) <= 71
    assert label.startswith(shown[0][:-1])
    assert len(shown[1]) <= 36  # CJK characters count double
    assert titles(root)[1:] == [f"{label}: +0.100", "单一来源采购比例异常高" * 6 + ": -0.100"]
    assert all(len(list(t.iter(f"{NS}tspan"))) >= 2 for t in find(root, "text", "label"))


def test_bar_chart_height_grows_with_rows_and_handles_nan() -> None:
    two = parse(bar_chart([("a", 0.1)] * 2, title="t"))
    ten = parse(bar_chart([("a", 0.1)] * 10, title="t"))
    assert float(ten.get("height")) - float(two.get("height")) == pytest.approx(8 * 22)
    root = parse(bar_chart([("a", math.nan), ("b", 0.2)], title="t"))
    assert [text_of(t) for t in find(root, "text", "value")] == ["n/a", "+0.200"]
    assert f(bars(root)[0], "width") == 0


def test_bar_chart_empty() -> None:
    assert no_data(bar_chart([], title="Why"))


# --- network ------------------------------------------------------------------------------

def nodes(root: ET.Element) -> list[ET.Element]:
    return find(root, "g", "node")


def test_network_places_links_on_a_circle_with_labelled_edges() -> None:
    data = links(5)
    root = parse(network(("Zhang San", "official"), data))
    all_nodes = nodes(root)
    assert len(all_nodes) == 6
    (center,) = [n for n in all_nodes if "center" in n.get("class").split()]
    cx, cy = shape_center(center)
    outer = [n for n in all_nodes if n is not center]
    assert [text_of(n.find(f"{NS}title")) for n in outer] == [
        f"Entity {i} ({d['kind']}) — rel {i}" for i, d in enumerate(data)]
    dists = [math.dist((cx, cy), shape_center(n)) for n in outer]
    assert max(dists) - min(dists) < 1 and min(dists) > 50
    first = shape_center(outer[0])
    assert first[0] == pytest.approx(cx) and first[1] < cy  # first link at the top
    assert shape_center(outer[1])[0] > cx  # then clockwise
    edges = find(root, "g", "edge")
    assert [text_of(t) for e in edges for t in e.iter(f"{NS}text")] == [
        f"rel {i}" * 2 for i in range(5)]  # the <title> inside <text> repeats it
    for e, n in zip(edges, outer):
        line = e.find(f"{NS}line")
        assert (f(line, "x2"), f(line, "y2")) == pytest.approx(shape_center(n), abs=0.1)
        rel = e.find(f"{NS}text")
        assert (f(rel, "x"), f(rel, "y") - 3) == pytest.approx(
            ((cx + f(line, "x2")) / 2, (cy + f(line, "y2")) / 2), abs=0.1)
    kinds = [n.get("class").split()[1] for n in outer]
    assert kinds == ["kind-official", "kind-enterprise", "kind-tender", "kind-unit",
                     "kind-person"]
    legend = [text_of(t) for t in find(root, "g", "legend")[0].iter(f"{NS}text")]
    assert legend == ["official", "person", "enterprise", "tender", "unit"]
    assert find(root, "text", "more") == []


def test_network_shows_24_links_and_counts_the_rest() -> None:
    root = parse(network(("C", "enterprise"), links(31)))
    assert len(nodes(root)) == 25 and len(find(root, "g", "edge")) == 24
    assert [text_of(t) for t in find(root, "text", "more")] == ["+7 more"]
    assert "31 linked entities, 24 shown" in root.get("aria-label")
    assert len(nodes(parse(network(("C", "enterprise"), links(24))))) == 25
    assert find(parse(network(("C", "enterprise"), links(24))), "text", "more") == []


def test_network_hrefs_and_unsafe_ones_dropped() -> None:
    data = links(4)
    data[0]["href"] = "/entities/official/O1"
    data[2]["href"] = "https://example.org/t?id=3&x=1"
    data[3]["href"] = " javascript:alert(1)"
    svg = network(("C", "official"), data)
    root = parse(svg)
    anchors = find(root, "a")
    assert [a.get("href") for a in anchors] == ["/entities/official/O1",
                                                "https://example.org/t?id=3&x=1"]
    assert [text_of(a.find(f"{NS}g/{NS}title")) for a in anchors] == [
        "Entity 0 (official) — rel 0", "Entity 2 (tender) — rel 2"]
    assert "javascript" not in svg


def test_network_is_deterministic_and_unknown_kinds_are_other() -> None:
    data = links(3, kinds=("official", "spaceship"))
    assert network(("C", "official"), data) == network(("C", "official"), data)
    root = parse(network(("C", "official"), data))
    assert [n.get("class") for n in nodes(root)][:3] == [
        "node kind-official", "node kind-other", "node kind-official"]
    legend = [text_of(t) for t in find(root, "g", "legend")[0].iter(f"{NS}text")]
    assert legend == ["official", "other"]


def test_network_empty() -> None:
    svg = network(("Zhang San", "official"), [])
    assert no_data(svg) and "Zhang San" in parse(svg).get("aria-label")


# --- level badge --------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "colour", "ink"), [
    ("red", "#d62728", "#fff"), ("orange", "#ff7f0e", "#333"),
    ("yellow", "#e6b800", "#333"), ("none", "#9e9e9e", "#333"), (" RED ", "#d62728", "#fff"),
])
def test_level_badge_colours(level: str, colour: str, ink: str) -> None:
    span = ET.fromstring(level_badge(level))
    name = level.strip().lower()
    assert span.tag == "span" and span.text == name
    assert span.get("class") == f"level-badge level-{name}"
    assert f"background:{colour};color:{ink}" in span.get("style")


def test_level_badge_unknown_and_none() -> None:
    span = ET.fromstring(level_badge("<b>&"))
    assert span.text == "<b>&" and span.get("class") == "level-badge level-other"
    assert "background:#9e9e9e" in span.get("style")
    assert ET.fromstring(level_badge(None)).text == "none"  # type: ignore[arg-type]
