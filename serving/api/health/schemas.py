"""Schema of /health."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="degraded: the database is unreachable")
    database: bool = Field(description="the service database answered")
    models: dict[str, str | None] = Field(description="champion loaded per entity type")
    latest_ranking: dict[str, dt.date | None] = Field(description="latest ranking date per type")
