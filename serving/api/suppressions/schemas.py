"""Schemas of the suppression routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from serving.api.common import EntityType
from serving.models import Suppression
from serving.timestamps import maybe_utc, utc


class SuppressionIn(BaseModel):
    entity_type: EntityType
    entity_id: str = Field(min_length=1, max_length=64)
    until: dt.date = Field(description="the last day silenced (inclusive)")
    reason: str = Field(description="why; must not be empty")


class SuppressionOut(BaseModel):
    id: int
    entity_type: EntityType
    entity_id: str
    starts_on: dt.date
    until: dt.date
    reason: str
    created_by: str
    created_at: dt.datetime
    lifted_at: dt.datetime | None

    @classmethod
    def of(cls, row: Suppression) -> SuppressionOut:
        return cls(id=row.id, entity_type=row.entity_type, entity_id=row.entity_id,
                   starts_on=row.starts_on, until=row.until, reason=row.reason,
                   created_by=row.created_by, created_at=utc(row.created_at),
                   lifted_at=maybe_utc(row.lifted_at))


class SuppressionList(BaseModel):
    suppressions: list[SuppressionOut]
