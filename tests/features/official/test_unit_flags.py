"""His unit's red flags during his tenure against before it, on hand-written worlds."""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd
import pytest

from features.asof import as_of_view
from features.official.unit_flags import tender_flags
from features.params import FeatureParams
from tests.features.official.tiny import Tiny

PARAMS = {"official_before_days": 365, "official_rate_min_tenders": 2}
STEMS = ("single_bid", "single_valid", "non_open", "direct", "short_submission",
         "lowest_disqualified", "linked_bidders", "below_threshold", "split_direct",
         "final_ratio", "top_supplier")


def level(stem: str) -> str:
    return {"top_supplier": "unit_top_supplier_share",
            "final_ratio": "unit_final_ratio_mean"}.get(stem, f"unit_{stem}_rate")


def world() -> Tiny:
    w = Tiny().unit("U1").unit("U2").unit("U3")
    for person in ("H", "S", "M", "Z"):
        w.person(person)
    w.post("H", "U1", "2022-01-01", rank="leading", head=True)
    w.post("H", "U2", "2022-01-01", rank="section")  # a second post with one tender only
    w.post("S", "U1", "2010-01-01", rank="staff")  # nothing before him in the data
    w.post("M", "U2", "2015-01-01", rank="staff")
    w.post("Z", "U3", "2015-01-01", rank="staff")  # U3 never buys anything
    for firm in ("E1", "E2", "E3", "E4"):
        w.firm(firm)
    # before H, 2021: two single bids of four, one cheapest bid disqualified, four suppliers,
    # two completed contracts ending at 100% and 110% of their price
    w.tender("U1", "2021-02-01", bidders=("E1",), winner="E1", final=100)
    w.tender("U1", "2021-04-01", bidders=("E2",), winner="E2", final=110)
    w.tender("U1", "2021-06-01", winner="E3",
             bids=(("E3", 100, "valid"), ("E1", 90, "disqualified"), ("E2", 110, "valid")))
    w.tender("U1", "2021-08-01", bidders=("E4", "E1", "E2"), winner="E4")
    # under H: two single bids of three competitive tenders, one short period (10 days), one
    # tender where the only (and cheaper) rival was disqualified (so one bidder left in all
    # three), one direct award; E1 wins three of four; two completed contracts ending at 130%
    # and 105% of their price
    w.tender("U1", "2022-03-01", bidders=("E1",), winner="E1", final=130)
    w.tender("U1", "2022-05-01", bidders=("E1",), winner="E1", period=10, final=105)
    w.tender("U1", "2022-07-01", winner="E2",
             bids=(("E2", 100, "valid"), ("E3", 90, "disqualified")))
    w.tender("U1", "2022-09-01", method="direct", winner="E1")
    w.tender("U2", "2022-09-01", bidders=("E1", "E2", "E3"), winner="E1")
    return w


def test_unit_rates_levels_and_rises() -> None:
    f = world().features("2024-01-01", **PARAMS)
    h = f.loc["H"]
    expected = {
        "single_bid": (2 / 3, 2 / 3 - 1 / 2), "non_open": (1 / 4, 1 / 4),
        "direct": (1 / 4, 1 / 4), "short_submission": (1 / 3, 1 / 3),
        "single_valid": (1, 1 / 2), "lowest_disqualified": (1 / 4, 0),
        "top_supplier": (3 / 4, 1 / 2), "final_ratio": (1.175, 1.175 - 1.05),
    }
    for stem, (rate, rise) in expected.items():
        assert h[level(stem)] == pytest.approx(rate), stem
        assert h[f"unit_{stem}_rise"] == pytest.approx(rise), stem
    # one direct award under H only, none before: too few for these two
    assert np.isnan(h["unit_below_threshold_rate"]) and np.isnan(h["unit_split_direct_rate"])


def test_no_before_means_no_rise_and_few_tenders_no_rate() -> None:
    f = world().features("2024-01-01", **PARAMS)
    s = f.loc["S"]
    assert s["unit_single_bid_rate"] == pytest.approx(4 / 7)  # all eight tenders, seven competitive
    assert all(np.isnan(s[f"unit_{stem}_rise"]) for stem in STEMS)
    for person in ("M", "Z"):  # one tender at U2, too few for a rate; none at U3
        m = f.loc[person]
        assert all(np.isnan(m[n]) for stem in STEMS for n in (level(stem), f"unit_{stem}_rise"))
        assert m["unit_threshold_dodges"] == 0


