"""The tables-based flags against the Cardinal-exact OCDS indicators, on the same releases.

Hand-written OCDS compiled releases go two ways: `huoyan indicators` computes the red flags on
the JSON (Cardinal's definitions, features/ocds), and `huoyan import-ocds` turns them into
contract tables from which the tender features are built. Per process, the flags and values
must agree, except where features/tender documents a difference; the one exercised here is
R036 on a tie between a valid and a disqualified lowest bid (Cardinal: whichever comes first in
the file; the tables have no order, so no flag).

The R024/R058 ratios are chosen so that Cardinal's type-8 quartiles and the tables' type-7
quartiles put the fences on the same side of every ratio (LO 0.0717 vs 0.085, HI 0.178 vs
0.165 here); on other inputs a ratio between the two fences would be flagged by one only.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest

from data_contracts.loader import load_dataset
from features.backend import load
from features.build import build_features
from tests.features.tender.tiny import _only_sets

FLAGS = {  # Cardinal code -> (the tender flag, the tender value Cardinal's value compares to)
    "R018": ("single_bid", None),
    "R024": ("price_close_to_winning_bid", "second_lowest_bid_ratio"),
    "R028": ("identical_bid_prices", None),
    "R030": ("late_bid_won", None),
    "R035": ("all_except_winner_disqualified", "disqualified_rivals"),
    "R036": ("lowest_bid_disqualified", None),
    "R058": ("heavily_discounted_bid", "second_lowest_bid_ratio"),
}
SETS = ("tender_procedure", "tender_r024", "tender_r028", "tender_r030", "tender_r035",
        "tender_r036", "tender_r058")
SETTINGS = "".join(f"[{code}]\n" for code in FLAGS)
AS_OF = dt.date(2025, 1, 1)
KNOWN_DIFFERENCES = {("R036", "tie")}  # (code, ocid) where only Cardinal flags


def party(id: str, roles: list[str]) -> dict[str, Any]:
    return {"id": id, "name": f"org {id}", "roles": roles,
            "address": {"streetAddress": f"{id} road 1", "region": "320100"}}


def release(ocid: str, bids: list[tuple[str, float, str]], winner: str | None,
            method: str = "open", late: str | None = None) -> dict[str, Any]:
    """An awarded 2024 process: bids (tenderer, amount, status), the active award's supplier;
    `late` = a tenderer whose bid is dated after the submission deadline."""
    tenderers = sorted({t for t, _, _ in bids} | ({winner} if winner else set()))
    details = [
        {"id": f"{ocid}-{i}", "status": status, "tenderers": [{"id": tenderer}],
         "value": {"amount": amount, "currency": "CNY"},
         "date": "2024-03-05T10:00:00Z" if tenderer == late else "2024-02-20T10:00:00Z"}
        for i, (tenderer, amount, status) in enumerate(bids)
    ]
    awards = []
    if winner is not None:
        amount = min(a for t, a, s in bids if t == winner) if bids else 100_000
        awards = [{"id": f"{ocid}-award", "status": "active", "date": "2024-03-10T00:00:00Z",
                   "suppliers": [{"id": winner}], "value": {"amount": amount, "currency": "CNY"}}]
    return {
        "ocid": ocid,
        "date": "2024-03-10T00:00:00Z",
        "buyer": {"id": "BUYER", "name": "org BUYER"},
        "parties": [party("BUYER", ["buyer"])] + [party(t, ["tenderer"]) for t in tenderers],
        "tender": {
            "id": ocid, "title": f"process {ocid}", "status": "complete",
            "procurementMethod": method, "numberOfTenderers": len({t for t, _, _ in bids}),
            "tenderPeriod": {"startDate": "2024-02-01T00:00:00Z",
                             "endDate": "2024-03-01T00:00:00Z"},
            "items": [{"id": "1", "classification": {"scheme": "CPV", "id": "33100000"}}],
            "value": {"amount": 150_000, "currency": "CNY"},
        },
        "bids": {"details": details},
        "awards": awards,
    }


def releases() -> list[dict[str, Any]]:
    out = []
    # R024 / R058: the winner W bids 100,000, the best rival L 100,000 x (1 + ratio).
    for i, ratio in enumerate([0.01, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.60]):
        out.append(release(f"ratio-{i}", [("W", 100_000, "valid"),
                                          ("L", round(100_000 * (1 + ratio)), "valid")], "W"))
    # R018: a single bid in an open procedure; two bids; a single bid in a limited one.
    out.append(release("single", [("W", 100_000, "valid")], "W"))
    out.append(release("limited-single", [("W", 100_000, "valid")], "W", method="limited"))
    # R028: two rivals with the same price (the winner's ratio is 0.125).
    out.append(release("same-price", [("W", 100_000, "valid"), ("A", 112_500, "valid"),
                                      ("B", 112_500, "valid")], "W"))
    # R035: only the winner's bid survived.
    out.append(release("disqualified", [("W", 100_000, "valid"), ("A", 90_000, "disqualified"),
                                        ("B", 95_000, "disqualified")], "W"))
    # R036: the cheapest bid was disqualified (ratio 0.12); and a tie, disqualified first.
    out.append(release("lowest-disq", [("A", 90_000, "disqualified"), ("W", 100_000, "valid"),
                                       ("B", 112_000, "valid")], "W"))
    out.append(release("tie", [("A", 100_000, "disqualified"), ("W", 100_000, "valid")], "W"))
    # R030: the winner's bid came after the deadline (ratio 0.13).
    out.append(release("late", [("W", 100_000, "valid"), ("L", 113_000, "valid")], "W",
                       late="W"))
    # No award: nothing that needs a winner applies.
    out.append(release("no-award", [("W", 100_000, "valid"), ("L", 100_500, "valid")], None))
    return out


def huoyan(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "huoyan", *args], check=True, capture_output=True,
                   text=True)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    work = tmp_path_factory.mktemp("cardinal")
    source = work / "releases.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in releases()), encoding="utf-8")
    settings = work / "settings.ini"
    settings.write_text(SETTINGS, encoding="utf-8")
    huoyan("indicators", str(source), "--settings", str(settings), "--out", str(work / "c.json"))
    huoyan("import-ocds", str(source), "--out", str(work / "tables"))
    cardinal = json.loads((work / "c.json").read_text(encoding="utf-8"))
    tables = load(load_dataset(work / "tables"))
    with _only_sets(SETS):
        built = build_features(tables, AS_OF, entity_types=("tender",))
    return cardinal, built["tender"].frame.set_index("entity_id")


def test_every_process_was_imported(both):
    _, features = both
    assert set(features.index) == {r["ocid"] for r in releases()}


@pytest.mark.parametrize("code", sorted(FLAGS))
def test_same_flags_as_cardinal(both, code):
    cardinal, features = both
    flag, value = FLAGS[code]
    flagged_by_cardinal = {
        ocid: codes[code] for ocid, codes in cardinal.get("OCID", {}).items() if code in codes
    }
    ours = set(features.index[features[flag] == 1.0])
    expected = set(flagged_by_cardinal) - {o for c, o in KNOWN_DIFFERENCES if c == code}
    assert ours == expected
    assert ours, f"{code}: the releases should make it fire"
    if value is not None:
        for ocid in ours:
            assert features.loc[ocid, value] == pytest.approx(flagged_by_cardinal[ocid])


def test_the_documented_difference_is_the_only_one(both):
    cardinal, features = both
    assert "R036" in cardinal["OCID"]["tie"]
    assert features.loc["tie", "lowest_bid_disqualified"] == 0.0


def test_flags_are_null_where_they_cannot_apply(both):
    _, features = both
    for flag in ("price_close_to_winning_bid", "late_bid_won", "all_except_winner_disqualified",
                 "lowest_bid_disqualified", "heavily_discounted_bid"):
        assert features.loc["no-award", flag] != features.loc["no-award", flag], flag  # NaN
    assert features.loc["no-award", "identical_bid_prices"] == 0.0  # needs no winner
