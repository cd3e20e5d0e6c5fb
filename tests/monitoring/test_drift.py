"""Feature and score drift: injected shifts are found and named, steady data raises nothing,
null and constant columns are reported as not testable, the storage dict is plain JSON."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitoring.alerts import MonitoringConfig
from monitoring.drift import (
    ColumnDrift,
    FeatureDrift,
    drift_figure,
    feature_drift,
    score_drift,
    score_figure,
)

ROWS = 2500
CONFIG = MonitoringConfig()  # drifted_share_limit 0.3, score_drift_limit 0.1
SHIFTED = ["unit_direct_award_share", "amount_cny", "single_bid_flag", "price_ratio"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def officials(seed: int, rows: int = ROWS, shifted: tuple[str, ...] = ()) -> pd.DataFrame:
    """Ten official features of the kinds the registry holds: shares with nulls, counts,
    amounts, 0/1 flags; the features named in `shifted` moved."""
    rng = np.random.default_rng(seed)

    def moved(name: str) -> bool:
        return name in shifted

    direct_award = rng.beta(*((4, 4) if moved("unit_direct_award_share") else (2, 5)), rows)
    return pd.DataFrame({
        "unit_direct_award_share": np.where(rng.random(rows) < 0.2, np.nan, direct_award),
        "contracts_365d": rng.poisson(4, rows).astype(float),
        "amount_cny": rng.lognormal(11.5 if moved("amount_cny") else 11.0, 1.0, rows),
        "top_buyer_share_365d": rng.beta(3, 3, rows),
        "single_bid_flag": (rng.random(rows) < (0.3 if moved("single_bid_flag") else 0.1)) * 1.0,
        "tenure_years": rng.gamma(3, 2, rows),
        "wins_365d": rng.poisson(2, rows).astype(float),
        "price_ratio": rng.normal(1.3 if moved("price_ratio") else 1.0, 0.5, rows),
        "debarred_flag": (rng.random(rows) < 0.02) * 1.0,
        "days_to_deadline": rng.gamma(2, 10, rows),
    })


FEATURES = list(officials(0, rows=1).columns)


@pytest.fixture(scope="module")
def steady() -> FeatureDrift:
    return feature_drift(officials(1), officials(2), FEATURES, entity_type="official",
                         config=CONFIG)


@pytest.fixture(scope="module")
def shifted() -> FeatureDrift:
    return feature_drift(officials(1), officials(3, shifted=tuple(SHIFTED)), FEATURES,
                         entity_type="official", config=CONFIG)


def awkward(seed: int, today: bool) -> pd.DataFrame:
    """Columns Evidently cannot test, or can only after cleaning."""
    rng = np.random.default_rng(seed)
    rows = 2000
    values = rng.normal(0, 1, rows)
    half_null = np.where(rng.random(rows) < 0.5, np.nan, rng.normal(0, 1, rows))
    steady_values = rng.normal(0, 1, rows)
    if today:
        steady_values[:10] = np.inf  # unusable values count as missing, as Evidently drops them
    return pd.DataFrame({
        "all_null": np.nan,
        "null_today": np.nan if today else values,
        "new_today": values if today else np.nan,
        "constant": 0.0,
        "was_constant": values if today else 0.0,
        "half_null": pd.array(half_null, dtype="Float64").fillna(pd.NA),  # nullable dtype too
        "steady": steady_values,
    })


@pytest.fixture(scope="module")
def awkward_drift() -> FeatureDrift:
    reference, current = awkward(4, today=False), awkward(5, today=True)
    return feature_drift(reference, current, list(reference.columns), entity_type="tender",
                         config=CONFIG)


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# --- feature drift -----------------------------------------------------------------------


def test_same_distribution_drifts_nowhere(steady: FeatureDrift) -> None:
    assert [c.name for c in steady.columns] == FEATURES
    assert [c.name for c in steady.columns if c.drifted] == []
    assert steady.drifted_share == 0.0
    assert steady.alerts == []
    assert all(c.not_testable is None for c in steady.columns)
    # More than 1,000 reference values: Evidently's distances, not its p-value tests.
    methods = {c.name: c.method for c in steady.columns}
    assert methods["amount_cny"] == "Wasserstein distance (normed)"
    assert methods["single_bid_flag"] == "Jensen-Shannon distance"  # 2 distinct values
    assert all(c.kind == "distance" and c.threshold == 0.1 for c in steady.columns)
    assert max(c.severity for c in steady.columns) < 0.6


def test_injected_drift_is_found_and_named(shifted: FeatureDrift) -> None:
    assert sorted(c.name for c in shifted.drifted) == sorted(SHIFTED)
    assert shifted.drifted_share == pytest.approx(0.4)  # Evidently's share: 4 of 10
    assert all(c.score >= c.threshold for c in shifted.drifted)
    [alert] = shifted.alerts
    assert (alert.monitor, alert.entity_type, alert.value, alert.limit) == (
        "drift", "official", pytest.approx(0.4), 0.3)
    strongest_first = ", ".join(c.name for c in shifted.drifted)
    assert alert.message == (
        f"official: 4 of 10 features drifted (40 %, limit 30 %): {strongest_first}.")
    severities = [c.severity for c in shifted.tested]
    assert severities == sorted(severities, reverse=True)


def test_drift_below_the_limit_raises_no_alert() -> None:
    lenient = MonitoringConfig(drifted_share_limit=0.4)  # 4 of 10 is not more than 40 %
    drift = feature_drift(officials(1), officials(3, shifted=tuple(SHIFTED)), FEATURES,
                          entity_type="official", config=lenient)
    assert len(drift.drifted) == 4
    assert drift.alerts == []


def test_null_and_constant_columns_are_not_testable(awkward_drift: FeatureDrift) -> None:
    by_name = {c.name: c for c in awkward_drift.columns}
    assert {c.name: c.not_testable for c in awkward_drift.untestable} == {
        "all_null": "no values on either side",
        "null_today": "no values in current",
        "new_today": "no values in reference",
        "constant": "constant 0 on both sides",
    }
    for column in awkward_drift.untestable:
        assert (column.method, column.score, column.severity, column.drifted) == (
            None, None, None, False)
    # Constant in the reference, spread today: Evidently norms by max(std, 0.001): huge.
    assert by_name["was_constant"].drifted and by_name["was_constant"].severity > 100
    assert not by_name["half_null"].drifted and not by_name["steady"].drifted
    assert by_name["half_null"].null_share_reference == pytest.approx(0.5, abs=0.04)
    assert by_name["steady"].null_share_current == pytest.approx(10 / 2000)
    assert by_name["all_null"].null_share_current == 1.0
    # The share counts tested columns only: 1 of 3.
    assert awkward_drift.drifted_share == pytest.approx(1 / 3)
    [alert] = awkward_drift.alerts
    assert alert.message == (
        "tender: 1 of 3 tested features drifted (33 %, limit 30 %): was_constant.")


def test_nothing_testable_gives_a_plain_page_and_no_alert() -> None:
    reference, current = awkward(4, today=False), awkward(5, today=True)
    drift = feature_drift(reference, current, ["all_null", "constant"], entity_type="tender",
                          config=CONFIG)
    assert [c.not_testable for c in drift.columns] == [
        "no values on either side", "constant 0 on both sides"]
    assert (drift.drifted_share, drift.alerts, drift.tested) == (0.0, [], [])
    assert drift.html.startswith("<!DOCTYPE html>") and "constant 0 on both sides" in drift.html
    assert png(drift_figure(drift)).startswith(PNG_SIGNATURE)


def test_empty_frames_do_not_crash() -> None:
    empty = officials(1).iloc[:0]
    drift = feature_drift(empty, empty, FEATURES[:2], entity_type="official", config=CONFIG)
    assert (drift.rows_reference, drift.sampled_current, drift.drifted_share) == (0, 0, 0.0)
    assert [c.not_testable for c in drift.columns] == ["no values on either side"] * 2


def test_missing_feature_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="current frame lacks the feature columns wins_365d"):
        feature_drift(officials(1), officials(2).drop(columns="wins_365d"), FEATURES,
                      entity_type="official", config=CONFIG)


def test_sampling_cap_is_respected_and_reproducible() -> None:
    capped = MonitoringConfig(drift_sample_rows=100)
    reference, current = officials(1, rows=5000), officials(2, rows=3000)
    columns = ["amount_cny", "tenure_years"]

    def run(seed: int | None = None) -> FeatureDrift:
        extra = {} if seed is None else {"seed": seed}
        return feature_drift(reference, current, columns, entity_type="official",
                             config=capped, **extra)

    first, again, other_seed = run(), run(), run(seed=7)
    assert (first.rows_reference, first.rows_current) == (5000, 3000)
    assert (first.sampled_reference, first.sampled_current) == (100, 100)
    # Evidently saw the sample: at most 1,000 reference values switch it to the K-S test.
    assert {c.method for c in first.columns} == {"K-S p_value"}
    assert {c.kind for c in first.columns} == {"p_value"}
    assert first.columns == again.columns
    assert [c.score for c in other_seed.columns] != [c.score for c in first.columns]


def test_storage_dict_is_plain_json_without_html(shifted: FeatureDrift,
                                                 awkward_drift: FeatureDrift) -> None:
    for drift in (shifted, awkward_drift):
        summary = drift.summary()
        text = json.dumps(summary, allow_nan=False)
        assert "html" not in summary and "<html" not in text.lower()
        assert json.loads(text)["columns"][0].keys() == {
            "name", "method", "score", "threshold", "drifted", "kind", "not_testable",
            "null_share_reference", "null_share_current", "severity"}
    stored = awkward_drift.summary()
    assert stored["alerts"][0]["monitor"] == "drift"
    assert stored["columns"][0] == {
        "name": "all_null", "method": None, "score": None, "threshold": None,
        "drifted": False, "kind": None, "not_testable": "no values on either side",
        "null_share_reference": 1.0, "null_share_current": 1.0, "severity": None}


def test_html_is_evidentlys_page(shifted: FeatureDrift) -> None:
    page = shifted.html.strip()
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>")
    assert len(page) > 100_000  # Evidently inlines its scripts
    assert "unit_direct_award_share" in page
    assert "html" not in repr(shifted)


# --- score drift -------------------------------------------------------------------------


def test_score_drift_worked_example() -> None:
    drift = score_drift([0.1, 0.2, 0.3, np.nan], np.array([0.2, 0.3, 0.4]),
                        entity_type="official", config=CONFIG)
    assert drift.wasserstein_normed == pytest.approx(0.1 / np.std([0.1, 0.2, 0.3]))  # 1.22
    assert drift.ks_statistic == pytest.approx(1 / 3)
    assert (drift.reference.rows, drift.current.rows) == (3, 3)
    assert drift.current.quantiles["p50"] == pytest.approx(0.3)
    [alert] = drift.alerts
    assert (alert.monitor, alert.subject, alert.limit) == ("score_drift", "risk score", 0.1)
    assert alert.message.startswith("official: risk scores drifted by 1.22 reference standard")
    assert "mean went from 0.200 to 0.300" in alert.message


def test_score_shift_alerts_and_steady_scores_do_not() -> None:
    rng = np.random.default_rng(8)
    reference = pd.Series(rng.beta(2, 8, 5000))
    same = score_drift(reference, rng.beta(2, 8, 4000), entity_type="enterprise", config=CONFIG)
    shifted = score_drift(reference, rng.beta(3, 7, 4000), entity_type="enterprise",
                          config=CONFIG)
    assert same.wasserstein_normed < 0.05 and same.alerts == [] and not same.drifted
    assert shifted.wasserstein_normed > 0.5 and shifted.drifted
    assert [a.value for a in shifted.alerts] == [shifted.wasserstein_normed]
    assert shifted.current.mean == pytest.approx(0.3, abs=0.01)
    current = rng.beta(3, 7, 4000)
    again = score_drift(reference, current, entity_type="enterprise", config=CONFIG)
    assert again.ks_statistic == pytest.approx(stats.ks_2samp(reference, current).statistic)
    assert again.wasserstein_normed == pytest.approx(
        stats.wasserstein_distance(reference, current) / np.std(reference))


def test_score_drift_limit_and_storage() -> None:
    lenient = MonitoringConfig(score_drift_limit=2.0)
    drift = score_drift([0.1, 0.2, 0.3], [0.2, 0.3, 0.4], entity_type="tender", config=lenient)
    assert drift.alerts == []
    stored = json.loads(json.dumps(drift.summary(), allow_nan=False))
    assert stored["limit"] == 2.0 and set(stored["reference"]["quantiles"]) == {
        "p10", "p25", "p50", "p75", "p90", "p99"}


def test_score_drift_needs_scores_on_both_sides() -> None:
    with pytest.raises(ValueError, match="scores on both sides"):
        score_drift([0.1, 0.2], [np.nan], entity_type="tender", config=CONFIG)


# --- figures -----------------------------------------------------------------------------


def test_drift_figure_ranks_and_highlights(shifted: FeatureDrift) -> None:
    figure = drift_figure(shifted)
    assert png(figure).startswith(PNG_SIGNATURE)
    axes = figure.axes[0]
    bars = axes.containers[0]
    assert len(bars) == 10
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == [c.name for c in shifted.tested]
    heights_on_page = [axes.transData.transform((0, bar.get_y()))[1] for bar in bars]
    assert heights_on_page == sorted(heights_on_page, reverse=True)  # strongest at the top
    red = [label for label, bar in zip(labels, bars) if bar.get_facecolor()[0] > 0.8]
    assert sorted(red) == sorted(SHIFTED)


def test_drift_figure_shows_the_top_25() -> None:
    columns = [
        ColumnDrift(name=f"f{i:02d}", method="Wasserstein distance (normed)", score=i / 100,
                    threshold=0.1, drifted=i >= 10, kind="distance",
                    null_share_reference=0.0, null_share_current=0.0)
        for i in range(30)
    ]
    drift = FeatureDrift(entity_type="official", rows_reference=1, rows_current=1,
                         sampled_reference=1, sampled_current=1, columns=columns,
                         drifted_share=20 / 30, drifted_share_limit=0.3, alerts=[], html="")
    axes = drift_figure(drift).axes[0]
    assert len(axes.containers[0]) == 25
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels[0] == "f29" and labels[-1] == "f05"


def test_score_figure_renders() -> None:
    rng = np.random.default_rng(9)
    figure = score_figure(rng.beta(2, 8, 3000), pd.Series(rng.beta(3, 7, 3000)), "official")
    assert len(figure.axes) == 2
    assert png(figure).startswith(PNG_SIGNATURE)
