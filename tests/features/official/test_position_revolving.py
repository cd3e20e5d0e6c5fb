"""Position and revolving-door features on a hand-written world, value by value."""

from __future__ import annotations

import numpy as np
import pytest

from tests.features.official.tiny import Tiny

POSITION = ["in_post", "unit_head", "official_rank", "years_in_post", "years_since_left_post",
            "posts_held", "unit_spend_365d"]
DOOR = ["revolving_awards", "revolving_value", "revolving_enterprises", "revolving_gap_days",
        "exit_roles_at_suppliers"]


def world() -> Tiny:
    w = Tiny()
    for unit in ("U1", "U2", "U3"):
        w.unit(unit)
    for person in ("P", "R", "R2", "O", "X"):
        w.person(person)
    w.post("P", "U1", "2015-01-01", "2018-12-31", rank="staff")  # ended long ago: not scoped
    w.post("P", "U2", "2019-01-01", rank="department", head=True)
    w.post("P", "U3", "2022-01-01", rank="section")  # two posts in force at once ...
    w.post("P", "U3", "2022-06-01", rank="section")  # ... and an overlapping one at U3
    w.post("R", "U1", "2016-01-01", "2022-06-30", rank="leading", head=True)
    w.post("R2", "U1", "2017-01-01", "2022-06-30", rank="section")
    w.post("O", "U1", "2010-01-01", "2019-12-31", rank="section")  # out of scope by 2023
    for firm in ("E5", "E6", "E7", "E8", "EX"):
        w.firm(firm)
    w.role("E5", "R", "2022-08-29", role="director")  # 60 days after leaving U1
    w.role("E6", "R", "2023-01-01")  # had supplied U1 while he was there
    w.role("E7", "R", "2022-09-01", role="shareholder")  # his own firm, sells only to U2
    w.role("E8", "R2", "2023-06-10")  # 345 days after leaving; E8 won at U1 before and after
    w.role("EX", "X", "2000-01-01")
    # contracts are signed 27 days after `on`
    w.tender("U1", "2021-03-01", winner="E6", amount=20)
    w.tender("U1", "2022-07-01", winner="E5", amount=30)  # before R's role in E5
    w.tender("U1", "2023-03-01", winner="E5", amount=100)
    w.tender("U1", "2023-06-01", winner="E5", amount=40)
    w.tender("U1", "2023-03-01", winner="E8", amount=11)  # before R2's role in E8
    w.tender("U1", "2023-08-01", winner="E8", amount=13)
    w.tender("U2", "2023-04-01", winner="E5", amount=7)  # not R's former unit
    w.tender("U2", "2023-07-01", winner="E7", amount=9)
    w.tender("U2", "2022-06-01", winner="EX", amount=500)  # outside the last 365 days
    w.tender("U2", "2023-03-01", winner="EX", amount=100)
    w.tender("U3", "2023-05-01", winner="EX", amount=50)
    w.tender("U1", "2023-09-01", winner="EX", amount=1000)  # not P's unit
    return w


def test_position_exact() -> None:
    f = world().features("2024-01-01")
    assert "O" not in f.index  # left more than three years ago
    p = f.loc["P", POSITION]
    assert p[["in_post", "unit_head", "official_rank", "posts_held"]].tolist() == [1, 1, 3, 4]
    assert p["years_in_post"] == pytest.approx(1826 / 365.25)  # the longest of his posts
    assert np.isnan(p["years_since_left_post"])
    # U2 and U3 in the last 365 days: 7 + 9 + 100 (U2) + 50 (U3, once despite two posts there)
    assert p["unit_spend_365d"] == pytest.approx(166)
    r = f.loc["R", POSITION]
    assert r[["in_post", "unit_head", "official_rank", "posts_held"]].tolist() == [0, 1, 4, 1]
    assert np.isnan(r["years_in_post"])
    assert r["years_since_left_post"] == pytest.approx(550 / 365.25)
    assert r["unit_spend_365d"] == 0


def test_revolving_door_exact() -> None:
    f = world().features("2024-01-01")
    assert f.loc["R", DOOR].tolist() == [2, 140, 1, 60, 2]  # E5 twice; E5 and E6 supplied U1
    assert f.loc["R2", DOOR].tolist() == [1, 13, 1, 345, 1]  # only E8's contract after his role
    p = f.loc["P", DOOR]
    assert p[["revolving_awards", "revolving_value", "exit_roles_at_suppliers"]].sum() == 0
    assert np.isnan(p["revolving_gap_days"])


def test_revolving_door_point_in_time() -> None:
    f = world().features("2023-05-01")
    assert f.loc["R", DOOR].tolist() == [1, 100, 1, 60, 2]  # the June contract is not signed yet
    r2 = f.loc["R2", DOOR]  # his role (June 2023) is not known yet
    assert r2[["revolving_awards", "revolving_value", "exit_roles_at_suppliers"]].sum() == 0
    assert np.isnan(r2["revolving_gap_days"])
