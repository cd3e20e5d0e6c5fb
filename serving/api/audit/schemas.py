"""Schemas of the audit routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from serving.api.common import parse_json
from serving.models import AuditEntry
from serving.timestamps import utc


class AuditEntryOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    detail: dict[str, Any]
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(id=entry.id, at=utc(entry.at), actor=entry.actor, action=entry.action,
                   subject_type=entry.subject_type, subject_id=entry.subject_id,
                   detail=parse_json(entry.detail, {}), hash=entry.hash)


class AuditList(BaseModel):
    entries: list[AuditEntryOut] = Field(description="newest first")
    limit: int
    offset: int


class VerificationOut(BaseModel):
    ok: bool
    entries: int = Field(description="entries checked")
    first_bad_id: int | None
    problem: str
    last_hash: str = Field(description="the chain's head; keep it elsewhere to detect truncation")
    unsealed: int = Field(0, description="dossier reads recorded but not yet sealed into the "
                          "chain (the service seals every second)")
