"""Valid bidders, single valid bid, and the submission period against the method's median."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_competition", "tender_periods")


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.tender("T1", published="2024-01-01", deadline="2024-01-21")  # 20 days
    w.bid("T1", "W", 100)
    w.bid("T1", "A", 90, status="disqualified")
    w.tender("T2", published="2024-01-01", deadline="2024-01-31")  # 30 days
    w.bid("T2", "W", 100)
    w.bid("T2", "A", 110)
    w.bid("T2", "A", 120)  # one firm, two bids
    w.tender("T3", published="2024-01-01", deadline="2024-02-10")  # 40 days
    w.tender("L1", method="limited", published="2024-01-01", deadline="2024-01-06")
    w.bid("L1", "W", 100)
    w.direct("D1", "W", 100, on="2024-02-01")
    w.tender("LATE", published="2024-06-01", deadline="2024-07-10", awarded=None,
             status="active")
    w.bid("LATE", "W", 100)
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "valid", "single"), [
    ("T1", 1, 1.0), ("T2", 2, 0.0), ("T3", 0, 0.0), ("L1", 1, None), ("D1", 0, None),
    ("LATE", None, None),
])
def test_valid_bidders(features, tender, valid, single):
    for column, value in (("valid_bidders", valid), ("single_valid_bid", single)):
        got = features.loc[tender, column]
        assert math.isnan(got) if value is None else got == value, column


@pytest.mark.parametrize(("tender", "ratio"), [
    # Open periods 20, 30, 40 and LATE's 39: median 34.5. Limited: 5 days, its own median.
    ("T1", 20 / 34.5), ("T2", 30 / 34.5), ("T3", 40 / 34.5), ("L1", 1.0), ("D1", None),
])
def test_submission_period_ratio(features, tender, ratio):
    got = features.loc[tender, "submission_period_ratio"]
    assert math.isnan(got) if ratio is None else got == pytest.approx(ratio)
