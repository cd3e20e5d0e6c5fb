"""The API on both backends: rankings, dossiers (privacy, audit), what-if scores, the review
workflow, suppressions, notifications, the audit log, models, health, malformed requests and
the OpenAPI document."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from serving.api.permissions import MATRIX
from tests.serving.api_support import (  # noqa: F401 - fixtures
    DAY1,
    DAY2,
    ENTERPRISE_FEATURES,
    RANKED,
    auth,
    champion_store,
    client,
    name_of,
    register_champion,
    write_users,
)

API = "/api/v1"


def get(client: TestClient, path: str, role: str, **params):  # noqa: ANN201
    response = client.get(f"{API}{path}", headers=auth(role), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def post(client: TestClient, path: str, role: str, body: dict | None = None,
         status: int = 200):  # noqa: ANN201
    response = client.post(f"{API}{path}", headers=auth(role), json=body)
    assert response.status_code == status, response.text
    return response.json()


# --- rankings -----------------------------------------------------------------------------


def test_rankings_default_to_the_latest_date_with_change_paging_and_filters(
        client: TestClient) -> None:
    page = get(client, "/rankings", "analyst", entity_type="official")
    assert page["as_of"] == DAY2.isoformat() and page["paging"]["total"] == 3
    first = page["rows"][0]
    assert (first["entity_id"], first["rank"], first["level"]) == ("P1", 1, "orange")
    assert first["previous_score"] == pytest.approx(0.225) and first["previous_rank"] == 1
    assert first["region"] == "320100" and first["model_version"] == "huoyan-official/1"
    assert first["reasons"][0]["feature"] == "top_buyer_share_365d"

    everything = get(client, "/rankings", "analyst", limit=2, offset=2)
    assert everything["paging"] == {"total": 9, "limit": 2, "offset": 2}
    ordered = [(r["entity_type"], r["rank"]) for r in everything["rows"]]
    assert ordered == [("enterprise", 3), ("enterprise", 4)]

    reds = get(client, "/rankings", "analyst", level="red")
    assert {r["entity_id"] for r in reds["rows"]} == {"E1", "T1"}
    in_region = get(client, "/rankings", "analyst", region="320100")
    assert {r["entity_id"] for r in in_region["rows"]} == {"P1", "E1", "T1"}
    earlier = get(client, "/rankings", "analyst", as_of=DAY1.isoformat())
    assert earlier["paging"]["total"] == 3 and earlier["rows"][0]["previous_score"] is None
    none_then = get(client, "/rankings", "analyst", as_of="2020-01-01")
    assert none_then["paging"]["total"] == 0 and none_then["rows"] == []


def test_rankings_show_persons_names_only_to_name_readers(client: TestClient) -> None:
    for role in ("analyst", "data_scientist"):
        rows = get(client, "/rankings", role, entity_type="official")["rows"]
        assert all(r["name"] is None for r in rows)
        assert [r["pseudonym"] for r in rows] == ["P1", "P2", "P3"]
        firms = get(client, "/rankings", role, entity_type="enterprise")["rows"]
        assert firms[0]["name"] == "某建设公司" and firms[0]["pseudonym"] is None
    for role in ("reviewer", "supervisor", "admin"):
        rows = get(client, "/rankings", role, entity_type="official")["rows"]
        assert rows[0]["name"] == "王芳" and rows[0]["pseudonym"] == "P1"


def test_ranking_dates_per_type(client: TestClient) -> None:
    types = {t["entity_type"]: t for t in get(client, "/rankings/dates", "analyst")["types"]}
    assert types["official"]["dates"] == [DAY2.isoformat(), DAY1.isoformat()]
    assert types["tender"]["latest"] == DAY2.isoformat()


# --- dossier ------------------------------------------------------------------------------


def test_dossier_holds_identity_features_history_reasons_links_and_cases(
        client: TestClient) -> None:
    dossier = get(client, "/entities/enterprise/E1", "reviewer")
    assert dossier["identity"]["name"] == "某建设公司" and not dossier["identity"]["is_person"]
    assert dossier["latest"]["level"] == "red" and dossier["latest"]["reasons"]
    features = {f["name"]: f for f in dossier["features"]["values"]}
    assert set(features) == set(ENTERPRISE_FEATURES)
    assert features["top_buyer_share_365d"]["text"].startswith("won 7 of its 9 contracts (78%")
    assert features["top_buyer_share_365d"]["description"]
    assert [p["as_of"] for p in dossier["history"]] == [DAY2.isoformat()]
    links = {link["linked_id"]: link for link in dossier["links"]}
    assert links["P7"]["name"] == "张伟" and links["U2"]["name"] == "交通局"
    (case,) = dossier["cases"]
    assert case["id"] == client.case_ids["E1"] and case["warnings"][0]["level"] == "red"

    official = get(client, "/entities/official/P1", "reviewer")
    assert [p["as_of"] for p in official["history"]] == [DAY1.isoformat(), DAY2.isoformat()]
    assert official["identity"]["name"] == "王芳"


def test_dossier_is_pseudonymous_for_analysts(client: TestClient) -> None:
    official = get(client, "/entities/official/P1", "analyst")["identity"]
    assert official["name"] is None and official["pseudonym"] == "P1"
    links = {link["linked_id"]: link for link in get(client, "/entities/enterprise/E1",
                                                     "analyst")["links"]}
    assert links["P7"]["name"] is None and links["P7"]["pseudonym"] == "P7"
    assert links["U2"]["name"] == "交通局"


def test_every_dossier_read_is_audited_with_its_reader(client: TestClient) -> None:
    readers = ["analyst", "reviewer", "supervisor", "admin", "reviewer"]
    for role in readers:
        get(client, "/entities/official/P1", role)
    client.get(f"{API}/entities/official/P1", headers=auth("data_scientist"))  # refused
    client.get(f"{API}/entities/official/NOBODY", headers=auth("analyst"))  # 404
    entries = get(client, "/audit", "admin", action="dossier_read")["entries"]
    assert [e["actor"] for e in reversed(entries)] == [name_of(r) for r in readers]
    assert {(e["subject_type"], e["subject_id"]) for e in entries} == {("official", "P1")}
    assert get(client, "/audit/verify", "admin")["ok"]


def test_the_service_seals_staged_reads_into_the_chain_by_itself(client: TestClient) -> None:
    get(client, "/entities/official/P1", "reviewer")
    deadline = time.monotonic() + 10
    while get(client, "/audit/verify", "admin")["unsealed"] and time.monotonic() < deadline:
        time.sleep(0.2)
    verified = get(client, "/audit/verify", "admin")
    assert verified["ok"] and verified["unsealed"] == 0 and verified["entries"] >= 1


def test_unknown_entities_are_404(client: TestClient) -> None:
    response = client.get(f"{API}/entities/tender/NOPE", headers=auth("reviewer"))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- what-if scoring ----------------------------------------------------------------------


def test_what_if_scores_with_the_champion(client: TestClient) -> None:
    posted = {"single_valid_bid": 1.0, "price_to_estimate": 0.99, "bidders": None}
    result = post(client, "/score/tender", "analyst", {"features": posted})
    assert result["model_version"] == "huoyan-tender/1"
    assert 0 < result["score"] < 1
    assert result["score"] == pytest.approx(1 / (1 + math.exp(-result["raw_score"])))
    assert result["level"] == next((lvl for lvl, t in (("red", .6), ("orange", .3),
                                                        ("yellow", .1)) if result["score"] >= t),
                                   "none")
    assert "bidders" in result["missing"] and "single_valid_bid" not in result["missing"]
    assert result["reasons"] and len(result["reasons"]) <= 5
    contributions = [abs(r["contribution"]) for r in result["reasons"]]
    assert contributions == sorted(contributions, reverse=True)
    assert all(r["text"] for r in result["reasons"])
    assert same_reasons_as_training(client, posted, result["reasons"])


def same_reasons_as_training(client: TestClient, posted: dict, reasons: list[dict]) -> bool:
    """The API's reasons are training/explain.py's for the same row."""
    from training.explain import reasons as training_reasons

    state = client.app.state.service
    model = state.champions.get("tender").model
    frame = pd.DataFrame([{n: (np.nan if posted.get(n) is None else posted[n])
                           for n in model.features}])
    expected = training_reasons(model.contributions(frame), frame, state.registry)[0]
    return reasons == expected


def test_what_if_refuses_unknown_features_naming_them(client: TestClient) -> None:
    body = {"features": {"single_valid_bid": 1, "no_such_thing": 2, "wins_365d": 3}}
    answer = post(client, "/score/tender", "data_scientist", body, status=422)
    assert answer["unknown"] == ["no_such_thing", "wins_365d"]
    assert "no_such_thing" in answer["detail"] and "wins_365d" in answer["detail"]


def test_what_if_without_a_champion_is_503(client: TestClient) -> None:
    answer = post(client, "/score/official", "analyst", {"features": {}}, status=503)
    assert answer["code"] == "no_champion"


# --- the review workflow ------------------------------------------------------------------


def test_claim_start_decide_closes_an_orange_case(client: TestClient) -> None:
    claimed = post(client, "/cases/claim?entity_type=official", "reviewer")["case"]
    assert claimed["id"] == client.case_ids["P1"] and claimed["state"] == "assigned"
    assert claimed["assignee"] == name_of("reviewer")
    mine = get(client, "/cases", "reviewer", mine="true")["cases"]
    assert [c["id"] for c in mine] == [claimed["id"]]
    started = post(client, f"/cases/{claimed['id']}/start", "reviewer")
    assert started["state"] == "in_review"
    decided = post(client, f"/cases/{claimed['id']}/decision", "reviewer", {
        "decision": "confirmed", "reason_code": "evidence_of_scheme", "note": "same owner"})
    assert decided["state"] == "closed" and decided["decided_by"] == name_of("reviewer")
    detail = get(client, f"/cases/{claimed['id']}", "supervisor")
    assert [e["action"] for e in detail["history"]] == ["claim", "start_review", "decide"]
    assert detail["warnings"][0]["as_of"] == DAY2.isoformat()


def test_red_dismissal_needs_a_second_reviewer(client: TestClient) -> None:
    case_id = client.case_ids["E1"]
    post(client, f"/cases/{case_id}/assign", "supervisor", {"reviewer": name_of("reviewer")})
    post(client, f"/cases/{case_id}/start", "reviewer")
    waiting = post(client, f"/cases/{case_id}/decision", "reviewer", {
        "decision": "dismissed", "reason_code": "data_error", "note": "address typo"})
    assert waiting["state"] == "awaiting_second_review"
    same = post(client, f"/cases/{case_id}/second-review", "reviewer",
                {"agree": True, "note": "fine"}, status=403)
    assert same["code"] == "not_allowed"
    closed = post(client, f"/cases/{case_id}/second-review", "reviewer2",
                  {"agree": True, "note": "checked the registry"})
    assert closed["state"] == "closed" and closed["second_reviewer"] == name_of("reviewer2")
    actions = [e["action"] for e in get(client, "/audit", "admin", subject_type="case",
                                        subject_id=str(case_id))["entries"]]
    assert actions == ["second_review", "decide", "start_review", "assign"]


def test_workflow_refusals_map_to_status_codes(client: TestClient) -> None:
    case_id = client.case_ids["T1"]
    assert post(client, "/cases/999/start", "reviewer", status=404)["code"] == "case_not_found"
    assert post(client, f"/cases/{case_id}/start", "reviewer", status=409)["code"] == \
        "wrong_state"
    post(client, f"/cases/{case_id}/assign", "supervisor", {"reviewer": name_of("reviewer")})
    post(client, f"/cases/{case_id}/start", "reviewer2", status=409)  # not his case
    wrong_code = post(client, f"/cases/{case_id}/decision", "reviewer", {
        "decision": "confirmed", "reason_code": "data_error", "note": "x"}, status=422)
    assert wrong_code["code"] == "invalid_decision"
    post(client, f"/cases/{case_id}/decision", "reviewer", {
        "decision": "maybe", "reason_code": "data_error", "note": "x"}, status=422)
    post(client, f"/cases/{case_id}/decision", "reviewer", {
        "decision": "confirmed", "reason_code": "evidence_of_scheme", "note": "  "}, status=422)
    unknown = post(client, f"/cases/{case_id}/assign", "supervisor", {"reviewer": "nobody"},
                   status=422)
    assert unknown["code"] == "unknown_reviewer"
    post(client, f"/cases/{case_id}/assign", "supervisor",
         {"reviewer": name_of("analyst")}, status=422)  # not a reviewing role
    assert get(client, f"/cases/{case_id}", "reviewer")["state"] == "assigned"


def test_queue_filters(client: TestClient) -> None:
    reds = get(client, "/cases", "reviewer", level="red")["cases"]
    assert {c["entity_id"] for c in reds} == {"E1", "T1"}
    overdue = get(client, "/cases", "reviewer", overdue="true")["cases"]
    assert [c["entity_id"] for c in overdue] == ["E3"]
    tenders = get(client, "/cases", "reviewer", entity_type="tender", state="new")["cases"]
    assert [c["entity_id"] for c in tenders] == ["T1"]
    page = get(client, "/cases", "reviewer", limit=1, offset=1)
    assert page["cases"][0]["entity_id"] == "T1"
    assert page["total"] == len(get(client, "/cases", "reviewer")["cases"]) > 1
    codes = get(client, "/reason-codes", "reviewer")["reason_codes"]
    assert "data_error" in codes["dismissed"]


def test_escalation_notifies_supervisors(client: TestClient) -> None:
    escalated = post(client, "/cases/escalate", "supervisor")["escalated"]
    assert [(c["entity_id"], c["level"]) for c in escalated] == [("E3", "orange")]
    (note,) = get(client, "/notifications", "supervisor")["notifications"]
    assert note["case_id"] == client.case_ids["E3"] and note["kind"] == "escalation"
    read = post(client, f"/notifications/{note['id']}/read", "admin")
    assert read["read_at"] is not None
    assert get(client, "/notifications", "supervisor")["notifications"] == []
    assert len(get(client, "/notifications", "supervisor", unread_only="false")
               ["notifications"]) == 1
    assert post(client, "/notifications/999/read", "supervisor", status=404)["code"] == \
        "notification_not_found"


def test_suppressions_are_made_listed_and_lifted(client: TestClient) -> None:
    body = {"entity_type": "enterprise", "entity_id": "E2", "until": "2026-12-31",
            "reason": "known situation"}
    made = post(client, "/suppressions", "supervisor", body, status=201)
    assert made["created_by"] == name_of("supervisor") and made["starts_on"] == "2026-09-03"
    listed = get(client, "/suppressions", "admin", active_on="2026-10-01")["suppressions"]
    assert [s["id"] for s in listed] == [made["id"]]
    past = {**body, "until": "2020-01-01"}
    post(client, "/suppressions", "supervisor", past, status=422)
    post(client, "/suppressions", "supervisor", {**body, "reason": " "}, status=422)
    response = client.delete(f"{API}/suppressions/{made['id']}", headers=auth("supervisor"))
    assert response.status_code == 200 and response.json()["lifted_at"] is not None
    again = client.delete(f"{API}/suppressions/{made['id']}", headers=auth("supervisor"))
    assert again.status_code == 409
    assert get(client, "/suppressions", "admin", active_on="2026-10-01")["suppressions"] == []
    assert client.delete(f"{API}/suppressions/999", headers=auth("admin")).status_code == 404


# --- audit, models, health ----------------------------------------------------------------


def test_audit_filters_and_verification(client: TestClient) -> None:
    get(client, "/entities/enterprise/E1", "reviewer")
    post(client, "/cases/claim", "reviewer2")
    everything = get(client, "/audit", "admin")["entries"]
    assert [e["action"] for e in everything] == ["claim", "dossier_read"]
    by_actor = get(client, "/audit", "admin", actor=name_of("reviewer2"))["entries"]
    assert [e["action"] for e in by_actor] == ["claim"]
    assert len(get(client, "/audit", "admin", limit=1, offset=1)["entries"]) == 1
    verified = get(client, "/audit/verify", "admin")
    assert verified == {**verified, "ok": True, "entries": 2, "first_bad_id": None}


def test_models_show_champion_gate_and_metrics(client: TestClient) -> None:
    types = {t["entity_type"]: t for t in get(client, "/models", "data_scientist")["types"]}
    tender = types["tender"]
    assert tender["champion"]["label"] == "huoyan-tender/1"
    assert tender["champion"]["tags"]["promotion"] == "gate: first model"
    assert tender["champion"]["gate"] == "champion: first model"
    assert tender["champion"]["mean_metrics"]["model.precision_at_k"] == 0.5
    assert tender["challenger"]["version"] == "1"
    assert types["official"]["champion"] is None


def test_a_promoted_champion_is_served_without_a_restart(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from huoyan.settings import get_settings
    from serving.api.app import create_app

    store = register_champion(tmp_path / "models")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store)
    write_users(get_settings().root)
    app = create_app(preload_models=True)
    with TestClient(app) as client:
        champions = app.state.service.champions
        assert champions.versions()["tender"] == "huoyan-tender/1"
        assert champions.refresh() == []  # nothing moved
        register_champion(tmp_path / "models")  # version 2 becomes champion
        assert champions.refresh() == ["huoyan-tender/2"]
        assert client.get("/health").json()["models"]["tender"] == "huoyan-tender/2"


def test_health_reports_database_models_and_latest_ranking(client: TestClient) -> None:
    before = client.get("/health").json()
    assert before["status"] == "ok" and before["database"] is True
    assert before["latest_ranking"] == {t: DAY2.isoformat() for t in RANKED}
    post(client, "/score/tender", "analyst", {"features": {}})
    assert client.get("/health").json()["models"]["tender"] == "huoyan-tender/1"


# --- malformed requests and the OpenAPI document ------------------------------------------

MALFORMED = [
    ("GET", "/rankings?as_of=2026-13-01", None),
    ("GET", "/rankings?as_of=yesterday", None),
    ("GET", "/rankings?entity_type=person", None),
    ("GET", "/rankings?level=purple", None),
    ("GET", "/rankings?limit=0", None),
    ("GET", "/rankings?limit=100000", None),
    ("GET", "/rankings?offset=-1", None),
    ("GET", "/entities/person/P1", None),
    ("GET", "/entities/official/" + "x" * 65, None),
    ("GET", "/cases/abc", None),
    ("GET", "/cases/0", None),
    ("GET", "/cases?state=lost", None),
    ("GET", "/cases?overdue=maybe", None),
    ("GET", "/cases/424242", None),
    ("POST", "/cases/abc/start", None),
    ("POST", "/cases/1/decision", b"{not json"),
    ("POST", "/cases/1/decision", b"[]"),
    ("POST", "/cases/1/decision", {"decision": "confirmed"}),
    ("POST", "/cases/1/second-review", {"agree": "perhaps", "note": "x"}),
    ("POST", "/cases/1/assign", {}),
    ("POST", "/cases/1/assign", {"reviewer": ""}),
    ("POST", "/score/tender", b"{not json"),
    ("POST", "/score/tender", {"features": {"single_valid_bid": "high"}}),
    ("POST", "/score/tender", {"features": [1, 2]}),
    ("POST", "/score/tender", b'{"features": {"single_valid_bid": NaN}}'),
    ("POST", "/score/tender", {}),
    ("POST", "/score/unit", {"features": {}}),
    ("POST", "/suppressions", {"entity_type": "enterprise", "entity_id": "E1",
                               "until": "31/12/2026", "reason": "x"}),
    ("POST", "/suppressions", {"entity_type": "unit", "entity_id": "E1",
                               "until": "2026-12-31", "reason": "x"}),
    ("DELETE", "/suppressions/abc", None),
    ("GET", "/suppressions?active_on=2026-02-30", None),
    ("POST", "/notifications/abc/read", None),
    ("GET", "/audit?limit=abc", None),
    ("GET", "/no-such-route", None),
]


@pytest.mark.parametrize(("method", "path", "body"), MALFORMED)
def test_malformed_requests_are_4xx_never_500(client: TestClient, method: str, path: str,
                                              body: object) -> None:
    options = {"content": body, "headers": {**auth("admin"), "content-type":
                                            "application/json"}} \
        if isinstance(body, bytes) else {"json": body, "headers": auth("admin")}
    response = client.request(method, f"{API}{path}", **options)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
    assert response.json()["detail"]


def test_openapi_documents_every_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operations = {f"{method.upper()} {path}": operation
                  for path, item in schema["paths"].items() for method, operation in item.items()}
    assert set(operations) == set(MATRIX) | {"GET /health"}
    for key, operation in operations.items():
        assert operation["tags"] and operation["summary"], key
        ok = operation["responses"][next(iter(
            code for code in operation["responses"] if code.startswith("2")))]
        assert {"application/json", "text/html"} & set(ok["content"]), key  # pages: the report
        if key in MATRIX:
            assert {"401", "403"} <= set(operation["responses"]), key
            assert "**Roles:**" in operation["description"], key
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_serve_command_documents_its_options() -> None:
    from serving.api.command import serve

    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert all(option in result.output for option in ("--host", "--port", "--workers"))
