"""`huoyan train`: labels -> temporal splits -> a calibrated LightGBM per entity type -> MLflow.

For each entity type and each split (oldest first): fit trees on the earlier trainable rows,
calibrate on the later ones, score the whole cohort in scope at the split date, and compare,
at review capacity k, with two baselines: random (its expected value) and the red-flag count
(the classic risk index). With the generator's ground truth beside the data, the same top k
is also scored against the schemes really planted — labelled or not — which is the number that
says whether the model finds what nobody has investigated yet.

The latest split's model is registered as the challenger; the gate compares it with the
champion on that same latest holdout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd

from data_contracts.contract import CONTRACT_VERSION
from data_contracts.loader import Dataset
from features.backend import Tables
from features.build import build_features
from features.params import FeatureParams
from features.registry import REGISTRY_VERSION, EntityType, Registry
from rulebook.card import RuleCard
from rulebook.hits import add_hit_features, evaluate, with_rule_features
from training import metrics, tracking
from training.explain import reasons, shap_plots
from training.labels import label_rows
from training.model import RiskModel, fit_calibrator, monotone_constraints, search, train_booster
from training.splits import SplitParams, TemporalSplit, temporal_splits

Progress = Callable[[str], None]
# Ground truth: an entity counts as involved at D if its part in a scheme left traces during
# the year before D (features cannot see a scheme that starts later).
TRUTH_LOOKBACK_DAYS = 365


class NotEnoughLabels(ValueError):
    """The cases cannot support even one temporal split."""


@dataclass
class TrainParams:
    k: int = 100  # review capacity per entity type
    # Features of a label are taken at the start of the quarter the matter was raised in
    # ("QS"; "MS" for months): never later than the raising, and few dates to build.
    snap: str = "QS"
    search_seconds: float = 20.0  # per entity type
    # A split whose trees would see fewer confirmed rows is not evaluated for that entity type:
    # a model of 9 positives measures the labels' scarcity, not the method (on the demo world
    # the officials' first split has 9 and ranks below random; 48 reach 0.5 ground truth p@100).
    min_positives: int = 15
    splits: SplitParams = field(default_factory=SplitParams)
    features: FeatureParams = field(default_factory=FeatureParams)


class FeatureCache:
    """Features of all entity types at a date, built once per date, with the hits of the
    published rule cards as features too (rule_<id>: 1.0 where the card hit the entity)."""

    def __init__(self, tables: Tables, params: FeatureParams, progress: Progress,
                 rules: Sequence[RuleCard] = ()) -> None:
        self.tables, self.params, self.progress = tables, params, progress
        self.rules = tuple(rules)
        self._built: dict[dt.date, dict[str, pd.DataFrame]] = {}

    def rules_of(self, entity_type: str) -> tuple[RuleCard, ...]:
        return tuple(c for c in self.rules if c.entity_type == entity_type)

    def at(self, day: dt.date) -> dict[str, pd.DataFrame]:
        if day not in self._built:
            started = time.perf_counter()
            built = build_features(self.tables, day, self.params)
            self._built[day] = {t: self._with_hits(day, t, b.frame).set_index("entity_id")
                                for t, b in built.items()}
            self.progress(f"features as of {day} in {time.perf_counter() - started:.1f}s")
        return self._built[day]

    def _with_hits(self, day: dt.date, entity_type: str, frame: pd.DataFrame) -> pd.DataFrame:
        cards = self.rules_of(entity_type)
        if not cards:
            return frame
        return add_hit_features(frame, evaluate(self.tables, day, entity_type, frame, cards),
                                cards)


def matrix(rows: pd.DataFrame, entity_type: str, cache: FeatureCache) -> tuple[pd.DataFrame, np.ndarray]:
    """Features of labelled rows, each as of its own date; rows out of scope then are dropped."""
    parts = []
    for as_of, group in rows.groupby("as_of"):
        frame = cache.at(as_of.date())[entity_type]
        present = group[group["entity_id"].isin(frame.index)]
        parts.append(frame.loc[present["entity_id"]].assign(_label=present["label"].to_numpy()))
    if not parts:
        return pd.DataFrame(), np.array([])
    joined = pd.concat(parts)
    return joined.drop(columns="_label"), joined["_label"].to_numpy().astype(int)


def involved_at(members: pd.DataFrame | None, entity_type: str, day: dt.date) -> set[str] | None:
    if members is None:
        return None
    d = pd.Timestamp(day)
    m = members[members["entity_type"] == entity_type]
    live = (m["first_on"] < d) & (m["last_on"] >= d - pd.Timedelta(days=TRUTH_LOOKBACK_DAYS))
    return set(m.loc[live, "entity_id"])


@dataclass
class SplitEvaluation:
    split: str
    entity_type: str
    scores: dict[str, dict[str, float]]  # scorer ("model", "red_flags", "random") -> metrics


@dataclass
class Holdout:
    """A split's test: the cohort in scope at S with its features, the labels of matters
    raised in the test window, and (on a synthetic world) who was really involved at S."""

    name: str
    cohort: pd.DataFrame
    test: pd.DataFrame
    involved: set[str] | None
    red_flags: list[str]
    k: int

    @classmethod
    def of(cls, split: TemporalSplit, entity_type: str, rows: pd.DataFrame, cache: FeatureCache,
           members: pd.DataFrame | None, red_flags: list[str], k: int) -> Holdout:
        day = split.split_on.date()
        return cls(split.name, cache.at(day)[entity_type], split.test_labels(rows),
                   involved_at(members, entity_type, day), red_flags, k)

    def labels(self) -> pd.Series:
        """1 / 0 for entities decided in the test window, NaN for the rest of the cohort."""
        labels = pd.Series(np.nan, index=self.cohort.index)
        decided = self.test.drop_duplicates("entity_id").set_index("entity_id")["label"]
        labels.loc[labels.index.intersection(decided.index)] = decided
        return labels

    def evaluate(self, model: RiskModel) -> dict[str, dict[str, float]]:
        """Model, red-flag index and random, against the labels and, where known, the truth."""
        labels, index, k = self.labels(), self.cohort.index, self.k
        raw = model.raw(self.cohort)
        scorers = {
            "model": pd.Series(raw, index=index),
            "red_flags": metrics.red_flag_score(self.cohort, self.red_flags),
        }
        results = {
            "model": metrics.evaluate(labels, scorers["model"], k,
                                      pd.Series(model.calibrator(raw), index=index)),
            "red_flags": metrics.evaluate(labels, scorers["red_flags"], k),
            "random": metrics.random_at_k(labels, k),
        }
        if self.involved is not None:
            truth = pd.Series(index.isin(list(self.involved)), index=index).astype(float)
            for name, scores in scorers.items():
                results[name]["truth_precision_at_k"] = metrics.truth_precision_at_k(truth, scores, k)
            results["random"]["truth_precision_at_k"] = float(truth.mean())
        return results


def fit(rows: pd.DataFrame, split: TemporalSplit, entity_type: str, cache: FeatureCache,
        registry: Registry, hyper: dict, min_positives: int = 1) -> RiskModel | None:
    """Trees on the split's earlier rows, calibration on its later ones; None where the trees
    would see fewer than `min_positives` confirmed rows, or no dismissed one."""
    features = registry.names(entity_type)
    constraints = monotone_constraints(registry, features)
    x_tree, y_tree = matrix(split.tree_rows(rows), entity_type, cache)
    if y_tree.sum() < min_positives or (y_tree == 0).sum() == 0:
        return None
    x_cal, y_cal = matrix(split.calibration_rows(rows), entity_type, cache)
    booster = train_booster(x_tree[features], y_tree, hyper, constraints)
    raw = booster.predict(x_cal[features], raw_score=True) if len(x_cal) else np.array([])
    calibrator = fit_calibrator(raw, y_cal)
    return RiskModel(entity_type, booster, features, calibrator, hyper,
                     rules=cache.rules_of(entity_type))


def data_hash(dataset: Dataset) -> str:
    digest = hashlib.sha256()
    for name, frame in sorted(dataset.tables().items()):
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


@dataclass
class TypeResult:
    entity_type: str
    evaluations: list[SplitEvaluation]
    registered: tracking.Registered | None
    gate: str


def train_entity_type(
    entity_type: EntityType, labels: pd.DataFrame, splits: list[TemporalSplit],
    cache: FeatureCache, registry: Registry, members: pd.DataFrame | None,
    params: TrainParams, run_tags: dict[str, str], progress: Progress,
) -> TypeResult:
    rows = labels[labels["entity_type"] == entity_type]
    red_flags = [f.name for f in registry.of(entity_type) if f.red_flag]
    latest = splits[-1]
    x_fit, y_fit = matrix(latest.tree_rows(rows), entity_type, cache)
    x_chk, y_chk = matrix(latest.calibration_rows(rows), entity_type, cache)
    names = registry.names(entity_type)
    hyper, trials = search(x_fit[names] if len(x_fit) else x_fit, y_fit,
                           x_chk[names] if len(x_chk) else x_chk, y_chk,
                           monotone_constraints(registry, names), params.search_seconds)
    progress(f"{entity_type}: search tried {len(trials)} settings, chose {hyper}")
    evaluations: list[SplitEvaluation] = []
    with mlflow.start_run(run_name=f"{entity_type}-{latest.name}"):
        mlflow.set_tags({**run_tags, "entity_type": entity_type})
        mlflow.log_params({f"lgbm_{k}": v for k, v in hyper.items()} | {
            "k": params.k, "splits": ",".join(s.name for s in splits),
            "features": len(names), "label_rows": len(rows),
        })
        mlflow.log_text(json.dumps(trials, indent=1), "search_trials.json")
        for split in splits:
            model = fit(rows, split, entity_type, cache, registry, hyper, params.min_positives)
            if model is None:
                progress(f"{entity_type} {split.name}: fewer than {params.min_positives} "
                         "confirmed or no dismissed rows to train on, skipped")
                continue
            holdout = Holdout.of(split, entity_type, rows, cache, members, red_flags, params.k)
            scored = holdout.evaluate(model)
            evaluations.append(SplitEvaluation(split.name, entity_type, scored))
            for scorer, values in scored.items():
                mlflow.log_metrics({f"{split.name}.{scorer}.{m}": v for m, v in values.items()
                                    if np.isfinite(v)})
        averaged = average(evaluations)
        mlflow.log_metrics({f"mean.{s}.{m}": v for s, vs in averaged.items() for m, v in vs.items()
                            if np.isfinite(v)})
        if model is None:  # the latest split's: the one registered and gated
            return TypeResult(entity_type, evaluations, None,
                              f"no model: too few labels before {latest.name}")
        _log_explanations(model, holdout.cohort, registry, params.k)
        _log_reference(model, holdout.cohort)
        registered = tracking.log_model(model, holdout.cohort)
        verdict = gate(registered, evaluations[-1].scores, holdout)
        mlflow.set_tag("gate", verdict)
    progress(f"{entity_type}: registered {registered.label} ({verdict})")
    return TypeResult(entity_type, evaluations, registered, verdict)


def _log_explanations(model: RiskModel, cohort: pd.DataFrame, registry: Registry, k: int) -> None:
    """SHAP summary and dependence plots (on a sample of the latest cohort), and the reasons
    of the top of that cohort's ranking, as a reviewer would read them."""
    sample = cohort.sample(min(len(cohort), 2000), random_state=0)
    with tempfile.TemporaryDirectory(prefix="huoyan-plots-") as directory:
        for path in shap_plots(model.contributions(sample), sample, Path(directory),
                               f"huoyan-{model.entity_type}"):
            mlflow.log_artifact(str(path), "plots")
    top = cohort.loc[metrics.top_k(pd.Series(model.raw(cohort), index=cohort.index), min(k, 20))]
    explained = reasons(model.contributions(top), top, registry)
    mlflow.log_dict(
        [{"entity_id": entity, "score": float(score), "reasons": entity_reasons}
         for entity, score, entity_reasons in zip(top.index, model.predict(top), explained,
                                                  strict=True)],
        "top_reasons.json",
    )


