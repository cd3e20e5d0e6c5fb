"""The review workflow: a flag is a lead, never evidence, so every one gets a human review.

A case moves new -> assigned -> in_review -> closed; dismissing a red case needs a second
person (awaiting_second_review) before it closes. Every state change is written twice: as a
case event (the case's history) and in the audit log (serving/audit.py). The functions work
inside the caller's transaction and never commit; `now` comes from the caller.

    with transaction() as session:
        case = claim_next(session, reviewer="wang", now=now)        # new -> assigned
        start_review(session, case_id=case.id, reviewer="wang", now=now)
        decide(session, case_id=case.id, reviewer="wang", decision="dismissed",
               reason_code="data_error", note="address typo joined two firms",
               now=now, config=load_config())                       # red: awaiting second
    with transaction() as session:
        second_review(session, case_id=case.id, reviewer="zhao", agree=True,
                      note="checked the registry", now=now)         # closed, dismissed

Concurrency: a case is changed only while its row is locked (PostgreSQL: SELECT ... FOR
UPDATE, SKIP LOCKED when claiming) or while the SQLite writer lock is held; the model's
version column turns any update that slipped past that into WrongState. Keep one workflow
action per transaction on PostgreSQL: the audit lock is held to commit, so a second action
locking another case could deadlock with a concurrent one (PostgreSQL would abort one).

Refusals raise serving.review.errors (NotFound, WrongState, NotAllowed, InvalidInput).
Dates (suppressions) are in the calendar of `now`'s own time zone; stored times are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from data_contracts.contract import ENTITY_TYPES, TABLES_BY_NAME
from serving import audit
from serving.audit import canonical_json
from serving.config import LEVELS, ServingConfig
from serving.locking import hold_writer
from serving.models import (
    AuditEntry,
    CaseEvent,
    CaseWarning,
    Notification,
    ReviewCase,
    Suppression,
)
from serving.review.errors import (
    CaseNotFound,
    InvalidDecision,
    InvalidInput,
    InvalidSuppression,
    NotAllowed,
    NotificationNotFound,
    SuppressionNotFound,
    WrongState,
)
from serving.timestamps import require_aware, utc

if TYPE_CHECKING:
    import pandas as pd

OPEN_STATES = ("new", "assigned", "in_review", "awaiting_second_review")
# Cases still waiting for a first decision: the ones a deadline can escalate.
UNDECIDED_STATES = ("new", "assigned", "in_review")
DECIDABLE_STATES = ("assigned", "in_review")
# Most urgent first when due dates tie.
LEVEL_ORDER = sql_case({"red": 0, "orange": 1, "yellow": 2}, value=ReviewCase.level, else_=3)
CLAIM_ATTEMPTS = 20
SYSTEM = "system"


def case_label(case_id: int) -> str:
    """The case id of the input contract's `cases` table: RV000012."""
    return f"RV{case_id:06d}"


def _stamp(value: dt.datetime) -> str:
    return f"{utc(value):%Y-%m-%d %H:%M} UTC"


# --- reading ------------------------------------------------------------------------------


def get_case(session: Session, case_id: int) -> ReviewCase:
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise CaseNotFound(f"case {case_id} does not exist")
    return case


def case_history(session: Session, case_id: int) -> list[CaseEvent]:
    get_case(session, case_id)
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    return list(session.scalars(query))


def case_warnings(session: Session, case_id: int) -> list[CaseWarning]:
    get_case(session, case_id)
    query = (select(CaseWarning).where(CaseWarning.case_id == case_id)
             .order_by(CaseWarning.as_of, CaseWarning.id))
    return list(session.scalars(query))


def _queue_query(*, state: str | None, assignee: str | None, level: str | None,
                 overdue_at: dt.datetime | None, entity_type: str | None):  # noqa: ANN202
    query = select(ReviewCase)
    for column, value in ((ReviewCase.state, state), (ReviewCase.assignee, assignee),
                          (ReviewCase.level, level), (ReviewCase.entity_type, entity_type)):
        if value is not None:
            query = query.where(column == value)
    if overdue_at is not None:
        query = query.where(ReviewCase.state.in_(OPEN_STATES),
                            ReviewCase.due_at < require_aware(overdue_at))
    return query


