"""The closed loop on a trained world, with the real commands: rank, reviewers decide every
case (a script playing them, from the generator's ground truth), monitor, retrain; and the
alerts a scheduler sees (`huoyan monitor` exits 1) for an injected overdue case.

The trained home of the session (tests/conftest.py) is copied, so the training tests' store
stays as they expect it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tests.conftest import MIN_POSITIVES, RANKED_DATES, Ranked, Trained, huoyan

AS_OF = RANKED_DATES[-1]
READER = "boss"
TOKEN = "boss-token"


@pytest.fixture(scope="module")
def looped(ranked: Ranked, trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the ranked home after reviews, monitor and retrain; what each step printed."""
    home = tmp_path_factory.mktemp("loop-home")
    shutil.copytree(ranked.home, home, dirs_exist_ok=True)
    (home / "users.yaml").write_text(
        f"users:\n  - {{name: {READER}, roles: [supervisor], token: {TOKEN}}}\n", encoding="utf-8")
    decided = review_everything(home, trained)
    monitored = huoyan(home, "monitor", "--as-of", AS_OF)
    assert monitored.returncode in (0, 1), monitored.stderr[-3000:]
    retrained = huoyan(home, "retrain", "--data", str(trained.world), "--search-seconds", "1",
                       "--min-positives", str(MIN_POSITIVES))
    assert retrained.returncode == 0, retrained.stderr[-3000:]
    return {"home": home, "decided": decided, "monitored": monitored, "retrained": retrained}


def review_everything(home: Path, trained: Trained) -> dict[str, str]:
    """Two reviewers claim and decide every case: confirmed where the entity really is in a
    scheme, dismissed otherwise (a red dismissal agreed by the other). case label -> outcome."""
    from huoyan.settings import Settings
    from serving.config import ServingConfig
    from serving.db import engine_for
    from sqlalchemy.orm import sessionmaker

    from serving.review import service

    settings = Settings(home=home)
    sessions = sessionmaker(engine_for(settings.database_url), expire_on_commit=False)
    involved = set(trained.members["entity_id"])
    now, config, decided = dt.datetime.now(dt.UTC), ServingConfig(), {}
    for turn in range(10_000):
        reviewer, other = ("li", "wang") if turn % 2 else ("wang", "li")
        with sessions.begin() as session:
            case = service.claim_next(session, reviewer=reviewer, now=now)
            if case is None:
                break
            confirmed = case.entity_id in involved
            service.decide(session, case_id=case.id, reviewer=reviewer, now=now, config=config,
                           decision="confirmed" if confirmed else "dismissed",
                           reason_code="evidence_of_scheme" if confirmed else "insufficient_grounds",
                           note="scripted review")
            if case.state == "awaiting_second_review":
                service.second_review(session, case_id=case.id, reviewer=other, agree=True,
                                      note="agreed", now=now)
            decided[service.case_label(case.id)] = case.decision
    engine_for(settings.database_url).dispose()
    return decided


def test_ranking_opens_flags_and_an_audit_sample_and_every_one_is_decided(looped: dict) -> None:
    decided = looped["decided"]
    assert len(decided) > 50
    assert set(decided.values()) == {"confirmed", "dismissed"}