REFERENCE_ROWS = 20_000


def _log_reference(model: RiskModel, cohort: pd.DataFrame) -> None:
    """The population the model was chosen on (the latest split's cohort, a seeded sample of
    at most REFERENCE_ROWS): its features and scores are what monitoring compares each day's
    with (drift of the features, drift of the scores)."""
    sample = cohort.sample(min(len(cohort), REFERENCE_ROWS), random_state=0)
    raw = model.raw(sample)
    frame = sample.assign(raw=raw, score=model.calibrator(raw)).reset_index()
    with tempfile.TemporaryDirectory(prefix="huoyan-reference-") as directory:
        path = Path(directory) / tracking.REFERENCE_FILE
        frame.to_parquet(path, index=False)
        mlflow.log_artifact(str(path))


def gate(registered: tracking.Registered, challenger: dict[str, dict[str, float]],
         holdout: Holdout) -> str:
    """Champion only if the challenger beats the champion's precision@k on the same latest
    holdout (`challenger`: the challenger's scores there). An undefined precision (no labelled
    row in the top k) never wins, so on a tie or without evidence the champion stays."""
    ours = challenger["model"]["precision_at_k"]
    current = tracking.champion(registered.entity_type)
    if current is None:
        tracking.set_champion(registered, {"promotion": "gate: first model"})
        return f"champion: first model (precision@{holdout.k} {ours:.3f})"
    model, held = current
    theirs = holdout.evaluate(model)["model"]["precision_at_k"]
    verdict = (f"challenger {ours:.3f} vs champion {held.label} {theirs:.3f} "
               f"precision@{holdout.k} on {holdout.name}")
    if np.nan_to_num(ours, nan=-1) > np.nan_to_num(theirs, nan=-1):
        tracking.set_champion(registered, {"promotion": "gate", "gate": verdict})
        return f"champion: {verdict}"
    return f"stays challenger: {verdict}"


