"""POST, DELETE and GET /suppressions (the rules are serving/review's)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from serving.api.deps import Caller, DbSession, Now
from serving.api.errors import responses
from serving.api.suppressions.schemas import SuppressionIn, SuppressionList, SuppressionOut
from serving.review import service as review

router = APIRouter(tags=["suppressions"], responses=responses(401, 403))


@router.post("/suppressions", response_model=SuppressionOut, status_code=201,
             summary="Silence an entity from today through a date")
def suppress(body: SuppressionIn, session: DbSession, user: Caller, now: Now) -> SuppressionOut:
    return SuppressionOut.of(review.suppress(
        session, entity_type=body.entity_type, entity_id=body.entity_id, until=body.until,
        reason=body.reason, by=user.name, now=now))


@router.delete("/suppressions/{suppression_id}", response_model=SuppressionOut,
               responses=responses(404, 409), summary="Lift a suppression early")
def lift(suppression_id: Annotated[int, Path(ge=1)], session: DbSession, user: Caller,
         now: Now) -> SuppressionOut:
    return SuppressionOut.of(review.lift_suppression(
        session, suppression_id=suppression_id, by=user.name, now=now))


@router.get("/suppressions", response_model=SuppressionList,
            summary="All suppressions, or those in force on a date; newest first")
def list_suppressions(
    session: DbSession, user: Caller,
    active_on: Annotated[dt.date | None, Query(description="only those in force that day")] = None,
) -> SuppressionList:
    rows = review.suppressions(session, active_on=active_on)
    return SuppressionList(suppressions=[SuppressionOut.of(r) for r in rows])
