"""GET /audit and /audit/verify (serving/audit.py does the work)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from serving import audit
from serving.api.audit.schemas import AuditEntryOut, AuditList, VerificationOut
from serving.api.common import MAX_PAGE
from serving.api.deps import Caller, DbSession
from serving.api.errors import responses

router = APIRouter(tags=["audit"], responses=responses(401, 403))


@router.get("/audit", response_model=AuditList, summary="Audit entries, newest first")
def list_entries(
    session: DbSession, user: Caller,
    actor: str | None = None, action: str | None = None,
    subject_type: str | None = None, subject_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuditList:
    audit.seal(session)  # reads staged in the last second are listed too
    rows = audit.entries(session, actor=actor, action=action, subject_type=subject_type,
                         subject_id=subject_id, limit=limit, offset=offset)
    return AuditList(entries=[AuditEntryOut.of(r) for r in rows], limit=limit, offset=offset)


@router.get("/audit/verify", response_model=VerificationOut,
            summary="Recompute the hash chain; where it breaks, if it does")
def verify(session: DbSession, user: Caller) -> VerificationOut:
    result = audit.verify(session)
    return VerificationOut(ok=result.ok, entries=result.entries, first_bad_id=result.first_bad_id,
                           problem=result.problem, last_hash=result.last_hash,
                           unsealed=result.unsealed)
