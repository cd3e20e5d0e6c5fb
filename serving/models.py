"""The service database: rankings, the review workflow, suppressions and the audit log.

One schema for SQLite (embedded default) and PostgreSQL (production); Alembic migrations in
`serving/migrations` create it (`serving.db.migrate`). JSON payloads (reasons, rule hits,
feature values, links, event details) are stored as text holding JSON, so both engines store
and return them byte for byte (the audit chain hashes them).

- ranking_runs / rankings: one run per (as_of, entity_type); a re-run replaces its rows.
- entities / entity_links: who an entity is and whom it is linked to, as of the latest run,
  for the dossier (links are kept for flagged entities: the ones people read).
- review_cases / case_warnings / case_events: every flag becomes a case, or a new warning on
  the entity's open case; events are its history.
- suppressions: a supervisor silences an entity for a period, with a reason.
- notifications: what supervisors are told through the API (escalations).
- audit_log: append-only, hash-chained (serving/audit.py).
- rule_cards / rule_card_versions / rule_hits / rule_backtests: the rule library's current
  cards, every version of each, the cards' daily hits and stored backtests (rulebook/store.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from serving.timestamps import utc

ENTITY_TYPE = String(16)
ENTITY_ID = String(64)


class UtcDateTime(TypeDecorator):
    """A timestamp that is aware UTC going in and coming out, on both backends (SQLite keeps
    the wall time and returns it naive; PostgreSQL returns the session's zone). The column
    type stays DateTime(timezone=True), so the migration is unchanged."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        return None if value is None else utc(value)

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        return None if value is None else utc(value)


class Base(DeclarativeBase):
    pass


class RankingRun(Base):
    __tablename__ = "ranking_runs"
    __table_args__ = (UniqueConstraint("as_of", "entity_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE)
    model_version: Mapped[str] = mapped_column(String(64))
    entities: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Ranking(Base):
    """One entity's place in one day's ranking (the output contract's row, plus its change)."""

    __tablename__ = "rankings"
    __table_args__ = (
        Index("ix_rankings_list", "as_of", "entity_type", "rank"),
        Index("ix_rankings_history", "entity_type", "entity_id", "as_of"),
    )

    as_of: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ranking_runs.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(8))  # red, orange, yellow, none
    model_version: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, flagged rows
    rules: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of rule ids
    features: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, flagged rows
    region: Mapped[str | None] = mapped_column(String(64), nullable=True)
    previous_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    previous_rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    previous_level: Mapped[str | None] = mapped_column(String(8), nullable=True)


class Entity(Base):
    """Identity for the dossier: a display name (a person's name, a firm's, a tender's title),
    region and a few descriptive fields as JSON."""

    __tablename__ = "entities"

    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    is_person: Mapped[bool] = mapped_column(default=False)  # names of persons are protected
    region: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    as_of: Mapped[dt.date] = mapped_column(Date)


class EntityLink(Base):
    """An edge of the dossier's network picture: owner, relative, co-bidder, unit, ..."""

    __tablename__ = "entity_links"
    __table_args__ = (Index("ix_links_from", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID)
    linked_type: Mapped[str] = mapped_column(String(16))  # official, enterprise, tender, unit, person
    linked_id: Mapped[str] = mapped_column(ENTITY_ID)
    linked_name: Mapped[str] = mapped_column(String(256))
    linked_is_person: Mapped[bool] = mapped_column(default=False)
    relation: Mapped[str] = mapped_column(String(64))  # e.g. "shareholder of", "spouse", "co-bidder"
    weight: Mapped[float | None] = mapped_column(Float, nullable=True)


class ReviewCase(Base):
    """A flag under human review. States: new -> assigned -> in_review -> (awaiting_second_review)
    -> closed. `version` guards concurrent updates (optimistic locking)."""

    __tablename__ = "review_cases"
    __table_args__ = (
        Index("ix_cases_entity", "entity_type", "entity_id", "state"),
        Index("ix_cases_queue", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID)
    origin: Mapped[str] = mapped_column(String(16), default="model")  # model, rule, audit_sample
    state: Mapped[str] = mapped_column(String(32), default="new")
    level: Mapped[str] = mapped_column(String(8))
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    opened_as_of: Mapped[dt.date] = mapped_column(Date)  # the ranking date that raised it
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    assignee: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    second_reviewer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CaseWarning(Base):
    """A ranking's warning on a case: the first raised it, later ones add to it."""

    __tablename__ = "case_warnings"
    __table_args__ = (UniqueConstraint("case_id", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id", ondelete="CASCADE"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(64))


class CaseEvent(Base):
    __tablename__ = "case_events"
    __table_args__ = (Index("ix_events_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON


class Suppression(Base):
    __tablename__ = "suppressions"
    __table_args__ = (Index("ix_suppressions_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)  # last day silenced; it expires after
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    role: Mapped[str] = mapped_column(String(32))  # who is told: supervisor
    kind: Mapped[str] = mapped_column(String(32))  # escalation, ...
    case_id: Mapped[int | None] = mapped_column(ForeignKey("review_cases.id"), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AuditEntry(Base):
    """Append-only; each entry's hash covers its content and the previous entry's hash."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))  # decision, assignment, suppression, dossier_read, ...
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditStaged(Base):
    """Entries recorded but not yet in the chain: dossier reads, one plain insert each, so that
    reads never queue on the chain's lock; `serving.audit.seal` moves them into the chain in
    order (the API does every second, and every chained append first)."""

    __tablename__ = "audit_staged"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON


class MonitorRun(Base):
    """One day's monitoring (`huoyan monitor --as-of D`); a re-run of D replaces it."""

    __tablename__ = "monitor_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    as_of: Mapped[dt.date] = mapped_column(Date, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    alerts: Mapped[int] = mapped_column(Integer)
    report: Mapped[str | None] = mapped_column(Text, nullable=True)  # the HTML report's path


class MonitorResult(Base):
    """One monitor's figures for one entity type (or none: review coverage) and its alerts."""

    __tablename__ = "monitor_results"
    __table_args__ = (Index("ix_monitor_results_run", "run_id", "monitor"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("monitor_runs.id", ondelete="CASCADE"))
    monitor: Mapped[str] = mapped_column(String(32))  # drift, score_drift, fairness, ...
    entity_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    figures: Mapped[str] = mapped_column(Text)  # JSON
    alerts: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of Alert


class RuleCardRecord(Base):
    """A rule card's current version (rulebook/store.py); every version is in
    rule_card_versions."""

    __tablename__ = "rule_cards"

    rule_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # published, retired
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE)
    severity: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(64))
    card: Mapped[str] = mapped_column(Text)  # JSON of the RuleCard
    content_hash: Mapped[str] = mapped_column(String(16))
    created_on: Mapped[dt.date] = mapped_column(Date)
    changed_on: Mapped[dt.date] = mapped_column(Date)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[str] = mapped_column(String(64))


class RuleCardVersion(Base):
    """One publication or retirement of a card, kept for ever."""

    __tablename__ = "rule_card_versions"
    __table_args__ = (UniqueConstraint("rule_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    card: Mapped[str] = mapped_column(Text)  # JSON of the RuleCard
    content_hash: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class RuleHit(Base):
    """A published card fired on an entity at a ranked day; a re-run of the day replaces them."""

    __tablename__ = "rule_hits"
    __table_args__ = (Index("ix_rule_hits_rule", "rule_id", "as_of"),
                      Index("ix_rule_hits_entity", "entity_type", "entity_id", "as_of"))

    as_of: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    entity_type: Mapped[str] = mapped_column(ENTITY_TYPE, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)


class RuleBacktest(Base):
    """One stored backtest of a card version (`huoyan rules backtest`)."""

    __tablename__ = "rule_backtests"
    __table_args__ = (Index("ix_rule_backtests_rule", "rule_id", "run_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(16))
    run_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    run_by: Mapped[str] = mapped_column(String(64))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[str] = mapped_column(Text)  # JSON of BacktestResult.to_dict()
