"""Who may call what: the one permission matrix of the API, route -> roles allowed.

Every /api/v1 route depends on `authorize` (through `deps.Caller`), which finds the matched
route's line here (by its endpoint function and method); `check_matrix` refuses to build an app
with a route the matrix does not name (or a line naming no route), so the matrix cannot drift
from the routes. /health alone needs no token. The tests read it
and check the actual answer of every role on every route.

Choices: dossiers are for the people who act on flags (analysts, reviewers, supervisors,
admins); data scientists work on models and aggregates (rankings, what-if scores, the model
registry, monitoring) and read no one's dossier. Persons' names are shown only to
`NAME_READERS` (serving/config.py: reviewer, supervisor, admin); the others see pseudonymous
ids. Supervisors review too; admins may do everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fastapi import APIRouter
from fastapi.routing import APIRoute

from serving.config import ROLES

EVERYONE = frozenset(ROLES)
REVIEWERS = frozenset({"reviewer", "supervisor", "admin"})
SUPERVISORS = frozenset({"supervisor", "admin"})
ADMINS = frozenset({"admin"})
MONITOR_READERS = frozenset({"supervisor", "data_scientist", "admin"})
API = "/api/v1"

MATRIX: dict[str, frozenset[str]] = {
    f"GET {API}/rankings": EVERYONE,
    f"GET {API}/rankings/dates": EVERYONE,
    f"GET {API}/entities/{{entity_type}}/{{entity_id}}": frozenset(
        {"analyst", "reviewer", "supervisor", "admin"}),
    f"POST {API}/score/{{entity_type}}": frozenset(
        {"analyst", "data_scientist", "supervisor", "admin"}),
    f"GET {API}/models": frozenset({"data_scientist", "supervisor", "admin"}),
    f"GET {API}/reason-codes": REVIEWERS,
    f"GET {API}/cases": REVIEWERS,
    f"GET {API}/cases/{{case_id}}": REVIEWERS,
    f"POST {API}/cases/claim": REVIEWERS,
    f"POST {API}/cases/{{case_id}}/assign": SUPERVISORS,
    f"POST {API}/cases/{{case_id}}/start": REVIEWERS,
    f"POST {API}/cases/{{case_id}}/decision": REVIEWERS,
    f"POST {API}/cases/{{case_id}}/second-review": REVIEWERS,
    f"POST {API}/cases/escalate": SUPERVISORS,
    f"GET {API}/suppressions": SUPERVISORS,
    f"POST {API}/suppressions": SUPERVISORS,
    f"DELETE {API}/suppressions/{{suppression_id}}": SUPERVISORS,
    f"GET {API}/notifications": SUPERVISORS,
    f"POST {API}/notifications/{{notification_id}}/read": SUPERVISORS,
    f"GET {API}/monitoring/dates": MONITOR_READERS,
    f"GET {API}/monitoring/latest": MONITOR_READERS,
    f"GET {API}/monitoring/{{as_of}}": MONITOR_READERS,
    f"GET {API}/monitoring/{{as_of}}/report/{{name}}": MONITOR_READERS,
    f"GET {API}/rules": EVERYONE,
    f"GET {API}/rules/{{rule_id}}": EVERYONE,
    f"POST {API}/rules/validate": SUPERVISORS,
    f"POST {API}/rules/backtest": SUPERVISORS,
    f"POST {API}/rules/publish": SUPERVISORS,
    f"POST {API}/rules/{{rule_id}}/retire": SUPERVISORS,
    f"GET {API}/audit": ADMINS,
    f"GET {API}/audit/verify": ADMINS,
}


def route_key(method: str, path: str) -> str:
    return f"{method} {path}"


RouteKeys = dict[tuple[Callable, str], str]  # (endpoint function, method) -> MATRIX key


def route_keys(routers: Iterable[APIRouter], prefix: str = API) -> RouteKeys:
    """The matrix key of every route of the domain routers, mounted under `prefix`."""
    return {(route.endpoint, method): route_key(method, prefix + route.path)
            for router in routers for route in router.routes if isinstance(route, APIRoute)
            for method in route.methods}


def check_matrix(keys: RouteKeys) -> None:
    """Every API route has a line in MATRIX, and every line a route."""
    known = set(keys.values())
    unlisted, stale = sorted(known - set(MATRIX)), sorted(set(MATRIX) - known)
    if unlisted or stale:
        raise RuntimeError(f"permission matrix out of date: no roles for {unlisted}, "
                           f"no route for {stale}")


def document_roles(routers: Iterable[APIRouter], prefix: str = API) -> None:
    """Name the roles each route allows in its OpenAPI description (once)."""
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and ROLES_NOTE not in (route.description or ""):
                method = sorted(route.methods)[0]
                roles = ", ".join(sorted(MATRIX[route_key(method, prefix + route.path)]))
                route.description = f"{route.description or ''}\n\n{ROLES_NOTE} {roles}".strip()


ROLES_NOTE = "**Roles:**"
