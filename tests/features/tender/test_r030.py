"""R030 late bid won."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r030",)
ON_TIME, LATE = "2024-01-25T12:00:00Z", "2024-01-26T12:00:00Z"  # deadline 2024-01-25


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.tender("T1")  # the winner's valid bid came the day after the deadline
    w.bid("T1", "W", 100, at=LATE)
    w.bid("T1", "L", 110, at=ON_TIME)
    w.contract("T1", "W", 100)
    w.tender("T2")  # on the deadline day is in time
    w.bid("T2", "W", 100, at=ON_TIME)
    w.contract("T2", "W", 100)
    w.tender("T3")  # a late loser does not matter
    w.bid("T3", "W", 100, at=ON_TIME)
    w.bid("T3", "L", 110, at=LATE)
    w.contract("T3", "W", 100)
    w.tender("T4")  # nor a late bid of the winner that was disqualified
    w.bid("T4", "W", 100, at=ON_TIME)
    w.bid("T4", "W", 90, status="disqualified", at=LATE)
    w.contract("T4", "W", 100)
    w.tender("T5")  # no timestamps: unknown
    w.bid("T5", "W", 100)
    w.contract("T5", "W", 100)
    w.tender("T6", method="limited", deadline=None)  # no deadline: unknown
    w.bid("T6", "W", 100, at=LATE)
    w.contract("T6", "W", 100)
    w.tender("T7")  # no winner known: unknown
    w.bid("T7", "W", 100, at=LATE)
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "flag"), [("T1", 1.0), ("T2", 0.0), ("T3", 0.0), ("T4", 0.0)])
def test_late_bid_won(features, tender, flag):
    assert features.loc[tender, "late_bid_won"] == flag


@pytest.mark.parametrize("tender", ["T5", "T6", "T7"])
def test_null_when_not_applicable(features, tender):
    assert math.isnan(features.loc[tender, "late_bid_won"])
