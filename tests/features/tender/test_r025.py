"""R025 excessive unsuccessful bids, of the tender's winner."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_r025",)
# (winner, loser) of two-bid tenders. Records (bids, wins): A (4, 2) .5, B (3, 2), C (3, 2),
# D (3, 2) .667, X (5, 1) .2. Bid counts [3, 3, 3, 4, 5]: the 75th percentile (type 7) is 4.
# Win rates [.2, .5, .667, .667, .667]: Q1 = .5, Q3 = .667, LO = .5 - 1.5 x .1667 = .25 > 0.
# X bids 5 >= 4 times and wins .2 <= .25: flagged; A bids 4 times but wins .5.
DUELS = {"T1": ("A", "B"), "T2": ("B", "A"), "T3": ("C", "D"), "T4": ("D", "C"),
         "T5": ("A", "X"), "T6": ("B", "X"), "T7": ("C", "X"), "T8": ("D", "X"),
         "T9": ("X", "A")}


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    for tender, (winner, loser) in DUELS.items():
        w.tender(tender)
        w.bid(tender, winner, 100)
        w.bid(tender, loser, 110)
        w.contract(tender, winner, 100)
    w.direct("XD", "X", 50_000, on="2024-03-01")  # X's direct award carries its record too
    w.tender("NOC")  # no winner known
    w.bid("NOC", "X", 100)
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "rate", "flag"), [
    ("T9", 0.2, 1.0), ("XD", 0.2, 1.0), ("T1", 0.5, 0.0), ("T3", 2 / 3, 0.0),
])
def test_winner_record(features, tender, rate, flag):
    assert features.loc[tender, "winner_win_rate"] == pytest.approx(rate)
    assert features.loc[tender, "winner_excessive_unsuccessful_bids"] == flag


def test_null_without_a_winner(features):
    assert math.isnan(features.loc["NOC", "winner_win_rate"])
    assert math.isnan(features.loc["NOC", "winner_excessive_unsuccessful_bids"])
