"""Inline SVG charts for the server-rendered pages (pure functions, no JavaScript, no assets).

Every function returns one string to drop into a template as-is: an `<svg>` with a fixed
`viewBox` (it scales with CSS), `role="img"`, an `aria-label` and a `<title>`, every piece of
text escaped. Empty input gives a small SVG that says "no data". `level_badge` is an HTML span.

    >>> svg = sparkline([0.1, 0.4, None, 0.7], width=60, height=20)
    >>> svg.count("<polyline")  # 0.1 -> 0.4, a gap, then 0.7 alone (a dot)
    1
    >>> 'aria-label="Score history, 4 points, last 0.70"' in svg
    True
    >>> level_badge("red").startswith('<span class="level-badge level-red"')
    True

Nothing here knows the ranking's daily capacities, so the line chart draws the thresholds
but does not colour points by level: a score above the red threshold may still have been
orange that day (serving.ranking.levels).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Mapping, Sequence

__all__ = ["LEVEL_COLOURS", "KIND_STYLES", "sparkline", "line_chart", "bar_chart", "network",
           "level_badge"]

LEVEL_COLOURS = {"red": "#d62728", "orange": "#ff7f0e", "yellow": "#e6b800", "none": "#9e9e9e"}
INK = "#333"
POSITIVE = "#d62728"  # raises risk
NEGATIVE = "#1f77b4"  # lowers risk
GRID = "#e5e5e5"
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"

# Node look per entity kind: (shape, colour). The colours avoid the level colours.
KIND_STYLES = {
    "official": ("circle", "#1f77b4"),
    "person": ("ring", "#17becf"),
    "enterprise": ("square", "#2ca02c"),
    "tender": ("diamond", "#9467bd"),
    "unit": ("hexagon", "#8c564b"),
}
OTHER_KIND = ("circle", "#9e9e9e")
MAX_LINKS = 24
LABEL_LIMIT = 70  # bar labels: display width in units (a CJK character counts 2)
UNIT_PX = 6.0     # about one unit of width at font-size 11

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- helpers ------------------------------------------------------------------------------

def _esc(text: object) -> str:
    """Escaped for both text and attribute values; characters XML forbids are dropped."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _n(x: float) -> str:
    """A coordinate: one decimal, no trailing '.0', never '-0'."""
    s = f"{x:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def _num(v: object) -> float | None:
    """`v` as a finite float, or None (None, NaN, infinities, non-numbers)."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _units(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` width units with an ellipsis, at a space when one is near."""
    text = " ".join(text.split())
    if _units(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        used += _units(ch)
        if used > limit - 1:
            break
        out.append(ch)
    cut = "".join(out)
    space = cut.rfind(" ")
    if space >= len(cut) - 15 and space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def _split_units(word: str, limit: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        used += _units(ch)
        if used > limit:
            return word[:max(i, 1)], word[max(i, 1):]
    return word, ""


def _wrap(text: str, per_line: int) -> list[str]:
    """Lines of at most `per_line` units, broken at spaces (or anywhere in long words/CJK)."""
    lines: list[str] = []
    cur, cur_u = "", 0
    for word in text.split():
        while _units(word) > per_line:
            if cur:
                lines.append(cur)
                cur, cur_u = "", 0
            head, word = _split_units(word, per_line)
            lines.append(head)
        if not word:
            continue
        wu = _units(word)
        if cur and cur_u + 1 + wu > per_line:
            lines.append(cur)
            cur, cur_u = word, wu
        elif cur:
            cur, cur_u = f"{cur} {word}", cur_u + 1 + wu
        else:
            cur, cur_u = word, wu
    if cur:
        lines.append(cur)
    return lines or [""]


def _svg(width: float, height: float, label: str, body: str, kind: str,
         font_size: int = 11) -> str:
    lab = _esc(label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
            f'role="img" aria-label="{lab}" font-family="{FONT}" font-size="{font_size}" '
            f'style="max-width:100%;height:auto"><title>{lab}</title>{body}</svg>')


def _no_data(width: float, height: float, label: str, kind: str) -> str:
    font = 10 if height < 30 else 12
    body = (f'<text class="no-data" x="{_n(width / 2)}" y="{_n(height / 2 + font / 3)}" '
            f'text-anchor="middle" fill="#777" font-size="{font}">no data</text>')
    return _svg(width, height, f"{label}: no data", body, kind)


def _safe_href(href: object) -> str | None:
    """Relative, http or https links only (a `javascript:` href is dropped)."""
    if href is None:
        return None
    h = str(href).strip()
    if not h:
        return None
    try:
        scheme = urllib.parse.urlsplit(h).scheme.lower()
    except ValueError:
        return None
    return h if scheme in ("", "http", "https") else None


# --- sparkline ----------------------------------------------------------------------------

def sparkline(values: Sequence[float | None], *, width: int = 120, height: int = 24,
              low: float = 0.0, high: float = 1.0) -> str:
    """A score history as polylines on a `low`..`high` scale; None (or NaN) leaves a gap.

    Points are evenly spaced by position (gaps keep their place); a point with no neighbour
    is drawn as a small dot, and the last known score as a larger one (class "last").
    Values outside `low`..`high` are drawn at the edge.
    """
    if not high > low:
        raise ValueError(f"high ({high}) must be above low ({low})")
    vals = [_num(v) for v in values]
    known = [v for v in vals if v is not None]
    if not known:
        return _no_data(width, height, "Score history", "sparkline")
    pad = 2.5
    n = len(vals)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = width / 2 if n == 1 else pad + i * (width - 2 * pad) / (n - 1)
        v = min(max(v, low), high)
        return x, pad + (high - v) / (high - low) * (height - 2 * pad)

    runs: list[list[tuple[float, float]]] = []
    prev = False
    for i, v in enumerate(vals):
        if v is None:
            prev = False
            continue
        if not prev:
            runs.append([])
        runs[-1].append(xy(i, v))
        prev = True
    parts = []
    for run in runs:
        if len(run) >= 2:
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{INK}" '
                         f'stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>')
        elif run is not runs[-1]:  # an isolated point (the last one gets its own dot)
            x, y = run[0]
            parts.append(f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="1" fill="{INK}"/>')
    last_i = max(i for i, v in enumerate(vals) if v is not None)
    lx, ly = xy(last_i, known[-1])
    parts.append(f'<circle class="last" cx="{_n(lx)}" cy="{_n(ly)}" r="2.5" fill="{INK}"/>')
    label = f"Score history, {n} points, last {known[-1]:.2f}"
    return _svg(width, height, label, "".join(parts), "sparkline")


# --- line chart ---------------------------------------------------------------------------

def _as_time(label: str) -> float | None:
    try:
        t = dt.datetime.fromisoformat(label.strip())
    except (ValueError, AttributeError):
        return None
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC).replace(tzinfo=None)
    return (t - dt.datetime(1970, 1, 1)).total_seconds()


def _ticks(xs: Sequence[float], count: int, min_gap: float) -> list[int]:
    """Indexes of up to `count` points nearest to evenly spaced x, at least `min_gap` apart;
    the first and the last point are always among them."""
    if len(xs) == 1:
        return [0]
    span = xs[-1] - xs[0]
    wanted = [xs[0] + k * span / (count - 1) for k in range(count)]
    near = sorted({min(range(len(xs)), key=lambda i: abs(xs[i] - w)) for w in wanted}
                  | {0, len(xs) - 1})
    kept = [near[0]]
    for i in near[1:]:
        if xs[i] - xs[kept[-1]] >= min_gap:
            kept.append(i)
    if kept[-1] != len(xs) - 1:  # the last point wins over a too-close neighbour
        if len(kept) > 1:
            kept[-1] = len(xs) - 1
        else:
            kept.append(len(xs) - 1)
    return kept


def line_chart(points: Sequence[tuple[str, float]], *,
               thresholds: Mapping[str, float] | None = None, width: int = 640,
               height: int = 200, title: str) -> str:
    """A score history (x: ISO dates, y: 0..1) with dashed threshold lines per level.

    When every x label parses as an ISO date/datetime, x is proportional to time (points
    sorted by time); otherwise points are evenly spaced in the order given. Each point is a
    marker whose `<title>` reads "2026-09-01: 0.72". Non-finite values leave a gap.
    Thresholds outside 0..1 are not drawn. The title is the accessible name, not drawn.
    """
    pts = [(str(label), _num(v)) for label, v in points]
    if all(v is None for _, v in pts):
        return _no_data(width, height, title, "line")
    left, right, top, bottom = 36.0, 70.0, 10.0, 24.0
    pw, ph = width - left - right, height - top - bottom
    times = [_as_time(label) for label, _ in pts]
    ts = [t for t in times if t is not None]
    timed = len(ts) == len(pts) and len(set(ts)) > 1
    if timed:
        pts, ts = map(list, zip(*sorted(zip(pts, ts), key=lambda pt: pt[1])))
        t0, t1 = ts[0], ts[-1]
        xs = [left + (t - t0) / (t1 - t0) * pw for t in ts]
    elif len(pts) == 1:
        xs = [left + pw / 2]
    else:
        xs = [left + i * pw / (len(pts) - 1) for i in range(len(pts))]

    def y_of(v: float) -> float:
        return top + (1 - min(max(v, 0.0), 1.0)) * ph

    parts = []
    for k in range(6):  # y grid and ticks: 0, 0.2, ..., 1
        v = k / 5
        y = y_of(v)
        parts.append(f'<line class="grid" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + pw)}" '
                     f'y2="{_n(y)}" stroke="{GRID}"/>'
                     f'<text class="ytick" x="{_n(left - 5)}" y="{_n(y + 3.5)}" '
                     f'text-anchor="end" fill="{INK}" font-size="10">{v:.1f}</text>')
    parts.append(f'<line class="axis" x1="{_n(left)}" y1="{_n(top + ph)}" x2="{_n(left + pw)}" '
                 f'y2="{_n(top + ph)}" stroke="{INK}"/>'
                 f'<line class="axis" x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" '
                 f'y2="{_n(top + ph)}" stroke="{INK}"/>')

    for i in _ticks(xs, max(2, int(pw // 90)), min_gap=70):
        x = xs[i]
        raw = pts[i][0].strip()
        text = raw[:10] if _as_time(raw) is not None else _truncate(raw, 12)
        parts.append(f'<line class="xtick" x1="{_n(x)}" y1="{_n(top + ph)}" x2="{_n(x)}" '
                     f'y2="{_n(top + ph + 4)}" stroke="{INK}"/>'
                     f'<text class="xtick-label" x="{_n(x)}" y="{_n(top + ph + 15)}" '
                     f'text-anchor="middle" fill="{INK}" font-size="10">{_esc(text)}</text>')

    drawn = [(name, v) for name, v in ((k, _num(t)) for k, t in (thresholds or {}).items())
             if v is not None and 0.0 <= v <= 1.0]
    label_ys: list[float] = []
    for name, v in sorted(drawn, key=lambda item: -item[1]):  # top to bottom
        y = y_of(v)
        ly = max(y + 3.5, label_ys[-1] + 11) if label_ys else y + 3.5  # keep labels apart
        label_ys.append(ly)
        colour = LEVEL_COLOURS.get(str(name), INK)
        css = name if name in LEVEL_COLOURS else "other"
        parts.append(f'<g class="threshold level-{css}"><title>{_esc(name)} threshold '
                     f'{v:.2f}</title><line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + pw)}" '
                     f'y2="{_n(y)}" stroke="{colour}" stroke-width="1.5" '
                     f'stroke-dasharray="5 4"/><text x="{_n(left + pw + 5)}" y="{_n(ly)}" '
                     f'fill="{INK}" font-size="10">{_esc(name)} {v:.2f}</text></g>')

    run: list[str] = []
    runs: list[list[str]] = [run]
    for x, (_, v) in zip(xs, pts):
        if v is not None:
            run.append(f"{_n(x)},{_n(y_of(v))}")
        elif run:
            run = []
            runs.append(run)
    for r in runs:
        if len(r) >= 2:
            parts.append(f'<polyline class="series" points="{" ".join(r)}" fill="none" '
                         f'stroke="{INK}" stroke-width="1.5" stroke-linejoin="round"/>')
    radius = 3 if len(pts) <= 60 else 2
    for x, (label, v) in zip(xs, pts):
        if v is not None:
            parts.append(f'<circle class="point" cx="{_n(x)}" cy="{_n(y_of(v))}" r="{radius}" '
                         f'fill="{INK}"><title>{_esc(label)}: {v:.2f}</title></circle>')
    return _svg(width, height, title, "".join(parts), "line")


# --- bar chart ----------------------------------------------------------------------------

def bar_chart(items: Sequence[tuple[str, float]], *, width: int = 640, title: str,
              value_format: str = "{:+.3f}") -> str:
    """Horizontal bars in the order given, signed around a zero axis.

    Positive values (raise risk) are red bars to the right of the axis, negative ones blue to
    the left; the value is written at the bar end. Labels sit on the left, cut to ~70
    characters (a CJK character counts two) and wrapped; the full label and value are in the
    row's `<title>`. The height grows with the number of rows (and wrapped lines).
    Non-finite values get no bar and read "n/a".
    """
    rows = [(str(label), _num(v)) for label, v in items]
    if not rows:
        return _no_data(width, 40, title, "bar")
    texts = ["n/a" if v is None else value_format.format(v) for _, v in rows]
    vals = [0.0 if v is None else v for _, v in rows]
    label_w = max(140.0, 0.45 * width)
    per_line = max(10, int((label_w - 8) / UNIT_PX))
    area_l, area_r = label_w + 8, width - 6.0
    neg = max((-v for v in vals if v < 0), default=0.0)
    pos = max((v for v in vals if v > 0), default=0.0)
    text_pad = 8 + 6.2 * max(_units(t) for t in texts)
    pad_l = text_pad if neg > 0 else 0.0
    pad_r = text_pad if pos > 0 or neg == 0 else 0.0
    usable = max(20.0, area_r - area_l - pad_l - pad_r)
    scale = usable / (neg + pos) if neg + pos > 0 else 0.0
    zero_x = area_l + pad_l + neg * scale

    parts = []
    y = 6.0
    line_h, bar_h = 13.0, 14.0
    for (label, _), text, bv in zip(rows, texts, vals):
        lines = _wrap(_truncate(label, LABEL_LIMIT), per_line)
        row_h = max(22.0, line_h * len(lines) + 9)
        mid = y + row_h / 2
        first = mid - (len(lines) - 1) * line_h / 2 + 4
        spans = "".join(f'<tspan x="4" y="{_n(first + k * line_h)}">{_esc(line)}</tspan>'
                        for k, line in enumerate(lines))
        w = abs(bv) * scale
        if bv != 0:
            w = max(w, 1.0)
        sign = "pos" if bv > 0 else "neg" if bv < 0 else "zero"
        bx = zero_x - w if bv < 0 else zero_x
        colour = NEGATIVE if bv < 0 else POSITIVE
        tx, anchor = (zero_x - w - 4, "end") if bv < 0 else (zero_x + w + 4, "start")
        parts.append(f'<g class="row {sign}"><title>{_esc(" ".join(label.split()))}: '
                     f'{_esc(text)}</title>'
                     f'<text class="label" fill="{INK}">{spans}</text>'
                     f'<rect class="bar {sign}" x="{_n(bx)}" y="{_n(mid - bar_h / 2)}" '
                     f'width="{_n(w)}" height="{_n(bar_h)}" fill="{colour}"/>'
                     f'<text class="value" x="{_n(tx)}" y="{_n(mid + 4)}" text-anchor="{anchor}" '
                     f'fill="{INK}">{_esc(text)}</text></g>')
        y += row_h
    height = y + 6
    parts.append(f'<line class="zero-axis" x1="{_n(zero_x)}" y1="2" x2="{_n(zero_x)}" '
                 f'y2="{_n(height - 2)}" stroke="{INK}"/>')
    return _svg(width, height, title, "".join(parts), "bar")


# --- network ------------------------------------------------------------------------------

def _shape(kind: str, x: float, y: float, r: float, stroke: str = "#fff",
           stroke_width: float = 1.5) -> str:
    shape, colour = KIND_STYLES.get(kind, OTHER_KIND)
    common = f'fill="{colour}" stroke="{stroke}" stroke-width="{_n(stroke_width)}"'
    if shape == "ring":  # a person: hollow; the center one gets an outer ring in `stroke`
        ring = (f'<circle class="shape" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#fff" '
                f'stroke="{colour}" stroke-width="{_n(max(2.5, r / 3))}"/>')
        if stroke != "#fff":
            ring += (f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r + 2)}" fill="none" '
                     f'stroke="{stroke}" stroke-width="1"/>')
        return ring
    if shape == "square":
        s = r * 1.75
        return (f'<rect class="shape" x="{_n(x - s / 2)}" y="{_n(y - s / 2)}" width="{_n(s)}" '
                f'height="{_n(s)}" {common}/>')
    if shape in ("diamond", "hexagon"):
        k, rr, a0 = (4, r * 1.3, 0.0) if shape == "diamond" else (6, r * 1.1, math.pi / 6)
        pts = " ".join(f"{_n(x + rr * math.cos(a0 + j * 2 * math.pi / k))},"
                       f"{_n(y + rr * math.sin(a0 + j * 2 * math.pi / k))}" for j in range(k))
        return f'<polygon class="shape" points="{pts}" {common}/>'
    return f'<circle class="shape" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {common}/>'


def network(center: tuple[str, str], links: Sequence[Mapping[str, object]], *,
            width: int = 640, height: int = 420) -> str:
    """The center entity in the middle, its links on a circle around it (first one at the
    top, then clockwise, in the order given), edges labelled with the relation.

    Each link is a mapping with `label`, `kind` (official, enterprise, tender, unit, person;
    anything else is drawn grey as "other"), `relation` and optionally `href` (relative, http
    or https only; the node is then wrapped in `<a href>`). At most 24 links are drawn, in the
    order given; the rest are counted in a "+N more" note. No links: a "no data" SVG.
    """
    c_label, c_kind = str(center[0]), str(center[1])
    name = f"Network of {' '.join(c_label.split())} ({c_kind})"
    if not links:
        return _no_data(width, 60, name, "network")
    shown, hidden = list(links[:MAX_LINKS]), max(0, len(links) - MAX_LINKS)
    n = len(shown)
    legend_h = 26.0
    cx, cy = width / 2, (height - legend_h) / 2
    radius = max(40.0, min(cx - 120, cy - 44))
    node_r, center_r = 9.0, 15.0
    label_units = 18 if n <= 12 else 14  # crowded: shorter labels, so neighbours do not touch

    edges, nodes = [], []
    for i, link in enumerate(shown):
        label = " ".join(str(link.get("label", "")).split())
        kind = str(link.get("kind", ""))
        relation = " ".join(str(link.get("relation", "") or "").split())
        angle = -math.pi / 2 + i * 2 * math.pi / n
        ca, sa = math.cos(angle), math.sin(angle)
        x, y = cx + radius * ca, cy + radius * sa
        # Edge with the relation at its midpoint: horizontal when there is room, else along it.
        mx, my = (cx + x) / 2, (cy + y) / 2
        if n <= 8:
            rel, rotate = _truncate(relation, 18), ""
        else:
            deg = math.degrees(angle)
            deg = deg + 180 if 90 < deg % 360 < 270 else deg
            rel = _truncate(relation, 22)
            rotate = f' transform="rotate({_n(deg)} {_n(mx)} {_n(my)})"'
        edges.append(f'<g class="edge"><line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" '
                     f'y2="{_n(y)}" stroke="#bbb" stroke-width="1.2"/>'
                     f'<text class="relation" x="{_n(mx)}" y="{_n(my + 3)}" text-anchor="middle" '
                     f'font-size="9" fill="#555" stroke="#fff" stroke-width="3" '
                     f'paint-order="stroke"{rotate}><title>{_esc(relation)}</title>{_esc(rel)}'
                     f'</text></g>')
        # Node label outside the circle, anchored away from the center.
        off = node_r + 5
        lx, ly = cx + (radius + off) * ca, cy + (radius + off) * sa + 3.5 + 3 * sa
        anchor = "start" if ca > 0.2 else "end" if ca < -0.2 else "middle"
        kind_class = kind if kind in KIND_STYLES else "other"
        node = (f'<g class="node kind-{kind_class}"><title>{_esc(label)} ({_esc(kind)})'
                f'{" — " + _esc(relation) if relation else ""}</title>'
                f'{_shape(kind, x, y, node_r)}'
                f'<text class="node-label" x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}" '
                f'font-size="10" fill="{INK}">{_esc(_truncate(label, label_units))}</text></g>')
        href = _safe_href(link.get("href"))
        nodes.append(f'<a href="{_esc(href)}">{node}</a>' if href else node)

    c_node = (f'<g class="node center kind-{c_kind if c_kind in KIND_STYLES else "other"}">'
              f'<title>{_esc(c_label)} ({_esc(c_kind)})</title>'
              f'{_shape(c_kind, cx, cy, center_r, stroke=INK, stroke_width=2)}'
              f'<text class="node-label" x="{_n(cx)}" y="{_n(cy + center_r + 16)}" '
              f'text-anchor="middle" font-size="12" font-weight="bold" fill="{INK}" '
              f'stroke="#fff" stroke-width="3" paint-order="stroke">'
              f'{_esc(_truncate(c_label, 24))}</text></g>')

    kinds = {str(link.get("kind", "")) for link in shown} | {c_kind}
    legend_kinds = [k for k in KIND_STYLES if k in kinds]
    if kinds - set(KIND_STYLES):
        legend_kinds.append("other")
    lx, ly = 10.0, height - legend_h / 2
    legend = []
    for k in legend_kinds:
        legend.append(f'<g class="legend-item">{_shape(k, lx + 5, ly, 5)}'
                      f'<text x="{_n(lx + 14)}" y="{_n(ly + 3.5)}" font-size="10" '
                      f'fill="{INK}">{_esc(k)}</text></g>')
        lx += 14 + UNIT_PX * len(k) + 16
    more = (f'<text class="more" x="{_n(width - 8)}" y="14" text-anchor="end" font-size="11" '
            f'fill="{INK}">+{hidden} more</text>' if hidden else "")
    body = ("".join(edges) + "".join(nodes) + c_node
            + f'<g class="legend">{"".join(legend)}</g>' + more)
    label = f"{name}: {len(links)} linked entities" + (f", {n} shown" if hidden else "")
    return _svg(width, height, label, body, "network")


# --- level badge --------------------------------------------------------------------------

def level_badge(level: str | None) -> str:
    """An HTML pill for a warning level: red, orange, yellow or none (anything else: grey)."""
    name = str(level or "none").strip().lower()
    known = name in LEVEL_COLOURS
    colour = LEVEL_COLOURS[name] if known else LEVEL_COLOURS["none"]
    ink = "#fff" if name == "red" else INK  # contrast: white only on red
    css = "other" if not known else name
    style = (f"display:inline-block;padding:0 .6em;border-radius:.8em;font-size:.85em;"
             f"line-height:1.5;font-weight:600;background:{colour};color:{ink}")
    return (f'<span class="level-badge level-{_esc(css)}" title="risk level: {_esc(name)}" '
            f'style="{style}">{_esc(name)}</span>')