def test_monitor_stores_results_writes_the_report_and_serves_them(looped: dict,
                                                                   monkeypatch) -> None:
    home = looped["home"]
    monitored = looped["monitored"]
    report = home / "reports" / "monitoring" / AS_OF / "index.html"
    page = report.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "review coverage" in page
    assert all((home / "reports" / "monitoring" / AS_OF / f"drift-{t}.html").stat().st_size
               for t in ("official", "enterprise", "tender"))
    alerts = [line for line in monitored.stderr.splitlines() if line.startswith("[alert]")]
    assert (monitored.returncode == 1) == bool(alerts)  # non-zero exactly when alerts fired

    from serving.api.app import create_app

    monkeypatch.setenv("HUOYAN_HOME", str(home))
    monkeypatch.delenv("HUOYAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    with TestClient(create_app(preload_models=False)) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        latest = client.get("/api/v1/monitoring/latest", headers=headers).json()
        assert latest["as_of"] == AS_OF and len(latest["alerts"]) == len(alerts)
        monitors = {(r["monitor"], r["entity_type"]) for r in latest["results"]}
        for entity_type in ("official", "enterprise", "tender"):
            assert {("drift", entity_type), ("score_drift", entity_type),
                    ("fairness", entity_type), ("sparsity", entity_type)} <= monitors
        coverage = next(r for r in latest["results"] if r["monitor"] == "coverage")
        sample = coverage["figures"]["audit_sample"]
        assert sample["audit_sample"]["decided"] >= 3  # every type drew at least one
        assert sample["flagged"]["decided"] == len(looped["decided"]) - sample["audit_sample"]["decided"]
        assert client.get(latest["report"], headers=headers).status_code == 200


def test_retrain_learns_from_the_reviewed_decisions(looped: dict, trained: Trained,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from mlflow import MlflowClient

    from data_contracts.loader import load_dataset
    from monitoring.retrain import reviewed_labels, with_reviewed
    from training.pipeline import TrainParams, labels_and_splits

    decided, home = looped["decided"], looped["home"]
    assert f"+ {len(decided):,} reviewed decisions" in looped["retrained"].stderr
    client = MlflowClient(f"sqlite:///{home / 'mlflow.db'}")
    runs = client.search_runs(client.get_experiment_by_name("huoyan").experiment_id,
                              filter_string="tags.trigger = 'retrain'")
    assert {r.data.tags["entity_type"] for r in runs} == {"official", "enterprise", "tender"}
    assert all(r.data.tags["reviewed_labels"] == str(len(decided)) for r in runs)

    # The retrained runs' latest split tests on a window holding the reviewed labels, so the
    # new challengers' evaluation counts them.
    monkeypatch.setenv("HUOYAN_HOME", str(home))
    monkeypatch.delenv("HUOYAN_DATABASE_URL", raising=False)
    merged = with_reviewed(load_dataset(trained.world), reviewed_labels())
    labels, splits = labels_and_splits(merged.cases, TrainParams())
    assert {r.data.params["splits"].split(",")[-1] for r in runs} == {splits[-1].name}
    tested = splits[-1].test_labels(labels)
    days = [pd.Timestamp(day).to_period("Q").start_time for day in RANKED_DATES]  # snap QS
    reviewed = tested[tested["as_of"].isin(days)]
    assert len(reviewed) == len(decided)  # one label row per reviewed case
    before, _ = labels_and_splits(load_dataset(trained.world).cases, TrainParams())
    assert not before["as_of"].isin(days).any()  # the data had no label of those quarters


def test_an_overdue_case_raises_the_coverage_alert_and_exit_1(looped: dict,
                                                             tmp_path: Path) -> None:
    from huoyan.settings import Settings
    from serving.db import engine_for
    from serving.models import MonitorRun, ReviewCase

    home = tmp_path / "home"
    shutil.copytree(looped["home"], home)
    engine = engine_for(Settings(home=home).database_url)
    with engine.begin() as connection:  # a case the reviewers left open, past its due time
        connection.execute(update(ReviewCase).where(ReviewCase.id == 1).values(
            state="assigned", decision=None, decided_by=None, decided_at=None, closed_at=None,
            assignee="li", due_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC)))
    monitored = huoyan(home, "monitor", "--as-of", AS_OF)
    assert monitored.returncode == 1, monitored.stderr[-3000:]
    assert any(line.startswith("[alert] coverage:") and "overdue" in line
               for line in monitored.stderr.splitlines())
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(MonitorRun)) == 1  # replaced
    engine.dispose()


def test_monitor_without_a_ranking_of_the_day_exits_2(looped: dict) -> None:
    missing = huoyan(looped["home"], "monitor", "--as-of", "2026-07-02")
    assert missing.returncode == 2 and "huoyan rank --as-of 2026-07-02" in missing.stderr
