"""The rule library over the API (/api/v1/rules), on a copy of the session's ranked home
(tests/conftest.py: the shipped cards published, two days ranked): who may read and change it,
what an invalid card is told, a card's versions from publication to retirement, one short
backtest stored, and the rule hits in a dossier."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import RANKED_DATES, Ranked
from tests.serving.api_support import auth, name_of, write_users

RULES = "/api/v1/rules"
CARD = """\
id: TA-901
title: Sole valid bid at a buyer that rarely sees one
domain: procurement
supervision_point: >
  One valid bid where the buyer's tenders usually draw several.
entity_type: tender
tables: [features]
rule:
  filter: single_valid_bid = 1 and buyer_single_bid_rate_365d < 0.2
severity: medium
owner: Test supervision office
created: 2026-11-01
changed: 2026-11-01
"""
STRICTER = CARD.replace("< 0.2", "< 0.1")


@pytest.fixture(scope="module")
def client(ranked: Ranked, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The API on a copy of the ranked home, its users those of api_support."""
    from serving.api.app import create_app

    home = tmp_path_factory.mktemp("rules-api")
    shutil.copytree(ranked.home, home, dirs_exist_ok=True)
    write_users(home)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUOYAN_HOME", str(home))
        patch.delenv("HUOYAN_DATABASE_URL", raising=False)
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        with TestClient(create_app(preload_models=False)) as test_client:
            test_client.home = home  # type: ignore[attr-defined]
            yield test_client


def library(client: TestClient, role: str = "analyst") -> dict[str, dict]:
    answer = client.get(RULES, headers=auth(role))
    assert answer.status_code == 200, answer.text
    return {r["id"]: r for r in answer.json()["rules"]}


def published_with_hits(client: TestClient) -> dict:
    """A shipped rule that hit something on the latest ranked day."""
    found = [r for r in library(client).values()
             if r["status"] == "published" and r["latest_hits"] > 0]
    assert found, "the shipped cards hit nothing on the ranked days"
    return found[0]


def test_everyone_reads_the_library_and_only_supervisors_change_it(client: TestClient) -> None:
    shipped = library(client, "data_scientist")
    assert shipped, "the ranked home has the shipped cards published"
    rule = published_with_hits(client)
    assert rule["latest_day"] == RANKED_DATES[-1]
    detail = client.get(f"{RULES}/{rule['id']}", headers=auth("analyst")).json()
    assert detail["card"]["id"] == rule["id"] and detail["versions"][-1]["status"] == "published"
    assert [h["as_of"] for h in detail["hits"]] == list(RANKED_DATES)
    assert detail["hits"][-1]["hits"] == rule["latest_hits"]
    assert client.get(f"{RULES}/ZZ-999", headers=auth("analyst")).status_code == 404

    for role in ("analyst", "reviewer", "data_scientist"):
        for path, body in (("publish", {"card": CARD}), ("validate", {"card": CARD}),
                           ("backtest", {"card": CARD, "months": 1})):
            answer = client.post(f"{RULES}/{path}", json=body, headers=auth(role))
            assert answer.status_code == 403, (role, path, answer.text)
        retired = client.post(f"{RULES}/{rule['id']}/retire", json={"reason": "not mine"},
                              headers=auth(role))
        assert retired.status_code == 403
    assert "TA-901" not in library(client)  # nothing was written
    for role in ("supervisor", "admin"):
        valid = client.post(f"{RULES}/validate", json={"card": CARD}, headers=auth(role))
        assert valid.status_code == 200, valid.text
        assert valid.json()["ok"] and valid.json()["card"]["id"] == "TA-901"


def test_an_invalid_card_is_told_what_is_wrong(client: TestClient) -> None:
    typo = CARD.replace("buyer_single_bid_rate_365d", "buyer_single_bid_rate_365")
    answer = client.post(f"{RULES}/validate", json={"card": typo}, headers=auth("supervisor"))
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_card"
    assert "'buyer_single_bid_rate_365'" in body["detail"]  # the column, and a suggestion
    assert "did you mean 'buyer_single_bid_rate_365d'" in body["detail"]

    no_owner = CARD.replace("owner: Test supervision office\n", "")
    answer = client.post(f"{RULES}/publish", json={"card": no_owner}, headers=auth("supervisor"))
    assert answer.status_code == 422 and "field owner" in answer.json()["detail"]
    assert "TA-901" not in library(client)


