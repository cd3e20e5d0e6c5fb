"""Fairness and sparsity by group: seeded synthetic rankings (alike groups, an injected
disparity, a tiny extreme group), review-based rates counted by hand, sparsity alerts, the
group columns of a tiny hand-made dataset loaded by the real loader, and the figure."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.loader import load_dataset, load_frames
from monitoring.alerts import MonitoringConfig
from monitoring.fairness import (
    METRICS,
    FairnessResult,
    fairness,
    fairness_figure,
    sparsity,
)
from monitoring.groups import GROUP_COLUMNS, UNKNOWN, group_frame
from tests import worlds

CONFIG = MonitoringConfig(population_rate_alerts="all")  # every rate may alarm on every group
AS_OF = dt.date(2026, 7, 1)


def ranking(seed: int, n: int = 4000, flag_rate: float = 0.05,
            boosted: dict[str, float] | None = None) -> pd.DataFrame:
    """One ranked official per row: region (R1 the largest), gender, age band; each flagged
    with `flag_rate` (times `boosted[region]`); 70 % of flags reviewed, 30 % of those
    confirmed; 1 % of the unflagged audited, all clean."""
    rng = np.random.default_rng(seed)
    region = rng.choice(["R1", "R2", "R3", "R4"], n, p=[0.4, 0.25, 0.2, 0.15])
    rate = flag_rate * pd.Series(region).map(boosted or {}).fillna(1.0).to_numpy()
    score = rng.random(n) * (rng.random(n) < rate) + (rng.random(n) < rate)
    flagged = score >= 1
    reviewed = flagged & (rng.random(n) < 0.7)
    audited = ~flagged & (rng.random(n) < 0.01)
    outcome = np.where(reviewed, (rng.random(n) < 0.3).astype(float),
                       np.where(audited, 0.0, np.nan))
    return pd.DataFrame({
        "entity_id": [f"P{i}" for i in range(n)],
        "region": region,
        "gender": rng.choice(["f", "m"], n),
        "age_band": rng.choice(["<35", "35-44", "45-54", "55+"], n),
        "rank": pd.Series(-score - rng.random(n) * 1e-3).rank(method="first").astype(int),
        "flagged": flagged,
        "outcome": outcome,
    })


COLUMNS = ["region", "gender", "age_band"]


def rates(result: FairnessResult, metric: str = "flag_rate") -> pd.DataFrame:
    frame = result.frame()
    return frame[frame["metric"] == metric].set_index(["column", "group"])


# --- fairness -----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alike_groups_raise_no_alert(seed):
    result = fairness(ranking(seed), COLUMNS, entity_type="official", config=CONFIG)
    assert result.alerts == ()
    assert result.references["region"] == "R1"  # the largest group
    assert result.comparisons > 20
    assert not result.frame()["disparity"].any()


def test_a_region_flagged_three_times_as_often_is_alarmed():
    result = fairness(ranking(7, boosted={"R3": 3.0}), COLUMNS, entity_type="official",
                      config=CONFIG)
    flag_alerts = [a for a in result.alerts if a.subject.endswith("flag_rate")]
    assert [a.subject for a in flag_alerts] == ["region=R3 flag_rate"]
    alert = flag_alerts[0]
    assert alert.monitor == "fairness" and alert.entity_type == "official"
    assert "region" in alert.message and "R3" in alert.message
    assert alert.value == pytest.approx(rates(result).loc[("region", "R3"), "ratio"])
    assert 2.0 < alert.value < 4.5 and alert.limit == CONFIG.parity_band[1]
    # Gender and age band were left alike: nothing there.
    assert not any(a.subject.startswith(("gender", "age_band")) for a in result.alerts)


def test_by_default_population_rates_alarm_on_protected_attributes_only():
    def gender_boosted(seed: int) -> pd.DataFrame:
        frame = ranking(seed, boosted={"R3": 3.0})
        women = frame["gender"] == "f"
        frame.loc[women, "flagged"] |= np.random.default_rng(seed).random(women.sum()) < 0.1
        return frame

    result = fairness(gender_boosted(7), COLUMNS, entity_type="official",
                      config=MonitoringConfig())
    subjects = {a.subject for a in result.alerts}
    # protected: alarmed (on whichever of f / m is not the reference, the larger group)
    assert subjects & {"gender=f flag_rate", "gender=m flag_rate"}
    assert not any(s.startswith("region=") for s in subjects)  # risk may differ by region
    assert "region=R3" in {f"{r.column}={r.group}" for r in result.rates if r.ratio > 2}


def test_the_interval_excludes_parity_only_where_it_should():
    flag = rates(fairness(ranking(7, boosted={"R3": 3.0}), COLUMNS, entity_type="official",
                          config=CONFIG))
    assert flag.loc[("region", "R3"), "ratio_low"] > 1.5  # excludes 1 by far
    for alike in ["R2", "R4"]:
        assert flag.loc[("region", alike), "ratio_low"] < 1 < flag.loc[("region", alike),
                                                                       "ratio_high"]
    reference = flag.loc[("region", "R1")]
    assert reference["reference"] and reference["ratio"] == 1.0
    assert reference["ratio_low"] == reference["ratio_high"] == 1.0
    # Each rate's own interval brackets it.
    assert (flag["ci_low"] <= flag["value"]).all() and (flag["value"] <= flag["ci_high"]).all()


def test_a_tiny_group_with_an_extreme_rate_is_small_and_never_alarmed():
    frame = ranking(4)
    tiny = frame.index[:8]
    frame.loc[tiny, "region"] = "R9"
    frame.loc[tiny, "flagged"] = True  # 100 % flagged against 5 %
    result = fairness(frame, COLUMNS, entity_type="official", config=CONFIG)
    row = rates(result).loc[("region", "R9")]
    assert row["value"] == 1.0 and row["ratio"] > 10 and row["n"] == 8
    assert row["small"] and not row["disparity"]
    assert not any("R9" in a.subject for a in result.alerts)


def test_a_group_with_no_flag_at_all_keeps_an_honest_interval():
    """0 flagged of 40 (expected 2) is small-count noise: the interval must not collapse to
    [0, 0], which would exclude parity and alarm."""
    frame = ranking(5)
    zero = frame.index[:40]
    frame.loc[zero, ["region", "flagged", "outcome"]] = ["R8", False, np.nan]
    result = fairness(frame, COLUMNS, entity_type="official",
                      config=CONFIG.model_copy(update={"min_group_size": 30}))
    row = rates(result).loc[("region", "R8")]
    assert row["value"] == 0 and not row["small"]
    assert row["ratio_high"] > 1 and not row["disparity"]


def test_review_based_rates_match_a_hand_count():
    # Group A (reference, 10): ranks 1-10; flagged ranks 1-4: confirmed, confirmed, dismissed,
    # not reviewed; unflagged: rank 5 audited clean, rank 6 audited and confirmed (a miss).
    # Group B (6): ranks 11-16; flagged 11-13: dismissed, dismissed, confirmed; rank 14
    # audited clean.
    nan = np.nan
    frame = pd.DataFrame({
        "entity_id": [f"E{i}" for i in range(1, 17)],
        "sector": ["A"] * 10 + ["B"] * 6,
        "rank": range(1, 17),
        "flagged": [True] * 4 + [False] * 6 + [True] * 3 + [False] * 3,
        "outcome": [1, 1, 0, nan, 0, 1, nan, nan, nan, nan, 0, 0, 1, 0, nan, nan],
    })
    config = CONFIG.model_copy(update={"min_group_size": 1, "top_k": 3})
    result = fairness(frame, ["sector"], entity_type="tender", config=config)
    got = result.frame().set_index(["group", "metric"])
    expected = {  # (value, n)
        ("A", "flag_rate"): (4 / 10, 10), ("B", "flag_rate"): (3 / 6, 6),
        ("A", "top_k_share"): (3 / 10, 10), ("B", "top_k_share"): (0 / 6, 6),
        ("A", "confirm_rate"): (2 / 3, 3), ("B", "confirm_rate"): (1 / 3, 3),
        ("A", "false_discovery_rate"): (1 / 3, 3), ("B", "false_discovery_rate"): (2 / 3, 3),
        ("A", "false_positive_rate"): (1 / 2, 2), ("B", "false_positive_rate"): (2 / 3, 3),
    }
    for key, (value, n) in expected.items():
        assert got.loc[key, "value"] == pytest.approx(value), key
        assert got.loc[key, "n"] == n, key
    assert got.loc[("B", "confirm_rate"), "ratio"] == pytest.approx(0.5)
    assert got.loc[("B", "false_discovery_rate"), "ratio"] == pytest.approx(2.0)
    assert got.loc[("B", "flag_rate"), "ratio"] == pytest.approx(1.25)
    assert result.references == {"sector": "A"}
    assert result.alerts == ()  # far too few reviews for any certainty


def test_protected_columns_are_labelled_and_named_in_alerts():
    frame = ranking(8)
    women = frame["gender"] == "f"
    rng = np.random.default_rng(0)
    frame.loc[women, "flagged"] = rng.random(int(women.sum())) < 0.15
    result = fairness(frame, COLUMNS, entity_type="official", config=CONFIG)
    assert result.protected == ("gender", "age_band")
    table = result.frame()
    assert table.loc[table["column"].isin(["gender", "age_band"]), "protected"].all()
    assert not table.loc[table["column"] == "region", "protected"].any()
    alert = next(a for a in result.alerts if a.subject == "gender=f flag_rate")
    assert "gender (protected)" in alert.message
    stored = result.to_dict()
    assert {c["column"]: c["protected"] for c in stored["columns"]} == {
        "region": False, "gender": True, "age_band": True}


def test_to_dict_is_plain_json_with_nan_as_none():
    result = fairness(ranking(2), COLUMNS, entity_type="official", config=CONFIG)
    stored = result.to_dict()
    json.dumps(stored, allow_nan=False)  # raises on NaN or infinity
    assert set(stored) == {"entity_type", "entities", "top_k", "parity_band", "min_group_size",
                           "bootstrap_samples", "comparisons", "family_error", "columns",
                           "rates", "alerts"}
    reference = next(r for r in stored["rates"] if r["reference"])
    assert reference["p_parity"] is None
    assert len(stored["rates"]) == len(METRICS) * (4 + 2 + 4)


def test_empty_frame_gives_an_empty_report():
    empty = ranking(1).iloc[:0]
    result = fairness(empty, COLUMNS, entity_type="tender", config=CONFIG)
    assert result.rates == () and result.alerts == () and result.entities == 0
    json.dumps(result.to_dict(), allow_nan=False)


def test_a_hundred_thousand_rows_six_columns_in_seconds():
    rng = np.random.default_rng(3)
    n = 100_000
    frame = pd.DataFrame({f"c{i}": rng.choice([f"g{j}" for j in range(3 + 6 * i)], n)
                          for i in range(6)})
    frame["rank"] = rng.permutation(n) + 1
    frame["flagged"] = rng.random(n) < 0.05
    frame["outcome"] = np.where(frame["flagged"] & (rng.random(n) < 0.7),
                                (rng.random(n) < 0.3).astype(float), np.nan)
    start = time.perf_counter()
    result = fairness(frame, [f"c{i}" for i in range(6)], entity_type="enterprise",
                      config=CONFIG)
    assert time.perf_counter() - start < 10  # ~1 s alone; generous on a shared machine
    assert len(result.rates) == len(METRICS) * sum(3 + 6 * i for i in range(6))


# --- sparsity -----------------------------------------------------------------------------

def test_sparse_groups_are_alarmed_small_ones_only_reported():
    rng = np.random.default_rng(11)
    n, features = 600, 20
    ownership = np.array(["private"] * 400 + ["foreign"] * 180 + ["mixed"] * 20)
    missing_share = np.select([ownership == "foreign", ownership == "mixed"], [0.7, 0.95], 0.1)
    values = rng.random((n, features))
    values[rng.random((n, features)) < missing_share[:, None]] = np.nan
    ids = [f"E{i}" for i in range(n)]
    feature_frame = pd.DataFrame(values, columns=[f"f{j}" for j in range(features)])
    feature_frame.insert(0, "entity_id", ids)
    groups = pd.DataFrame({"ownership": ownership, "region": "320100"},
                          index=pd.Index(ids, name="entity_id")).iloc[:-5]  # 5 unknown
    result = sparsity(feature_frame, groups, ["ownership", "region"], entity_type="enterprise",
                      config=CONFIG)
    by_group = result.frame().set_index(["column", "group"])
    assert [a.subject for a in result.alerts] == ["ownership=foreign"]
    assert result.alerts[0].monitor == "sparsity"
    assert by_group.loc[("ownership", "foreign"), "missing_share"] == pytest.approx(0.7, abs=0.03)
    assert by_group.loc[("ownership", "mixed"), "small"]  # 15 left, 95 % missing: no alert
    assert by_group.loc[("ownership", UNKNOWN), "entities"] == 5
    assert result.features == features and result.entities == n
    json.dumps(result.to_dict(), allow_nan=False)


# --- group columns ------------------------------------------------------------------------

def _tiny_dataset():
    """Two units; officials P1-P6 as described in the test; one firm; one tender."""
    rows = {
        "units": [
            {"unit_id": "U1", "name": "卫生局", "region": "320100", "level": "city",
             "sector": "health"},
            {"unit_id": "U2", "name": "财政局", "region": "330100", "level": "county",
             "sector": "finance"},
        ],
        "persons": [
            {"person_id": "P1", "name": "甲", "birth_year": "1990", "gender": "f"},
            {"person_id": "P2", "name": "乙", "birth_year": "1960", "gender": "m"},
            {"person_id": "P3", "name": "丙", "birth_year": "", "gender": ""},
            {"person_id": "P4", "name": "丁", "birth_year": "2000", "gender": "m"},
            {"person_id": "P5", "name": "戊", "birth_year": "1981", "gender": "f"},
            {"person_id": "P6", "name": "己", "birth_year": "1972", "gender": "m"},
        ],
        "officials": [
            # P1: an old post at U2, now at U1 (current).
            ("O1", "P1", "U2", "staff", "false", "2010-01-01", "2019-12-31"),
            ("O2", "P1", "U1", "section", "false", "2020-01-01", ""),
            # P2: retired; his latest post was at U2.
            ("O3", "P2", "U1", "staff", "false", "1990-01-01", "2005-01-01"),
            ("O4", "P2", "U2", "leading", "true", "2005-01-01", "2020-01-01"),
            # P3: his only post starts after the as-of date: nothing known yet.
            ("O5", "P3", "U1", "staff", "false", "2026-09-01", ""),
            # P4: a post ending after the as-of date is current on it.
            ("O6", "P4", "U2", "staff", "false", "2018-01-01", "2019-01-01"),
            ("O7", "P4", "U1", "staff", "false", "2019-01-01", "2026-08-01"),
            # P5: two current posts: the head post wins.
            ("O8", "P5", "U1", "section", "false", "2021-01-01", ""),
            ("O9", "P5", "U2", "department", "true", "2015-01-01", ""),
            # P6: moved to U2 on the as-of date itself: not known yet, still at U1.
            ("O10", "P6", "U1", "department", "false", "2010-01-01", "2026-07-01"),
            ("O11", "P6", "U2", "leading", "false", "2026-07-01", ""),
        ],
        "enterprises": [
            {"enterprise_id": "E1", "name": "某公司", "region": "340100",
             "registered_on": "2005-01-01", "deregistered_on": "", "registered_capital": "",
             "ownership": "foreign", "industry": "45", "address": "", "phone": ""},
        ],
        "tenders": [
            {"tender_id": "T1", "unit_id": "U2", "title": "采购", "category": "33100000",
             "method": "direct", "estimated_value": "", "currency": "", "published_on": "",
             "deadline": "", "awarded_on": "2026-01-05", "status": "complete"},
        ],
    }
    post_columns = ["post_id", "person_id", "unit_id", "rank", "is_unit_head", "start_date",
                    "end_date"]
    rows["officials"] = [dict(zip(post_columns, post), position="科员")
                         for post in rows["officials"]]
    frames = {}
    for name, spec in TABLES_BY_NAME.items():
        if spec.optional:
            continue
        columns = [c.name for c in spec.columns]
        frames[name] = pd.DataFrame(rows.get(name, []), columns=columns, dtype=str)
    return load_frames(frames, source="tiny")


def test_group_frame_of_a_tiny_dataset():
    dataset = _tiny_dataset()
    officials = group_frame(dataset, "official", ["P1", "P2", "P3", "P4", "P5", "P6", "PX"],
                            AS_OF)
    assert list(officials.columns) == list(GROUP_COLUMNS["official"])
    assert officials.index.name == "entity_id"
    expected = pd.DataFrame(
        [["320100", "city", "health", "section", "f", "35-44"],       # P1: 36, current U1
         ["330100", "county", "finance", "leading", "m", "55+"],      # P2: 66, latest U2
         [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN],      # P3: nothing known
         ["320100", "city", "health", "staff", "m", "<35"],           # P4: 26, U1 to D
         ["330100", "county", "finance", "department", "f", "45-54"],  # P5: 45, head post
         ["320100", "city", "health", "department", "m", "45-54"],  # P6: 54, U1 to D
         [UNKNOWN] * 6],                                              # PX: not in the data
        index=pd.Index(["P1", "P2", "P3", "P4", "P5", "P6", "PX"], name="entity_id"),
        columns=list(GROUP_COLUMNS["official"]))
    pd.testing.assert_frame_equal(officials, expected, check_dtype=False)

    firms = group_frame(dataset, "enterprise", ["E1"], AS_OF)
    assert firms.loc["E1"].to_dict() == {"region": "340100", "ownership": "foreign",
                                         "industry": "45"}
    tenders = group_frame(dataset, "tender", ["T1"], AS_OF)
    assert tenders.loc["T1"].to_dict() == {"region": "330100", "unit_level": "county",
                                           "sector": "finance", "method": "direct"}


def test_group_frame_of_a_generated_world_is_complete(tmp_path):
    dataset = load_dataset(worlds.generate_world(tmp_path / "data", 3, 500))
    ids = {"official": dataset.officials["person_id"], "enterprise": dataset.enterprises[
        "enterprise_id"], "tender": dataset.tenders["tender_id"]}
    for entity_type, entity_ids in ids.items():
        groups = group_frame(dataset, entity_type, entity_ids, AS_OF)
        assert groups.index.is_unique and set(groups.index) == set(entity_ids)
        assert groups.notna().all().all()
        assert (groups == UNKNOWN).mean().max() < 0.05, entity_type
    ages = group_frame(dataset, "official", ids["official"], AS_OF)["age_band"]
    assert set(ages) <= {"<35", "35-44", "45-54", "55+", UNKNOWN}


# --- figure -------------------------------------------------------------------------------

def test_the_figure_renders_one_panel_per_column():
    frame = ranking(7, boosted={"R3": 3.0})
    frame.loc[frame.index[:8], "region"] = "R9"  # a small group, drawn grey
    result = fairness(frame, COLUMNS, entity_type="official", config=CONFIG)
    figure = fairness_figure(result, "flag_rate")
    assert isinstance(figure, Figure)
    panels = [a for a in figure.axes if a.get_title()]
    assert [a.get_title() for a in panels] == [
        "flag rate by region", "flag rate by gender (protected)",
        "flag rate by age_band (protected)"]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue()[:4] == b"\x89PNG"
    with pytest.raises(ValueError):
        fairness_figure(result, "accuracy")
