"""What the API tests share: one user per role, a seeded service database, a tiny real
champion in a temporary MLflow store, and a TestClient on a fresh app.

The seed writes rows directly (no ranking job): officials, enterprises and tenders ranked on
two days, identities, links and review cases with warnings, e.g. enterprise E1 (red, linked to
the person P7 and the unit U2) and official P1 (a person, orange).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient

from serving.db import transaction
from serving.models import (
    CaseWarning,
    Entity,
    EntityLink,
    Ranking,
    RankingRun,
    ReviewCase,
)

NOW = dt.datetime(2026, 9, 3, 9, 0, tzinfo=dt.UTC)
DAY1, DAY2 = dt.date(2026, 9, 1), dt.date(2026, 9, 2)
SCORED_TYPE = "tender"  # the entity type with a champion in the test store
USERS = {  # role -> (name, token)
    "analyst": ("analyst.an", "t-analyst"),
    "reviewer": ("reviewer.li", "t-reviewer"),
    "reviewer2": ("reviewer.wang", "t-reviewer-2"),
    "supervisor": ("supervisor.zhao", "t-supervisor"),
    "data_scientist": ("scientist.chen", "t-scientist"),
    "admin": ("admin.liu", "t-admin"),
}
ROLE_OF = {"reviewer2": "reviewer"}
ENTERPRISE_FEATURES = {"wins_365d": 9.0, "top_buyer_wins_365d": 7.0,
                       "top_buyer_share_365d": 0.78}


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {USERS[role][1]}"}


def name_of(role: str) -> str:
    return USERS[role][0]


def write_users(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    users = [{"name": name, "roles": [ROLE_OF.get(role, role)], "token": token}
             for role, (name, token) in USERS.items()]
    (home / "users.yaml").write_text(yaml.safe_dump({"users": users}), encoding="utf-8")


# --- seed ---------------------------------------------------------------------------------

RANKED = {  # entity_type -> [(entity_id, score, level)] best first, both days
    "official": [("P1", 0.45, "orange"), ("P2", 0.2, "yellow"), ("P3", 0.05, "none")],
    "enterprise": [("E1", 0.7, "red"), ("E2", 0.35, "orange"), ("E3", 0.12, "yellow"),
                   ("E4", 0.01, "none")],
    "tender": [("T1", 0.65, "red"), ("T2", 0.02, "none")],
}
REGIONS = {"P1": "320100", "E1": "320100", "E2": "110000", "T1": "320100"}
NAMES = {"P1": ("王芳", True), "P2": ("李强", True), "P3": ("赵磊", True),
         "E1": ("某建设公司", False), "E2": ("某贸易公司", False), "E3": ("某科技公司", False),
         "E4": ("某物流公司", False), "T1": ("道路维修", False), "T2": ("办公用品", False)}


def _ranking(day: dt.date, entity_type: str, run_id: int, rank: int, entity_id: str,
             score: float, level: str, previous: Ranking | None) -> Ranking:
    flagged = level != "none"
    features = ENTERPRISE_FEATURES if entity_id == "E1" else {"unused": 1.0}
    return Ranking(
        as_of=day, entity_type=entity_type, entity_id=entity_id, run_id=run_id, score=score,
        rank=rank, level=level, model_version=f"huoyan-{entity_type}/1",
        reasons=json.dumps([{"feature": "top_buyer_share_365d", "value": 0.78,
                             "contribution": 0.21, "text": "won 7 of its 9 contracts at one "
                                                           "buyer"}] if flagged else []),
        rules=json.dumps(["R018"] if entity_id == "T1" else []),
        features=json.dumps(features) if flagged and day == DAY2 else None,
        region=REGIONS.get(entity_id),
        previous_score=previous.score if previous else None,
        previous_rank=previous.rank if previous else None,
        previous_level=previous.level if previous else None,
    )


def _seed_rankings(session) -> None:  # noqa: ANN001
    for entity_type, rows in RANKED.items():
        previous: dict[str, Ranking] = {}
        days = (DAY1, DAY2) if entity_type == "official" else (DAY2,)
        for day in days:
            run = RankingRun(as_of=day, entity_type=entity_type,
                             model_version=f"huoyan-{entity_type}/1", entities=len(rows),
                             flagged=sum(level != "none" for *_, level in rows), created_at=NOW)
            session.add(run)
            session.flush()
            for rank, (entity_id, score, level) in enumerate(rows, start=1):
                day_score = score if day == DAY2 else score / 2
                row = _ranking(day, entity_type, run.id, rank, entity_id, day_score, level,
                               previous.get(entity_id))
                session.add(row)
                previous[entity_id] = row


def _seed_identities(session) -> None:  # noqa: ANN001
    for entity_type, rows in RANKED.items():
        for entity_id, *_ in rows:
            name, is_person = NAMES[entity_id]
            session.add(Entity(entity_type=entity_type, entity_id=entity_id, name=name,
                               is_person=is_person, region=REGIONS.get(entity_id),
                               details=json.dumps({"note": "seeded"}), as_of=DAY2))
    session.add_all([
        EntityLink(entity_type="enterprise", entity_id="E1", linked_type="person",
                   linked_id="P7", linked_name="张伟", linked_is_person=True,
                   relation="shareholder", weight=0.6),
        EntityLink(entity_type="enterprise", entity_id="E1", linked_type="unit",
                   linked_id="U2", linked_name="交通局", linked_is_person=False,
                   relation="contracts won", weight=3.0),
    ])


def _case(entity_type: str, entity_id: str, level: str, opened: dt.datetime,
          due_hours: float) -> ReviewCase:
    return ReviewCase(entity_type=entity_type, entity_id=entity_id, origin="model",
                      state="new", level=level, opened_at=opened, opened_as_of=opened.date(),
                      due_at=opened + dt.timedelta(hours=due_hours))


def seed() -> dict[str, int]:
    """Rankings, identities, links and four new cases; returns case ids by entity id."""
    opened = dt.datetime(2026, 9, 2, 6, 0, tzinfo=dt.UTC)
    with transaction() as session:
        _seed_rankings(session)
        _seed_identities(session)
        cases = {
            "E1": _case("enterprise", "E1", "red", opened, 48),
            "T1": _case("tender", "T1", "red", opened, 47),
            "P1": _case("official", "P1", "orange", opened, 7 * 24),
            "E3": _case("enterprise", "E3", "yellow", opened - dt.timedelta(days=20), 14 * 24),
        }
        session.add_all(cases.values())
        session.flush()
        for entity_id, case in cases.items():
            score = dict((e, s) for e, s, _ in RANKED[case.entity_type])[entity_id]
            session.add(CaseWarning(case_id=case.id, as_of=DAY2, level=case.level,
                                    score=score, model_version=f"huoyan-{case.entity_type}/1"))
        return {entity_id: case.id for entity_id, case in cases.items()}


# --- a tiny real champion -----------------------------------------------------------------


def register_champion(home: Path) -> str:
    """Train a small LightGBM tender model on random rows and make it champion; returns the
    tracking URI of the store."""
    import mlflow

    from features.catalog import registry
    from training import tracking
    from training.model import Calibrator, RiskModel, monotone_constraints, train_booster

    names = registry().names(SCORED_TYPE)
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.random((300, len(names))), columns=names)
    frame["single_valid_bid"] = (frame["single_valid_bid"] > 0.7).astype(float)
    labels = ((frame["single_valid_bid"] + frame["price_to_estimate"]) > 1.2).astype(int)
    booster = train_booster(frame, labels.to_numpy(), {"num_leaves": 4, "min_data_in_leaf": 10,
                                                       "num_boost_round": 20},
                            monotone_constraints(registry(), names))
    model = RiskModel(SCORED_TYPE, booster, names, Calibrator("platt", {"a": 1.0, "b": 0.0}), {})
    with pytest.MonkeyPatch.context() as patch:
        uri = f"sqlite:///{home / 'mlflow.db'}"
        patch.setenv("HUOYAN_HOME", str(home))
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        tracking.connect()
        with mlflow.start_run():
            registered = tracking.log_model(model, frame)
            mlflow.log_metrics({"mean.model.precision_at_k": 0.5,
                                "mean.random.precision_at_k": 0.1})
            mlflow.set_tag("gate", "champion: first model")
        tracking.set_champion(registered, {"promotion": "gate: first model"})
    return uri


@pytest.fixture(scope="session")
def champion_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return register_champion(tmp_path_factory.mktemp("mlflow-home"))


@pytest.fixture
def client(database_url: str, champion_store: str,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A fresh app on the test's database and home (users written, rows seeded), at NOW."""
    from huoyan.settings import get_settings
    from serving.api.app import create_app
    from serving.api.deps import now

    monkeypatch.setenv("MLFLOW_TRACKING_URI", champion_store)
    write_users(get_settings().root)
    app = create_app(preload_models=False)
    app.dependency_overrides[now] = lambda: NOW
    with TestClient(app) as test_client:
        test_client.case_ids = seed()  # type: ignore[attr-defined]
        yield test_client
