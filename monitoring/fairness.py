"""Fairness and sparsity of the day's ranking by group (pure: frames in, typed results out).

`fairness(frame, groups, entity_type=..., config=...)` takes one row per ranked entity:
entity_id, the group columns (monitoring/groups.py), `rank` (1 = highest risk), `flagged`
(level != none) and `outcome` (1 confirmed, 0 dismissed, NaN not reviewed or inconclusive;
unflagged entities carry one when the random audit sample reviewed them). Per group column
and group it reports five rates, each with a 95 % bootstrap interval, and its ratio to the
column's reference group (the largest; "unknown" only when nothing else is there):

    flag_rate             flagged / entities
    top_k_share           ranked within config.top_k / entities
    confirm_rate          confirmed / reviewed flags
    false_discovery_rate  dismissed / reviewed flags
    false_positive_rate   dismissed flags / reviewed negatives (dismissed flags and audited
                          unflagged entities found clean)

A group is *small* under config.min_group_size entities (population rates) or reviewed rows
(the denominator of a review-based rate); small groups are reported, never alarmed, and
neither is anything compared with a small reference. The population rates (flag rate, share
of the top k) alarm only on the protected attributes unless config.population_rate_alerts is
"all" (risk is not even across methods or ranks); the review-based rates alarm on every
group. A disparity alert needs the ratio
outside config.parity_band AND its interval excluding parity (1), where the interval tested
is simultaneous over every comparison the report makes (Bonferroni): a day's report compares
a hundred or more group/metric pairs, and with plain 95 % intervals identical groups raised
about six alerts a day in simulation. Worked example (band 0.8-1.25, 6 columns making m = 150
comparisons): region A, the reference, 2,000 officials of whom 100 are flagged (5 %); region
B, 500 of whom 75 are flagged (15 %): ratio 3.0, 95 % interval 2.2-4.0, chance of parity
p ~ 7e-13 < 0.05 / 150, so "region=B flag_rate" is alarmed. Region C, 12 officials of whom
6 are flagged (50 %, ratio 10), is small: reported, not alarmed.

How the intervals are made. Every rate depends only on how many of a group's entities fall in
each of 12 cells (flagged x in the top k x outcome), so each column is reduced to a groups x
12 count table; fairlearn's MetricFrame computes the point values from it (one row per
non-empty cell, weighted by its count). The intervals are not MetricFrame's bootstrap
(fairlearn 0.15): it resamples the whole frame and feeds every metric through np.stack over
each row (measured ~0.9 s per replicate for three metrics at 100k rows: minutes per column),
and it exposes only quantiles of `by_group` and of its aggregate `ratio()` (the smallest
ratio between groups, or to the overall), never the replicates, so a per-group ratio to a
chosen reference cannot be derived from it. Instead each group is resampled within itself
by Rubin's Bayesian bootstrap: reweighting a group's n entities by Dirichlet(1, ..., 1)
weights makes a rate with x of n exactly Beta(x, n - x); Jeffreys' half an entity is added on
each side so that 0 flagged of 40 is not certainty of 0 % (a plain bootstrap gives the
interval [0, 0] there, and alarms). So config.bootstrap_samples draws per group (numpy, fixed
seed per column) give each rate's interval and, divided by the reference group's draws, the
ratio's interval; the chance of parity p = 2 min(P(X <= X_ref), P(X >= X_ref)) under the same
Beta laws is integrated exactly (scipy.special: no replicates could resolve the 0.05 / m
tail).

`sparsity(features, group_frame, groups, ...)` reports the share of missing feature values per
group; a group (not small) above config.sparse_share_limit is alarmed, since sparse data can
hide risk (missing features score as typical) or inflate it (missingness learnt as a signal).
E.g. limit 0.5: 40 foreign-owned enterprises missing 620 of their 1,000 feature values (0.62)
raise "ownership=foreign".
"""

from __future__ import annotations

import math
import warnings
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy.special import betainc, betaincinv, ndtr

from monitoring.alerts import Alert, MonitoringConfig
from monitoring.groups import PROTECTED_COLUMNS, UNKNOWN

RANDOM_STATE = 20_240_601
CI_QUANTILES = [0.025, 0.975]
FAMILY_ERROR = 0.05  # chance that a report with no real disparity raises any fairness alert
JEFFREYS = 0.5
MAX_GROUPS_SHOWN = 40  # per column in the figure: alarmed and reference first, then largest

