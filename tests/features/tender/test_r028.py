"""R028 identical bid prices."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r028",)


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.tender("T1")  # two firms at exactly the same price
    w.bid("T1", "A", 100_000)
    w.bid("T1", "B", 100_000)
    w.bid("T1", "C", 120_000)
    w.tender("T2")  # one firm repeating its own price is fine
    w.bid("T2", "A", 100_000)
    w.bid("T2", "A", 100_000)
    w.bid("T2", "B", 110_000)
    w.tender("T3")  # a disqualified bid was still submitted
    w.bid("T3", "A", 100_000)
    w.bid("T3", "B", 100_000, status="disqualified")
    w.tender("T4")  # a withdrawn one was not
    w.bid("T4", "A", 100_000)
    w.bid("T4", "B", 100_000, status="withdrawn")
    w.bid("T4", "C", 130_000)
    w.tender("T5")  # three firms, one price: all three share it
    for firm in "ABC":
        w.bid("T5", firm, 99_999.5)
    w.tender("T6")  # a single bid: does not apply
    w.bid("T6", "A", 100_000)
    w.tender("T7", deadline="2024-07-10", awarded=None, status="active")  # bids not opened
    w.bid("T7", "A", 100_000)
    w.bid("T7", "B", 100_000)
    w.tender("T8")  # no amounts
    w.bid("T8", "A")
    w.bid("T8", "B")
    w.tender("T9")  # equal up to a cent is not identical
    w.bid("T9", "A", 100_000)
    w.bid("T9", "B", 100_000.01)
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "flag", "sharing"), [
    ("T1", 1.0, 2), ("T2", 0.0, 0), ("T3", 1.0, 2), ("T4", 0.0, 0), ("T5", 1.0, 3),
    ("T9", 0.0, 0),
])
def test_identical_prices(features, tender, flag, sharing):
    assert features.loc[tender, "identical_bid_prices"] == flag
    assert features.loc[tender, "identical_price_bidders"] == sharing


@pytest.mark.parametrize("tender", ["T6", "T7", "T8"])
def test_null_when_not_applicable(features, tender):
    assert math.isnan(features.loc[tender, "identical_bid_prices"])
    assert math.isnan(features.loc[tender, "identical_price_bidders"])