def queue(session: Session, *, state: str | None = None, assignee: str | None = None,
          level: str | None = None, overdue_at: dt.datetime | None = None,
          entity_type: str | None = None, limit: int = 50, offset: int = 0
          ) -> tuple[list[ReviewCase], int]:
    """One page of the cases matching every given filter, the soonest due first, and how many
    match in all. `overdue_at`: open cases whose due time is before it."""
    query = _queue_query(state=state, assignee=assignee, level=level, overdue_at=overdue_at,
                         entity_type=entity_type)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.order_by(ReviewCase.due_at, ReviewCase.id).limit(limit).offset(offset)
    return list(session.scalars(page)), total


# --- changing a case ----------------------------------------------------------------------


def _lock_case(session: Session, case_id: int) -> ReviewCase:
    """The case as it is now, locked until the transaction ends (row lock, SQLite writer)."""
    hold_writer(session)
    query = (select(ReviewCase).where(ReviewCase.id == case_id).with_for_update()
             .execution_options(populate_existing=True))
    case = session.scalar(query)
    if case is None:
        raise CaseNotFound(f"case {case_id} does not exist")
    return case


@contextmanager
def _guard_lost_update(case: ReviewCase) -> Iterator[None]:
    """An update whose row changed meanwhile (version mismatch) is refused, not lost."""
    try:
        yield
    except StaleDataError as error:
        raise WrongState(f"case {case.id} was changed by someone else meanwhile; "
                         f"reload it and try again") from error


def _record(session: Session, case: ReviewCase, *, actor: str, action: str,
            detail: dict[str, Any], now: dt.datetime) -> AuditEntry:
    """The case's history and the audit log, together: every state change writes both."""
    with _guard_lost_update(case):
        session.add(CaseEvent(case_id=case.id, at=now, actor=actor, action=action,
                              detail=canonical_json(detail)))
        return audit.append(
            session, actor=actor, action=action, subject_type="case",
            subject_id=str(case.id),
            detail={"entity_type": case.entity_type, "entity_id": case.entity_id, **detail},
            now=now)


def _require_state(case: ReviewCase, action: str, allowed: tuple[str, ...]) -> None:
    if case.state not in allowed:
        raise WrongState(f"case {case.id} is {case.state}; {action} needs it "
                         f"{' or '.join(allowed)}")


def _require_assignee(case: ReviewCase, action: str, reviewer: str) -> None:
    if case.assignee != reviewer:
        holder = f"assigned to {case.assignee}" if case.assignee else "not assigned to anyone"
        raise WrongState(f"case {case.id} is {holder}; only its assignee may {action} "
                         f"(not {reviewer})")


def _require_text(value: str | None, what: str, error: type[InvalidInput]) -> str:
    if value is None or not value.strip():
        raise error(f"{what} must not be empty")
    return value.strip()


def _next_unassigned(entity_type: str | None):  # noqa: ANN202 - a Select
    """The most urgent unassigned new case: earliest due, then highest level, then oldest."""
    query = select(ReviewCase.id).where(ReviewCase.state == "new",
                                        ReviewCase.assignee.is_(None))
    if entity_type is not None:
        query = query.where(ReviewCase.entity_type == entity_type)
    return (query.order_by(ReviewCase.due_at, LEVEL_ORDER, ReviewCase.id).limit(1)
            .with_for_update(skip_locked=True))


