"""Penalties, what became of the contracts, and split purchases, exactly on one tiny world."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.features.enterprise.tiny import Tiny

D = "2025-01-01"


def world() -> Tiny:
    w = Tiny()
    for firm in ("E1", "E2", "E3"):
        w.enterprise(firm)
    w.role("E1", "P1")  # in scope through its owner
    w.penalty("F1", "E1", "2024-12-01", 1000.0)  # 31 days before D
    w.penalty("F2", "E1", "2024-03-01", 500.0)
    w.penalty("F3", "E1", "2023-01-01")  # amount unknown
    w.penalty("F4", "E1", "2025-01-01", 9999.0)  # on D: not known yet
    # E2's contracts: one ran 50% over through 4 amendments, one 5% over, one not finished by
    # D (its final amount is not known yet), one finished only after D.
    w.tender("T1", on="2023-03-01", bids={"E2": 100.0}, winner="E2", final=150.0,
             amendments=4, completed="2023-12-01")
    w.tender("T2", on="2023-06-01", bids={"E2": 200.0}, winner="E2", final=210.0,
             amendments=1, completed="2024-02-01")
    w.tender("T3", on="2024-06-01", bids={"E2": 300.0}, winner="E2")
    w.tender("T4", on="2024-01-01", bids={"E2": 400.0}, winner="E2", final=800.0,
             amendments=6, completed="2025-01-01")
    # E3: three direct awards of one division from U1 within six weeks (the first two and the
    # last two reach 1,000,000 together), one from U2, and two far apart in time.
    for tender, on, unit, value in (
        ("S1", "2024-03-01", "U1", 600_000.0), ("S2", "2024-03-20", "U1", 550_000.0),
        ("S3", "2024-04-25", "U1", 450_000.0), ("S4", "2024-03-05", "U2", 700_000.0),
        ("S5", "2023-01-10", "U1", 900_000.0), ("S6", "2023-06-10", "U1", 900_000.0),
        ("S7", "2024-03-10", "U1", 500_000.0),
    ):
        category = "45200000" if tender == "S7" else "33100000"  # S7: another division
        w.tender(tender, on=on, unit=unit, method="direct", category=category,
                 bids={"E3": value}, winner="E3")
    return w


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return world().features(D)


def test_penalties_by_window(features: pd.DataFrame) -> None:
    e1 = features.loc["E1"]
    assert (e1.penalties_90d, e1.penalties_365d, e1.penalties_1095d) == (1, 2, 3)
    assert (e1.penalty_amount_90d, e1.penalty_amount_365d, e1.penalty_amount_1095d) == (
        1000, 1500, 1500
    )
    assert features.loc["E2"].penalties_1095d == 0  # none: zero, not unknown


def test_without_the_penalties_table_penalties_are_unknown(features: pd.DataFrame) -> None:
    bare = world().features(D, without=("penalties",))
    penalties = [c for c in features.columns if c.startswith("penalt")]
    assert len(penalties) == 6 and bare[penalties].isna().all().all()
    others = [c for c in features.columns if c not in penalties]
    pd.testing.assert_frame_equal(bare[others], features[others])


def test_cost_overruns_of_completed_contracts(features: pd.DataFrame) -> None:
    e2 = features.loc["E2"]
    assert e2.overrun_contracts_1095d == 1  # T1: +50%; T2's +5% is within the margin
    assert e2.cost_overrun_1095d == pytest.approx(360 / 300 - 1)
    assert e2.amendments_per_contract_1095d == 2.5
    e1 = features.loc["E1"]
    assert e1.overrun_contracts_1095d == 0 and math.isnan(e1.cost_overrun_1095d)


def test_split_purchases(features: pd.DataFrame) -> None:
    # S1+S2 and S2+S3 are pieces; S4 is another buyer, S5/S6 five months apart, S7 another
    # division.
    assert features.loc["E3"].split_awards_1095d == 3
    assert features.loc["E2"].split_awards_1095d == 0


def test_contract_outcomes_after_d_change_nothing(features: pd.DataFrame) -> None:
    w = world()
    w.rows["contracts"] = [
        {**r, "final_amount": "999.0", "amendments": "9", "completed_on": "2025-01-02"}
        if r["contract_id"] == "T3-C" else r
        for r in w.rows["contracts"]
    ]
    pd.testing.assert_frame_equal(w.features(D), features)
