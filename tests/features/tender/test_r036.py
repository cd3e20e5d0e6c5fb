"""R036 lowest bid disqualified."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r036",)


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.tender("T1")  # the cheapest bid was disqualified
    w.bid("T1", "A", 90, status="disqualified")
    w.bid("T1", "W", 100)
    w.bid("T1", "B", 110)
    w.contract("T1", "W", 100)
    w.tender("T2")  # a tie with a valid bid is not flagged (Cardinal: first in file order)
    w.bid("T2", "A", 100, status="disqualified")
    w.bid("T2", "W", 100)
    w.contract("T2", "W", 100)
    w.tender("T3")  # the disqualified bid was dearer
    w.bid("T3", "W", 100)
    w.bid("T3", "A", 120, status="disqualified")
    w.contract("T3", "W", 100)
    w.tender("T4")  # no valid bid with an amount: unknown
    w.bid("T4", "A", 90, status="disqualified")
    w.bid("T4", "W")
    w.contract("T4", "W", 100)
    w.tender("T5")  # no contract: unknown
    w.bid("T5", "A", 90, status="disqualified")
    w.bid("T5", "W", 100)
    w.tender("T6")  # a withdrawn bid was not submitted
    w.bid("T6", "A", 90, status="withdrawn")
    w.bid("T6", "W", 100)
    w.contract("T6", "W", 100)
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "flag"), [("T1", 1.0), ("T2", 0.0), ("T3", 0.0), ("T6", 0.0)])
def test_lowest_bid_disqualified(features, tender, flag):
    assert features.loc[tender, "lowest_bid_disqualified"] == flag


@pytest.mark.parametrize("tender", ["T4", "T5"])
def test_null_when_not_applicable(features, tender):
    assert math.isnan(features.loc[tender, "lowest_bid_disqualified"])