def _take(session: Session, case_id: int, reviewer: str) -> bool:
    """Assign the case if it is still new and free; False if someone was quicker."""
    taken = session.execute(
        update(ReviewCase)
        .where(ReviewCase.id == case_id, ReviewCase.state == "new",
               ReviewCase.assignee.is_(None))
        .values(state="assigned", assignee=reviewer, version=ReviewCase.version + 1)
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


def claim_next(session: Session, *, reviewer: str, now: dt.datetime,
               entity_type: str | None = None) -> ReviewCase | None:
    """Give `reviewer` the most urgent unassigned case, or None if there is none.

    No two reviewers ever get the same case: PostgreSQL skips rows another claim has locked;
    SQLite's single writer serializes claims; the UPDATE is guarded by state and assignee.
    """
    now = require_aware(now)
    _require_text(reviewer, "reviewer", InvalidInput)
    hold_writer(session)
    for _ in range(CLAIM_ATTEMPTS):
        case_id = session.scalar(_next_unassigned(entity_type))
        if case_id is None:
            return None
        if _take(session, case_id, reviewer):
            case = session.get(ReviewCase, case_id, populate_existing=True)
            _record(session, case, actor=reviewer, action="claim", now=now,
                    detail={"from_state": "new", "to_state": "assigned", "assignee": reviewer})
            return case
    raise WrongState(f"{reviewer} could not claim a case: others took each candidate first; "
                     f"try again")


def assign(session: Session, *, case_id: int, reviewer: str, by: str,
           now: dt.datetime) -> ReviewCase:
    """A supervisor gives a case to a reviewer, or moves an undecided one to another.

    Reassigning an in-review case sends it back to `assigned`: the new reviewer starts afresh.
    Assigning a case to the reviewer who already holds it changes nothing.
    """
    now = require_aware(now)
    reviewer = _require_text(reviewer, "reviewer", InvalidInput)
    case = _lock_case(session, case_id)
    _require_state(case, "assign", UNDECIDED_STATES)
    if case.assignee == reviewer and case.state != "new":
        return case
    detail = {"from_state": case.state, "to_state": "assigned",
              "previous_assignee": case.assignee, "assignee": reviewer}
    case.state, case.assignee = "assigned", reviewer
    _record(session, case, actor=by, action="assign", detail=detail, now=now)
    return case


def start_review(session: Session, *, case_id: int, reviewer: str,
                 now: dt.datetime) -> ReviewCase:
    now = require_aware(now)
    case = _lock_case(session, case_id)
    _require_state(case, "start_review", ("assigned",))
    _require_assignee(case, "start its review", reviewer)
    case.state = "in_review"
    _record(session, case, actor=reviewer, action="start_review", now=now,
            detail={"from_state": "assigned", "to_state": "in_review"})
    return case


def _check_decision(case: ReviewCase, decision: str, reason_code: str, note: str | None,
                    config: ServingConfig) -> str:
    """The note, stripped, if decision and reason code go together and the note is given."""
    if decision not in config.reason_codes:
        raise InvalidDecision(f"case {case.id}: unknown decision {decision!r}; expected one of "
                              f"{', '.join(config.reason_codes)}")
    allowed = config.reason_codes[decision]
    if reason_code not in allowed:
        raise InvalidDecision(f"case {case.id}: reason code {reason_code!r} does not go with "
                              f"{decision}; expected one of {', '.join(allowed)}")
    return _require_text(note, f"case {case.id}: the note explaining the decision",
                         InvalidDecision)


def decide(session: Session, *, case_id: int, reviewer: str, decision: str, reason_code: str,
           note: str, now: dt.datetime, config: ServingConfig) -> ReviewCase:
    """The assignee's decision, with its reason code and note.

    Dismissing a red case does not close it: a second person must agree (second_review).
    """
    now = require_aware(now)
    case = _lock_case(session, case_id)
    _require_state(case, "decide", DECIDABLE_STATES)
    _require_assignee(case, "decide it", reviewer)
    note = _check_decision(case, decision, reason_code, note, config)
    needs_second = decision == "dismissed" and case.level == "red"
    detail = {"from_state": case.state,
              "to_state": "awaiting_second_review" if needs_second else "closed",
              "decision": decision, "reason_code": reason_code, "note": note}
    case.decision, case.reason_code, case.note = decision, reason_code, note
    case.decided_by, case.decided_at = reviewer, now
    case.state = detail["to_state"]
    case.closed_at = None if needs_second else now
    _record(session, case, actor=reviewer, action="decide", detail=detail, now=now)
    return case


def _first_decision(case: ReviewCase) -> dict[str, Any]:
    return {"decision": case.decision, "reason_code": case.reason_code, "note": case.note,
            "decided_by": case.decided_by,
            "decided_at": utc(case.decided_at).isoformat() if case.decided_at else None}


def second_review(session: Session, *, case_id: int, reviewer: str, agree: bool, note: str,
                  now: dt.datetime) -> ReviewCase:
    """Four eyes on a red dismissal: another person agrees (closed as dismissed) or not (back
    in review, the first decision cleared but kept in the history)."""
    now = require_aware(now)
    case = _lock_case(session, case_id)
    _require_state(case, "second_review", ("awaiting_second_review",))
    if reviewer == case.decided_by:
        raise NotAllowed(f"case {case.id}: {reviewer} made the first decision, so the second "
                         f"review must be someone else's")
    note = _require_text(note, f"case {case.id}: the second reviewer's note", InvalidDecision)
    detail = {"from_state": case.state, "agree": agree, "note": note,
              "first_decision": _first_decision(case)}
    if agree:
        case.state, case.second_reviewer, case.closed_at = "closed", reviewer, now
    else:
        case.state, case.second_reviewer = "in_review", None
        case.decision = case.reason_code = case.note = case.decided_by = None
        case.decided_at = None
    detail["to_state"] = case.state
    _record(session, case, actor=reviewer, action="second_review", detail=detail, now=now)
    return case


# --- deadlines ----------------------------------------------------------------------------


def _raised(level: str) -> str:
    """One level up; red stays red."""
    return LEVELS[max(LEVELS.index(level) - 1, 0)]


def _escalation_message(case: ReviewCase, was_due: dt.datetime, old_level: str) -> str:
    change = (f"stays {old_level} (the highest level)" if case.level == old_level
              else f"raised from {old_level} to {case.level}")
    return (f"case {case.id} ({case.entity_type} {case.entity_id}) overdue since "
            f"{_stamp(was_due)}: {change}, due {_stamp(case.due_at)}")


def _escalate(session: Session, case: ReviewCase, now: dt.datetime,
              config: ServingConfig) -> None:
    was_due, old_level = utc(case.due_at), case.level
    case.level = _raised(old_level)
    case.escalations += 1
    case.due_at = config.due(case.level, now)
    message = _escalation_message(case, was_due, old_level)
    session.add(Notification(at=now, role="supervisor", kind="escalation", case_id=case.id,
                             message=message))
    _record(session, case, actor=SYSTEM, action="escalate", now=now, detail={
        "from_level": old_level, "to_level": case.level, "overdue_since": was_due.isoformat(),
        "due_at": case.due_at.isoformat(), "escalations": case.escalations})


def escalate_overdue(session: Session, *, now: dt.datetime,
                     config: ServingConfig) -> list[ReviewCase]:
    """Raise every open case past its due time one level, with a new due time, and tell the
    supervisors; a red dismissal waiting for its second reviewer too (it stays red). Running
    it again at the same `now` changes nothing: the new due time is after `now`. Cases being
    changed right now (locked) are left for the next run."""
    now = require_aware(now)
    hold_writer(session)
    query = (select(ReviewCase)
             .where(ReviewCase.state.in_(OPEN_STATES), ReviewCase.due_at < now)
             .order_by(ReviewCase.due_at, ReviewCase.id)
             .with_for_update(skip_locked=True)
             .execution_options(populate_existing=True))
    overdue = list(session.scalars(query))
    for case in overdue:
        _escalate(session, case, now, config)
    return overdue


def notifications(session: Session, *, role: str, unread_only: bool = True,
                  limit: int = 50) -> list[Notification]:
    """What `role` is told, newest first."""
    query = select(Notification).where(Notification.role == role)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.at.desc(), Notification.id.desc()).limit(limit)
    return list(session.scalars(query))


