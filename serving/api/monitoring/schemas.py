"""Schemas of the monitoring results (the figures are each monitor's own JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class AlertOut(BaseModel):
    monitor: str
    entity_type: str | None
    subject: str
    message: str
    value: float | None
    limit: float | None


class MonitorResultOut(BaseModel):
    monitor: str = Field(description="drift, score_drift, fairness, sparsity or coverage")
    entity_type: str | None = Field(description="null for review coverage (all types)")
    figures: dict[str, Any]
    alerts: list[AlertOut]


class MonitoringDay(BaseModel):
    as_of: dt.date
    created_at: dt.datetime
    report: str | None = Field(description="the report's URL, when it exists")
    alerts: list[AlertOut]
    results: list[MonitorResultOut]


class MonitoringDates(BaseModel):
    dates: list[dt.date] = Field(description="days with monitoring results, newest first")
