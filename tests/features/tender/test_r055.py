"""R055 split direct awards."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r055",)


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    # S1 at U1: three direct awards within 182 days, 1,100,000 in all (threshold 1,000,000).
    w.direct("S1-a", "S1", 400_000, on="2023-09-01", category="30100000")
    w.direct("S1-b", "S1", 400_000, on="2024-01-10", category="30200000")
    w.direct("S1-c", "S1", 300_000, on="2024-03-01", category="30100000")
    # S2 at U1: 600,000 twice, 371 days apart: never within one year.
    w.direct("S2-a", "S2", 600_000, on="2023-01-05", category="30100000")
    w.direct("S2-b", "S2", 600_000, on="2024-01-10", category="30100000")
    w.direct("S2-late", "S2", 500_000, on="2024-07-05", category="30100000")  # after D
    # S3 at U1: 500,000 twice, exactly 365 days apart (inclusive).
    w.direct("S3-a", "S3", 500_000, on="2023-06-01", category="30100000")
    w.direct("S3-b", "S3", 500_000, on="2024-05-31", category="30100000")
    # S1 at another buyer, and S1 in another division at U1: separate runs.
    w.direct("S1-U2", "S1", 600_000, on="2024-02-01", unit="U2", category="30100000")
    w.direct("S1-45", "S1", 600_000, on="2024-02-01", category="45100000")
    # A single award above the threshold is a run of one.
    w.direct("S4", "S4", 1_200_000, on="2024-02-01", category="30100000")
    # An open tender won by S1 at U1 is not a direct award.
    w.tender("OPEN", category="30100000")
    w.bid("OPEN", "S1", 900_000)
    w.contract("OPEN", "S1", 900_000)
    # A direct tender without a signed contract.
    w.tender("NOC", method="direct", category="30100000", awarded="2024-03-01")
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "flag", "ratio"), [
    ("S1-a", 1.0, 1.1), ("S1-b", 1.0, 1.1), ("S1-c", 1.0, 1.1),
    ("S2-b", 0.0, 0.6),
    ("S3-b", 1.0, 1.0),
    ("S1-U2", 0.0, 0.6), ("S1-45", 0.0, 0.6),
    ("S4", 1.0, 1.2),
])
def test_split_direct_awards(features, tender, flag, ratio):
    assert features.loc[tender, "split_direct_awards"] == flag
    assert features.loc[tender, "split_direct_award_ratio"] == pytest.approx(ratio)


@pytest.mark.parametrize("tender", ["OPEN", "NOC"])
def test_null_when_not_a_direct_award(features, tender):
    assert math.isnan(features.loc[tender, "split_direct_awards"])
    assert math.isnan(features.loc[tender, "split_direct_award_ratio"])


def test_award_after_d_is_not_counted(features):
    # S2-late (500,000, 2024-07-05) would make S2-b's year 1,100,000; at D it is unknown.
    assert "S2-late" not in features.index
    assert features.loc["S2-b", "split_direct_awards"] == 0.0


def test_threshold_revealed_by_the_data():
    w = Tiny()
    # Division 72: eleven limited purchases just below 500,000 and none just above reveal a
    # 500,000 threshold (11 >= 8 and 11 >= 3 x (0 + 1)): two direct awards of 260,000 to one
    # supplier within a year exceed it, though far below the 1,000,000 default.
    for i in range(11):
        w.tender(f"L{i}", method="limited", category="72100000", estimate=455_000 + 4_000 * i)
    w.direct("D1", "S5", 260_000, on="2024-02-01", category="72100000")
    w.direct("D2", "S5", 260_000, on="2024-03-01", category="72100000")
    w.direct("D3", "S6", 260_000, on="2024-03-01", category="30100000")  # default threshold
    f = w.features(only=SETS)
    assert f.loc["D2", "split_direct_awards"] == 1.0
    assert f.loc["D2", "split_direct_award_ratio"] == pytest.approx(520_000 / 500_000)
    assert f.loc["D3", "split_direct_award_ratio"] == pytest.approx(0.26)
