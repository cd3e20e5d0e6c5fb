"""Schemas of the review routes (cases are also part of the dossier)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from serving.api.common import EntityType, Paging, parse_json
from serving.models import CaseEvent, CaseWarning, ReviewCase
from serving.timestamps import maybe_utc, utc

CaseState = Literal["new", "assigned", "in_review", "awaiting_second_review", "closed"]
Decision = Literal["confirmed", "dismissed", "inconclusive"]
CaseLevel = Literal["red", "orange", "yellow"]


class WarningOut(BaseModel):
    as_of: dt.date
    level: str
    score: float
    model_version: str

    @classmethod
    def of(cls, warning: CaseWarning) -> WarningOut:
        return cls(as_of=warning.as_of, level=warning.level, score=warning.score,
                   model_version=warning.model_version)


class EventOut(BaseModel):
    at: dt.datetime
    actor: str
    action: str
    detail: dict[str, Any]

    @classmethod
    def of(cls, event: CaseEvent) -> EventOut:
        return cls(at=utc(event.at), actor=event.actor, action=event.action,
                   detail=parse_json(event.detail, {}))


class CaseOut(BaseModel):
    id: int
    entity_type: EntityType
    entity_id: str
    origin: str
    state: CaseState
    level: str
    opened_at: dt.datetime
    opened_as_of: dt.date
    due_at: dt.datetime
    assignee: str | None
    decision: Decision | None
    reason_code: str | None
    note: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    second_reviewer: str | None
    closed_at: dt.datetime | None
    escalations: int
    version: int

    @classmethod
    def of(cls, case: ReviewCase) -> CaseOut:
        return cls(
            id=case.id, entity_type=case.entity_type, entity_id=case.entity_id,
            origin=case.origin, state=case.state, level=case.level,
            opened_at=utc(case.opened_at), opened_as_of=case.opened_as_of,
            due_at=utc(case.due_at), assignee=case.assignee, decision=case.decision,
            reason_code=case.reason_code, note=case.note, decided_by=case.decided_by,
            decided_at=maybe_utc(case.decided_at), second_reviewer=case.second_reviewer,
            closed_at=maybe_utc(case.closed_at), escalations=case.escalations,
            version=case.version,
        )


class CaseWithWarnings(CaseOut):
    warnings: list[WarningOut]


class CaseDetail(CaseWithWarnings):
    history: list[EventOut] = Field(description="the case's events, oldest first")


class CaseList(Paging):
    cases: list[CaseOut]


class ClaimOut(BaseModel):
    case: CaseOut | None = Field(description="the case claimed; null when none is waiting")


class AssignIn(BaseModel):
    reviewer: str = Field(min_length=1, description="the user name of the reviewer")

    @field_validator("reviewer")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


class DecisionIn(BaseModel):
    decision: Decision
    reason_code: str = Field(description="one of GET /reason-codes for the decision")
    note: str = Field(description="why; must not be empty")


class SecondReviewIn(BaseModel):
    agree: bool
    note: str = Field(description="why; must not be empty")


class EscalationOut(BaseModel):
    escalated: list[CaseOut]


class ReasonCodes(BaseModel):
    reason_codes: dict[Decision, list[str]]
    second_review: str = Field(description="when a second reviewer is needed")
