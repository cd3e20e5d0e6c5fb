"""Drift: has a day's input moved away from the model's training reference, and have its scores?

`feature_drift` gives each feature column (per entity type) to Evidently's DataDriftPreset,
which picks a test per column by its defaults: for more than 1,000 reference values the
normed Wasserstein distance (Jensen-Shannon for up to 5 distinct values), drifted at a score of
0.1 or more; for fewer, the Kolmogorov-Smirnov (chi-square, Z) test, drifted at a p-value under
0.05. Columns with no value on a side, or one constant value on both, are not testable: they
are reported with the reason and left out of the drifted share. Evidently drops nulls before
testing, so a change in how often a feature is missing shows in the null shares, not the score.
`score_drift` compares two score distributions directly (scipy; no Evidently).

Pure logic: frames in, typed results out. The caller stores `.summary()` and writes `.html`.

    # Worked example. 20 official features; 2 are null on both sides, so 18 are tested and
    # 7 drift: drifted_share = 7 / 18 = 0.39 > drifted_share_limit 0.30, so one "drift" alert.
    # A column's severity puts every test on one scale, 1 at its threshold:
    #   Wasserstein 0.25 with threshold 0.1   -> 0.25 / 0.1               = 2.5
    #   K-S p-value 0.0025 with threshold 0.05 -> log(0.0025) / log(0.05) = 2.0
    # Scores: reference [0.1, 0.2, 0.3] (std 0.0816), current [0.2, 0.3, 0.4]: Wasserstein
    # distance 0.1, normed 0.1 / 0.0816 = 1.22 > score_drift_limit 0.1: a "score_drift" alert.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field, computed_field
from scipy import stats

from monitoring.alerts import Alert, MonitoringConfig

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SAMPLE_SEED = 20240601  # the same sample every run, so a day's drift can be recomputed exactly
MIN_NORM = 0.001  # Evidently's floor under the reference's std when norming a distance
SMALLEST_P_VALUE = 1e-16  # a p-value of 0 would give an infinite severity
NAMED_IN_ALERT = 5  # the most drifted features a drift alert names
FIGURE_TOP = 25
SCORE_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)

Scores = pd.Series | np.ndarray | Sequence[float]
DriftKind = Literal["distance", "p_value"]


class ColumnDrift(BaseModel, frozen=True):
    """One feature's test. `not_testable` says why no test ran (method, score, threshold None)."""

    name: str
    method: str | None  # Evidently's name of the test, e.g. "Wasserstein distance (normed)"
    score: float | None
    threshold: float | None
    drifted: bool
    kind: DriftKind | None = None  # distance: drifted at score >= threshold; p_value: below it
    not_testable: str | None = None  # e.g. "no values in current", "constant 0 on both sides"
    null_share_reference: float
    null_share_current: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def severity(self) -> float | None:
        """The score relative to its threshold: 1 at the threshold, above 1 when drifted."""
        if self.score is None or self.threshold is None or self.kind is None:
            return None
        if self.kind == "distance":
            return self.score / self.threshold if self.threshold > 0 else None
        if not 0 < self.threshold < 1:
            return None
        return math.log(max(self.score, SMALLEST_P_VALUE)) / math.log(self.threshold)


class FeatureDrift(BaseModel, frozen=True):
    entity_type: str
    rows_reference: int  # rows given
    rows_current: int
    sampled_reference: int  # rows given to Evidently (at most config.drift_sample_rows)
    sampled_current: int
    columns: list[ColumnDrift]  # in the order asked for
    drifted_share: float  # drifted / tested columns (Evidently's DriftedColumnsCount share)
    drifted_share_limit: float
    alerts: list[Alert]
    html: str = Field(repr=False)  # Evidently's standalone page (several MB: scripts inlined)

    @property
    def tested(self) -> list[ColumnDrift]:
        """Tested columns, strongest drift first."""
        tested = [c for c in self.columns if c.not_testable is None]
        return sorted(tested, key=lambda c: -(c.severity or 0.0))

    @property
    def drifted(self) -> list[ColumnDrift]:
        return [c for c in self.tested if c.drifted]

    @property
    def untestable(self) -> list[ColumnDrift]:
        return [c for c in self.columns if c.not_testable is not None]

    def summary(self) -> dict[str, Any]:
        """Everything but the HTML, as a JSON-able dict (no NaN or infinity), for storage."""
        return self.model_dump(mode="json", exclude={"html"})


class ScoreSummary(BaseModel, frozen=True):
    rows: int
    mean: float
    std: float
    quantiles: dict[str, float]  # "p10", "p25", "p50", "p75", "p90", "p99"


