"""Conflict of interest and family business on a hand-written world, value by value."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.features.official.tiny import Tiny

COI = ["coi_awards", "coi_value", "coi_value_share", "coi_enterprises", "coi_close_awards",
       "coi_closeness"]
FAMILY = ["family_enterprises", "family_suppliers"]
OWN = ["own_enterprises", "own_suppliers"]


def world(p_end: str = "", child_role: bool = True) -> Tiny:
    w = Tiny().unit("U1").unit("U2")
    for person in ("P", "Q", "S", "A", "B", "C", "X", "P2", "F"):
        w.person(person)
    w.post("P", "U1", "2020-01-01", p_end, rank="leading", head=True)
    w.post("Q", "U1", "2018-01-01", rank="staff")
    w.post("P2", "U2", "2019-01-01", rank="section")
    w.relation("P", "S", "spouse").relation("A", "P", "associate").relation("P", "B", "sibling")
    w.relation("C", "P", "parent")  # P is C's parent: C is P's child (mirrored by the loader)
    w.relation("P2", "F", "associate")
    for firm in ("E1", "E2", "E3", "E4", "E5", "E6", "E7"):
        w.firm(firm)
    w.role("E1", "S", "2019-01-01")
    w.role("E2", "A", "2021-01-01")
    w.role("E3", "X", "2010-01-01")
    w.role("E4", "B", "2015-01-01")  # P's sibling's firm sells only to U2: a confounder for P
    w.role("E5", "S", "2016-01-01", end="2021-06-30")
    w.role("E6", "P", "2021-01-01", role="shareholder")  # his own
    w.role("E7", "F", "2015-01-01")
    if child_role:
        w.role("E3", "C", "2023-06-01", role="manager")  # after E3's contract
    # contracts are signed 27 days after `on`
    w.tender("U1", "2019-06-01", winner="E1", amount=40)  # before P's tenure
    w.tender("U1", "2020-06-01", winner="E2", amount=70)  # before A held a role in E2
    w.tender("U1", "2022-03-01", winner="E1", amount=100)  # spouse: counts, close
    w.tender("U1", "2022-05-01", winner="E2", amount=50)  # associate: counts
    w.tender("U1", "2022-06-01", winner="E3", amount=300)  # unrelated (then)
    w.tender("U1", "2022-07-01", winner="E5", amount=30)  # the spouse's role had ended
    w.tender("U1", "2022-08-01", winner="E6", amount=20)  # his own firm: counts, closest
    w.tender("U1", "2024-03-01", winner="E1", amount=1000)  # after every D below
    w.tender("U2", "2022-04-01", winner="E4", amount=80)
    w.tender("U2", "2022-09-01", winner="E7", amount=60)  # P2's associate
    return w


def test_conflict_of_interest_exact() -> None:
    f = world().features("2024-01-01")
    # P's tenure at U1: 70 + 100 + 50 + 300 + 30 + 20 = 570 signed; to his circle 100 + 50 + 20
    assert f.loc["P", COI].tolist() == pytest.approx([3, 170, 170 / 570, 3, 2, 3])
    # P2: only an associate's firm, 60 of the 140 his unit signed
    assert f.loc["P2", COI].tolist() == pytest.approx([1, 60, 60 / 140, 1, 0, 1])
    assert f.loc["Q", COI].tolist() == [0, 0, 0, 0, 0, 0]  # no relatives, no conflict


def test_family_business_exact_and_confounder() -> None:
    f = world().features("2024-01-01")
    # in force: E1 (spouse), E2 (associate), E4 (sibling), E3 (child, since 2023-06); E5 ended.
    # E4 never sold to U1: family business, not a supplier, and no conflict
    assert f.loc["P", FAMILY].tolist() == [4, 3]
    assert f.loc["P", OWN].tolist() == [1, 1]
    assert f.loc["P2", FAMILY + OWN].tolist() == [1, 1, 0, 0]
    assert f.loc["Q", FAMILY + OWN].tolist() == [0, 0, 0, 0]


def test_role_starting_after_as_of_changes_nothing() -> None:
    with_role = world(child_role=True).features("2023-01-01")
    without = world(child_role=False).features("2023-01-01")
    pd.testing.assert_frame_equal(with_role, without)
    assert with_role.loc["P", "family_enterprises"] == 3
    # once taken (2023-06), the child's role in E3 counts as family business, but never turns
    # E3's contract of 2022, signed before it, into a conflict
    later = world(child_role=True).features("2024-01-01")
    assert later.loc["P", "family_enterprises"] == 4
    assert later.loc["P", "coi_enterprises"] == 3


def test_post_ending_after_as_of_changes_nothing() -> None:
    ending = world(p_end="2023-06-30").features("2023-01-01")
    open_ended = world(p_end="").features("2023-01-01")
    pd.testing.assert_frame_equal(ending, open_ended)
    assert ending.loc["P", "in_post"] == 1
    # ... once it has ended, he has left, and his tenure stops there
    later = world(p_end="2023-06-30").features("2024-01-01")
    assert later.loc["P", "in_post"] == 0
    assert later.loc["P", "years_since_left_post"] == pytest.approx(185 / 365.25)
    assert later.loc["P", COI].tolist() == pytest.approx([3, 170, 170 / 570, 3, 2, 3])


def test_without_relations_family_features_are_missing_the_rest_unchanged() -> None:
    with_rel = world().features("2024-01-01")
    without = world().features("2024-01-01", relations=False)
    needs_relations = COI + FAMILY
    assert without[needs_relations].isna().all().all()
    assert with_rel[needs_relations].notna().all().all()
    rest = [c for c in with_rel.columns if c not in needs_relations]
    pd.testing.assert_frame_equal(with_rel[rest], without[rest])
    assert without.loc["P", OWN].tolist() == [1, 1]  # his own roles need no relations
