"""Links to officials at the units an enterprise wins from, exactly, on a tiny world.

- K is owned by the spouse of U1's head: its two contracts at U1 count, the one at U2 does not.
- K2 is joined by the same spouse in April 2024: only its U1 contract after that counts.
- S has U2's own official as a director: its U2 contract counts, its U1 one does not.
- RD is joined by a former U2 official after his post ended: its U2 contract after he joined
  counts; one before he joined and one at U1 do not.
- H employs a former U1 official but sells only to U2 (an honest second career): nothing.
- OLD is owned by the child of a U2 official whose post ended before OLD won there: nothing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.features.enterprise.tiny import Tiny

D = "2025-01-01"


def officials() -> Tiny:
    w = Tiny()
    for firm in ("K", "K2", "S", "RD", "H"):
        w.enterprise(firm)
    w.official("O1", "P1", "U1", start="2020-01-01")
    w.relation("P1", "P2", "spouse")
    w.role("K", "P2", start="2022-01-01")
    w.tender("T1", on="2023-03-01", bids={"K": 100.0}, winner="K")
    w.tender("T2", on="2024-03-01", bids={"K": 200.0}, winner="K")
    w.tender("T3", on="2024-05-01", unit="U2", bids={"K": 300.0}, winner="K")
    w.role("K2", "P2", role="manager", start="2024-04-01")
    w.tender("T4", on="2024-01-01", bids={"K2": 40.0}, winner="K2")  # signed 2024-02-05
    w.tender("T5", on="2024-05-01", bids={"K2": 50.0}, winner="K2")  # signed 2024-06-05
    w.official("O3", "P3", "U2", start="2021-01-01", head=False)
    w.role("S", "P3", role="director", start="2019-01-01")
    w.tender("T6", on="2024-03-01", unit="U2", bids={"S": 60.0}, winner="S")
    w.tender("T7", on="2024-03-01", bids={"S": 70.0}, winner="S")
    w.official("O4", "P4", "U2", start="2015-01-01", end="2022-12-31")
    w.role("RD", "P4", role="legal_representative", start="2023-06-01")
    w.tender("T8", on="2023-02-01", unit="U2", bids={"RD": 80.0}, winner="RD")
    w.tender("T9", on="2024-02-01", unit="U2", bids={"RD": 90.0}, winner="RD")
    w.tender("T10", on="2024-02-01", bids={"RD": 95.0}, winner="RD")
    w.official("O5", "P5", "U1", start="2015-01-01", end="2022-06-30")
    w.role("H", "P5", role="director", start="2023-01-01")
    w.tender("T11", on="2024-02-01", unit="U2", bids={"H": 10.0}, winner="H")
    # OLD: the child of a U2 official whose post ended before OLD's contract there.
    w.enterprise("OLD")
    w.official("O7", "P17", "U2", start="2015-01-01", end="2023-12-31")
    w.relation("P17", "P18", "child")
    w.role("OLD", "P18", start="2016-01-01")
    w.tender("T13", on="2024-03-01", unit="U2", bids={"OLD": 100.0}, winner="OLD")
    return w


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return officials().features(D)


def test_relatives_of_officials_at_the_buying_unit(features: pd.DataFrame) -> None:
    k, k2 = features.loc["K"], features.loc["K2"]
    assert (k.kin_awards_1095d, k.kin_award_value_1095d) == (2, 300)
    assert k.kin_award_share_1095d == 0.5  # 300 of 600
    assert (k2.kin_awards_1095d, k2.kin_award_value_1095d) == (1, 50)
    assert k2.kin_award_share_1095d == pytest.approx(50 / 90)
    for other in ("S", "RD", "H", "OLD"):
        assert features.loc[other].kin_awards_1095d == 0
        assert features.loc[other].kin_award_share_1095d == 0


def test_an_official_holding_a_role_himself(features: pd.DataFrame) -> None:
    s = features.loc["S"]
    assert (s.official_held_awards_1095d, s.official_held_value_1095d) == (1, 60)
    assert features.loc["K"].official_held_awards_1095d == 0  # the spouse is not "self"


def test_revolving_door(features: pd.DataFrame) -> None:
    rd = features.loc["RD"]
    assert (rd.revolving_door_awards_1095d, rd.revolving_door_value_1095d) == (1, 90)
    assert rd.revolving_door_persons_1095d == 1
    h = features.loc["H"]
    assert (h.revolving_door_awards_1095d, h.revolving_door_persons_1095d) == (0, 0)
    # P3 is still in post at U2, so S is a conflict of interest, not a revolving door.
    assert features.loc["S"].revolving_door_awards_1095d == 0


def test_without_relations_the_kin_features_are_missing_and_the_rest_unchanged(
    features: pd.DataFrame,
) -> None:
    bare = officials().features(D, without=("relations",))
    kin = [c for c in features.columns if c.startswith("kin_")]
    assert len(kin) == 3 and bare[kin].isna().all().all()
    kept = [c for c in features.columns
            if c not in kin and c not in ("cobidders_related_persons_1095d",
                                          "linked_cobidders_1095d")]
    pd.testing.assert_frame_equal(bare[kept], features[kept])
    assert bare.loc["S", "official_held_awards_1095d"] == 1
    assert bare.loc["RD", "revolving_door_awards_1095d"] == 1


def test_later_posts_roles_and_contracts_change_nothing(features: pd.DataFrame) -> None:
    w = officials()
    w.official("O6", "P6", "U2", start="2025-01-01")  # a post from D
    w.relation("P6", "P7", "child")
    w.role("H", "P7", start="2024-01-01")
    w.role("K2", "P1", start="2025-01-01")  # the head joins K2 on D
    w.tender("T12", on="2024-12-15", bids={"K": 500.0}, winner="K")  # signed 2025-01-19
    later = w.features(D)
    pd.testing.assert_frame_equal(later, features)


def test_a_post_that_ended_before_the_contract_is_no_conflict(features: pd.DataFrame) -> None:
    old = features.loc["OLD"]
    assert old.kin_awards_1095d == 0 and old.kin_award_share_1095d == 0