def test_a_card_is_published_changed_and_retired_with_every_version_kept(
        client: TestClient) -> None:
    supervisor = auth("supervisor")
    first = client.post(f"{RULES}/publish", json={"card": CARD, "note": "first draft"},
                        headers=supervisor)
    assert first.status_code == 200, first.text
    assert (first.json()["version"], first.json()["status"]) == (1, "published")
    listed = library(client)["TA-901"]
    assert (listed["version"], listed["status"], listed["backtest"]) == (1, "published", None)

    again = client.post(f"{RULES}/publish", json={"card": CARD}, headers=supervisor)
    assert again.json()["version"] == 1  # unchanged: nothing new
    changed = client.post(f"{RULES}/publish", json={"card": STRICTER, "note": "stricter"},
                          headers=supervisor)
    assert changed.json()["version"] == 2
    assert library(client)["TA-901"]["version"] == 2

    reason = {"reason": "the model covers it"}
    short = client.post(f"{RULES}/TA-901/retire", json={"reason": "no"}, headers=supervisor)
    assert short.status_code == 422
    retired = client.post(f"{RULES}/TA-901/retire", json=reason, headers=supervisor)
    assert retired.status_code == 200
    assert (retired.json()["version"], retired.json()["status"]) == (3, "retired")
    assert client.post(f"{RULES}/TA-901/retire", json=reason,
                       headers=supervisor).status_code == 409
    assert client.post(f"{RULES}/ZZ-999/retire", json=reason,
                       headers=supervisor).status_code == 404

    assert library(client)["TA-901"]["status"] == "retired"
    versions = client.get(f"{RULES}/TA-901", headers=auth("reviewer")).json()["versions"]
    assert [(v["version"], v["status"], v["note"]) for v in versions] == [
        (1, "published", "first draft"), (2, "published", "stricter"),
        (3, "retired", "the model covers it")]
    assert "< 0.2" in versions[0]["card"]["rule"]["filter"]
    assert {v["changed_by"] for v in versions} == {name_of("supervisor")}
    audit = client.get("/api/v1/audit", params={"subject_id": "TA-901"},
                       headers=auth("admin")).json()["entries"]
    assert [e["action"] for e in reversed(audit)] == ["rule_published", "rule_published",
                                                      "rule_retired"]


def test_a_short_backtest_is_stored_and_listed(client: TestClient) -> None:
    rule = published_with_hits(client)
    answer = client.post(f"{RULES}/backtest", headers=auth("supervisor"),
                         json={"rule_id": rule["id"], "end": RANKED_DATES[-1], "months": 2})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["rule_id"] == rule["id"] and result["run_by"] == name_of("supervisor")
    assert [m["month"] for m in result["months"]] == ["2026-06", "2026-07"]
    assert result["hit_entities"] >= result["months"][-1]["hits"] > 0

    listed = library(client)[rule["id"]]["backtest"]
    assert listed["hit_entities"] == result["hit_entities"]
    assert listed["precision"] == result["precision"]
    stored = client.get(f"{RULES}/{rule['id']}", headers=auth("analyst")).json()["backtests"]
    assert stored[-1]["months"] == result["months"]

    both = client.post(f"{RULES}/backtest", headers=auth("supervisor"),
                       json={"rule_id": rule["id"], "card": CARD})
    assert both.status_code == 422  # a card or a rule id, not both
    unknown = client.post(f"{RULES}/backtest", headers=auth("supervisor"),
                          json={"rule_id": "ZZ-999", "months": 1})
    assert unknown.status_code == 404


def test_the_dossier_lists_the_rule_hits(client: TestClient) -> None:
    engine = create_engine(f"sqlite:///{client.home / 'huoyan.db'}")  # type: ignore[attr-defined]
    with engine.connect() as connection:
        hit = connection.execute(text(
            "SELECT entity_type, entity_id, rule_id FROM rule_hits "
            "WHERE as_of = :day ORDER BY entity_type, entity_id LIMIT 1"),
            {"day": RANKED_DATES[-1]}).one()
    engine.dispose()
    dossier = client.get(f"/api/v1/entities/{hit.entity_type}/{hit.entity_id}",
                         headers=auth("reviewer"))
    assert dossier.status_code == 200, dossier.text
    hits = {h["rule_id"]: h for h in dossier.json()["rule_hits"]}
    assert hit.rule_id in hits
    found = hits[hit.rule_id]
    assert found["as_of"] == RANKED_DATES[-1] and found["title"] and found["severity"]
