"""Point in time: facts dated on or after D change no tender feature at D.

One dataset with a bit of everything every tender feature reads, built with the whole tender
catalogue; then the same dataset with later facts added (a tender published after D, bids of a
tender whose deadline is after D, an award and a contract after D, a completion with its final
price and amendments after D, roles and posts beginning after D, a firm registered after D, a
post and a registration ending after D). The features at D must be identical; at a later date
they must not be.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.features.tender.tiny import Tiny

D, LATER = "2024-07-01", "2024-10-01"


def past(w: Tiny) -> None:
    """What was known before D (and is the same in both datasets)."""
    w.firm("A", address="中山路1号", phone="025-1234567")
    w.firm("B", address="中山路1号")
    w.firm("W", registered_on="2023-12-01")
    w.post("P1", "U1", start="2020-01-01")
    w.relation("P1", "P3", "sibling")
    for i, (rival, status) in enumerate([(101_000, "valid"), (110_000, "valid"),
                                         (112_000, "valid"), (130_000, "valid"),
                                         (95_000, "disqualified")]):
        t = f"T{i}"
        w.tender(t, estimate=120_000, published=f"2024-0{i + 1}-02",
                 deadline=f"2024-0{i + 1}-25", awarded=f"2024-0{i + 2}-05")
        w.bid(t, "W", 100_000, at=f"2024-0{i + 1}-20T10:00:00Z")
        w.bid(t, "A", rival, status=status)
        w.bid(t, "B", rival)
        w.contract(t, "W", 100_000, final=110_000 if i == 0 else None,
                   amendments=1 if i == 0 else None, completed="2024-05-01" if i == 0 else None)
    for i in range(9):
        w.tender(f"L{i}", method="limited", estimate=955_000 + 5_000 * i, awarded=None,
                 status="active")
    w.direct("D1", "W", 600_000, on="2024-03-01")
    w.direct("D2", "W", 300_000, on="2024-04-01")
    # Opened before D, awarded after D: no award, no winner at D.
    w.tender("PENDING", published="2024-06-03", deadline="2024-06-24", awarded=None,
             status="active")
    w.bid("PENDING", "A", 100_000)
    w.bid("PENDING", "B", 100_000)
    # Published before D, deadline after D: no bids at D.
    w.tender("OPENLATE", published="2024-06-15", deadline="2024-07-05", awarded=None,
             status="active")
    # A contract not completed at D.
    w.tender("RUNNING", estimate=500_000)
    w.bid("RUNNING", "W", 480_000)
    w.contract("RUNNING", "W", 480_000)


def after(w: Tiny) -> None:
    """Facts dated on or after D, added to the second dataset only."""
    w.firm("NEW", registered_on="2024-07-02")
    w.tender("FUTURE", published="2024-07-03", deadline="2024-07-20", awarded="2024-07-30")
    w.bid("FUTURE", "NEW", 10)
    w.bid("FUTURE", "A", 10)
    w.contract("FUTURE", "NEW", 10)
    w.direct("DFUT", "W", 900_000, on="2024-07-15")
    w.bid("OPENLATE", "A", 90_000, status="disqualified")
    w.bid("OPENLATE", "W", 100_000, at="2024-07-06T10:00:00Z")
    w.contract("PENDING", "A", 100_000, signed="2024-07-04")
    w.role("W", "P3", "shareholder", start="2024-07-02")
    w.role("A", "P7", "manager", start="2024-07-02")
    w.role("B", "P7", "manager", start="2024-07-02")
    w.post("P8", "U1", start="2024-08-01")
    w.role("W", "P8", "director", start="2024-08-02")


def dataset(with_later_facts: bool) -> Tiny:
    w = Tiny()
    past(w)
    if with_later_facts:
        after(w)
    frames = w.frames()
    if with_later_facts:
        tenders = frames["tenders"]
        late = tenders.tender_id.isin(["PENDING", "OPENLATE"])
        tenders.loc[late, "status"] = "complete"
        tenders.loc[tenders.tender_id == "PENDING", "awarded_on"] = "2024-07-03"
        tenders.loc[tenders.tender_id == "OPENLATE", "awarded_on"] = "2024-07-12"
        contracts = frames["contracts"]
        running = contracts.tender_id == "RUNNING"
        contracts.loc[running, ["final_amount", "amendments", "completed_on"]] = [
            "900000", "6", "2024-07-20"]
        officials = frames["officials"]
        officials.loc[officials.person_id == "P1", "end_date"] = "2024-09-01"
        firms = frames["enterprises"]
        firms.loc[firms.enterprise_id == "W", "deregistered_on"] = "2024-12-31"
    w.frames = lambda: frames  # the edited frames are this dataset's
    return w


@pytest.fixture(scope="module")
def known():
    return dataset(False).features(D)


@pytest.fixture(scope="module")
def with_later():
    return dataset(True)


def test_later_facts_change_nothing_at_d(known, with_later):
    pd.testing.assert_frame_equal(with_later.features(D), known)


def test_the_dataset_exercises_the_features(known):
    # Guard against a vacuous comparison: most features have values here.
    filled = known.notna().mean()
    assert (filled > 0).mean() > 0.9, filled[filled == 0].index.tolist()


def test_later_facts_count_later(known, with_later):
    later = with_later.features(LATER)
    assert later.loc["PENDING", "winner_age_days"] > 0  # awarded and signed by then
    assert later.loc["OPENLATE", "valid_bidders"] == 1
    assert later.loc["RUNNING", "final_to_signed_ratio"] > 1.8
    assert later.loc["FUTURE", "young_winner"] == 1  # registered 28 days before its award
    assert "FUTURE" not in known.index
