"""Schemas of the notification routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from serving.models import Notification
from serving.timestamps import maybe_utc, utc


class NotificationOut(BaseModel):
    id: int
    at: dt.datetime
    role: str
    kind: str
    case_id: int | None
    message: str
    read_at: dt.datetime | None

    @classmethod
    def of(cls, row: Notification) -> NotificationOut:
        return cls(id=row.id, at=utc(row.at), role=row.role, kind=row.kind, case_id=row.case_id,
                   message=row.message, read_at=maybe_utc(row.read_at))


class NotificationList(BaseModel):
    notifications: list[NotificationOut]