def mark_read(session: Session, *, notification_id: int, now: dt.datetime) -> Notification:
    """Mark a notification read; reading it again keeps the first time."""
    now = require_aware(now)
    notification = session.get(Notification, notification_id)
    if notification is None:
        raise NotificationNotFound(f"notification {notification_id} does not exist")
    if notification.read_at is None:
        notification.read_at = now
        session.flush()
    return notification


# --- suppressions -------------------------------------------------------------------------


def _check_suppression(entity_type: str, entity_id: str, until: dt.date, reason: str,
                       today: dt.date) -> str:
    if entity_type not in ENTITY_TYPES:
        raise InvalidSuppression(f"unknown entity type {entity_type!r}; expected one of "
                                 f"{', '.join(ENTITY_TYPES)}")
    _require_text(entity_id, "entity id", InvalidSuppression)
    if until < today:
        raise InvalidSuppression(f"a suppression of {entity_type} {entity_id} cannot end on "
                                 f"{until}, before today ({today})")
    return _require_text(reason, f"the reason for suppressing {entity_type} {entity_id}",
                         InvalidSuppression)


def suppress(session: Session, *, entity_type: str, entity_id: str, until: dt.date,
             reason: str, by: str, now: dt.datetime) -> Suppression:
    """Silence an entity from today through `until` (inclusive), with a reason."""
    today = now.date()  # the caller's calendar
    now = require_aware(now)
    reason = _check_suppression(entity_type, entity_id, until, reason, today)
    suppression = Suppression(entity_type=entity_type, entity_id=entity_id, starts_on=today,
                              until=until, reason=reason, created_by=by, created_at=now)
    hold_writer(session)
    session.add(suppression)
    session.flush()
    audit.append(session, actor=by, action="suppress", subject_type=entity_type,
                 subject_id=entity_id, now=now, detail={
                     "suppression_id": suppression.id, "starts_on": today.isoformat(),
                     "until": until.isoformat(), "reason": reason})
    return suppression


