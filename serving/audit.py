"""The audit log: append-only and tamper-evident (a hash chain).

Every decision, assignment, suppression and dossier read is appended here. Each entry's hash
covers its content and the hash before it:

    hash = sha256(prev_hash + canonical JSON of {at, actor, action, subject_type, subject_id,
                                                  detail})

with `at` as ISO 8601 UTC and the first entry's prev_hash 64 zeros. Editing an entry breaks
its own hash; deleting, inserting or reordering one breaks the next entry's link. (Cutting off
the newest entries leaves a shorter, valid chain: keep `Verification.last_hash` somewhere else
to detect that.)

    >>> with transaction() as session:
    ...     append(session, actor="li", action="dossier_read", subject_type="enterprise",
    ...            subject_id="E123", detail={}, now=datetime.now(UTC))
    >>> with transaction() as session:
    ...     verify(session)
    Verification(ok=True, entries=1, first_bad_id=None, problem='', last_hash='5f0c...')

Appends are serialized so two transactions never fork the chain: PostgreSQL takes an advisory
lock, SQLite the writer lock, before the last hash is read (serving/locking.py).

Dossier reads are too many for one lock: each would wait for the commit of the one before
(on PostgreSQL an fsync each: about 125 reads a second in all). So a read is `stage`d: one
plain insert into `audit_staged`, committed with the request, no lock; `seal` moves staged
entries into the chain in order, keeping their own time. The API seals every second, and
every `append` seals first, so a chained decision never jumps ahead of the reads before it.
Until sealed (a second or so) a read is recorded but not yet tamper-evident; `verify` says how
many are waiting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from serving.locking import advisory_lock
from serving.models import AuditEntry, AuditStaged
from serving.timestamps import require_aware, utc

STAGED = AuditStaged.__table__

GENESIS = "0" * 64
# Key of the PostgreSQL advisory lock that serializes appends ("huoyan" in hex, truncated).
AUDIT_LOCK = 0x6875_6F79_616E


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, *, at: dt.datetime, actor: str, action: str,
               subject_type: str, subject_id: str, detail: Any) -> str:
    content = canonical_json({
        "at": utc(at).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail,
    })
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _last_hash(session: Session) -> str:
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or GENESIS


def _linked(prev_hash: str, *, at: dt.datetime, actor: str, action: str, subject_type: str,
            subject_id: str, detail: str) -> dict[str, Any]:
    """An audit_log row's values, linked after `prev_hash` (`detail`: canonical JSON text)."""
    fields = {"at": at, "actor": actor, "action": action, "subject_type": subject_type,
              "subject_id": subject_id}
    return {**fields, "detail": detail, "prev_hash": prev_hash,
            "hash": entry_hash(prev_hash, **fields, detail=json.loads(detail))}


def append(session: Session, *, actor: str, action: str, subject_type: str, subject_id: str,
           detail: dict, now: dt.datetime) -> AuditEntry:
    """Add an entry at the end of the chain (flushed, committed with the caller's transaction),
    after sealing what is staged."""
    at = require_aware(now)
    advisory_lock(session, AUDIT_LOCK)
    seal(session)
    entry = AuditEntry(**_linked(_last_hash(session), at=at, actor=actor, action=action,
                                 subject_type=subject_type, subject_id=str(subject_id),
                                 detail=canonical_json(detail)))
    session.add(entry)
    session.flush()
    return entry


def stage(session: Session, *, actor: str, action: str, subject_type: str, subject_id: str,
          detail: dict, now: dt.datetime) -> None:
    """Record an entry now without waiting for the chain's lock; `seal` chains it later.
    One Core insert, no ORM unit of work: staging runs on every dossier read."""
    session.execute(insert(STAGED).values(
        at=require_aware(now), actor=actor, action=action, subject_type=subject_type,
        subject_id=str(subject_id), detail=canonical_json(detail)))


def seal(session: Session, limit: int = 10_000) -> int:
    """Move up to `limit` staged entries into the chain, oldest first; how many were moved.
    One read of the head, the hashes in Python, one bulk insert and one delete: the lock is
    held for milliseconds even after a busy second."""
    advisory_lock(session, AUDIT_LOCK)
    session.flush()
    staged = session.execute(select(*AuditStaged.__table__.columns)
                             .order_by(AuditStaged.id).limit(limit)).all()
    if not staged:
        return 0
    prev_hash, chained = _last_hash(session), []
    for row in staged:
        chained.append(_linked(prev_hash, at=row.at, actor=row.actor, action=row.action,
                               subject_type=row.subject_type, subject_id=row.subject_id,
                               detail=row.detail))
        prev_hash = chained[-1]["hash"]
    session.execute(insert(AuditEntry), chained)
    session.execute(delete(AuditStaged).where(AuditStaged.id.in_([row.id for row in staged])))
    return len(staged)


def unsealed(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditStaged)) or 0


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int  # how many were checked (all of them when ok)
    first_bad_id: int | None
    problem: str  # "" when ok
    last_hash: str = GENESIS  # the chain's head when ok: keep it elsewhere to detect truncation
    unsealed: int = 0  # staged entries not yet in the chain (recorded, not yet tamper-evident)


def _problem(entry: Any, expected_prev: str, previous_id: int | None) -> str:
    """What is wrong with `entry` given the hash before it, or "" if nothing."""
    if entry.prev_hash != expected_prev:
        after = f"entry {previous_id}" if previous_id is not None else "the start of the log"
        return (f"prev_hash does not match the hash of {after}: an entry was deleted, "
                f"inserted or reordered, or a hash was changed")
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        return "detail is not valid JSON: it was edited"
    if canonical_json(detail) != entry.detail:
        return "detail is not in canonical form: it was edited"
    recomputed = entry_hash(entry.prev_hash, at=entry.at, actor=entry.actor, action=entry.action,
                            subject_type=entry.subject_type, subject_id=entry.subject_id,
                            detail=detail)
    if recomputed != entry.hash:
        return "hash does not match the entry's content: a field or the hash was edited"
    return ""


def verify(session: Session) -> Verification:
    """Recompute the whole chain in id order; stop at the first entry that does not fit."""
    expected_prev, previous_id, checked = GENESIS, None, 0
    # Plain rows, not ORM objects: a long log streams through without filling the session.
    columns = select(*AuditEntry.__table__.columns).order_by(AuditEntry.id)
    for entry in session.execute(columns.execution_options(yield_per=1000)):
        checked += 1
        problem = _problem(entry, expected_prev, previous_id)
        if problem:
            return Verification(False, checked, entry.id, problem, expected_prev,
                                unsealed(session))
        expected_prev, previous_id = entry.hash, entry.id
    return Verification(True, checked, None, "", expected_prev, unsealed(session))


def entries(session: Session, *, actor: str | None = None, action: str | None = None,
            subject_type: str | None = None, subject_id: str | None = None,
            limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    """Entries matching every given filter, newest first."""
    query = select(AuditEntry)
    for column, value in ((AuditEntry.actor, actor), (AuditEntry.action, action),
                          (AuditEntry.subject_type, subject_type),
                          (AuditEntry.subject_id, subject_id)):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))
