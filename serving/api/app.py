"""The FastAPI application: `create_app(settings)`, and `app` for `uvicorn serving.api.app:app`.

Importing this module builds routes only; the heavy state (configuration and users, database
engine, feature registry, champion models from MLflow) is built at startup, in the lifespan,
once per worker process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool

from huoyan.settings import Settings, get_settings
from serving.api import permissions
from serving.api.audit.router import router as audit_router
from serving.api.cases.router import router as cases_router
from serving.api.entities.router import router as entities_router
from serving.api.errors import install_handlers
from serving.api.health.router import router as health_router
from serving.api.model_registry.router import router as models_router
from serving.api.monitoring.router import router as monitoring_router
from serving.api.notifications.router import router as notifications_router
from serving.api.rankings.router import router as rankings_router
from serving.api.rules.router import router as rules_router
from serving.api.scoring.router import router as scoring_router
from serving import audit
from serving.db import checkpoint
from serving.web import router as web
from serving.api.state import ServiceState, build_state
from serving.api.suppressions.router import router as suppressions_router

logger = logging.getLogger("huoyan.api")
DESCRIPTION = """Risk rankings, dossiers, what-if scores and the review workflow of huoyan.

A flag is a lead, never evidence: every flag is reviewed by a person, every decision is
recorded with its reason, and every dossier read is logged. Authenticate with
`Authorization: Bearer <token>`; each route names the roles it allows."""

TAGS = [
    {"name": "health", "description": "Readiness, without authentication"},
    {"name": "rankings", "description": "The daily ranking per entity type"},
    {"name": "dossier", "description": "Everything known about one entity (reads are audited)"},
    {"name": "scoring", "description": "What-if scores from the champion models"},
    {"name": "review", "description": "The review queue and its workflow"},
    {"name": "suppressions", "description": "Silencing an entity for a period"},
    {"name": "notifications", "description": "What supervisors are told"},
    {"name": "audit", "description": "The tamper-evident audit log"},
    {"name": "models", "description": "Champion and challenger models"},
    {"name": "monitoring", "description": "Drift, fairness and review coverage, with alerts"},
    {"name": "rules", "description": "The rule library: supervision models as cards"},
]
DOMAIN_ROUTERS = (rankings_router, entities_router, scoring_router, cases_router,
                  suppressions_router, notifications_router, audit_router, models_router,
                  monitoring_router, rules_router)


def api_router() -> APIRouter:
    api = APIRouter(prefix=permissions.API)
    for router in DOMAIN_ROUTERS:
        api.include_router(router)
    return api


SEAL_SECONDS = 1.0  # how long a dossier read may wait, recorded, before it is chained


def seal_once(state: ServiceState) -> int:
    """Chain what was staged, then (SQLite) checkpoint the WAL outside the write gate."""
    with state.write_gate, state.sessions.begin() as session:
        sealed = audit.seal(session)
    checkpoint(state.sessions.kw["bind"])
    return sealed


async def seal_every(state: ServiceState, seconds: float) -> None:
    """Chain the staged dossier reads, every `seconds`, for as long as the service runs."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await run_in_threadpool(seal_once, state)
        except Exception:  # noqa: BLE001 - a failed seal is retried at the next tick
            logger.exception("sealing the staged audit entries failed; retrying")


CHAMPION_CHECK_SECONDS = 30.0  # how soon a promoted champion is served


async def refresh_champions_every(state: ServiceState, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await run_in_threadpool(state.champions.refresh)
        except Exception:  # noqa: BLE001 - an unreachable registry: keep serving, retry
            logger.exception("checking the champion models failed; retrying")


def create_app(settings: Settings | None = None, *, preload_models: bool = True) -> FastAPI:
    """The application. `settings` default to the environment read at startup;
    `preload_models` loads the champions at startup rather than at the first score."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = await run_in_threadpool(
            build_state, settings or get_settings(), preload_models)
        sealer = asyncio.create_task(seal_every(app.state.service, SEAL_SECONDS))
        watcher = asyncio.create_task(
            refresh_champions_every(app.state.service, CHAMPION_CHECK_SECONDS))
        yield
        sealer.cancel()
        watcher.cancel()
        await run_in_threadpool(seal_once, app.state.service)  # nothing left staged behind

    permissions.document_roles(DOMAIN_ROUTERS)
    app = FastAPI(title="huoyan", version="1", description=DESCRIPTION, openapi_tags=TAGS,
                  lifespan=lifespan)
    app.include_router(health_router)
    app.include_router(api_router())
    web.install(app)
    install_handlers(app)
    app.state.route_keys = permissions.route_keys(DOMAIN_ROUTERS)
    permissions.check_matrix(app.state.route_keys)
    return app


app = create_app()
