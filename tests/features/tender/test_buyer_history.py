"""The buyer's record in the year before the tender."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_buyer_history",)
PRIOR, SINGLE, NON_OPEN = (f"buyer_{x}_365d" for x in
                           ("prior_tenders", "single_bid_rate", "non_open_rate"))


def tender(w: Tiny, tender_id: str, published: str, method: str = "open", bids: int = 1,
           **kwargs) -> None:
    deadline = kwargs.pop("deadline", published[:8] + "25")
    w.tender(tender_id, method=method, published=published, deadline=deadline,
             awarded=kwargs.pop("awarded", None), **kwargs)
    for i in range(bids):
        w.bid(tender_id, f"F{i}", 100 + i)


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    tender(w, "OLD", "2023-02-01", bids=1)  # 394 days before P4: outside its year
    tender(w, "P1", "2023-08-01", bids=1)  # single bid
    tender(w, "P2", "2023-09-01", bids=2)
    tender(w, "P3", "2023-10-01", method="limited", bids=1)  # not open; single bid not counted
    tender(w, "P4", "2024-03-01", bids=3)
    tender(w, "OTHER", "2024-02-01", unit="U2", bids=1)  # another buyer
    # Published before P5 and D, bids opened only after D: counted as a tender, not measured.
    tender(w, "P5", "2024-06-01", method="selective", bids=0, deadline="2024-07-15",
           status="active")
    tender(w, "P6", "2024-06-20", bids=2)
    return w.features(only=SETS)


def test_history_before_the_tender(features):
    # P4: P1, P2, P3 in its year (OLD is older); competitive with opened bids: P1, P2.
    assert features.loc["P4", PRIOR] == 3
    assert features.loc["P4", SINGLE] == pytest.approx(1 / 2)
    assert features.loc["P4", NON_OPEN] == pytest.approx(1 / 3)
    # P6 (2024-06-20): P1 .. P5 (P1 is 324 days before); P5 is not measured.
    assert features.loc["P6", PRIOR] == 5
    assert features.loc["P6", SINGLE] == pytest.approx(1 / 3)
    assert features.loc["P6", NON_OPEN] == pytest.approx(2 / 5)


def test_first_tender_has_no_rates(features):
    assert features.loc["OTHER", PRIOR] == 0
    assert math.isnan(features.loc["OTHER", SINGLE])
    assert math.isnan(features.loc["OTHER", NON_OPEN])
