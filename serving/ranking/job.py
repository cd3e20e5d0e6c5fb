"""The daily ranking job: score every in-scope entity, level, explain, store, raise cases.

    huoyan rank --data DIR --as-of 2026-07-01 [--out ranking.parquet]

Two phases. Computing (no database): for each entity type, the champion model (MLflow) scores
the features of every entity in scope at the date; entities are ordered by raw score (ties by
id), levelled (levels.py), and the flagged ones (level != none) explained and described with
their links (entities.py). Writing: ONE transaction for all three types deletes and re-inserts
the day's rankings, the entity directory and links, then raises cases (cases.py). One
transaction, not one per type, because the day is one picture: the review queue, the three
lists and their "previous" columns agree, and a crash anywhere leaves yesterday's complete
state rather than new tenders beside old officials. The computing phase runs before it, so the
database's write lock is held only for the writes.

E.g. with the default levels, a day with 1,000 tenders scoring 0.9, 0.8, ... stores 1,000
ranking rows, at most 10 red / 30 orange / 60 yellow with reasons, features and links, and
opens a case for each of those without an open case (or adds a warning to it); then a random
audit sample of the unflagged (config.audit_sample_share, at most audit_sample_max a type)
goes to review too, so that labels are not only what the model chose.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_contracts.loader import Dataset
from features.backend import Tables
from rulebook.card import RuleCard
from serving.config import LEVELS, ServingConfig
from serving.ranking import entities as directory_of
from serving.ranking import snapshot
from serving.ranking.cases import FLAG_COLUMNS, CaseCounts, open_audit_sample, raise_flags
from serving.ranking.frames import (
    ENTITY_TYPES,
    OUTPUT_SCHEMA,
    features_json,
    output_frame,
    rank_entities,
    with_previous,
)
from serving.ranking.levels import NONE, assign_levels
from serving.ranking.rules import day_hits

Progress = Callable[[str], None]


class NoChampion(RuntimeError):
    pass


@dataclass
class Scored:
    """One entity type, computed and not yet written."""

    entity_type: str
    model_version: str
    ranked: pd.DataFrame  # entity_id, raw, score, rank, level, reasons, rules, features, region
    directory: pd.DataFrame  # entities.DIRECTORY_COLUMNS
    links: pd.DataFrame  # entities.LINK_COLUMNS
    hits: pd.DataFrame  # rulebook.card.HIT_COLUMNS: the published cards' hits
    rule_flags: pd.DataFrame  # entity_id, rules (JSON): high-severity hits the model left at none
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def flagged(self) -> pd.DataFrame:
        return self.ranked[self.ranked["level"] != NONE]


@dataclass
class Summary:
    entity_type: str
    model_version: str
    entities: int
    levels: dict[str, int]
    cases: CaseCounts

    def line(self) -> str:
        levels = " ".join(f"{level} {self.levels.get(level, 0):,}" for level in LEVELS)
        return (f"{self.entity_type:>10}: {self.entities:>9,} entities ({self.model_version}); "
                f"{levels}; new cases {self.cases.opened} ({self.cases.by_rule} by rules), "
                f"warnings on open cases "
                f"{self.cases.warned}, suppressed {self.cases.suppressed}"
                f", audit sample {self.cases.sampled}"
                + (f", withdrawn {self.cases.withdrawn}" if self.cases.withdrawn else ""))


def _quiet(_: str) -> None:
    pass


class _Clock:
    def __init__(self, progress: Progress) -> None:
        self.progress, self.timings = progress, {}

    def step(self, name: str, started: float, note: str = "") -> float:
        now = time.perf_counter()
        self.timings[name] = now - started
        self.progress(f"{name}: {now - started:.1f}s{note}")
        return now


def champions(entity_types: tuple[str, ...] = ENTITY_TYPES) -> dict[str, tuple]:
    """The champion (RiskModel, Registered) of each type; NoChampion names the first missing."""
    from training import tracking

    tracking.connect()
    found = {}
    for entity_type in entity_types:
        champion = tracking.champion(entity_type)
        if champion is None:
            raise NoChampion(f"no champion model for {entity_type!r} in the MLflow registry "
                             f"({tracking.model_name(entity_type)}): run `huoyan train --data DIR` "
                             "first (or `huoyan promote`)")
        found[entity_type] = champion
    return found


def explain(model, features: pd.DataFrame, top: int) -> list[str]:
    """The reasons (JSON) of each row of `features`, strongest first."""
    from features.catalog import registry
    from rulebook.hits import with_rule_features
    from training.explain import reasons

    if features.empty:
        return []
    contributions = model.contributions(features)
    names = with_rule_features(registry(), getattr(model, "rules", ()))
    return [json.dumps(r, ensure_ascii=False)
            for r in reasons(contributions, features, names, top=top)]


def score_type(dataset: Dataset, tables: Tables, as_of: dt.date, entity_type: str, champion,
               config: ServingConfig, progress: Progress = _quiet,
               snapshot_dir: Path | None = None, rules: Sequence[RuleCard] = ()) -> Scored:
    from features.build import build_features

    model, registered = champion
    clock = _Clock(lambda m: progress(f"{entity_type}: {m}"))
    t = time.perf_counter()
    frame = build_features(tables, as_of, entity_types=(entity_type,))[entity_type].frame
    t = clock.step("features", t, f" ({len(frame):,} entities x {frame.shape[1] - 1})")
    found = day_hits(tables, as_of, entity_type, frame, rules, model)
    frame = found.model_features
    t = clock.step("rules", t, f" ({len(found.hits):,} hits of "
                   f"{sum(c.entity_type == entity_type for c in rules)} published cards)")
    raw = model.raw(frame)
    score = model.calibrator(raw)  # = model.predict(frame), without predicting twice
    ranked = rank_entities(frame["entity_id"], raw, score)
    ranked["level"] = assign_levels(ranked["score"].to_numpy(), config.levels)
    t = clock.step("score + rank + levels", t, f" ({registered.label})")

    # The feature rows in rank order, so masks over `ranked` select them too.
    ordered = frame.set_index("entity_id").loc[ranked["entity_id"]].reset_index()
    ranked["rules"] = found.lists(ranked["entity_id"])
    severe = found.high(rules)
    by_rule = ranked["entity_id"].isin(severe.index) & (ranked["level"] == NONE)
    rule_flags = pd.DataFrame({"entity_id": ranked.loc[by_rule, "entity_id"]}).assign(
        rules=lambda f: [json.dumps(severe[e]) for e in f["entity_id"]])
    mask = ((ranked["level"] != NONE) | by_rule).to_numpy()
    flagged = ordered[mask]
    ranked["reasons"], ranked["features"] = "[]", None
    ranked.loc[mask, "reasons"] = explain(model, flagged, config.reasons_per_entity)
    ranked.loc[mask, "features"] = features_json(flagged)
    t = clock.step("reasons", t, f" ({int(mask.sum()):,} flagged, {len(rule_flags):,} by rules "
                   "alone)")

    people = directory_of.directory(dataset, entity_type, ranked["entity_id"], as_of)
    ranked = ranked.merge(people[["entity_id", "region"]], on="entity_id", how="left",
                          validate="one_to_one")
    links = directory_of.links(dataset, entity_type, flagged["entity_id"], as_of)
    t = clock.step("directory + links", t, f" ({len(people):,} entities, {len(links):,} links)")
    if snapshot_dir is not None:
        snapshot.write_type(snapshot_dir, entity_type, ranked, frame)
        clock.step("snapshot", t)
    return Scored(entity_type, registered.label, ranked, people, links, found.hits, rule_flags,
                  clock.timings)


def export_frame(as_of: dt.date, scored: list[Scored]) -> pd.DataFrame:
    """The output contract's frame, validated (pandera)."""
    frames = [output_frame(as_of, s.entity_type, s.ranked, s.model_version) for s in scored]
    return OUTPUT_SCHEMA.validate(pd.concat(frames, ignore_index=True))


