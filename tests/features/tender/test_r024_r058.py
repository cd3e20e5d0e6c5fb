"""R024 (price close to winning bid) and R058 (heavily discounted bid) on the contract tables."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r024", "tender_r058")

# Eight tenders where the winner W bids 100,000 and the best rival 100,000 x (1 + ratio).
# Type-7 quartiles of the ratios: Q1 = 0.10 + 0.75 x 0.01 = 0.1075, Q3 = 0.14 + 0.25 x 0.01 =
# 0.1425, IQR = 0.035; LO = 0.1075 - 0.0525 = 0.055, HI = 0.1425 + 0.0525 = 0.195.
RATIOS = {"T1": 0.01, "T2": 0.10, "T3": 0.11, "T4": 0.12, "T5": 0.13, "T6": 0.14, "T7": 0.15,
          "T8": 0.60}


def world() -> Tiny:
    w = Tiny()
    for tender, ratio in RATIOS.items():
        w.tender(tender)
        w.bid(tender, "W", 100_000)
        w.bid(tender, "L", round(100_000 * (1 + ratio)))
        w.bid(tender, "M", 300_000)
        w.bid(tender, "N", 50_000, status="disqualified")  # only valid bids compete
        w.contract(tender, "W", 100_000)
    # No ratio: the winner's bid is not the lowest (not decided on price) ...
    w.tender("X1")
    w.bid("X1", "W", 100_000)
    w.bid("X1", "L", 90_000)
    w.contract("X1", "W", 100_000)
    # ... no valid rival bid ...
    w.tender("X2")
    w.bid("X2", "W", 100_000)
    w.bid("X2", "L", 101_000, status="disqualified")
    w.contract("X2", "W", 100_000)
    # ... contracts with two suppliers (lots) ...
    w.tender("X3")
    w.bid("X3", "W", 100_000)
    w.bid("X3", "L", 100_500)
    w.contract("X3", "W", 50_000)
    w.contract("X3", "L", 50_000)
    # ... no contract signed before D (a winner is not known yet) ...
    w.tender("X4", awarded="2024-06-20")
    w.bid("X4", "W", 100_000)
    w.bid("X4", "L", 100_100)
    w.contract("X4", "W", 100_000, signed="2024-07-05")
    # ... and bids not opened before D.
    w.tender("X5", published="2024-06-01", deadline="2024-07-10", awarded=None, status="active")
    w.bid("X5", "W", 100_000)
    w.bid("X5", "L", 100_100)
    return w


@pytest.fixture(scope="module")
def features():
    return world().features(only=SETS)


def test_ratio_is_the_best_rival_over_the_winner(features):
    for tender, ratio in RATIOS.items():
        assert features.loc[tender, "second_lowest_bid_ratio"] == pytest.approx(ratio)


def test_r024_flags_ratios_at_or_below_the_lower_fence(features):
    flagged = features.loc[list(RATIOS), "price_close_to_winning_bid"]
    assert flagged.to_dict() == {t: float(t == "T1") for t in RATIOS}


def test_r058_flags_ratios_at_or_above_the_upper_fence(features):
    flagged = features.loc[list(RATIOS), "heavily_discounted_bid"]
    assert flagged.to_dict() == {t: float(t == "T8") for t in RATIOS}


@pytest.mark.parametrize("tender", ["X1", "X2", "X3", "X4", "X5"])
def test_no_ratio_no_flag(features, tender):
    row = features.loc[tender]
    for column in ("second_lowest_bid_ratio", "price_close_to_winning_bid",
                   "heavily_discounted_bid"):
        assert math.isnan(row[column]), column


def test_contract_signed_after_d_changes_nothing_and_counts_later():
    w = world()
    # X4's contract is signed after D: at D it neither has a ratio nor moves the fences.
    assert math.isnan(w.features(only=SETS).loc["X4", "second_lowest_bid_ratio"])
    later = w.features("2024-08-01", only=SETS)
    assert later.loc["X4", "second_lowest_bid_ratio"] == pytest.approx(0.001)
    # With nine ratios the lower fence moves, and the tiny 0.1% gap is flagged.
    assert later.loc["X4", "price_close_to_winning_bid"] == 1.0


def test_guard_no_flag_when_the_first_quartile_is_zero():
    w = Tiny()
    for i, rival in enumerate([100_000, 100_000, 100_000, 105_000, 120_000]):
        w.tender(f"T{i}")
        w.bid(f"T{i}", "W", 100_000)
        w.bid(f"T{i}", "L", rival)
        w.contract(f"T{i}", "W", 100_000)
    f = w.features(only=SETS)
    # Q1 = 0: identical lowest prices are common here, the fence says nothing.
    assert f["second_lowest_bid_ratio"].tolist() == pytest.approx([0, 0, 0, 0.05, 0.2])
    assert f["price_close_to_winning_bid"].tolist() == [0.0] * 5
