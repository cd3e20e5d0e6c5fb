"""Direct and limited purchases just below a threshold the data reveal."""

from __future__ import annotations

import datetime as dt
import math

import ibis
import pytest

from data_contracts.loader import load_frames
from features.asof import as_of_view
from features.backend import load
from features.params import FeatureParams
from features.tender.thresholds import open_tender_thresholds, revealed_thresholds
from tests.features.tender.tiny import AS_OF, Tiny

SETS = ("tender_thresholds",)


def world() -> Tiny:
    w = Tiny()
    # Division 33: limited purchases at 955,000 .. 995,000 (9), one at 900,000 and a direct
    # award without estimate contracted at 970,000 are just below 1,000,000 (11); one at
    # 1,050,000 is just above (1). 11 >= 8 and 11 >= 3 x (1 + 1): a threshold.
    for i in range(9):
        w.tender(f"L{i}", method="limited", estimate=955_000 + 5_000 * i)
    w.tender("AT90", method="limited", estimate=900_000)
    w.direct("NOEST", "S1", 970_000, on="2024-03-01")
    w.tender("ABOVE", method="limited", estimate=1_050_000)
    w.tender("SMALL", method="direct", estimate=500_000, awarded="2024-03-01")
    w.tender("OPEN", method="open", estimate=980_000)  # open tenders are not counted
    w.tender("NOVALUE", method="limited")
    # Division 45: only five limited purchases bunch below 4,000,000: too few.
    for i in range(5):
        w.tender(f"W{i}", method="limited", category="45100000", estimate=3_900_000 + i)
    # A purchase known only after D does not count (it would make division 45 reach eight).
    for i in range(3):
        w.tender(f"F{i}", method="limited", category="45100000", estimate=3_950_000,
                 published="2024-07-10", deadline="2024-07-20", awarded=None, status="active")
    return w


@pytest.fixture(scope="module")
def features():
    return world().features(only=SETS)


def test_revealed_thresholds():
    tables = load(load_frames(world().frames()))
    v = as_of_view(tables, dt.date.fromisoformat(AS_OF))
    found = revealed_thresholds(v, FeatureParams()).to_pandas()
    assert found[["division", "threshold", "below", "above"]].values.tolist() == [
        ["33", 1_000_000.0, 11, 1]
    ]
    chosen = open_tender_thresholds(v, FeatureParams()).to_pandas()
    assert chosen.values.tolist() == [["33", 1_000_000.0]]
    # A later as-of date knows the three division-45 purchases: 4,000,000 shows.
    v = as_of_view(tables, dt.date(2024, 8, 1))
    found = revealed_thresholds(v, FeatureParams()).to_pandas()
    assert sorted(found.threshold) == [1_000_000.0, 4_000_000.0]


@pytest.mark.parametrize(("tender", "proximity", "flag"), [
    ("L0", 0.955, 1.0), ("L8", 0.995, 1.0), ("AT90", 0.9, 1.0), ("NOEST", 0.97, 1.0),
    ("SMALL", 0.5, 0.0),
])
def test_proximity_and_flag(features, tender, proximity, flag):
    assert features.loc[tender, "threshold_proximity"] == pytest.approx(proximity)
    assert features.loc[tender, "just_below_threshold"] == flag


@pytest.mark.parametrize("tender", ["ABOVE", "W0"])
def test_no_revealed_threshold_above(features, tender):
    assert math.isnan(features.loc[tender, "threshold_proximity"])
    assert features.loc[tender, "just_below_threshold"] == 0.0


@pytest.mark.parametrize("tender", ["OPEN", "NOVALUE"])
def test_null_for_open_procedures_and_unknown_values(features, tender):
    assert math.isnan(features.loc[tender, "threshold_proximity"])
    assert math.isnan(features.loc[tender, "just_below_threshold"])


def test_round_values():
    from features.tender.thresholds import _round_values

    con = ibis.duckdb.connect()
    t = con.create_table("x", {"x": [970_000.0, 1_000_000.0, 3_950_000.0, 95.0, 999_999.99]})
    up, down = _round_values(t.x)
    got = con.execute(t.select(up=up, down=down))
    assert got.up.tolist() == pytest.approx([1e6, 2e6, 4e6, 100.0, 1e6])
    assert got.down.tolist() == pytest.approx([9e5, 1e6, 3e6, 90.0, 9e5])
