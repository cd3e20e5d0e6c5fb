"""R048 heterogeneous supplier, of the tender's winner."""

from __future__ import annotations

import math

import pytest

from features.params import FeatureParams
from tests.features.tender.tiny import Tiny

SETS = ("tender_r048",)
PARAMS = FeatureParams(r048_min_contracts=2)
# Divisions of the tenders each supplier won (direct awards). Kept (>= 2 won tenders): S1..S6
# with 1, 1, 2, 2, 2, 6 divisions; type-7 quartiles Q1 = 1.25, Q3 = 2, HI = 2 + 1.5 x .75 =
# 3.125, so S6 alone is flagged. S7 won once: counted, not judged.
WINS = {
    "S1": ["33", "33"], "S2": ["33", "33"], "S3": ["33", "45"], "S4": ["33", "45"],
    "S5": ["33", "45"], "S6": ["33", "45", "72", "30", "50", "90"], "S7": ["33"],
}


def world() -> Tiny:
    w = Tiny()
    for supplier, divisions in WINS.items():
        for i, division in enumerate(divisions):
            w.direct(f"{supplier}-{i}", supplier, 10_000, on=f"2024-0{1 + i % 6}-10",
                     category=f"{division}100000")
    return w


@pytest.fixture(scope="module")
def features():
    return world().features(params=PARAMS, only=SETS)


@pytest.mark.parametrize(("supplier", "divisions", "flag"), [
    ("S1", 1, 0.0), ("S3", 2, 0.0), ("S6", 6, 1.0),
])
def test_divisions_and_flag(features, supplier, divisions, flag):
    for i in range(len(WINS[supplier])):
        assert features.loc[f"{supplier}-{i}", "winner_divisions"] == divisions
        assert features.loc[f"{supplier}-{i}", "winner_heterogeneous"] == flag


def test_too_few_contracts_not_judged(features):
    assert features.loc["S7-0", "winner_divisions"] == 1
    assert math.isnan(features.loc["S7-0", "winner_heterogeneous"])


def test_cardinal_default_minimum_keeps_nobody_here():
    f = world().features(only=SETS)  # r048_min_contracts = 20
    assert f["winner_heterogeneous"].isna().all()
    assert f.loc["S6-0", "winner_divisions"] == 6