# The 12 cells: cell = 6 * flagged + 3 * in the top k + outcome code (0 not reviewed,
# 1 dismissed, 2 confirmed).
_CELL = np.arange(12)
FLAGGED = _CELL // 6 == 1
IN_TOP = (_CELL // 3) % 2 == 1
DISMISSED = _CELL % 3 == 1
CONFIRMED = _CELL % 3 == 2
EVERYONE = np.ones(12, dtype=bool)

# Quadrature over the reference's quantiles u = Phi(t): trapezoid weights times phi(t).
_T = np.linspace(-9.0, 9.0, 1201)
_U = ndtr(_T)
_W = np.exp(-_T**2 / 2) * np.gradient(_T)
_W /= _W.sum()


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    numerator: np.ndarray  # cells counted above the line (a subset of the denominator's)
    denominator: np.ndarray  # cells counted below it
    review_based: bool

    def counts(self, cell_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(above, below) per group from groups x 12 cell counts."""
        return (cell_counts @ self.numerator.astype(np.int64),
                cell_counts @ self.denominator.astype(np.int64))


REVIEWED_FLAGS = FLAGGED & (CONFIRMED | DISMISSED)
METRICS: tuple[Metric, ...] = (
    Metric("flag_rate", "flag rate", FLAGGED, EVERYONE, False),
    Metric("top_k_share", "share in the top k", IN_TOP, EVERYONE, False),
    Metric("confirm_rate", "confirm rate", FLAGGED & CONFIRMED, REVIEWED_FLAGS, True),
    Metric("false_discovery_rate", "false discovery rate", FLAGGED & DISMISSED, REVIEWED_FLAGS,
           True),
    Metric("false_positive_rate", "false positive rate", FLAGGED & DISMISSED, DISMISSED, True),
)
METRICS_BY_NAME = {m.name: m for m in METRICS}


# --- results ------------------------------------------------------------------------------

def _json_ready(value):
    """NaN and infinities -> None, numpy scalars -> Python, tuples -> lists (for storage)."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


@dataclass(frozen=True)
class GroupRate:
    """One rate of one group, its interval, and its ratio to the column's reference group."""

    column: str
    group: str
    metric: str
    value: float  # NaN when the denominator is empty
    ci_low: float  # 95 % interval of the rate
    ci_high: float
    n: int  # the denominator: entities, or reviewed rows for a review-based rate
    entities: int
    ratio: float  # value / the reference's value (inf when only the reference's is 0)
    ratio_low: float  # 95 % interval of the ratio
    ratio_high: float
    p_parity: float  # two-sided chance of parity (ratio 1); NaN for the reference
    protected: bool
    reference: bool
    small: bool
    disparity: bool  # alarmed

    def to_dict(self) -> dict:
        return _json_ready(dict(self.__dict__))


@dataclass(frozen=True)
class FairnessResult:
    entity_type: str
    entities: int
    top_k: int
    parity_band: tuple[float, float]
    min_group_size: int
    bootstrap_samples: int
    comparisons: int  # m: the ratios that could be alarmed; each is tested at FAMILY_ERROR / m
    references: dict[str, str]  # group column -> its reference group
    protected: tuple[str, ...]  # the protected columns among those reported
    rates: tuple[GroupRate, ...]
    alerts: tuple[Alert, ...] = field(default=())
    family_error: float = FAMILY_ERROR

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.rates],
                            columns=list(GroupRate.__dataclass_fields__))

    def to_dict(self) -> dict:
        return _json_ready({
            "entity_type": self.entity_type,
            "entities": self.entities,
            "top_k": self.top_k,
            "parity_band": list(self.parity_band),
            "min_group_size": self.min_group_size,
            "bootstrap_samples": self.bootstrap_samples,
            "comparisons": self.comparisons,
            "family_error": self.family_error,
            "columns": [{"column": c, "protected": c in self.protected, "reference": ref}
                        for c, ref in self.references.items()],
            "rates": [r.to_dict() for r in self.rates],
            "alerts": [a.model_dump() for a in self.alerts],
        })


@dataclass(frozen=True)
class GroupSparsity:
    column: str
    group: str
    entities: int
    missing_share: float  # missing feature values / (entities x features)
    protected: bool
    small: bool
    sparse: bool  # above the limit and not small: alarmed

    def to_dict(self) -> dict:
        return _json_ready(dict(self.__dict__))


