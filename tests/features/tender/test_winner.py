"""The winner's age at the award."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_winner",)


def world() -> Tiny:
    w = Tiny()
    w.firm("Y", registered_on="2023-12-07")  # 60 days before the award of 2024-02-05
    w.firm("O", registered_on="2010-01-01")
    w.tender("T1")
    w.contract("T1", "Y", 100)
    w.tender("T2")
    w.contract("T2", "O", 100)
    w.tender("T3")  # two winners: the youngest counts
    w.contract("T3", "O", 50)
    w.contract("T3", "Y", 50)
    w.tender("T4")  # no contract: unknown
    w.tender("T5", awarded=None, status="active")  # no award date: the signature's
    w.contract("T5", "Y", 100, signed="2024-12-06")  # after D: not known
    w.tender("T6", awarded=None, status="active")
    w.contract("T6", "Y", 100, signed="2024-01-06")  # 30 days after registration
    return w


@pytest.fixture(scope="module")
def features():
    return world().features(only=SETS)


@pytest.mark.parametrize(("tender", "age", "young"), [
    ("T1", 60, 1.0), ("T2", 5148, 0.0), ("T3", 60, 1.0), ("T6", 30, 1.0),
])
def test_winner_age(features, tender, age, young):
    assert features.loc[tender, "winner_age_days"] == age
    assert features.loc[tender, "young_winner"] == young


@pytest.mark.parametrize("tender", ["T4", "T5"])
def test_null_without_a_known_winner(features, tender):
    assert math.isnan(features.loc[tender, "winner_age_days"])
    assert math.isnan(features.loc[tender, "young_winner"])


def test_placeholder_registration_is_unknown_not_old():
    # The OCDS importer fills registered_on with 1900-01-01 and says so in the extra column
    # registered_on_known (here as CSV text, as a delivery would write it).
    frames = world().frames()
    firms = frames["enterprises"]
    firms["registered_on_known"] = ["false", "true"]
    firms.loc[0, "registered_on"] = "1900-01-01"
    f = world().features(only=SETS, frames=frames)
    assert math.isnan(f.loc["T1", "winner_age_days"])
    assert f.loc["T2", "winner_age_days"] == 5148
    assert f.loc["T3", "winner_age_days"] == 5148  # the other winner's age is known
