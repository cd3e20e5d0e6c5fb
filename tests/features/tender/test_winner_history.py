"""The winner's history at the buyer: share, dependence, prior wins."""

from __future__ import annotations


import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_winner_history",)
SHARE, DEPENDENCE, PRIOR = (f"winner_{x}_365d" for x in
                            ("buyer_share", "buyer_dependence", "prior_wins_at_buyer"))


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    # Contracts (direct awards) at U1: S1 1,000 on 2023-03-10 (366 days before T3: outside
    # its year), S1 100 on 2023-03-11 (365 days before T3: inside), S1 100 on 2024-01-10 (T1),
    # S2 300 on 2024-02-10 (T2), S1 100 on 2024-03-10 (T3); and S1 at U2: 200 on 2024-03-01.
    w.direct("OLD", "S1", 1_000, on="2023-03-10")
    w.direct("EDGE", "S1", 100, on="2023-03-11")
    w.direct("T1", "S1", 100, on="2024-01-10")
    w.direct("T2", "S2", 300, on="2024-02-10")
    w.direct("T3", "S1", 100, on="2024-03-10")
    w.direct("U2T", "S1", 200, on="2024-03-01", unit="U2")
    w.tender("NOC")
    return w.features(only=SETS)


def test_share_dependence_and_prior_wins(features):
    # T3: buyer U1 in the year up to 2024-03-10: 100 + 100 + 300 + 100 = 600; with S1: 300.
    # S1 with any buyer: 300 + 200 = 500. S1's earlier contracts at U1 that year: EDGE and T1.
    assert features.loc["T3", SHARE] == pytest.approx(300 / 600)
    assert features.loc["T3", DEPENDENCE] == pytest.approx(300 / 500)
    assert features.loc["T3", PRIOR] == 2
    # T1: U1's year up to 2024-01-10: OLD (306 days before), EDGE and T1: 1,200, all S1's.
    assert features.loc["T1", SHARE] == pytest.approx(1.0)
    assert features.loc["T1", PRIOR] == 2
    # T2: S2's first contract: 300 of the buyer's 1,500.
    assert features.loc["T2", SHARE] == pytest.approx(300 / 1_500)
    assert features.loc["T2", DEPENDENCE] == pytest.approx(1.0)
    assert features.loc["T2", PRIOR] == 0


def test_null_without_a_contract(features):
    assert features.loc["NOC", [SHARE, DEPENDENCE, PRIOR]].isna().all()