def lift_suppression(session: Session, *, suppression_id: int, by: str,
                     now: dt.datetime) -> Suppression:
    """End a suppression before its date; who lifted it is in the audit log."""
    now = require_aware(now)
    hold_writer(session)
    suppression = session.get(Suppression, suppression_id, with_for_update=True,
                              populate_existing=True)
    if suppression is None:
        raise SuppressionNotFound(f"suppression {suppression_id} does not exist")
    if suppression.lifted_at is not None:
        raise WrongState(f"suppression {suppression_id} was already lifted at "
                         f"{_stamp(suppression.lifted_at)}")
    suppression.lifted_at = now
    audit.append(session, actor=by, action="lift_suppression",
                 subject_type=suppression.entity_type, subject_id=suppression.entity_id,
                 now=now, detail={"suppression_id": suppression.id,
                                  "until": suppression.until.isoformat()})
    return suppression


def _active_on(on: dt.date):  # noqa: ANN202 - a where clause
    return ((Suppression.starts_on <= on) & (Suppression.until >= on)
            & Suppression.lifted_at.is_(None))


def active_suppression(session: Session, *, entity_type: str, entity_id: str,
                       on: dt.date) -> Suppression | None:
    """The suppression silencing the entity on `on` (the longest-running if several)."""
    query = (select(Suppression)
             .where(Suppression.entity_type == entity_type, Suppression.entity_id == entity_id,
                    _active_on(on))
             .order_by(Suppression.until.desc(), Suppression.id.desc()).limit(1))
    return session.scalar(query)


def suppressions(session: Session, *, active_on: dt.date | None = None) -> list[Suppression]:
    """All suppressions, or those in force on `active_on`; newest first."""
    query = select(Suppression)
    if active_on is not None:
        query = query.where(_active_on(active_on))
    return list(session.scalars(query.order_by(Suppression.id.desc())))


# --- reads and labels ---------------------------------------------------------------------


def record_dossier_read(session: Session, *, actor: str, entity_type: str, entity_id: str,
                        now: dt.datetime) -> None:
    """Who read whose dossier, and when: recorded with the read, chained at the next seal
    (reads are too many to queue each on the chain's lock: serving/audit.py)."""
    audit.stage(session, actor=actor, action="dossier_read", subject_type=entity_type,
                subject_id=entity_id, detail={}, now=now)


CASE_COLUMNS = TABLES_BY_NAME["cases"].column_names


def _closed_on(state: str, closed_at: dt.datetime | None) -> dt.date | None:
    return utc(closed_at).date() if state == "closed" and closed_at is not None else None


def labels_frame(session: Session) -> pd.DataFrame:
    """Every case as a row of the input contract's `cases` table: reviewed decisions become
    training labels (outcome only once a case is closed; open cases have none)."""
    import pandas as pd

    query = select(ReviewCase.id, ReviewCase.entity_type, ReviewCase.entity_id,
                   ReviewCase.opened_as_of, ReviewCase.closed_at, ReviewCase.state,
                   ReviewCase.decision).order_by(ReviewCase.id)
    rows = [{
        "case_id": case_label(row.id),
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "opened_on": row.opened_as_of,
        "closed_on": _closed_on(row.state, row.closed_at),
        "outcome": row.decision if row.state == "closed" else None,
        "scheme": None,
    } for row in session.execute(query)]
    return pd.DataFrame(rows, columns=list(CASE_COLUMNS))
