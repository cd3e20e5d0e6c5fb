"""The co-bidding network, hidden links between co-bidders and how tenders are won, exactly.

A and B are a ring: they bid together four times and take turns (A, B, A, B), B's cover in R1
and A's in R2 are within 3% of the winner, and in R3 they bid the very same amount. They share
an owner (P1). X bids beside them twice, has A's phone (written differently) and an owner who
is the sibling of B's manager, and shares an address with B and nine other firms (a business
centre: more than `shared_contact_limit`, so it is no link). P9 holds roles in eleven firms
(an agent: no link either). C wins without competition.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from features.params import FeatureParams
from tests.features.enterprise.tiny import Tiny

D = "2024-12-31"
CENTRE = "南京市中山路1号商务中心"


def ring() -> Tiny:
    w = Tiny()
    w.enterprise("A", phone="025-8888 8888")
    w.enterprise("B", address=CENTRE)
    w.enterprise("X", phone="02588888888", address=f" {CENTRE.replace('1', '１')} ")
    w.enterprise("C")
    w.enterprise("Y")
    for n in range(9):
        w.enterprise(f"Z{n}", address=CENTRE)
    for firm in ["A", "X", *[f"Z{n}" for n in range(9)]]:
        w.role(firm, "P9", role="supervisor")
    w.role("A", "P1")
    w.role("B", "P1")
    w.role("B", "P2", role="manager")
    w.role("X", "P3")
    w.relation("P2", "P3", "sibling")
    w.tender("R1", on="2024-03-01", bids={"A": 100.0, "B": 102.0, "X": 110.0}, winner="A")
    w.tender("R2", on="2024-04-01", bids={"A": 204.0, "B": 200.0, "X": (190.0, "disqualified")},
             winner="B")
    w.tender("R3", on="2024-05-01", bids={"A": 300.0, "B": 300.0}, winner="A")
    w.tender("R4", on="2024-06-01", bids={"A": 440.0, "B": 400.0}, winner="B")
    w.tender("S1", on="2024-03-01", unit="U2", estimate=1000.0, bids={"C": 1000.0}, winner="C")
    w.tender("S2", on="2024-03-05", unit="U2", estimate=500.0,
             bids={"C": 500.0, "Y": (450.0, "disqualified")}, winner="C")
    w.tender("S3", on="2024-03-09", unit="U2", method="limited", estimate=200.0,
             bids={"C": 100.0}, winner="C")
    w.tender("S4", on="2024-03-12", unit="U2", method="direct", estimate=100.0,
             bids={"C": 100.0}, winner="C")
    return w


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return ring().features(D)


def test_partners_rotation_and_cover_bids(features: pd.DataFrame) -> None:
    a, b, x = features.loc["A"], features.loc["B"], features.loc["X"]
    assert a.cobidders_1095d == 2 and x.cobidders_1095d == 2
    assert (a.top_partner_tenders_1095d, a.top_partner_share_1095d) == (4, 1.0)
    assert (a.wins_over_top_partner_1095d, a.losses_to_top_partner_1095d) == (2, 2)
    assert a.rotation_turns_1095d == 2 and b.rotation_turns_1095d == 2
    # X meets A and B twice each and lost once to each: either way, 2 tenders and 1 loss.
    assert (x.top_partner_tenders_1095d, x.losses_to_top_partner_1095d) == (2, 1)
    assert x.rotation_turns_1095d == 0
    assert a.cover_bid_share_1095d == 0.25  # R2: 204 vs 200; R4 is 10% off
    assert b.cover_bid_share_1095d == 0.25  # R1: 102 vs 100; R3's equal bid is no cover
    assert x.cover_bid_share_1095d == 0.0
    assert (a.identical_bids_1095d, b.identical_bids_1095d, x.identical_bids_1095d) == (1, 1, 0)


def test_without_bids_there_is_no_network(features: pd.DataFrame) -> None:
    c, z = features.loc["C"], features.loc["Z0"]  # C met Y once; Z0 never bid
    assert (c.cobidders_1095d, c.top_partner_tenders_1095d, c.top_partner_share_1095d) == (
        1, 1, 0.25
    )
    assert z.cobidders_1095d == 0 and z.rotation_turns_1095d == 0
    assert math.isnan(z.top_partner_share_1095d) and math.isnan(z.cover_bid_share_1095d)


def test_how_it_wins(features: pd.DataFrame) -> None:
    c, b = features.loc["C"], features.loc["B"]
    assert c.uncontested_wins_1095d == 2  # S1 single bid, S2 the other bid disqualified
    assert c.cheaper_disqualified_wins_1095d == 1  # S2
    assert b.cheaper_disqualified_wins_1095d == 1  # R2
    assert b.uncontested_wins_1095d == 0
    assert c.win_price_to_estimate_1095d == pytest.approx((1.0 + 1.0 + 0.5) / 3)  # not S4
    assert math.isnan(b.win_price_to_estimate_1095d)  # no estimates


def test_hidden_links_with_cobidders(features: pd.DataFrame) -> None:
    a, b, x = features.loc["A"], features.loc["B"], features.loc["X"]
    # Shared owner P1 (the agent P9 does not count).
    assert (a.cobidders_sharing_person_1095d, b.cobidders_sharing_person_1095d,
            x.cobidders_sharing_person_1095d) == (1, 1, 0)
    # A's phone written two ways; the business-centre address is left out.
    assert (a.cobidders_sharing_contact_1095d, b.cobidders_sharing_contact_1095d,
            x.cobidders_sharing_contact_1095d) == (1, 0, 1)
    # B's manager and X's owner are siblings.
    assert (a.cobidders_related_persons_1095d, b.cobidders_related_persons_1095d,
            x.cobidders_related_persons_1095d) == (0, 1, 1)
    assert (a.linked_cobidders_1095d, b.linked_cobidders_1095d,
            x.linked_cobidders_1095d) == (2, 2, 2)


def test_r044_counts_every_shared_contact(features: pd.DataFrame) -> None:
    # R044 leaves nothing out: the business centre links B and X in R1 and R2 too.
    a, b, x = features.loc["A"], features.loc["B"], features.loc["X"]
    assert (a.r044_shared_contact_tenders_1095d, b.r044_shared_contact_tenders_1095d,
            x.r044_shared_contact_tenders_1095d) == (2, 2, 2)
    assert features.loc["C"].r044_shared_contact_tenders_1095d == 0


def test_the_contact_limit_is_a_setting() -> None:
    wide = ring().features(D, params=FeatureParams(shared_contact_limit=20))
    assert wide.loc["B"].cobidders_sharing_contact_1095d == 1
    assert wide.loc["X"].cobidders_sharing_contact_1095d == 2


def test_without_relations_only_the_relative_links_are_missing(
    features: pd.DataFrame,
) -> None:
    bare = ring().features(D, without=("relations",))
    missing = ["cobidders_related_persons_1095d", "linked_cobidders_1095d"]
    assert bare[missing].isna().all().all()
    kept = [c for c in features.columns if not c.startswith(("kin_", *missing))]
    pd.testing.assert_frame_equal(bare[kept], features[kept])


def test_bids_opened_after_d_are_not_in_the_network(features: pd.DataFrame) -> None:
    w = ring()
    # Opened on D: another rotation turn and cover, not known before D.
    w.tender("R5", on="2024-12-11", bids={"A": 500.0, "B": 501.0, "C": 501.0}, winner="A")
    pd.testing.assert_frame_equal(w.features(D), features)