@dataclass(frozen=True)
class SparsityResult:
    entity_type: str
    entities: int
    features: int
    missing_share: float  # over all entities
    limit: float
    min_group_size: int
    protected: tuple[str, ...]
    groups: tuple[GroupSparsity, ...]
    alerts: tuple[Alert, ...] = field(default=())

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([g.__dict__ for g in self.groups],
                            columns=list(GroupSparsity.__dataclass_fields__))

    def to_dict(self) -> dict:
        return _json_ready({
            "entity_type": self.entity_type,
            "entities": self.entities,
            "features": self.features,
            "missing_share": self.missing_share,
            "limit": self.limit,
            "min_group_size": self.min_group_size,
            "protected": list(self.protected),
            "groups": [g.to_dict() for g in self.groups],
            "alerts": [a.model_dump() for a in self.alerts],
        })


# --- fairness: counts and point values ----------------------------------------------------

def _group_values(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column].astype(object)
    return values.where(values.notna(), UNKNOWN).astype(str)


def _cells(frame: pd.DataFrame, top_k: int) -> np.ndarray:
    """Each entity's cell (0..11)."""
    outcome = pd.to_numeric(frame["outcome"], errors="raise").astype("float64").to_numpy()
    if not np.isin(outcome[~np.isnan(outcome)], (0.0, 1.0)).all():
        raise ValueError("outcome must be 1 (confirmed), 0 (dismissed) or NaN")
    flagged = frame["flagged"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    in_top = pd.to_numeric(frame["rank"]).to_numpy() <= top_k
    outcome_code = np.where(np.isnan(outcome), 0, np.where(outcome == 1.0, 2, 1))
    return 6 * flagged.astype(int) + 3 * in_top.astype(int) + outcome_code


def _cell_counts(groups: pd.Series, cells: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """(group labels, groups x 12 counts), the groups by size descending, then by name."""
    codes, labels = pd.factorize(groups, sort=True)
    counts = np.bincount(codes * 12 + cells, minlength=len(labels) * 12).reshape(len(labels), 12)
    order = np.argsort(-counts.sum(axis=1), kind="stable")
    return pd.Index(labels[order]), counts[order]


def _reference(labels: pd.Index) -> int:
    """The largest group (groups come sorted by size); "unknown" only when it is alone."""
    known = np.flatnonzero(labels != UNKNOWN)
    return int(known[0]) if len(known) else 0


def _metric_function(metric: Metric):
    """A fairlearn metric over compressed rows: each row's `cell` and `weight` (entities)."""
    def rate(y_true, y_pred, cell, weight) -> float:
        below = weight[metric.denominator[cell]].sum()
        above = weight[metric.numerator[cell]].sum()
        return float(above / below) if below > 0 else float("nan")
    rate.__name__ = metric.name
    return rate


def _point_values(column: str, labels: pd.Index, counts: np.ndarray) -> pd.DataFrame:
    """Every rate of every group by MetricFrame, from one weighted row per non-empty cell."""
    group_index, cell = np.nonzero(counts)
    params = {"cell": cell, "weight": counts[group_index, cell].astype(float)}
    frame = MetricFrame(
        metrics={m.name: _metric_function(m) for m in METRICS},
        y_true=np.where(CONFIRMED[cell], 1.0, np.where(DISMISSED[cell], 0.0, np.nan)),
        y_pred=FLAGGED[cell].astype(int),
        sensitive_features=pd.Series(labels[group_index], name=column),
        sample_params={m.name: params for m in METRICS},
    )
    return frame.by_group.reindex(labels)


# --- fairness: intervals and the chance of parity -----------------------------------------

def _replicates(above: np.ndarray, below: np.ndarray, samples: int,
                rng: np.random.Generator) -> np.ndarray:
    """Replicates x groups: the Bayesian bootstrap of each group's rate, Jeffreys-smoothed,
    i.e. Beta(above + 1/2, below - above + 1/2); NaN where the denominator is empty."""
    draws = rng.beta(above + JEFFREYS, below - above + JEFFREYS, size=(samples, len(below)))
    return np.where(below > 0, draws, np.nan)


def _quantiles(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2.5 % and 97.5 % over the replicates (axis 0); NaN stays NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanquantile(samples, CI_QUANTILES, axis=0)
    return low, high


def _divide(values: np.ndarray, reference) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(values, dtype=float) / reference


def _p_parity(above: np.ndarray, below: np.ndarray, ref: int) -> np.ndarray:
    """Two-sided chance of parity, 2 min(P(X <= Y), P(X >= Y)), for each group's X and the
    reference's Y under their Beta laws: the trapezoid rule over Y's quantiles Phi(t),
    |t| <= 9 (error well under 1e-6 of the tail). NaN for the reference or an empty group."""
    a, b = above + JEFFREYS, below - above + JEFFREYS
    y = betaincinv(a[ref], b[ref], _U)[None, :]
    lower = betainc(a[:, None], b[:, None], y) @ _W  # P(X <= Y)
    upper = betainc(b[:, None], a[:, None], 1 - y) @ _W  # P(X >= Y)
    p = np.minimum(1.0, 2 * np.minimum(lower, upper))
    p[ref] = np.nan
    return np.where((below > 0) & (below[ref] > 0), p, np.nan)


def _column_table(frame: pd.DataFrame, cells: np.ndarray, column: str,
                  config: MonitoringConfig) -> pd.DataFrame:
    """GroupRate's fields (but `disparity`) for every group x metric of one column."""
    labels, counts = _cell_counts(_group_values(frame, column), cells)
    ref = _reference(labels)
    points = _point_values(column, labels, counts)
    rng = np.random.default_rng([RANDOM_STATE, zlib.crc32(column.encode())])
    parts = []
    for metric in METRICS:  # five metrics; every group at once
        above, below = metric.counts(counts)
        value = points[metric.name].to_numpy(dtype=float)
        draws = _replicates(above, below, config.bootstrap_samples, rng)
        ci_low, ci_high = _quantiles(draws)
        ratio_low, ratio_high = _quantiles(_divide(draws, draws[:, [ref]]))
        parts.append(pd.DataFrame({
            "column": column, "group": labels.astype(str), "metric": metric.name,
            "value": value, "ci_low": ci_low, "ci_high": ci_high, "n": below,
            "entities": counts.sum(axis=1), "ratio": _divide(value, value[ref]),
            "ratio_low": ratio_low, "ratio_high": ratio_high,
            "p_parity": _p_parity(above, below, ref),
            "protected": column in PROTECTED_COLUMNS,
            "reference": np.arange(len(labels)) == ref,
            "small": below < config.min_group_size,
            "reference_small": below[ref] < config.min_group_size,
        }))
    return pd.concat(parts, ignore_index=True)


REVIEW_METRICS = ("confirm_rate", "false_discovery_rate", "false_positive_rate")


def _with_disparities(table: pd.DataFrame, config: MonitoringConfig) -> tuple[pd.DataFrame, int]:
    """Mark the alarmed rows: out of band, and parity excluded at FAMILY_ERROR / m, where m
    counts the ratios that could be alarmed (neither side small, a defined ratio, a metric
    watched for the column: config.population_rate_alerts)."""
    low, high = config.parity_band
    watched = (table["metric"].isin(REVIEW_METRICS) | table["protected"]
               | (config.population_rate_alerts == "all"))
    eligible = (~table["reference"] & ~table["small"] & ~table["reference_small"]
                & table["ratio"].notna() & table["p_parity"].notna() & watched)
    comparisons = int(eligible.sum())
    outside = (table["ratio"] < low) | (table["ratio"] > high)
    excluded = table["p_parity"] < FAMILY_ERROR / max(comparisons, 1)
    return table.assign(disparity=eligible & outside & excluded), comparisons


def _percent(value: float) -> str:
    return f"{100 * value:.3g} %"


def _ratio_text(ratio: float) -> str:
    return f"a ratio of {ratio:.2f}" if math.isfinite(ratio) else "an unbounded ratio"


def _disparity_alert(rate: GroupRate, reference: GroupRate, entity_type: str,
                     band: tuple[float, float]) -> Alert:
    label = f"{rate.column} (protected)" if rate.protected else rate.column
    return Alert(
        monitor="fairness",
        entity_type=entity_type,
        subject=f"{rate.column}={rate.group} {rate.metric}",
        message=(f"{entity_type} {label} {rate.group}: {METRICS_BY_NAME[rate.metric].label} "
                 f"{_percent(rate.value)} against {_percent(reference.value)} for "
                 f"{reference.group}, {_ratio_text(rate.ratio)} (95 % interval "
                 f"{rate.ratio_low:.2f}-{rate.ratio_high:.2f}) outside the parity band "
                 f"{band[0]:.2f}-{band[1]:.2f}: check how this group is scored."),
        value=rate.ratio,
        limit=band[1] if rate.ratio > band[1] else band[0],
    )


def _check_columns(frame: pd.DataFrame, needed: list[str]) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns: {', '.join(missing)}")


def fairness(frame: pd.DataFrame, groups: list[str], *, entity_type: str,
             config: MonitoringConfig) -> FairnessResult:
    """The five rates per group of each column in `groups`, their 95 % intervals, their
    ratios to the reference group, and a disparity alert for each ratio out of band whose
    simultaneous interval excludes parity (never for small groups)."""
    _check_columns(frame, ["rank", "flagged", "outcome", *groups])
    fields = list(GroupRate.__dataclass_fields__)
    table, comparisons = pd.DataFrame(columns=fields), 0
    if len(frame) and groups:
        cells = _cells(frame, config.top_k)
        table = pd.concat([_column_table(frame, cells, c, config) for c in groups],
                          ignore_index=True)
        table, comparisons = _with_disparities(table, config)
    rates = tuple(GroupRate(**row) for row in table[fields].to_dict("records"))
    references = {r.column: r.group for r in rates if r.reference and r.metric == "flag_rate"}
    reference_rates = {(r.column, r.metric): r for r in rates if r.reference}
    alerts = tuple(_disparity_alert(r, reference_rates[(r.column, r.metric)], entity_type,
                                    config.parity_band)
                   for r in rates if r.disparity)
    return FairnessResult(
        entity_type=entity_type, entities=len(frame), top_k=config.top_k,
        parity_band=tuple(config.parity_band), min_group_size=config.min_group_size,
        bootstrap_samples=config.bootstrap_samples, comparisons=comparisons,
        references=references,
        protected=tuple(c for c in groups if c in PROTECTED_COLUMNS), rates=rates, alerts=alerts,
    )


# --- sparsity -----------------------------------------------------------------------------

def _feature_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """Features indexed by entity_id (an entity_id column, else the index); every other
    column but as_of and entity_type is a feature."""
    if "entity_id" in features.columns:
        features = features.set_index("entity_id")
    return features.drop(columns=[c for c in ("as_of", "entity_type") if c in features.columns])


def _sparsity_alert(group: GroupSparsity, entity_type: str, limit: float) -> Alert:
    label = f"{group.column} (protected)" if group.protected else group.column
    return Alert(
        monitor="sparsity", entity_type=entity_type, subject=f"{group.column}={group.group}",
        message=(f"{entity_type} {label} {group.group}: {_percent(group.missing_share)} of "
                 f"feature values are missing (limit {_percent(limit)}), so its scores may "
                 f"hide or inflate risk: check the data delivered for this group."),
        value=group.missing_share, limit=limit,
    )


def sparsity(features: pd.DataFrame, group_frame: pd.DataFrame, groups: list[str], *,
             entity_type: str, config: MonitoringConfig) -> SparsityResult:
    """Share of missing feature values per group of each column in `groups`; a group above
    config.sparse_share_limit and not small is alarmed. Entities absent from `group_frame`
    count as "unknown"."""
    _check_columns(group_frame, groups)
    matrix = _feature_matrix(features)
    per_entity = (matrix.isna().mean(axis=1) if matrix.shape[1]
                  else pd.Series(np.nan, index=matrix.index))
    joined = group_frame[groups].reindex(matrix.index)
    parts = []
    for column in groups:  # columns, not rows
        by_group = (per_entity.groupby(_group_values(joined, column).to_numpy())
                    .agg(["size", "mean"]).sort_values("size", ascending=False, kind="stable"))
        parts.append(pd.DataFrame({
            "column": column, "group": by_group.index.astype(str), "entities": by_group["size"],
            "missing_share": by_group["mean"], "protected": column in PROTECTED_COLUMNS,
            "small": by_group["size"] < config.min_group_size,
        }))
    fields = list(GroupSparsity.__dataclass_fields__)
    table = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=[f for f in fields if f != "sparse"]))
    table["sparse"] = (table["missing_share"] > config.sparse_share_limit) & ~table["small"]
    found = tuple(GroupSparsity(**row) for row in table[fields].to_dict("records"))
    return SparsityResult(
        entity_type=entity_type, entities=len(matrix), features=matrix.shape[1],
        missing_share=float(per_entity.mean()) if len(per_entity) else float("nan"),
        limit=config.sparse_share_limit, min_group_size=config.min_group_size,
        protected=tuple(c for c in groups if c in PROTECTED_COLUMNS), groups=found,
        alerts=tuple(_sparsity_alert(g, entity_type, config.sparse_share_limit)
                     for g in found if g.sparse),
    )


# --- figure -------------------------------------------------------------------------------

GREY, RED, BLACK, BLUE = "#b0b0b0", "#d62728", "#000000", "#1f77b4"


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    """At most MAX_GROUPS_SHOWN groups, alarmed and reference first, then the largest; in
    their order of size."""
    keep = rows.sort_values(["disparity", "reference", "entities"], ascending=False,
                            kind="stable").head(MAX_GROUPS_SHOWN)
    return rows.loc[rows.index.isin(keep.index)]


def _draw_column(axes, rows: pd.DataFrame, metric: Metric, band: tuple[float, float]) -> None:
    rows = _shown(rows).iloc[::-1]  # largest on top
    y = np.arange(len(rows))
    reference = rows.loc[rows["reference"], "value"]
    if len(reference) and np.isfinite(reference.iloc[0]):
        ref = float(reference.iloc[0])
        axes.axvspan(ref * band[0], ref * band[1], color="#2ca02c", alpha=0.12,
                     label="parity band")
        axes.axvline(ref, color=BLACK, linewidth=0.8, linestyle="--", label="reference")
    colours = np.select([rows["small"], rows["disparity"], rows["reference"]],
                        [GREY, RED, BLACK], BLUE)
    value = rows["value"].to_numpy(dtype=float)
    low = np.nan_to_num(np.clip(value - rows["ci_low"].to_numpy(dtype=float), 0, None))
    high = np.nan_to_num(np.clip(rows["ci_high"].to_numpy(dtype=float) - value, 0, None))
    for colour in np.unique(colours):  # one call per colour, not per group
        mask = colours == colour
        axes.errorbar(value[mask], y[mask], xerr=[low[mask], high[mask]], fmt="o",
                      color=colour, ecolor=colour, capsize=2, markersize=4)
    axes.set_yticks(y, [f"{g} (n={n})" for g, n in zip(rows["group"], rows["n"])], fontsize=8)
    protected = " (protected)" if rows["protected"].iloc[0] else ""
    axes.set_title(f"{metric.label} by {rows['column'].iloc[0]}{protected}", fontsize=10)
    axes.set_xlabel(metric.label)


def fairness_figure(result: FairnessResult, metric: str) -> Figure:
    """Per group column, the metric of each group as a dot with its 95 % interval, the
    reference group's value as a dashed line with the parity band shaded around it; small
    groups grey, alarmed ones red. An Agg canvas; nothing is written."""
    if metric not in METRICS_BY_NAME:
        raise ValueError(f"unknown metric {metric!r}: one of {', '.join(METRICS_BY_NAME)}")
    rates = result.frame()
    rates = rates[rates["metric"] == metric]
    columns = list(dict.fromkeys(rates["column"])) or ["(no groups)"]
    heights = [1.2 + 0.28 * min(MAX_GROUPS_SHOWN, max(2, int((rates["column"] == c).sum())))
               for c in columns]
    figure = Figure(figsize=(8, sum(heights)), layout="constrained")
    FigureCanvasAgg(figure)
    axes_column = figure.subplots(len(columns), 1, squeeze=False,
                                  gridspec_kw={"height_ratios": heights})[:, 0]
    for axes, column in zip(axes_column, columns):
        rows = rates[rates["column"] == column]
        if rows.empty:
            axes.text(0.5, 0.5, "no groups", ha="center", va="center")
            axes.set_axis_off()
        else:
            _draw_column(axes, rows, METRICS_BY_NAME[metric], result.parity_band)
    figure.suptitle(f"{result.entity_type}: {METRICS_BY_NAME[metric].label} by group")
    return figure
