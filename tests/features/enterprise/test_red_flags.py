"""The Tenderer red flags R025, R038 and R048, with their fences, exactly on tiny worlds.

The fences are Hyndman-Fan type 8 quartiles over every enterprise of the view (see
`features.ocds.quartiles`); each expected fence below is worked out by hand.
"""

from __future__ import annotations

import math

from features.params import FeatureParams
from tests.features.enterprise.tiny import Tiny, day

D = "2025-01-01"


def _duels(w: Tiny, first: str, second: str, n: int, first_wins: int, start: str) -> None:
    """n tenders between two firms; the first wins `first_wins` of them."""
    for i in range(n):
        winner = first if i < first_wins else second
        w.tender(f"{first}{second}{i}", on=day(start, 3 * i), bids={first: 100.0, second: 101.0},
                 winner=winner)


def test_r025_excessive_unsuccessful_bids() -> None:
    w = Tiny()
    for firm in ("G1", "G2", "G3", "G4", "G5", "G6"):
        w.enterprise(firm)
    _duels(w, "G1", "G2", 8, 4, "2024-01-01")
    _duels(w, "G3", "G4", 8, 4, "2024-02-01")
    _duels(w, "G5", "G6", 10, 1, "2024-03-01")
    f = w.features(D)
    # Ratios 0.5 x4, 0.1, 0.9: Q1 = 0.4667, Q3 = 0.5333, lower fence 0.3667 > 0;
    # bid counts 8 x4, 10, 10: the 75% quantile is 10.
    assert f.r025_win_ratio_1095d.to_dict() == {"G1": 0.5, "G2": 0.5, "G3": 0.5, "G4": 0.5,
                                                "G5": 0.1, "G6": 0.9}
    assert f.r025_bids_1095d.to_dict() == {"G1": 8, "G2": 8, "G3": 8, "G4": 8, "G5": 10,
                                           "G6": 10}
    assert f.r025_excessive_unsuccessful_bids.to_dict() == {
        "G1": 0, "G2": 0, "G3": 0, "G4": 0, "G5": 1, "G6": 0
    }


def test_r038_excessive_disqualified_bids() -> None:
    w = Tiny()
    firms = [f"F{i}" for i in range(1, 9)]
    for firm in firms:
        w.enterprise(firm)
    w.enterprise("F9")
    for i in range(4):
        bids: dict[str, float | tuple[float, str]] = {f: 100.0 + n for n, f in enumerate(firms)}
        bids["F8"] = (200.0, "disqualified")
        if i == 0:
            bids["F7"] = (150.0, "disqualified")
        w.tender(f"T{i}", on=day("2024-01-01", 7 * i), bids=bids, winner="F1")
    w.tender("T9", on="2024-06-01", bids={"F9": (10.0, "disqualified")})  # one bid: too few
    f = w.features(D)
    # Ratios 0 x6, 0.25, 1: Q1 = 0, Q3 = 0.1458, upper fence 0.3646.
    assert f.loc["F8", "r038_disqualified_ratio_1095d"] == 1.0
    assert f.loc["F7", "r038_disqualified_ratio_1095d"] == 0.25
    assert f.r038_excessive_disqualified_bids.to_dict() == {
        **{firm: 0 for firm in firms[:7]}, "F8": 1, "F9": 0
    }
    assert math.isnan(f.loc["F9", "r038_disqualified_ratio_1095d"])
    # R025 here: F1 wins everything, the others never (ratios 1, 0 x6): Q1 = 0, so the guard
    # holds R025 back although F2..F7 bid often and never win.
    assert f.loc["F2", "r025_win_ratio_1095d"] == 0.0
    assert f.r025_excessive_unsuccessful_bids.sum() == 0


def test_r048_heterogeneous_supplier() -> None:
    w = Tiny()
    for firm in ("H1", "H2", "H3", "H4", "H5", "H6"):
        w.enterprise(firm)
    for n, division in enumerate(("33", "45", "50", "30", "72")):
        w.tender(f"A{n}", on=day("2024-01-01", 5 * n), category=f"{division}100000",
                 bids={"H1": 10.0}, winner="H1")
    for firm in ("H2", "H3", "H4", "H5"):
        for n in range(2):
            w.tender(f"{firm}{n}", on=day("2024-03-01", 5 * n), bids={firm: 10.0}, winner=firm)
    w.tender("B0", on="2024-04-01", category="45000000", bids={"H6": 10.0}, winner="H6")
    f = w.features(D, params=FeatureParams(r048_min_contracts=2))
    # Divisions 5, 1, 1, 1, 1 (H6 won one tender only: left out): upper fence 4.333.
    assert f.r048_divisions_1095d.to_dict() == {"H1": 5, "H2": 1, "H3": 1, "H4": 1, "H5": 1,
                                                "H6": 1}
    assert f.r048_heterogeneous_supplier.to_dict() == {"H1": 1, "H2": 0, "H3": 0, "H4": 0,
                                                       "H5": 0, "H6": 0}
