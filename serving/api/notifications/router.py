"""GET /notifications and POST /notifications/{id}/read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from serving.api.common import MAX_PAGE
from serving.api.deps import Caller, DbSession, Now
from serving.api.errors import responses
from serving.api.notifications.schemas import NotificationList, NotificationOut
from serving.review import service as review

router = APIRouter(tags=["notifications"], responses=responses(401, 403))
TOLD = "supervisor"  # the role notifications are addressed to (admins read them too)


@router.get("/notifications", response_model=NotificationList,
            summary="What supervisors are told, newest first")
def list_notifications(
    session: DbSession, user: Caller,
    unread_only: bool = True,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> NotificationList:
    rows = review.notifications(session, role=TOLD, unread_only=unread_only, limit=limit)
    return NotificationList(notifications=[NotificationOut.of(r) for r in rows])


@router.post("/notifications/{notification_id}/read", response_model=NotificationOut,
             responses=responses(404), summary="Mark a notification read")
def mark_read(notification_id: Annotated[int, Path(ge=1)], session: DbSession, user: Caller,
              now: Now) -> NotificationOut:
    return NotificationOut.of(review.mark_read(session, notification_id=notification_id, now=now))
