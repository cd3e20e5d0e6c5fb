"""`huoyan monitor --as-of D`: every monitor on the day's ranking, stored and reported.

Inputs, all written earlier by the other jobs:
- the day's snapshot (serving/ranking/snapshot.py): every ranked entity with its score, rank,
  level and feature values, and the data directory the ranking read;
- each champion's reference (training/pipeline.py): the population it was chosen on;
- the review store: decisions (outcomes) and the queue (coverage);
- the contract tables, for the groups (region, unit, rank, ownership, gender, age band).

Per entity type: feature drift and score drift against the reference, fairness across groups
(flag rate, share of the top k, confirm rate, false discovery and false positive rates against
reviewed outcomes), data sparsity per group. Once: review coverage. Everything is stored (one
transaction replaces the day) and drawn into one HTML report; the exit status tells a
scheduler whether any alert fired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_contracts.loader import Dataset
from huoyan.settings import Settings, get_settings
from monitoring.alerts import Alert, MonitoringConfig
from monitoring.store import Result
from serving.models import ReviewCase
from serving.ranking import snapshot

ENTITY_TYPES = ("official", "enterprise", "tender")
Progress = Callable[[str], None]


@dataclass
class Section:
    """What the report shows of one entity type (or of the review queue)."""

    title: str
    results: list[Result] = field(default_factory=list)
    figures: list[tuple[str, Figure]] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (label, file name) beside it
    notes: list[str] = field(default_factory=list)

    @property
    def alerts(self) -> list[Alert]:
        return [a for r in self.results for a in r.alerts]


@dataclass
class Outcome:
    as_of: dt.date
    sections: list[Section]
    report: Path | None = None

    @property
    def results(self) -> list[Result]:
        return [r for s in self.sections for r in s.results]

    @property
    def alerts(self) -> list[Alert]:
        return [a for s in self.sections for a in s.alerts]


def outcomes(session: Session, entity_type: str) -> pd.Series:
    """1.0 confirmed / 0.0 dismissed per entity, from its latest closed, decided case
    (inconclusive and open cases give no outcome)."""
    query = (select(ReviewCase.entity_id, ReviewCase.decision)
             .where(ReviewCase.entity_type == entity_type, ReviewCase.state == "closed",
                    ReviewCase.decision.in_(("confirmed", "dismissed")))
             .order_by(ReviewCase.closed_at, ReviewCase.id))
    rows = pd.DataFrame(session.execute(query).all(), columns=["entity_id", "decision"])
    latest = rows.drop_duplicates("entity_id", keep="last").set_index("entity_id")["decision"]
    return (latest == "confirmed").astype(float)


def reference_of(entity_type: str, model_label: str) -> pd.DataFrame | None:
    """The champion's reference population, or None for a model trained without one."""
    from mlflow.exceptions import MlflowException

    from training import tracking

    version = model_label.rsplit("/", 1)[-1]
    try:
        return tracking.reference(tracking.registered(entity_type, version))
    except (MlflowException, OSError):
        return None


def drift_section(section: Section, entity_type: str, current: pd.DataFrame,
                  reference: pd.DataFrame | None, features: list[str], config: MonitoringConfig,
                  report_dir: Path) -> None:
    from monitoring.drift import drift_figure, feature_drift, score_drift, score_figure

    if reference is None:
        section.notes.append(f"{entity_type}: the champion was trained without a reference "
                             "population; retrain to monitor its drift.")
        return
    columns = [c for c in features if c in reference.columns]
    drift = feature_drift(reference, current, columns, entity_type=entity_type, config=config)
    page = f"drift-{entity_type}.html"
    (report_dir / page).write_text(drift.html, encoding="utf-8")
    scores = score_drift(reference["score"], current["score"], entity_type=entity_type,
                         config=config)
    section.results += [Result("drift", entity_type, drift.summary(), list(drift.alerts)),
                        Result("score_drift", entity_type, scores.summary(), list(scores.alerts))]
    section.figures += [("feature drift", drift_figure(drift)),
                        ("score distribution", score_figure(reference["score"], current["score"],
                                                            f"{entity_type}: risk score"))]
    section.pages.append((f"{entity_type}: Evidently data drift report", page))


def fairness_section(section: Section, entity_type: str, current: pd.DataFrame,
                     dataset: Dataset, as_of: dt.date, features: list[str],
                     outcome: pd.Series, config: MonitoringConfig) -> None:
    from monitoring.fairness import fairness, fairness_figure, sparsity
    from monitoring.groups import GROUP_COLUMNS, group_frame

    columns = list(GROUP_COLUMNS[entity_type])
    groups = group_frame(dataset, entity_type, current["entity_id"], as_of)
    frame = current[["entity_id", "rank"]].assign(
        flagged=(current["level"] != "none").to_numpy(),
        outcome=current["entity_id"].map(outcome).to_numpy(),
    ).join(groups[columns], on="entity_id")
    fair = fairness(frame, columns, entity_type=entity_type, config=config)
    sparse = sparsity(current[["entity_id", *features]], groups, columns,
                      entity_type=entity_type, config=config)
    section.results += [Result("fairness", entity_type, fair.to_dict(), list(fair.alerts)),
                        Result("sparsity", entity_type, sparse.to_dict(), list(sparse.alerts))]
    section.figures += [(f"fairness: {metric.replace('_', ' ')}", fairness_figure(fair, metric))
                        for metric in ("flag_rate", "confirm_rate")]


def coverage_section(session: Session, now: dt.datetime, config: MonitoringConfig) -> Section:
    from monitoring.coverage import coverage, coverage_figure

    result = coverage(session, now=now, config=config)
    section = Section("review coverage")
    section.results.append(Result("coverage", None, result.to_dict(), list(result.alerts)))
    section.figures.append(("decided within due time, and reviewers", coverage_figure(result)))
    return section


def run(as_of: dt.date, *, dataset: Dataset, session: Session, config: MonitoringConfig,
        report_dir: Path, now: dt.datetime, settings: Settings | None = None,
        progress: Progress = lambda _: None) -> Outcome:
    """Every monitor for the day (nothing stored here: see command.py)."""
    from features.catalog import registry

    from training import tracking

    settings = settings or get_settings()
    tracking.connect(settings)  # the champions' references are in this home's store
    manifest = snapshot.manifest(as_of, settings)
    sections = []
    for entity_type in ENTITY_TYPES:
        label = manifest["models"].get(entity_type)
        if label is None:
            continue
        section = Section(entity_type)
        current = snapshot.read(as_of, entity_type, settings)
        features = [c for c in registry().names(entity_type) if c in current.columns]
        drift_section(section, entity_type, current, reference_of(entity_type, label), features,
                      config, report_dir)
        progress(f"{entity_type}: drift done ({len(current):,} entities, {label})")
        fairness_section(section, entity_type, current, dataset, as_of, features,
                         outcomes(session, entity_type), config)
        progress(f"{entity_type}: fairness and sparsity done")
        sections.append(section)
    sections.append(coverage_section(session, now, config))
    progress("review coverage done")
    return Outcome(as_of, sections)