class ScoreDrift(BaseModel, frozen=True):
    entity_type: str
    wasserstein_normed: float  # Wasserstein distance / the reference's std (at least 0.001)
    ks_statistic: float
    ks_p_value: float
    limit: float
    reference: ScoreSummary
    current: ScoreSummary
    alerts: list[Alert]

    @property
    def drifted(self) -> bool:
        return self.wasserstein_normed > self.limit

    def summary(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# --- feature drift -----------------------------------------------------------------------


def feature_drift(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    columns: list[str],
    *,
    entity_type: str,
    config: MonitoringConfig,
    seed: int = SAMPLE_SEED,
) -> FeatureDrift:
    """Per-column drift of `columns` from `reference` (training) to `current` (a day)."""
    columns = list(dict.fromkeys(columns))
    _require_columns(reference, columns, "reference")
    _require_columns(current, columns, "current")
    reference_sample = sample_rows(reference, columns, config.drift_sample_rows, seed)
    current_sample = sample_rows(current, columns, config.drift_sample_rows, seed)
    reasons = untestable_reasons(reference_sample, current_sample)
    tested = [c for c in columns if c not in reasons]
    if tested:
        results, drifted_share, page = _run_evidently(
            reference_sample[tested], current_sample[tested], config.drifted_share_limit
        )
    else:
        results, drifted_share, page = {}, 0.0, _empty_page(entity_type, reasons)
    null_reference, null_current = reference_sample.isna().mean(), current_sample.isna().mean()
    column_drifts = [
        ColumnDrift(
            name=name,
            **(results[name] if name in results else _untested(reasons[name])),
            null_share_reference=float(null_reference[name]),
            null_share_current=float(null_current[name]),
        )
        for name in columns
    ]
    drift = FeatureDrift(
        entity_type=entity_type,
        rows_reference=len(reference),
        rows_current=len(current),
        sampled_reference=len(reference_sample),
        sampled_current=len(current_sample),
        columns=column_drifts,
        drifted_share=drifted_share,
        drifted_share_limit=config.drifted_share_limit,
        alerts=[],
        html=page,
    )
    return drift.model_copy(update={"alerts": _feature_alerts(drift)})


def sample_rows(frame: pd.DataFrame, columns: list[str], rows: int, seed: int) -> pd.DataFrame:
    """At most `rows` rows of `columns` (a seeded sample, original order), as float64 with
    infinities made null (Evidently drops both before testing)."""
    if len(frame) > rows:  # pick rows first: a million-row day is never copied whole
        positions = np.sort(np.random.default_rng(seed).choice(len(frame), rows, replace=False))
        frame = frame.iloc[positions]
    values = frame[columns].astype("float64").replace([np.inf, -np.inf], np.nan)
    return values.reset_index(drop=True)


def untestable_reasons(reference: pd.DataFrame, current: pd.DataFrame) -> dict[str, str]:
    """Why a column cannot be tested, for the columns that cannot (Evidently raises on a side
    without values, and a value constant on both sides has no distribution to compare)."""
    has_reference, has_current = reference.count() > 0, current.count() > 0
    low = pd.concat([reference.min(), current.min()], axis=1).min(axis=1)
    high = pd.concat([reference.max(), current.max()], axis=1).max(axis=1)
    reasons = pd.Series(None, index=reference.columns, dtype=object)
    constant = low == high
    reasons[constant] = low[constant].map("constant {:g} on both sides".format)
    reasons[~has_current] = "no values in current"
    reasons[~has_reference] = "no values in reference"
    reasons[~has_reference & ~has_current] = "no values on either side"
    return reasons.dropna().to_dict()


def _untested(reason: str) -> dict[str, Any]:
    return {"method": None, "score": None, "threshold": None, "drifted": False,
            "not_testable": reason}


def _require_columns(frame: pd.DataFrame, columns: list[str], side: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{side} frame lacks the feature columns {', '.join(missing)}")


def _run_evidently(
    reference: pd.DataFrame, current: pd.DataFrame, drift_share: float
) -> tuple[dict[str, dict[str, Any]], float, str]:
    """Evidently's per-column results by name, its drifted share, and its HTML page."""
    from evidently import DataDefinition, Dataset, Report  # slow to import: only when needed
    from evidently.presets import DataDriftPreset

    columns = list(reference.columns)
    definition = DataDefinition(numerical_columns=columns)  # 0/1 flags too: never categorical
    report = Report([DataDriftPreset(columns=columns, drift_share=drift_share)], include_tests=True)
    snapshot = report.run(
        current_data=Dataset.from_pandas(current, data_definition=definition),
        reference_data=Dataset.from_pandas(reference, data_definition=definition),
    )
    results, drifted_share = read_snapshot(snapshot.dict())
    return results, drifted_share, snapshot.get_html_str(as_iframe=False)


def read_snapshot(snapshot: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], float]:
    """Per-column method, score, threshold and drifted flag, and the drifted share, from
    Evidently 0.7's `Snapshot.dict()`. A column's metric (ValueDrift) holds its score, method
    and threshold; the drifted flag is only in the column's test ("FAIL" = drifted), found by
    the metric's id, so the Report must run with include_tests=True."""
    drifted_by_metric = {
        test["metric_config"]["metric_id"]: test["status"] == "FAIL"
        for test in snapshot["tests"]
        if test["metric_config"]["params"]["type"] == "evidently:metric_v2:ValueDrift"
    }
    results: dict[str, dict[str, Any]] = {}
    drifted_share = 0.0
    for metric in snapshot["metrics"]:
        config = metric["config"]
        if config["type"] == "evidently:metric_v2:DriftedColumnsCount":
            drifted_share = float(metric["value"]["share"])
        elif config["type"] == "evidently:metric_v2:ValueDrift":
            score, threshold = _finite(metric["value"]), float(config["threshold"])
            drifted = drifted_by_metric[metric["id"]]
            results[config["column"]] = {
                "method": config["method"], "score": score, "threshold": threshold,
                "drifted": drifted, "kind": _kind(score, threshold, drifted),
            }
    return results, drifted_share


def _kind(score: float | None, threshold: float, drifted: bool) -> DriftKind | None:
    # Evidently flags a distance at score >= threshold and a p-value at score < threshold, so
    # the flag tells which kind a score is, whatever the method.
    if score is None:
        return None
    return "distance" if drifted == (score >= threshold) else "p_value"


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _feature_alerts(drift: FeatureDrift) -> list[Alert]:
    share, limit = drift.drifted_share, drift.drifted_share_limit
    if share <= limit:
        return []
    drifted, tested = drift.drifted, drift.tested
    names = ", ".join(c.name for c in drifted[:NAMED_IN_ALERT])
    if len(drifted) > NAMED_IN_ALERT:
        names += f" and {len(drifted) - NAMED_IN_ALERT} more"
    features = "features" if len(tested) == len(drift.columns) else "tested features"
    message = (
        f"{drift.entity_type}: {len(drifted)} of {len(tested)} {features} drifted "
        f"({share * 100:.0f} %, limit {limit * 100:.0f} %): {names}."
    )
    return [Alert(monitor="drift", entity_type=drift.entity_type, subject="features",
                  message=message, value=share, limit=limit)]


def _empty_page(entity_type: str, reasons: dict[str, str]) -> str:
    items = "".join(f"<li>{html.escape(n)}: {html.escape(r)}</li>" for n, r in reasons.items())
    title = html.escape(f"{entity_type}: no feature could be tested for drift")
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1><ul>{items}</ul></body></html>")


# --- score drift -------------------------------------------------------------------------


def score_drift(
    reference_scores: Scores, current_scores: Scores, *, entity_type: str,
    config: MonitoringConfig,
) -> ScoreDrift:
    """Drift of the score distribution: the Wasserstein distance in reference standard
    deviations (as Evidently norms it), with the K-S statistic and both sides' summaries.
    Missing scores are ignored."""
    reference, current = _finite_scores(reference_scores), _finite_scores(current_scores)
    if reference.size == 0 or current.size == 0:
        raise ValueError(f"{entity_type}: score drift needs scores on both sides")
    ks = stats.ks_2samp(reference, current)
    drift = ScoreDrift(
        entity_type=entity_type,
        wasserstein_normed=normed_wasserstein(reference, current),
        ks_statistic=float(ks.statistic),
        ks_p_value=float(ks.pvalue),
        limit=config.score_drift_limit,
        reference=_score_summary(reference),
        current=_score_summary(current),
        alerts=[],
    )
    return drift.model_copy(update={"alerts": _score_alerts(drift)})


def normed_wasserstein(reference: np.ndarray, current: np.ndarray) -> float:
    norm = max(float(np.std(reference)), MIN_NORM)
    return float(stats.wasserstein_distance(reference, current)) / norm


def _finite_scores(scores: Scores) -> np.ndarray:
    values = np.asarray(scores, dtype="float64")
    return values[np.isfinite(values)]


def _score_summary(scores: np.ndarray) -> ScoreSummary:
    quantiles = np.quantile(scores, SCORE_QUANTILES)
    return ScoreSummary(
        rows=int(scores.size),
        mean=float(scores.mean()),
        std=float(scores.std()),
        quantiles={f"p{round(q * 100)}": float(v) for q, v in zip(SCORE_QUANTILES, quantiles)},
    )


def _score_alerts(drift: ScoreDrift) -> list[Alert]:
    if not drift.drifted:
        return []
    before, after = drift.reference, drift.current
    message = (
        f"{drift.entity_type}: risk scores drifted by {drift.wasserstein_normed:.2f} reference "
        f"standard deviations (normed Wasserstein distance, limit {drift.limit:.2f}); the mean "
        f"went from {before.mean:.3f} to {after.mean:.3f} and the 90th percentile from "
        f"{before.quantiles['p90']:.3f} to {after.quantiles['p90']:.3f}."
    )
    return [Alert(monitor="score_drift", entity_type=drift.entity_type, subject="risk score",
                  message=message, value=drift.wasserstein_normed, limit=drift.limit)]


# --- figures (Agg canvas on a bare Figure: no pyplot state, no global backend switch) ------


def drift_figure(drift: FeatureDrift, top: int = FIGURE_TOP) -> Figure:
    """Each tested feature's severity (its score relative to its threshold, 1 = threshold),
    strongest first, drifted ones in red; bars are cut at 10 and labelled with the raw score."""
    shown = drift.tested[:top]
    figure = _new_figure(width=9.0, height=1.6 + 0.3 * max(len(shown), 1))
    axes = figure.add_subplot()
    title = (f"{drift.entity_type}: {len(drift.drifted)} of {len(drift.tested)} features "
             f"drifted ({drift.drifted_share * 100:.0f} %, limit "
             f"{drift.drifted_share_limit * 100:.0f} %)")
    axes.set_title(title, fontsize=10)
    if not shown:
        axes.text(0.5, 0.5, "no testable features", ha="center", va="center")
        axes.set_axis_off()
    else:
        _severity_bars(axes, shown)
    if drift.untestable:
        names = ", ".join(c.name for c in drift.untestable[:8])
        more = f" and {len(drift.untestable) - 8} more" if len(drift.untestable) > 8 else ""
        figure.text(0.01, 0.01, f"not testable: {names}{more}", fontsize=7, color="dimgray")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return figure


def _severity_bars(axes: Any, shown: list[ColumnDrift]) -> None:
    severity = np.array([c.severity or 0.0 for c in shown])
    cap = max(2.0, min(10.0, float(severity.max())))
    positions = np.arange(len(shown))
    colors = ["tab:red" if c.drifted else "tab:gray" for c in shown]
    axes.barh(positions, np.minimum(severity, cap), color=colors)
    axes.axvline(1.0, color="black", linestyle="--", linewidth=1, label="threshold")
    axes.set_yticks(positions, [c.name for c in shown], fontsize=8)
    axes.invert_yaxis()  # strongest at the top
    axes.set_xlim(0, cap * 1.6)
    axes.set_xlabel("drift score relative to its threshold (p-values: log p / log threshold)")
    for position, value, column in zip(positions, np.minimum(severity, cap), shown):
        axes.text(value + cap * 0.02, position, _score_label(column), va="center", fontsize=7)
    axes.legend(loc="lower right", fontsize=8)


def _score_label(column: ColumnDrift) -> str:
    score = "n/a" if column.score is None else f"{column.score:.3g}"
    return f"{column.method}: {score} (threshold {column.threshold:g})"


def score_figure(reference_scores: Scores, current_scores: Scores, title: str = "") -> Figure:
    """Both score distributions: histograms (shared bins, as densities) and ECDFs."""
    reference, current = _finite_scores(reference_scores), _finite_scores(current_scores)
    figure = _new_figure(width=10.0, height=4.0)
    histogram, ecdf = figure.subplots(1, 2)
    bins = np.histogram_bin_edges(np.concatenate([reference, current]), bins=50)
    grid = np.linspace(0.0, 1.0, 201)  # the ECDF at 201 quantiles: light for a million scores
    for values, label, color in ((reference, "reference", "tab:blue"),
                                 (current, "current", "tab:orange")):
        if values.size == 0:
            continue
        histogram.hist(values, bins=bins, density=True, histtype="stepfilled", alpha=0.45,
                       color=color, label=f"{label} (n={values.size:,})")
        ecdf.plot(np.quantile(values, grid), grid, drawstyle="steps-post", color=color,
                  label=label)
    histogram.set(xlabel="score", ylabel="density")
    ecdf.set(xlabel="score", ylabel="share of entities at or below")
    histogram.legend(fontsize=8)
    ecdf.legend(fontsize=8)
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure
