"""The rule library in the service database, inside the caller's transaction (nothing commits).

`rule_cards` holds each card's current version, `rule_card_versions` every version ever
published or retired (never edited), `rule_hits` what the published cards hit on each ranked
day, `rule_backtests` each stored backtest. Every publication and retirement is a new version
and an audit-log entry:

    >>> publish(session, card, actor="li", now=now)          # SM-003 is new
    RuleCard(id='SM-003', version=1, status='published', ...)
    >>> publish(session, card, actor="li", now=now)          # same content: nothing written
    RuleCard(id='SM-003', version=1, ...)
    >>> publish(session, stricter, actor="li", now=now)      # the filter changed
    RuleCard(id='SM-003', version=2, ...)
    >>> retire(session, "SM-003", actor="wang", reason="replaced by SM-011", now=now)
    RuleCard(id='SM-003', version=3, status='retired', ...)
    >>> [v["version"] for v in versions(session, "SM-003")]
    [1, 2, 3]

Writers of the library are serialized (an advisory lock on PostgreSQL, the writer lock on
SQLite) before the current version is read, so two publications never claim one version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from rulebook.card import HIT_COLUMNS, SEVERITIES, CardError, RuleCard
from serving import audit
from serving.locking import advisory_lock
from serving.models import (
    RankingRun,
    RuleBacktest,
    RuleCardRecord,
    RuleCardVersion,
    RuleHit,
)
from serving.timestamps import require_aware

if TYPE_CHECKING:
    import pandas as pd

    from rulebook.backtest import BacktestResult

# Key of the PostgreSQL advisory lock that serializes library writes ("rules" in hex).
RULES_LOCK = 0x72_756C_6573


class RuleNotFound(LookupError):
    def __init__(self, rule_id: str) -> None:
        super().__init__(f"rule {rule_id} is not in the library (huoyan rules list shows it)")
        self.rule_id = rule_id


class RuleStateError(ValueError):
    """A change the card's current status does not allow (retiring a retired card)."""


# --- cards ---------------------------------------------------------------------------------


def _to_json(card: RuleCard) -> str:
    return json.dumps(card.model_dump(mode="json"), ensure_ascii=False)


def _from_json(text: str) -> RuleCard:
    return RuleCard.model_validate(json.loads(text))


def _restamped(card: RuleCard, *, version: int, status: str, created: dt.date,
               changed: dt.date) -> RuleCard:
    """The card as stored: validated again, so `changed` may not precede `created`."""
    fields = {**card.model_dump(), "version": version, "status": status, "created": created,
              "changed": changed}
    try:
        return RuleCard.model_validate(fields)
    except ValidationError as error:
        raise CardError(f"{card.id}: {error.errors()[0]['msg']}") from None


def _record(session: Session, rule_id: str) -> RuleCardRecord | None:
    return session.get(RuleCardRecord, rule_id)


def _store(session: Session, card: RuleCard, *, actor: str, at: dt.datetime, note: str) -> None:
    """Write `card` as the current version and add it to the versions."""
    text, digest = _to_json(card), card.content_hash()
    record = _record(session, card.id) or RuleCardRecord(rule_id=card.id)
    columns = {"version": card.version, "status": card.status, "entity_type": card.entity_type,
               "severity": card.severity, "title": card.title, "domain": card.domain,
               "owner": card.owner, "card": text, "content_hash": digest,
               "created_on": card.created, "changed_on": card.changed, "changed_at": at,
               "changed_by": actor}
    for name, value in columns.items():
        setattr(record, name, value)
    session.add(record)
    session.add(RuleCardVersion(rule_id=card.id, version=card.version, status=card.status,
                                card=text, content_hash=digest, changed_at=at,
                                changed_by=actor, note=note))
    session.flush()


def publish(session: Session, card: RuleCard, *, actor: str, now: dt.datetime,
            note: str = "") -> RuleCard:
    """Publish `card` as its rule's next version; the stored card. The same content already
    published is left as it is (and returned)."""
    # sqlglot and the feature catalog: imported by publishing only, not by every reader
    from rulebook.check import check

    check(card)
    at = require_aware(now)
    advisory_lock(session, RULES_LOCK)
    record = _record(session, card.id)
    digest = card.content_hash()
    if record is not None and record.status == "published" and record.content_hash == digest:
        return _from_json(record.card)
    stored = _restamped(card, version=record.version + 1 if record else card.version,
                        status="published",
                        created=record.created_on if record else card.created,
                        changed=at.date())
    _store(session, stored, actor=actor, at=at, note=note)
    audit.append(session, actor=actor, action="rule_published", subject_type="rule",
                 subject_id=card.id,
                 detail={"version": stored.version, "content_hash": digest, "note": note},
                 now=at)
    return stored


def retire(session: Session, rule_id: str, *, actor: str, reason: str,
           now: dt.datetime) -> RuleCard:
    """Retire the rule (a new version, status retired); its versions and hits stay."""
    at = require_aware(now)
    advisory_lock(session, RULES_LOCK)
    current = get(session, rule_id)
    if current.status == "retired":
        raise RuleStateError(f"rule {rule_id} is already retired (version {current.version})")
    stored = _restamped(current, version=current.version + 1, status="retired",
                        created=current.created, changed=max(at.date(), current.changed))
    _store(session, stored, actor=actor, at=at, note=reason)
    audit.append(session, actor=actor, action="rule_retired", subject_type="rule",
                 subject_id=rule_id, detail={"version": stored.version,
                                             "content_hash": stored.content_hash(),
                                             "reason": reason}, now=at)
    return stored


def get(session: Session, rule_id: str) -> RuleCard:
    record = _record(session, rule_id)
    if record is None:
        raise RuleNotFound(rule_id)
    return _from_json(record.card)


def library(session: Session) -> list[RuleCard]:
    """Every rule's current version, any status, by id."""
    texts = session.scalars(select(RuleCardRecord.card).order_by(RuleCardRecord.rule_id))
    return [_from_json(text) for text in texts]


def published(session: Session, entity_type: str | None = None) -> list[RuleCard]:
    """The published cards (of `entity_type`, if given), by id: the ones the ranking runs."""
    query = select(RuleCardRecord.card).where(RuleCardRecord.status == "published")
    if entity_type is not None:
        query = query.where(RuleCardRecord.entity_type == entity_type)
    return [_from_json(text) for text in session.scalars(query.order_by(RuleCardRecord.rule_id))]


def versions(session: Session, rule_id: str) -> list[dict[str, Any]]:
    """Every version of the rule, oldest first: version, status, changed_at, changed_by, note,
    content_hash and card (a RuleCard); RuleNotFound if it has none."""
    rows = session.scalars(select(RuleCardVersion).where(RuleCardVersion.rule_id == rule_id)
                           .order_by(RuleCardVersion.version)).all()
    if not rows:
        raise RuleNotFound(rule_id)
    return [{"version": r.version, "status": r.status, "changed_at": r.changed_at,
             "changed_by": r.changed_by, "note": r.note, "content_hash": r.content_hash,
             "card": _from_json(r.card)} for r in rows]


# --- backtests -----------------------------------------------------------------------------


def save_backtest(session: Session, result: BacktestResult, *, actor: str,
                  now: dt.datetime) -> int:
    """Store one backtest result; its id."""
    row = RuleBacktest(rule_id=result.rule_id, version=result.version,
                       content_hash=result.content_hash, run_at=require_aware(now),
                       run_by=actor, start=result.start, end=result.end,
                       passed=bool(result.passed),
                       result=json.dumps(result.to_dict(), ensure_ascii=False))
    session.add(row)
    session.flush()
    return row.id


def _backtest(row: RuleBacktest) -> dict[str, Any]:
    return {**json.loads(row.result), "run_at": row.run_at, "run_by": row.run_by,
            "passed": row.passed}


def backtests(session: Session, rule_id: str) -> list[dict[str, Any]]:
    """The rule's stored backtests, oldest first (result dict plus run_at, run_by, passed)."""
    rows = session.scalars(select(RuleBacktest).where(RuleBacktest.rule_id == rule_id)
                           .order_by(RuleBacktest.run_at, RuleBacktest.id))
    return [_backtest(row) for row in rows]


def latest_backtests(session: Session) -> dict[str, dict[str, Any]]:
    """rule id -> its latest stored backtest (as `backtests` gives them)."""
    newest = func.row_number().over(partition_by=RuleBacktest.rule_id,
                                    order_by=(RuleBacktest.run_at.desc(), RuleBacktest.id.desc()))
    ranked = select(RuleBacktest.id, newest.label("n")).subquery()
    rows = session.scalars(select(RuleBacktest).join(ranked, ranked.c.id == RuleBacktest.id)
                           .where(ranked.c.n == 1).order_by(RuleBacktest.rule_id))
    return {row.rule_id: _backtest(row) for row in rows}


# --- hits ----------------------------------------------------------------------------------


def replace_hits(session: Session, *, as_of: dt.date, entity_type: str,
                 hits: pd.DataFrame) -> int:
    """The day's hits of `entity_type` replace the stored ones (HIT_COLUMNS; evidence may be
    missing); how many were written. Bulk inserts: a day may have 100k hits."""
    # pandas: imported by the writers of hits only
    from serving.ranking.store import insert_frame

    others = set(hits["entity_type"]) - {entity_type} if "entity_type" in hits else set()
    if others:
        raise ValueError(f"hits of {sorted(others)} given to replace the {entity_type} hits")
    session.execute(delete(RuleHit).where(RuleHit.as_of == as_of,
                                          RuleHit.entity_type == entity_type))
    frame = hits[HIT_COLUMNS].assign(as_of=as_of, entity_type=entity_type)
    frame = frame.astype({"version": "int64", "entity_id": str})
    return insert_frame(session, RuleHit, frame)


def hit_counts(session: Session, rule_id: str | None = None) -> list[dict[str, Any]]:
    """[{rule_id, as_of, hits}] per rule and day with a hit, by day then rule."""
    query = select(RuleHit.rule_id, RuleHit.as_of, func.count().label("hits")).group_by(
        RuleHit.rule_id, RuleHit.as_of)
    if rule_id is not None:
        query = query.where(RuleHit.rule_id == rule_id)
    rows = session.execute(query.order_by(RuleHit.as_of, RuleHit.rule_id))
    return [dict(row._mapping) for row in rows]


def entity_hits(session: Session, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
    """The entity's hits on its latest day with any (most severe first): rule_id, version,
    as_of, evidence, title, severity."""
    mine = (RuleHit.entity_type == entity_type, RuleHit.entity_id == entity_id)
    latest = session.scalar(select(func.max(RuleHit.as_of)).where(*mine))
    if latest is None:
        return []
    severity_order = case({s: i for i, s in enumerate(SEVERITIES)},
                          value=RuleCardRecord.severity, else_=len(SEVERITIES))
    rows = session.execute(
        select(RuleHit.rule_id, RuleHit.version, RuleHit.as_of, RuleHit.evidence,
               RuleCardRecord.title, RuleCardRecord.severity)
        .outerjoin(RuleCardRecord, RuleCardRecord.rule_id == RuleHit.rule_id)
        .where(*mine, RuleHit.as_of == latest)
        .order_by(severity_order, RuleHit.rule_id))
    return [dict(row._mapping) for row in rows]


def published_in_database() -> list[RuleCard]:
    """The published cards of this home's service database (migrated first), in a
    transaction of their own: what the ranking runs and training turns into features."""
    from serving.db import migrate, transaction

    migrate()
    with transaction() as session:
        return published(session)


def ranked_days(session: Session) -> dict[str, dt.date]:
    """entity type -> its latest ranked day (where the day's hits are)."""
    rows = session.execute(select(RankingRun.entity_type, func.max(RankingRun.as_of))
                           .group_by(RankingRun.entity_type))
    return dict(rows.all())
