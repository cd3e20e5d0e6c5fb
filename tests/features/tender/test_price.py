"""Price against the estimate, and what became of the signed price."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_price",)
COLUMNS = ["price_to_estimate", "final_to_signed_ratio", "contract_amendments", "cost_overrun"]


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.tender("T1", estimate=100_000)
    w.contract("T1", "S", 120_000)  # not completed: final price unknown
    w.tender("T2")  # no estimate
    w.contract("T2", "S", 120_000, final=150_000, amendments=1, completed="2024-05-01")
    w.tender("T3", estimate=100_000)  # no contract
    w.tender("T4", estimate=100_000)
    w.contract("T4", "S", 100_000, final=125_000, amendments=2, completed="2024-05-01")
    w.tender("T5", estimate=100_000)  # completed after D: final price and amendments unknown
    w.contract("T5", "S", 100_000, final=190_000, amendments=5, completed="2024-08-01")
    w.tender("T6", estimate=100_000)  # within 20% (overrun_margin): no overrun
    w.contract("T6", "S", 100_000, final=105_000, amendments=0, completed="2024-05-01")
    w.tender("T7", estimate=200_000)  # two contracts, one completed
    w.contract("T7", "S", 100_000, final=120_000, completed="2024-05-01")
    w.contract("T7", "R", 100_000)
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "expected"), [
    ("T1", [1.2, None, None, None]),
    ("T2", [None, 1.25, 1, 1]),
    ("T3", [None, None, None, None]),
    ("T4", [1.0, 1.25, 2, 1]),
    ("T5", [1.0, None, None, None]),
    ("T6", [1.0, 1.05, 0, 0]),
    ("T7", [1.0, 1.2, None, 0]),  # exactly 20% is not more than 20%
])
def test_prices(features, tender, expected):
    row = features.loc[tender, COLUMNS]
    for column, value in zip(COLUMNS, expected, strict=True):
        if value is None:
            assert math.isnan(row[column]), column
        else:
            assert row[column] == pytest.approx(value), column


def test_completion_after_d_is_revealed_later():
    w = Tiny()
    w.tender("T5", estimate=100_000)
    w.contract("T5", "S", 100_000, final=190_000, amendments=5, completed="2024-08-01")
    later = w.features("2024-09-01", only=SETS).loc["T5", COLUMNS].tolist()
    assert later == pytest.approx([1.0, 1.9, 5, 1])