def flags_of(scored: list[Scored], config: ServingConfig) -> pd.DataFrame:
    """The day's flags: the model's (origin model), then the high-severity rule hits the
    model left at none (origin rule, at config.rule_flag_level)."""
    frames = []
    for s in scored:
        frames.append(s.flagged.assign(entity_type=s.entity_type, model_version=s.model_version,
                                       origin="model"))
        by_rule = s.ranked.drop(columns=["level", "rules"]).merge(s.rule_flags, on="entity_id")
        frames.append(by_rule.assign(entity_type=s.entity_type, model_version=s.model_version,
                                     origin="rule", level=config.rule_flag_level))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    return pd.concat(frames, ignore_index=True)[FLAG_COLUMNS]


def write(session, as_of: dt.date, scored: list[Scored], config: ServingConfig,
          now: dt.datetime, progress: Progress = _quiet) -> dict[str, CaseCounts]:
    """Everything of the day, in the caller's transaction (see the module docstring)."""
    from rulebook import store as rule_store
    from serving.ranking import following, store

    for s in scored:
        t = time.perf_counter()
        previous = store.previous_ranking(session, s.entity_type, as_of)
        rows = with_previous(s.ranked, previous)
        store.replace_ranking(session, as_of=as_of, entity_type=s.entity_type,
                              model_version=s.model_version, rows=rows, now=now)
        store.replace_entities(session, as_of=as_of, entity_type=s.entity_type,
                               directory=s.directory)
        store.replace_links(session, as_of=as_of, entity_type=s.entity_type, links=s.links)
        following.refresh_next_change(session, entity_type=s.entity_type, as_of=as_of)
        rule_store.replace_hits(session, as_of=as_of, entity_type=s.entity_type, hits=s.hits)
        spent = time.perf_counter() - t
        s.timings["write"] = spent
        progress(f"{s.entity_type}: written {len(rows):,} rankings, {len(s.directory):,} "
                 f"entities, {len(s.links):,} links in {spent:.1f}s")
    t = time.perf_counter()
    counts = raise_flags(session, as_of=as_of, flags=flags_of(scored, config), config=config,
                         now=now, entity_types=[s.entity_type for s in scored])
    for s in scored:
        counts.setdefault(s.entity_type, CaseCounts()).sampled = open_audit_sample(
            session, as_of=as_of, entity_type=s.entity_type, ranked=s.ranked,
            model_version=s.model_version, config=config, now=now)
    progress(f"cases: {time.perf_counter() - t:.1f}s")
    return counts


