"""Schemas of the rankings routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from serving.api.common import EntityType, Level, Paging


class RankingRow(BaseModel):
    """A row of the output contract, plus its change since the previous run, region and name."""

    as_of: dt.date
    entity_type: EntityType
    entity_id: str
    name: str | None = Field(description="display name; null for a person unless the caller "
                                         "may read names")
    pseudonym: str | None = Field(description="a person's pseudonymous id; null for non-persons")
    region: str | None
    score: float
    rank: int
    level: Level
    model_version: str
    reasons: list[dict[str, Any]]
    rules: list[Any]
    previous_score: float | None
    previous_rank: int | None
    previous_level: Level | None


class RankingPage(BaseModel):
    as_of: dt.date | None = Field(description="the date shown (null: nothing ranked yet)")
    paging: Paging
    rows: list[RankingRow]


class RankingDates(BaseModel):
    entity_type: EntityType
    latest: dt.date | None
    dates: list[dt.date] = Field(description="newest first")


class RankingDatesOut(BaseModel):
    types: list[RankingDates]
