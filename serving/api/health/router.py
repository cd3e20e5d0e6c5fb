"""GET /health, without authentication: for load balancers and operators."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from serving.api.deps import State
from serving.api.health.schemas import Health
from serving.api.state import ENTITY_TYPES
from serving.models import RankingRun

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


def latest_rankings(state: State) -> dict | None:
    """The latest ranking date per entity type, or None if the database does not answer."""
    query = select(RankingRun.entity_type, func.max(RankingRun.as_of)).group_by(
        RankingRun.entity_type)
    try:
        with state.sessions() as session:
            found = dict(session.execute(query).all())
    except SQLAlchemyError:
        log.exception("health: the database does not answer")
        return None
    return {t: found.get(t) for t in ENTITY_TYPES}


@router.get("/health", response_model=Health, summary="Is the service ready?",
            responses={503: {"model": Health, "description": "the database is unreachable"}})
def health(state: State) -> Health | JSONResponse:
    latest = latest_rankings(state)
    body = Health(status="ok" if latest is not None else "degraded", database=latest is not None,
                  models=state.champions.versions(),
                  latest_ranking=latest or dict.fromkeys(ENTITY_TYPES))
    if latest is None:
        return JSONResponse(body.model_dump(mode="json"), status_code=503)
    return body