def test_unit_rates_point_in_time() -> None:
    """In May 2022 only what was published (and opened, and completed) before D counts."""
    f = world().features("2022-05-20", **PARAMS)
    h = f.loc["H"]
    # under H so far: the March and May tenders (bids of May opened 2022-05-11), both single
    # bids, one short period; the July tender is not published yet
    assert h["unit_single_bid_rate"] == pytest.approx(1.0)
    assert h["unit_short_submission_rate"] == pytest.approx(0.5)
    assert h["unit_non_open_rate"] == 0
    # both contracts are signed (2022-03-28, 2022-05-18), both to E1; the May one completes on
    # 2022-05-28, after D, so only one contract's final amount is known: too few for a level
    assert h["unit_top_supplier_share"] == pytest.approx(1.0)
    assert np.isnan(h["unit_final_ratio_mean"])


def flags_of(w: Tiny, as_of: str, params: FeatureParams, names: tuple[str, ...]) -> pd.DataFrame:
    """The tender features `names` of every tender known at `as_of` (what the unit rates read),
    in the order the tenders were added."""
    day = dt.date.fromisoformat(as_of)
    view = as_of_view(w.tables(), day)
    frame = tender_flags(view, ibis.literal(day, type="date"), params, names).to_pandas()
    return frame.set_index("entity_id").sort_index(key=lambda i: i.str[1:].astype(int))


def extra_world() -> Tiny:
    """H at U1: direct awards bunching below 100 and split; G at U2: linked bidders."""
    w = Tiny().unit("U1").unit("U2").person("H").person("G")
    w.post("H", "U1", "2022-01-01", rank="leading", head=True)
    w.post("G", "U2", "2022-01-01", rank="leading", head=True)
    w.firm("E1").firm("E2", phone="025-88886666").firm("E3", phone="025 8888 6666").firm("E4")
    # direct awards at U1, signed two days after `on`
    w.tender("U1", "2021-01-10", method="direct", winner="E1", amount=50)
    w.tender("U1", "2021-02-10", method="direct", winner="E2", amount=60)
    w.tender("U1", "2022-03-01", method="direct", winner="E1", amount=150)
    w.tender("U1", "2022-05-01", method="direct", winner="E1", amount=150)
    w.tender("U1", "2022-07-01", method="direct", winner="E2", amount=95)
    w.tender("U1", "2022-09-01", method="direct", winner="E3", amount=97)
    # open tenders at U2; E2 and E3 give one phone number (R044)
    w.tender("U2", "2021-03-01", bidders=("E1", "E4"), winner="E1")
    w.tender("U2", "2021-06-01", bidders=("E1", "E2"), winner="E2")
    w.tender("U2", "2022-03-01", bidders=("E2", "E3"), winner="E2")
    w.tender("U2", "2022-06-01", bidders=("E4", "E1"), winner="E4")
    return w


def test_threshold_split_and_linked_flags_reach_the_unit() -> None:
    """The unit rates read the tender features' own flags, for tenders of any age: 95 and 97
    bunch below 100 with nothing just above, so 100 is revealed as a threshold (with a lax
    minimum count), the two 150s to E1 are each above it (R055 runs of one) and 95, 97 just
    below it; at U2 one tender of two under G had linked bidders, none before."""
    params = {"bunching_min_count": 2, "bunching_ratio": 1.5, **PARAMS}
    w = extra_world()
    flags = flags_of(w, "2024-01-01", FeatureParams(**params),
                     ("just_below_threshold", "split_direct_awards", "tenderers_linked"))
    assert flags["just_below_threshold"].iloc[:6].tolist() == [0, 0, 0, 0, 1, 1]
    assert flags["split_direct_awards"].iloc[:6].tolist() == [0, 0, 1, 1, 0, 0]
    assert flags["tenderers_linked"].iloc[6:].tolist() == [0, 0, 1, 0]
    f = w.features("2024-01-01", **params)
    h, g = f.loc["H"], f.loc["G"]
    assert h["unit_below_threshold_rate"] == pytest.approx(0.5)
    assert h["unit_below_threshold_rise"] == pytest.approx(0.5)
    assert h["unit_split_direct_rate"] == pytest.approx(0.5)
    assert h["unit_split_direct_rise"] == pytest.approx(0.5)
    assert h["unit_direct_rate"] == 1 and h["unit_direct_rise"] == 0
    assert h["unit_threshold_dodges"] == 4  # 150, 150 (split), 95, 97 (below); none of G's
    assert g["unit_threshold_dodges"] == 0
    assert g["unit_linked_bidders_rate"] == pytest.approx(0.5)
    assert g["unit_linked_bidders_rise"] == pytest.approx(0.5)