def average(evaluations: list[SplitEvaluation]) -> dict[str, dict[str, float]]:
    if not evaluations:
        return {}
    scorers = evaluations[0].scores
    return {s: metrics.mean_of([e.scores[s] for e in evaluations]) for s in scorers}


def labels_and_splits(
    cases: pd.DataFrame | None, params: TrainParams
) -> tuple[pd.DataFrame, list[TemporalSplit]]:
    """Label rows on the snap grid, and the temporal splits anchored on that grid."""
    labels = label_rows(cases, params.snap)
    period = 3 if params.snap.startswith("Q") else 1
    return labels, temporal_splits(
        labels, params.splits.model_copy(update={"period_months": period})
    )


def train(
    dataset: Dataset, tables: Tables, members: pd.DataFrame | None,
    params: TrainParams | None = None, progress: Progress = print,
    tags: dict[str, str] | None = None, rules: Sequence[RuleCard] = (),
) -> list[TypeResult]:
    """Every entity type's model, evaluated, registered and gated; `tags` go on every run
    (e.g. what triggered it); the hits of `rules` (the published cards) are features too."""
    from features.catalog import registry as build_registry

    params = params or TrainParams()
    registry = with_rule_features(build_registry(params.features), rules)
    labels, splits = labels_and_splits(dataset.cases, params)
    if not splits:
        raise NotEnoughLabels(
            f"{len(labels)} decided cases (confirmed or dismissed) do not make a temporal split: "
            f"one needs {params.splits.min_train_months} months of labels before it and a label "
            "raised after it"
        )
    progress(f"{len(labels)} label rows; splits: {', '.join(s.name for s in splits)}")
    cache = FeatureCache(tables, params.features, progress, rules)
    if rules:
        progress(f"{len(rules)} published rule cards: their hits are features")
    tags = {"contract_version": CONTRACT_VERSION, "feature_registry_version": REGISTRY_VERSION,
            "data_hash": data_hash(dataset), "data_source": dataset.source, **(tags or {})}
    tracking.connect()
    return [
        train_entity_type(t, labels, splits, cache, registry, members, params, tags, progress)
        for t in ("official", "enterprise", "tender")
    ]
