"""Every role, no token and a wrong token, against every route: the answer the permission
matrix (serving/api/permissions.py) promises, checked by calling the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from serving.api.permissions import MATRIX
from tests.serving.api_support import USERS, auth, champion_store, client, name_of  # noqa: F401

CALLERS = ["analyst", "reviewer", "supervisor", "data_scientist", "admin", None, "wrong"]
# One harmless request per route: unknown ids where a route changes a case, so an allowed
# caller gets an answer that is not about permissions (2xx, 404, ...).
REQUESTS: dict[str, tuple[str, str, dict | None]] = {
    "GET /api/v1/rankings": ("GET", "/api/v1/rankings", None),
    "GET /api/v1/rankings/dates": ("GET", "/api/v1/rankings/dates", None),
    "GET /api/v1/entities/{entity_type}/{entity_id}": ("GET", "/api/v1/entities/official/P1",
                                                       None),
    "POST /api/v1/score/{entity_type}": ("POST", "/api/v1/score/tender", {"features": {}}),
    "GET /api/v1/models": ("GET", "/api/v1/models", None),
    "GET /api/v1/reason-codes": ("GET", "/api/v1/reason-codes", None),
    "GET /api/v1/cases": ("GET", "/api/v1/cases", None),
    "GET /api/v1/cases/{case_id}": ("GET", "/api/v1/cases/1", None),
    "POST /api/v1/cases/claim": ("POST", "/api/v1/cases/claim", None),
    "POST /api/v1/cases/{case_id}/assign": ("POST", "/api/v1/cases/999/assign",
                                            {"reviewer": name_of("reviewer")}),
    "POST /api/v1/cases/{case_id}/start": ("POST", "/api/v1/cases/999/start", None),
    "POST /api/v1/cases/{case_id}/decision": (
        "POST", "/api/v1/cases/999/decision",
        {"decision": "confirmed", "reason_code": "evidence_of_scheme", "note": "n"}),
    "POST /api/v1/cases/{case_id}/second-review": ("POST", "/api/v1/cases/999/second-review",
                                                   {"agree": True, "note": "n"}),
    "POST /api/v1/cases/escalate": ("POST", "/api/v1/cases/escalate", None),
    "GET /api/v1/suppressions": ("GET", "/api/v1/suppressions", None),
    "POST /api/v1/suppressions": ("POST", "/api/v1/suppressions",
                                  {"entity_type": "enterprise", "entity_id": "E4",
                                   "until": "2026-12-31", "reason": "known situation"}),
    "DELETE /api/v1/suppressions/{suppression_id}": ("DELETE", "/api/v1/suppressions/999", None),
    "GET /api/v1/notifications": ("GET", "/api/v1/notifications", None),
    "POST /api/v1/notifications/{notification_id}/read": (
        "POST", "/api/v1/notifications/999/read", None),
    "GET /api/v1/monitoring/dates": ("GET", "/api/v1/monitoring/dates", None),
    "GET /api/v1/monitoring/latest": ("GET", "/api/v1/monitoring/latest", None),
    "GET /api/v1/monitoring/{as_of}": ("GET", "/api/v1/monitoring/2026-07-02", None),
    "GET /api/v1/monitoring/{as_of}/report/{name}": (
        "GET", "/api/v1/monitoring/2026-07-02/report/index.html", None),
    "GET /api/v1/audit": ("GET", "/api/v1/audit", None),
    "GET /api/v1/audit/verify": ("GET", "/api/v1/audit/verify", None),
    "GET /api/v1/rules": ("GET", "/api/v1/rules", None),
    "GET /api/v1/rules/{rule_id}": ("GET", "/api/v1/rules/ZZ-999", None),
    "POST /api/v1/rules/validate": ("POST", "/api/v1/rules/validate", {"card": "id: ZZ-999"}),
    "POST /api/v1/rules/backtest": ("POST", "/api/v1/rules/backtest",
                                    {"rule_id": "ZZ-999", "months": 1}),
    "POST /api/v1/rules/publish": ("POST", "/api/v1/rules/publish", {"card": "id: ZZ-999"}),
    "POST /api/v1/rules/{rule_id}/retire": ("POST", "/api/v1/rules/ZZ-999/retire",
                                            {"reason": "unknown rule"}),
}


def headers_of(caller: str | None) -> dict[str, str]:
    if caller is None:
        return {}
    if caller == "wrong":
        return {"Authorization": "Bearer not-a-token"}
    return auth(caller)


def test_every_route_has_a_request_here() -> None:
    assert set(REQUESTS) == set(MATRIX)


def check(response, key: str, caller: str | None) -> None:  # noqa: ANN001
    where = f"{key} as {caller}: {response.status_code} {response.text[:200]}"
    if caller in (None, "wrong"):
        assert response.status_code == 401, where
        assert response.headers["www-authenticate"].startswith("Bearer"), where
    elif caller in MATRIX[key]:
        assert response.status_code < 500 and response.status_code not in (401, 403), where
    else:
        assert response.status_code == 403, where
        body = response.json()
        assert body["code"] == "role_not_allowed", where
        assert body["roles_needed"] == sorted(MATRIX[key]), where
        assert all(role in body["detail"] for role in MATRIX[key]), where


def test_role_matrix_is_what_the_api_does(client: TestClient) -> None:
    for key, (method, path, body) in REQUESTS.items():
        for caller in CALLERS:
            response = client.request(method, path, json=body, headers=headers_of(caller))
            check(response, key, caller)


@pytest.mark.parametrize("caller", CALLERS)
def test_health_needs_no_token(client: TestClient, caller: str | None) -> None:
    assert client.get("/health", headers=headers_of(caller)).status_code == 200


def test_every_user_is_tested() -> None:
    assert {role for role in USERS if role != "reviewer2"} == {c for c in CALLERS if c
                                                                and c != "wrong"}