def write_output(frame: pd.DataFrame, out) -> None:
    """CSV or Parquet by extension, atomically (a temporary file renamed over the target)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.partial")
    frame = frame.assign(as_of=frame["as_of"].dt.date)
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(staging, index=False)
    else:
        frame.to_csv(staging, index=False)
    staging.replace(out)


def summaries(scored: list[Scored], counts: dict[str, CaseCounts]) -> list[Summary]:
    return [Summary(s.entity_type, s.model_version, len(s.ranked),
                    s.ranked["level"].value_counts().to_dict(),
                    counts.get(s.entity_type, CaseCounts())) for s in scored]


def run(dataset: Dataset, as_of: dt.date, *, config: ServingConfig, out=None,
        tables: Tables | None = None, entity_types: tuple[str, ...] = ENTITY_TYPES,
        progress: Progress = _quiet, now: dt.datetime | None = None,
        models: dict[str, tuple] | None = None,
        rules: Sequence[RuleCard] | None = None) -> list[Summary]:
    """The whole job on a loaded Dataset; returns one Summary per type. `rules`: the cards to
    run (default: the library's published cards)."""
    from features.backend import load
    from serving.db import transaction

    models = models or champions(entity_types)
    if rules is None:
        from rulebook.store import published_in_database

        rules = published_in_database()
    t = time.perf_counter()
    tables = tables or load(dataset)
    progress(f"engine load: {time.perf_counter() - t:.1f}s")
    staged = snapshot.staging(as_of)
    scored = [score_type(dataset, tables, as_of, entity_type, models[entity_type], config, progress,
                         staged, rules)
              for entity_type in entity_types]
    t = time.perf_counter()
    frame = export_frame(as_of, scored)
    progress(f"output frame validated: {time.perf_counter() - t:.1f}s ({len(frame):,} rows)")
    now = now or dt.datetime.now(dt.UTC)
    t = time.perf_counter()
    with transaction() as session:
        counts = write(session, as_of, scored, config, now, progress)
        progress("committing")
    progress(f"database (one transaction): {time.perf_counter() - t:.1f}s")
    kept = snapshot.publish(staged, as_of, {
        "as_of": as_of.isoformat(), "data": dataset.source, "created_at": now.isoformat(),
        "models": {s.entity_type: s.model_version for s in scored}})
    progress(f"snapshot for monitoring: {kept}")
    if out is not None:
        t = time.perf_counter()
        write_output(frame, out)
        progress(f"wrote {out}: {time.perf_counter() - t:.1f}s")
    return summaries(scored, counts)

