"""Bid spread and the gap between the two lowest bids."""

from __future__ import annotations

import math
import statistics

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_spread",)


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.tender("T1")
    for firm, amount in zip("ABC", (100, 110, 130), strict=True):
        w.bid("T1", firm, amount)
    w.bid("T1", "D", 50, status="disqualified")  # only valid prices
    w.bid("T1", "E")  # no amount
    w.tender("T2")
    for firm, amount in zip("ABC", (100, 100, 150), strict=True):
        w.bid("T2", firm, amount)
    w.tender("T3")  # one valid price
    w.bid("T3", "A", 100)
    w.bid("T3", "B", 90, status="disqualified")
    w.tender("T4", deadline="2024-07-20", awarded=None, status="active")  # not opened
    w.bid("T4", "A", 100)
    w.bid("T4", "B", 110)
    return w.features(only=SETS)


def test_spread_and_gap(features):
    amounts = [100, 110, 130]
    assert features.loc["T1", "bid_spread"] == pytest.approx(
        statistics.stdev(amounts) / statistics.mean(amounts)
    )
    assert features.loc["T1", "lowest_bids_gap"] == pytest.approx(0.1)
    assert features.loc["T2", "lowest_bids_gap"] == 0.0


@pytest.mark.parametrize("tender", ["T3", "T4"])
def test_null_with_fewer_than_two_prices(features, tender):
    assert math.isnan(features.loc[tender, "bid_spread"])
    assert math.isnan(features.loc[tender, "lowest_bids_gap"])
