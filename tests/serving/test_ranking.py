"""The daily ranking job (`huoyan rank`), on SQLite and PostgreSQL, with real trained models.

Models are trained once per module by the real `huoyan train` in a subprocess, on a world of
10,000 tenders (min positives 3: the world is small); its MLflow store is the one the in-process
runs read (MLFLOW_TRACKING_URI), while HUOYAN_HOME and HUOYAN_DATABASE_URL come from the
`database_url` fixture: a fresh migrated database per test and backend.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from huoyan.settings import get_settings
from serving.config import LevelRule, ServingConfig, load_config
from serving.db import transaction
from serving.models import (
    CaseEvent,
    CaseWarning,
    Entity,
    EntityLink,
    Ranking,
    RankingRun,
    ReviewCase,
    Suppression,
)
from serving.ranking import job
from serving.ranking.cases import audit_draw, sample_size
from serving.ranking.frames import OUTPUT_COLUMNS, OUTPUT_SCHEMA, rank_entities, with_previous
from serving.ranking.levels import assign_levels, severity
from tests.worlds import generate_world

SEED, TENDERS, MIN_POSITIVES = 5, 10_000, 3
DAY1, DAY2 = dt.date(2026, 7, 1), dt.date(2026, 7, 2)
NOW1 = dt.datetime(2026, 7, 1, 6, tzinfo=dt.UTC)
NOW2 = dt.datetime(2026, 7, 2, 6, tzinfo=dt.UTC)
TYPES = ("official", "enterprise", "tender")


# --- pure: levels ------------------------------------------------------------------------

RULES = {"red": LevelRule(threshold=0.6, capacity=2), "orange": LevelRule(threshold=0.3, capacity=2),
         "yellow": LevelRule(threshold=0.1, capacity=2)}


def sequential_levels(scores, rules) -> list[str]:
    """The docstring of serving/config.py, literally: one entity at a time from the top, never
    above the entity ranked just before it."""
    used = dict.fromkeys(rules, 0)
    out: list[str] = []
    for score in scores:
        allowed = ("red", "orange", "yellow")
        if out:
            allowed = tuple(a for a in allowed if severity(a) <= severity(out[-1]))
        level = next((name for name in allowed
                      if score >= rules[name].threshold and used[name] < rules[name].capacity),
                     "none")
        if level != "none":
            used[level] += 1
        out.append(level)
    return out


def test_levels_worked_example() -> None:
    scores = [0.90, 0.70, 0.65, 0.40, 0.35, 0.20, 0.12, 0.05]
    assert list(assign_levels(scores, RULES)) == [
        "red", "red", "orange", "orange", "yellow", "yellow", "none", "none"]


@pytest.mark.parametrize("seed", range(200))
def test_levels_monotone_within_capacity_and_thresholds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = np.sort(rng.choice([rng.random(), *rng.random(rng.integers(0, 40))],
                                size=rng.integers(0, 60)))[::-1]
    if seed % 5 == 0:  # a calibration that does not follow the raw order
        scores = rng.permutation(scores)
    thresholds = np.sort(rng.random(3))[::-1] if seed % 3 else rng.random(3)  # also unordered
    rules = {name: LevelRule(threshold=float(t), capacity=int(rng.integers(0, 8)))
             for name, t in zip(("red", "orange", "yellow"), thresholds, strict=True)}
    levels = list(assign_levels(scores, rules))
    assert levels == sequential_levels(scores, rules)
    sev = [severity(level) for level in levels]
    assert all(a >= b for a, b in zip(sev, sev[1:]))  # never rises as the rank falls
    for name, rule in rules.items():
        given = [s for s, level in zip(scores, levels) if level == name]
        assert len(given) <= rule.capacity
        assert all(s >= rule.threshold for s in given)


def test_levels_never_rise_even_when_scores_do() -> None:
    assert list(assign_levels([0.9, 0.05, 0.7], RULES)) == ["red", "none", "none"]
    assert list(assign_levels([], RULES)) == []


def test_order_by_raw_then_id_and_previous() -> None:
    ranked = rank_entities(pd.Series(["T2", "T1", "T3", "T4"]), np.array([0.9, 0.9, 1.2, -2.0]),
                           np.array([0.4, 0.4, 0.4, 0.01]))
    assert ranked["entity_id"].tolist() == ["T3", "T1", "T2", "T4"]
    assert ranked["rank"].tolist() == [1, 2, 3, 4]
    previous = pd.DataFrame({"entity_id": ["T1", "T9"], "score": [0.2, 0.9], "rank": [5, 1],
                             "level": ["none", "red"]})
    merged = with_previous(ranked, previous).set_index("entity_id")
    assert merged.loc["T1", "previous_rank"] == 5 and merged.loc["T1", "previous_level"] == "none"
    assert pd.isna(merged.loc["T3", "previous_rank"]) and pd.isna(merged.loc["T3", "previous_score"])
    assert with_previous(ranked, None)["previous_level"].isna().all()


# --- trained models and the world --------------------------------------------------------

@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("rank-home")
    world = generate_world(home / "world", SEED, TENDERS)
    env = {k: v for k, v in os.environ.items()
           if k not in ("MLFLOW_TRACKING_URI", "HUOYAN_DATABASE_URL")}
    run = subprocess.run([sys.executable, "-m", "huoyan", "train", "--data", str(world),
                          "--search-seconds", "1", "--min-positives", str(MIN_POSITIVES)],
                         env={**env, "HUOYAN_HOME": str(home)}, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    return home


@pytest.fixture
def store(home: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's database, and the trained home's MLflow store."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{home / 'mlflow.db'}")
    return database_url


@pytest.fixture(scope="module")
def dataset(home: Path):
    from data_contracts.loader import load_dataset

    return load_dataset(home / "world")


@pytest.fixture(scope="module")
def scored(home: Path, dataset) -> dict[dt.date, list[job.Scored]]:
    """Both days computed once (the computing phase is pure of the database)."""
    from features.backend import load

    saved = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{home / 'mlflow.db'}"
    try:
        models = job.champions()
    finally:
        os.environ.pop("MLFLOW_TRACKING_URI") if saved is None else os.environ.update(
            MLFLOW_TRACKING_URI=saved)
    tables, config = load(dataset), ServingConfig()
    return {day: [job.score_type(dataset, tables, day, t, models[t], config) for t in TYPES]
            for day in (DAY1, DAY2)}


NO_SAMPLE = ServingConfig(audit_sample_share=0)  # the flags alone (the sample has its test)


def write_day(scored: dict, day: dt.date, now: dt.datetime,
              config: ServingConfig = NO_SAMPLE) -> dict:
    with transaction() as session:
        return job.write(session, day, scored[day], config, now)


def count(model, *where) -> int:
    with transaction() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def frame_of(query) -> pd.DataFrame:
    with transaction() as session:
        result = session.execute(query)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


# --- the command, end to end -------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv"])
def test_rank_command_writes_the_contract_and_the_database(store: str, home: Path,
                                                           tmp_path: Path, suffix: str) -> None:
    from serving.ranking.command import rank

    out = tmp_path / f"ranking{suffix}"
    result = CliRunner().invoke(rank, ["--data", str(home / "world"), "--as-of", DAY1.isoformat(),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "new cases" in result.output and "official" in result.output

    frame = pd.read_csv(out, keep_default_na=False, dtype={"entity_id": str, "model_version": str})
    assert list(frame.columns) == OUTPUT_COLUMNS
    OUTPUT_SCHEMA.validate(frame.assign(as_of=pd.to_datetime(frame["as_of"])))
    assert set(frame["entity_type"]) == set(TYPES)
    for entity_type, group in frame.groupby("entity_type"):
        group = group.sort_values("rank")
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        sev = group["level"].map(severity).to_numpy()
        assert (np.diff(sev) <= 0).all()
        assert group["model_version"].nunique() == 1
        assert group["model_version"].iloc[0].startswith(f"huoyan-{entity_type}/")
    reasons = frame["reasons"].map(json.loads)
    flagged = frame["level"] != "none"
    assert flagged.any() and reasons[flagged].map(len).gt(0).all()
    assert reasons[~flagged].map(len).eq(0).all()  # reasons only for flagged entities
    for items in reasons[flagged]:
        strengths = [abs(r["contribution"]) for r in items]
        assert strengths == sorted(strengths, reverse=True)
        assert {"feature", "value", "contribution", "text"} == set(items[0])
    assert frame["rules"].map(json.loads).map(lambda x: x == []).all()

    stored = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.score, Ranking.rank,
                             Ranking.level, Ranking.model_version, Ranking.reasons, Ranking.rules,
                             Ranking.features, Ranking.previous_rank))
    merged = frame.merge(stored, on=["entity_type", "entity_id"], suffixes=("", "_db"),
                         validate="one_to_one")
    assert len(merged) == len(frame) == len(stored)
    for column in ("rank", "level", "model_version", "reasons", "rules"):
        assert (merged[column] == merged[f"{column}_db"]).all(), column
    assert np.allclose(merged["score"], merged["score_db"], rtol=0, atol=1e-12)
    assert merged["features"].notna().eq(merged["level"] != "none").all()
    assert merged["previous_rank"].isna().all()  # the first ranking
    assert count(RankingRun) == 3
    assert count(Entity) == len(frame)
    linked = frame_of(select(EntityLink.entity_type, EntityLink.entity_id).distinct())
    flagged_ids = set(zip(frame.loc[flagged, "entity_type"], frame.loc[flagged, "entity_id"]))
    assert set(zip(linked["entity_type"], linked["entity_id"])) <= flagged_ids
    assert set(linked["entity_type"]) == set(TYPES)
    co_bidders = frame_of(select(EntityLink.entity_id, func.count().label("n"))
                          .where(EntityLink.relation == "co-bidder").group_by(EntityLink.entity_id))
    assert len(co_bidders) and co_bidders["n"].max() <= 10
    assert count(ReviewCase, ReviewCase.origin == "model") == flagged.sum() == count(CaseWarning)
    sampled = frame_of(select(ReviewCase.entity_type, ReviewCase.entity_id, ReviewCase.level)
                       .where(ReviewCase.origin == "audit_sample"))
    unflagged = set(zip(frame.loc[~flagged, "entity_type"], frame.loc[~flagged, "entity_id"]))
    per_type = sampled.groupby("entity_type").size().to_dict()
    assert per_type == {t: sample_size(int((g["level"] == "none").sum()), ServingConfig())
                        for t, g in frame.groupby("entity_type")}  # 0.1 %, rounded up
    assert set(zip(sampled["entity_type"], sampled["entity_id"])) <= unflagged
    assert set(sampled["level"]) == {"yellow"}  # reviewed within the yellow due time
    days = get_settings().root / "snapshots"
    kept = {t: pd.read_parquet(days / DAY1.isoformat() / f"{t}.parquet") for t in TYPES}
    for entity_type, group in frame.groupby("entity_type"):
        day = kept[entity_type].set_index("entity_id").loc[group["entity_id"]]
        assert (day["rank"].to_numpy() == group["rank"].to_numpy()).all()
        assert day.shape[1] > 20  # raw, score, rank, level and the features
    persons = frame_of(select(Entity.is_person, Entity.entity_type).distinct())
    assert set(map(tuple, persons.to_numpy())) == {(True, "official"), (False, "enterprise"),
                                                   (False, "tender")}


def test_rank_without_a_champion_says_to_train(database_url: str, home: Path,
                                               tmp_path: Path, monkeypatch) -> None:
    from serving.ranking.command import rank

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'empty-mlflow.db'}")
    result = CliRunner().invoke(rank, ["--data", str(home / "world"), "--as-of", "2026-07-01"])
    assert result.exit_code != 0
    assert "official" in result.output and "huoyan train" in result.output


# --- the writes: idempotence, change, cases, suppression, atomicity -------------------------

def snapshot() -> dict[str, int]:
    return {m.__tablename__: count(m) for m in (RankingRun, Ranking, Entity, EntityLink,
                                                 ReviewCase, CaseWarning, CaseEvent)}


def test_rerun_of_the_same_date_replaces(store: str, scored) -> None:
    first = write_day(scored, DAY1, NOW1)
    before = snapshot()
    again = write_day(scored, DAY1, NOW1 + dt.timedelta(hours=1))
    assert snapshot() == before
    flagged = sum(len(s.flagged) for s in scored[DAY1])
    assert before["review_cases"] == before["case_warnings"] == before["case_events"] == flagged
    assert sum(c.opened for c in first.values()) == flagged
    assert sum(c.opened + c.warned for c in again.values()) == 0
    assert sum(c.repeated for c in again.values()) == flagged


def test_second_date_fills_previous_and_warns_open_cases(store: str, scored) -> None:
    write_day(scored, DAY1, NOW1)
    counts = write_day(scored, DAY2, NOW2)
    day1 = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.score, Ranking.rank,
                           Ranking.level).where(Ranking.as_of == DAY1))
    day2 = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.previous_score,
                           Ranking.previous_rank, Ranking.previous_level)
                    .where(Ranking.as_of == DAY2))
    both = day2.merge(day1, on=["entity_type", "entity_id"], how="left")
    seen = both["rank"].notna()
    assert seen.any()
    assert (both.loc[seen, "previous_rank"] == both.loc[seen, "rank"]).all()
    assert (both.loc[seen, "previous_level"] == both.loc[seen, "level"]).all()
    assert np.allclose(both.loc[seen, "previous_score"], both.loc[seen, "score"])
    assert both.loc[~seen, "previous_rank"].isna().all()

    flagged1 = {(s.entity_type, e) for s in scored[DAY1] for e in s.flagged["entity_id"]}
    flagged2 = {(s.entity_type, e) for s in scored[DAY2] for e in s.flagged["entity_id"]}
    again = flagged1 & flagged2
    assert again  # a day later, mostly the same entities
    assert sum(c.warned for c in counts.values()) == len(again)
    assert sum(c.opened for c in counts.values()) == len(flagged2 - flagged1)
    cases = frame_of(select(ReviewCase.id, ReviewCase.entity_type, ReviewCase.entity_id,
                            ReviewCase.level, ReviewCase.opened_as_of))
    assert not cases.duplicated(["entity_type", "entity_id"]).any()  # one open case each
    warnings = frame_of(select(CaseWarning.case_id, CaseWarning.as_of, CaseWarning.level))
    assert len(warnings) == len(flagged1) + len(flagged2)
    per_case = warnings.groupby("case_id")["level"].agg(lambda s: max(s, key=severity))
    assert (cases.set_index("id")["level"].sort_index() == per_case.sort_index()).all()  # a case takes its highest level
    events = frame_of(select(CaseEvent.action, CaseEvent.actor))
    assert (events["action"] == "warning").sum() == len(again)
    assert set(events["actor"]) == {"system"}


def test_audit_sample_size_and_draw() -> None:
    config = ServingConfig(audit_sample_share=0.001, audit_sample_max=20)
    assert [sample_size(n, config) for n in (0, 1, 999, 1000, 1001, 5986, 200_000)] == [
        0, 1, 1, 1, 2, 6, 20]
    assert sample_size(10_000, ServingConfig(audit_sample_share=0)) == 0
    ids = pd.Series([f"T{i}" for i in range(1000)])
    first = audit_draw(DAY1, "tender", ids, 5)
    assert first.tolist() == audit_draw(DAY1, "tender", ids.sample(frac=1, random_state=1),
                                        5).tolist()  # the same draw, whatever the order
    assert first.tolist() != audit_draw(DAY2, "tender", ids, 5).tolist()  # a new day, a new draw


def test_audit_sample_is_drawn_once_a_day_from_the_unflagged(store: str, scored) -> None:
    config = ServingConfig(audit_sample_share=0.01, audit_sample_max=3)
    first = write_day(scored, DAY1, NOW1, config)
    assert {t: c.sampled for t, c in first.items()} == {t: 3 for t in TYPES}
    drawn = frame_of(select(ReviewCase.id, ReviewCase.entity_type, ReviewCase.entity_id,
                            ReviewCase.state, ReviewCase.due_at)
                     .where(ReviewCase.origin == "audit_sample"))
    flagged = {(s.entity_type, e) for s in scored[DAY1] for e in s.flagged["entity_id"]}
    assert len(drawn) == 9 and not set(zip(drawn["entity_type"], drawn["entity_id"])) & flagged
    assert (drawn["state"] == "new").all()
    again = write_day(scored, DAY1, NOW1 + dt.timedelta(hours=1), config)  # a re-run
    assert sum(c.sampled for c in again.values()) == 0
    assert count(ReviewCase, ReviewCase.origin == "audit_sample") == 9
    events = frame_of(select(CaseEvent.detail).where(CaseEvent.case_id.in_(drawn["id"].tolist())))
    assert all(json.loads(d)["audit_sample"] is True for d in events["detail"])


def rerun_day1_as_day2_scored(scored: dict, now: dt.datetime) -> dict:
    """A re-run of DAY1 that ranks as DAY2 did: other ranks, fewer or other flags."""
    with transaction() as session:
        return job.write(session, DAY1, scored[DAY2], NO_SAMPLE, now)


def test_rerun_of_an_earlier_date_refreshes_the_next_dates_change(store: str, scored) -> None:
    write_day(scored, DAY1, NOW1)
    write_day(scored, DAY2, NOW2)
    rerun_day1_as_day2_scored(scored, NOW2 + dt.timedelta(hours=1))
    day1 = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.score, Ranking.rank,
                           Ranking.level).where(Ranking.as_of == DAY1))
    day2 = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.previous_score,
                           Ranking.previous_rank, Ranking.previous_level)
                    .where(Ranking.as_of == DAY2))
    both = day2.merge(day1, on=["entity_type", "entity_id"], how="left", validate="one_to_one")
    assert both["rank"].notna().all()  # the re-run ranked the same entities as DAY2
    assert (both["previous_rank"] == both["rank"]).all()
    assert (both["previous_level"] == both["level"]).all()
    assert np.allclose(both["previous_score"], both["score"])


def test_rerun_withdraws_flags_it_no_longer_raises(store: str, scored) -> None:
    from serving.review import service

    write_day(scored, DAY1, NOW1)
    flagged1 = {(s.entity_type, e) for s in scored[DAY1] for e in s.flagged["entity_id"]}
    flagged2 = {(s.entity_type, e) for s in scored[DAY2] for e in s.flagged["entity_id"]}
    dropped = sorted(flagged1 - flagged2)
    assert len(dropped) >= 2
    (busy_type, busy_id), (quiet_type, quiet_id) = dropped[0], dropped[1]
    with transaction() as session:
        busy = session.scalar(select(ReviewCase.id).where(ReviewCase.entity_type == busy_type,
                                                          ReviewCase.entity_id == busy_id))
        service.assign(session, case_id=busy, reviewer="li", by="boss", now=NOW1)

    counts = rerun_day1_as_day2_scored(scored, NOW1 + dt.timedelta(hours=2))
    assert sum(c.withdrawn for c in counts.values()) == len(dropped)
    assert count(ReviewCase, ReviewCase.entity_type == quiet_type,
                 ReviewCase.entity_id == quiet_id) == 0  # untouched: gone with its warning
    assert count(ReviewCase, ReviewCase.id == busy) == 1  # a person holds it: kept, told
    assert count(CaseWarning, CaseWarning.case_id == busy) == 0
    events = frame_of(select(CaseEvent.action).where(CaseEvent.case_id == busy))["action"]
    assert "warning_withdrawn" in set(events)
    cases = frame_of(select(ReviewCase.entity_type, ReviewCase.entity_id))
    assert set(zip(cases["entity_type"], cases["entity_id"])) == flagged2 | {(busy_type, busy_id)}
    assert count(CaseWarning) == len(flagged2)


def test_suppressed_entity_is_ranked_but_raises_no_case(store: str, scored) -> None:
    tenders = next(s for s in scored[DAY1] if s.entity_type == "tender")
    silenced = tenders.flagged["entity_id"].iloc[0]
    lifted = tenders.flagged["entity_id"].iloc[1]
    with transaction() as session:
        for entity_id, lifted_at in ((silenced, None), (lifted, NOW1)):
            session.add(Suppression(entity_type="tender", entity_id=entity_id,
                                    starts_on=DAY1 - dt.timedelta(days=3), until=DAY1,
                                    reason="known situation", created_by="sup",
                                    created_at=NOW1, lifted_at=lifted_at))
    counts = write_day(scored, DAY1, NOW1)
    assert counts["tender"].suppressed == 1
    assert count(ReviewCase, ReviewCase.entity_id == silenced) == 0
    assert count(ReviewCase, ReviewCase.entity_id == lifted) == 1
    level = frame_of(select(Ranking.level).where(Ranking.entity_id == silenced))["level"].iloc[0]
    assert level != "none"
    counts = write_day(scored, DAY2, NOW2)  # expired after `until`: raises again
    assert counts["tender"].suppressed == 0


def test_failure_midway_leaves_the_earlier_state(store: str, scored, monkeypatch) -> None:
    write_day(scored, DAY1, NOW1)
    before = snapshot()
    rankings = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.as_of, Ranking.rank)
                        .order_by(Ranking.entity_type, Ranking.rank))

    def broken(*args, **kwargs):
        raise RuntimeError("crash after the rankings were written")

    monkeypatch.setattr(job, "raise_flags", broken)
    for day, now in ((DAY2, NOW2), (DAY1, NOW2)):  # a new day, and a re-run of the old one
        with pytest.raises(RuntimeError, match="crash"):
            write_day(scored, day, now)
        assert snapshot() == before
    after = frame_of(select(Ranking.entity_type, Ranking.entity_id, Ranking.as_of, Ranking.rank)
                     .order_by(Ranking.entity_type, Ranking.rank))
    pd.testing.assert_frame_equal(after, rankings)


def test_parquet_export_of_a_run(tmp_path: Path, scored) -> None:
    out = tmp_path / "ranking.parquet"
    frame = job.export_frame(DAY1, scored[DAY1])
    job.write_output(frame, out)
    read = pd.read_parquet(out)
    assert list(read.columns) == OUTPUT_COLUMNS
    assert read["as_of"].iloc[0] == DAY1
    assert len(read) == sum(len(s.ranked) for s in scored[DAY1])
    assert not list(tmp_path.glob(".*partial"))
    assert load_config().reasons_per_entity >= max(
        read["reasons"].map(lambda r: len(json.loads(r))))


def test_a_higher_level_raises_the_open_case_and_brings_its_due_date_forward(database_url: str) -> None:
    from serving.ranking.cases import raise_flags

    config = ServingConfig()

    def flags(level: str, score: float) -> pd.DataFrame:
        return pd.DataFrame({"entity_type": ["tender"], "entity_id": ["T1"], "level": [level],
                             "score": [score], "model_version": ["huoyan-tender/1"]})

    with transaction() as session:
        counts = raise_flags(session, as_of=DAY1, flags=flags("yellow", 0.15), config=config,
                             now=NOW1)
    assert counts["tender"].opened == 1
    with transaction() as session:
        counts = raise_flags(session, as_of=DAY2, flags=flags("red", 0.9), config=config, now=NOW2)
    assert counts["tender"].warned == 1 and counts["tender"].raised == 1
    with transaction() as session:
        case = session.scalars(select(ReviewCase)).one()
        due = case.due_at if case.due_at.tzinfo else case.due_at.replace(tzinfo=dt.UTC)
        assert case.level == "red" and case.state == "new" and case.opened_as_of == DAY1
        assert due == config.due("red", NOW2) < config.due("yellow", NOW1)
        actions = session.scalars(select(CaseEvent.action).order_by(CaseEvent.id)).all()
        assert actions == ["opened", "warning"]
        # A lower level later neither lowers the case nor moves its due date back.
    with transaction() as session:
        raise_flags(session, as_of=DAY2 + dt.timedelta(days=1), flags=flags("yellow", 0.2),
                    config=config, now=NOW2 + dt.timedelta(days=1))
    with transaction() as session:
        case = session.scalars(select(ReviewCase)).one()
        assert case.level == "red" and count(CaseWarning) == 3
