"""Activity, concentration and profile of enterprises, exactly, on a tiny world."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from features.catalog import registry
from tests.features.enterprise.tiny import Tiny

D = "2024-06-25"


def market() -> Tiny:
    w = Tiny()
    w.enterprise("E1", registered="2014-06-25", capital=100.0)
    w.enterprise("E2", registered="2023-06-26", deregistered="2024-06-01")
    w.enterprise("E3", deregistered="2024-07-01")  # deregistered after D: not known yet
    w.role("E3", "P1")
    # T1: bids opened 2024-01-30, E1 signs 2024-02-14 (132 days before D).
    w.tender("T1", on="2024-01-10", bids={"E1": 100.0, "E2": 110.0}, winner="E1")
    # T2: bids opened 2024-05-21, E2 signs 2024-06-05, at another buyer.
    w.tender("T2", on="2024-05-01", unit="U2", bids={"E1": 200.0, "E2": 190.0}, winner="E2")
    # T3: bids opened 2024-06-21 but signed only after D: undecided at D.
    w.tender("T3", on="2024-06-01", bids={"E1": 300.0, "E2": 310.0}, winner="E1")
    # T4: bids open only after D.
    w.tender("T4", on="2024-06-20", bids={"E1": 400.0, "E2": 390.0}, winner="E2")
    # T5: a direct award to E1 on 2023-01-05, signed 2023-01-10 (532 days before D).
    w.tender("T5", on="2023-01-05", method="direct", bids={"E1": 50.0}, winner="E1")
    # T6: E1's second contract at U1, 2023-09-01.
    w.tender("T6", on="2023-07-15", bids={"E1": 60.0}, winner="E1", signed="2023-09-01")
    # E4: two contracts at U3 (220), one at U4 (300) where E5 won 700 more.
    w.unit("U3")
    w.unit("U4")
    w.enterprise("E4")
    w.enterprise("E5")
    w.tender("V1", on="2024-01-10", unit="U3", bids={"E4": 100.0}, winner="E4")
    w.tender("V2", on="2024-01-12", unit="U3", bids={"E4": 120.0}, winner="E4")
    w.tender("V3", on="2024-01-14", unit="U4", bids={"E4": 300.0}, winner="E4")
    w.tender("V4", on="2024-01-16", unit="U4", bids={"E5": 700.0}, winner="E5")
    return w


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return market().features(D)


def test_wins_bids_and_value_by_window(features: pd.DataFrame) -> None:
    e1, e2 = features.loc["E1"], features.loc["E2"]
    assert (e1.wins_90d, e1.wins_365d, e1.wins_1095d) == (0, 2, 3)
    assert (e1.value_won_90d, e1.value_won_365d, e1.value_won_1095d) == (0, 160, 210)
    assert (e1.bids_90d, e1.bids_365d, e1.bids_1095d) == (2, 4, 5)  # T2, T3; +T1, T6; +T5
    assert (e2.wins_90d, e2.wins_365d, e2.value_won_365d) == (1, 1, 190)
    assert (e2.bids_90d, e2.bids_365d) == (2, 3)


def test_win_rate_counts_decided_tenders_only(features: pd.DataFrame) -> None:
    e1, e2 = features.loc["E1"], features.loc["E2"]
    assert e1.win_rate_90d == 0.0  # T2 lost; T3 not decided at D
    assert e1.win_rate_365d == pytest.approx(2 / 3)  # T1, T6 won, T2 lost
    assert e1.win_rate_1095d == pytest.approx(3 / 4)
    assert e2.win_rate_90d == 1.0 and e2.win_rate_365d == 0.5


def test_an_enterprise_without_bids_has_zero_counts_and_no_rates(
    features: pd.DataFrame,
) -> None:
    e3 = features.loc["E3"]  # in scope through its role only
    assert e3.wins_365d == 0 and e3.bids_365d == 0 and e3.value_won_1095d == 0
    assert math.isnan(e3.win_rate_365d)
    # no contract, no top buyer
    assert math.isnan(e3.top_buyer_share_365d) and math.isnan(e3.top_buyer_wins_365d)


def test_concentration_at_the_top_buyer(features: pd.DataFrame) -> None:
    e1 = features.loc["E1"]
    # 365 days: T1 (100) and T6 (60) both at U1, of U1's 160 contracted.
    assert e1.top_buyer_wins_365d == 2
    assert e1.top_buyer_share_365d == 1.0
    assert e1.top_buyer_spend_share_365d == 1.0
    e2 = features.loc["E2"]
    assert (e2.top_buyer_wins_365d, e2.top_buyer_share_365d) == (1, 1.0)


def test_top_buyer_is_the_one_with_most_value(features: pd.DataFrame) -> None:
    e4 = features.loc["E4"]
    assert e4.top_buyer_wins_365d == 1  # U4 (300) beats U3 (2 contracts, 220)
    assert e4.top_buyer_share_365d == pytest.approx(300 / 520)
    assert e4.top_buyer_spend_share_365d == pytest.approx(300 / 1000)
    sentence = registry().get("top_buyer_wins_365d").sentence(e4.to_dict())
    assert sentence == "won 1 of its 3 contracts of the last 365 days at one buyer"


def test_profile(features: pd.DataFrame) -> None:
    e1, e2, e3 = features.loc["E1"], features.loc["E2"], features.loc["E3"]
    assert e1.age_years == pytest.approx(3653 / 365.25)
    assert e2.deregistered == 1.0
    assert e3.deregistered == 0.0  # deregistered on D: not known before D
    # E1: first contract 2023-01-10, registered 2014-06-25.
    assert e1.first_win_after_days == (pd.Timestamp("2023-01-10") - pd.Timestamp("2014-06-25")).days
    assert e1.won_to_capital_365d == pytest.approx(1.6)  # 160 won / 100 capital
    assert e1.won_to_capital_90d == 0.0
    assert math.isnan(e2.won_to_capital_365d)  # no capital declared
    assert math.isnan(e3.first_win_after_days)


def test_facts_dated_after_d_change_nothing(features: pd.DataFrame) -> None:
    w = market()
    w.tender("T7", on="2024-06-24", bids={"E1": 1.0, "E2": 2.0}, winner="E1")  # opens later
    w.tender("T8", on="2024-06-25", method="direct", bids={"E2": 5.0}, winner="E2")
    w.penalty("F1", "E1", "2024-06-25", 1000.0)
    w.enterprise("E9", registered="2024-06-25")
    w.role("E9", "P1", start="2024-06-25")
    w.role("E1", "P9", start="2024-06-25")
    later = w.features(D)
    pd.testing.assert_frame_equal(later, features)
