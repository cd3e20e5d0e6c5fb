"""R035 all except winner disqualified."""

from __future__ import annotations

import math

import pytest

from features.params import FeatureParams
from tests.features.tender.tiny import Tiny

SETS = ("tender_r035",)


def world() -> Tiny:
    w = Tiny()
    w.tender("T1")  # only the winner's bid survived; two rivals were disqualified
    w.bid("T1", "W", 100)
    w.bid("T1", "A", 90, status="disqualified")
    w.bid("T1", "B", 95, status="disqualified")
    w.contract("T1", "W", 100)
    w.tender("T2")  # another valid bid survived
    w.bid("T2", "W", 100)
    w.bid("T2", "A", 110)
    w.bid("T2", "B", 95, status="disqualified")
    w.contract("T2", "W", 100)
    w.tender("T3")  # a single bid: nobody was disqualified
    w.bid("T3", "W", 100)
    w.contract("T3", "W", 100)
    w.tender("T4")  # two suppliers: a split award is not flagged
    w.bid("T4", "W", 100)
    w.bid("T4", "A", 90, status="disqualified")
    w.contract("T4", "W", 50)
    w.contract("T4", "A", 50)
    w.tender("T5")  # no contract yet: unknown
    w.bid("T5", "W", 100)
    w.bid("T5", "A", 90, status="disqualified")
    w.tender("T6")  # the only valid bidder is not the supplier
    w.bid("T6", "A", 100)
    w.bid("T6", "B", 90, status="disqualified")
    w.contract("T6", "W", 100)
    w.tender("T7")  # a firm with a valid and a disqualified bid is not a disqualified rival
    w.bid("T7", "W", 100)
    w.bid("T7", "W", 80, status="disqualified")
    w.contract("T7", "W", 100)
    return w


@pytest.fixture(scope="module")
def features():
    return world().features(only=SETS)


@pytest.mark.parametrize(("tender", "flag", "rivals"), [
    ("T1", 1.0, 2), ("T2", 0.0, 1), ("T3", 0.0, 0), ("T4", 0.0, 0), ("T6", 0.0, 1),
    ("T7", 0.0, 0),
])
def test_all_except_winner_disqualified(features, tender, flag, rivals):
    assert features.loc[tender, "all_except_winner_disqualified"] == flag
    assert features.loc[tender, "disqualified_rivals"] == rivals


def test_null_without_a_contract(features):
    assert math.isnan(features.loc["T5", "all_except_winner_disqualified"])
    assert math.isnan(features.loc["T5", "disqualified_rivals"])


def test_threshold_is_a_parameter():
    f = world().features(params=FeatureParams(r035_min_disqualified=3), only=SETS)
    assert f.loc["T1", "all_except_winner_disqualified"] == 0.0
    assert f.loc["T1", "disqualified_rivals"] == 2
