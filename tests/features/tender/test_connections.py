"""The winner linked to an official of the buyer, or to a former one."""

from __future__ import annotations

import math

import pytest

from tests.features.tender.tiny import Tiny

SETS = ("tender_connections",)
LINKED, FORMER = "winner_linked_to_buyer_official", "winner_former_buyer_official"


@pytest.fixture(scope="module")
def features():
    w = Tiny()
    w.post("P1", "U1", start="2020-01-01")  # head of U1
    w.relation("P1", "P3", "child")
    w.role("R", "P3", "shareholder", start="2021-01-01")  # the child owns R
    w.role("Q", "P3", "shareholder", start="2024-03-01")  # ... and Q, only from March
    w.role("N", "P9", "shareholder")  # an unrelated owner
    w.post("P5", "U1", start="2015-01-01", end="2022-12-31", head=False)
    w.role("F", "P5", "director", start="2023-03-01")  # a former official of U1 joins F
    w.direct("T1", "R", 100, on="2024-02-01")  # U1 -> R during P1's post: linked
    w.direct("T2", "R", 100, on="2024-02-01", unit="U2")  # another buyer
    w.direct("T3", "Q", 100, on="2024-02-01")  # before the role began
    w.direct("T4", "N", 100, on="2024-02-01")
    w.direct("T5", "F", 100, on="2024-02-01")  # U1 -> F after P5 joined it
    w.direct("T6", "F", 100, on="2024-02-01", unit="U2")
    w.tender("T7")  # no contract
    return w.features(only=SETS)


@pytest.mark.parametrize(("tender", "linked", "former"), [
    ("T1", 1.0, 0.0), ("T2", 0.0, 0.0), ("T3", 0.0, 0.0), ("T4", 0.0, 0.0), ("T5", 0.0, 1.0),
    ("T6", 0.0, 0.0),
])
def test_connections(features, tender, linked, former):
    assert features.loc[tender, LINKED] == linked
    assert features.loc[tender, FORMER] == former


def test_null_without_a_contract(features):
    assert math.isnan(features.loc["T7", LINKED])
    assert math.isnan(features.loc["T7", FORMER])
