"""R038 excessive disqualified bids, of the tender's buyer."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r038",)


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    for unit in ("U3", "U4", "U5"):
        w.unit(unit)
    # Buyers' disqualified / submitted bids in the year before D (2024-07-01):
    # U1 0/4, U2 1/4, U3 1/4, U4 4/4. Type-7 quartiles of [0, .25, .25, 1]: Q1 = .1875,
    # Q3 = .4375; HI = .4375 + 1.5 x .25 = .8125, so U4 alone is flagged.
    counts = {"U1": 0, "U2": 1, "U3": 1, "U4": 4}
    for unit, disqualified in counts.items():
        for i in range(2):
            tender = f"{unit}-T{i}"
            w.tender(tender, unit=unit)
            for j in range(2):
                status = "disqualified" if 2 * i + j < disqualified else "valid"
                w.bid(tender, f"F{j}", 100 + j, status=status)
    w.bid("U1-T0", "F9", 100, status="withdrawn")  # not submitted: not counted
    # An old tender of U1, opened more than a year before D: outside the window.
    w.tender("U1-OLD", unit="U1", published="2023-01-02", deadline="2023-01-25",
             awarded="2023-02-01")
    for j in range(4):
        w.bid("U1-OLD", f"F{j}", 100, status="disqualified")
    # U5 received a single bid: too few to judge.
    w.tender("U5-T0", unit="U5")
    w.bid("U5-T0", "F0", 100, status="disqualified")
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "ratio", "flag"), [
    ("U1-T0", 0.0, 0.0), ("U2-T1", 0.25, 0.0), ("U3-T0", 0.25, 0.0), ("U4-T0", 1.0, 1.0),
    ("U4-T1", 1.0, 1.0),
])
def test_buyer_ratio_and_flag(features, tender, ratio, flag):
    assert features.loc[tender, "buyer_disqualified_ratio"] == pytest.approx(ratio)
    assert features.loc[tender, "buyer_excessive_disqualified"] == flag


def test_null_for_a_buyer_with_too_few_bids(features):
    assert math.isnan(features.loc["U5-T0", "buyer_disqualified_ratio"])
    assert math.isnan(features.loc["U5-T0", "buyer_excessive_disqualified"])
