"""The review workflow on SQLite and PostgreSQL: states, who may do what, four eyes on red
dismissals, escalation, suppressions, labels, and claims under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.io import read_raw
from data_contracts.parsing import parse_table
from serving import audit
from serving.config import ServingConfig
from serving.db import engine_for
from serving.models import CaseEvent, CaseWarning, ReviewCase
from serving.review import service
from serving.review.command import export_labels
from serving.review.errors import (
    CaseNotFound,
    InvalidDecision,
    InvalidSuppression,
    NotAllowed,
    NotificationNotFound,
    SuppressionNotFound,
    WrongState,
)

NOW = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
HOUR = dt.timedelta(hours=1)
CONFIG = ServingConfig()


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(database_url), expire_on_commit=False)


def make_case(session: Session, entity_id: str, *, level: str = "orange",
              due_at: dt.datetime | None = None, entity_type: str = "enterprise",
              **fields: object) -> ReviewCase:
    """A case as the ranking job would open it (state new unless given)."""
    case = ReviewCase(entity_type=entity_type, entity_id=entity_id, level=level,
                      opened_at=NOW - 24 * HOUR, opened_as_of=TODAY - dt.timedelta(days=1),
                      due_at=due_at or NOW + 48 * HOUR, **fields)
    session.add(case)
    session.flush()
    return case


def new_case(sessions: sessionmaker[Session], entity_id: str = "E1", **fields: object) -> int:
    with sessions.begin() as session:
        return make_case(session, entity_id, **fields).id


def in_review(sessions: sessionmaker[Session], reviewer: str = "wang", **fields: object) -> int:
    case_id = new_case(sessions, **fields)
    with sessions.begin() as session:
        service.assign(session, case_id=case_id, reviewer=reviewer, by="boss", now=NOW)
        service.start_review(session, case_id=case_id, reviewer=reviewer, now=NOW)
    return case_id


def decide(sessions: sessionmaker[Session], case_id: int, reviewer: str = "wang",
           decision: str = "dismissed", reason_code: str = "data_error",
           note: str = "typo in the registry") -> ReviewCase:
    with sessions.begin() as session:
        return service.decide(session, case_id=case_id, reviewer=reviewer, decision=decision,
                              reason_code=reason_code, note=note, now=NOW + HOUR, config=CONFIG)


def history(sessions: sessionmaker[Session], case_id: int) -> list[str]:
    with sessions() as session:
        return [event.action for event in service.case_history(session, case_id)]


def audit_actions(sessions: sessionmaker[Session], case_id: int) -> list[str]:
    with sessions() as session:
        found = audit.entries(session, subject_type="case", subject_id=str(case_id))
        return [entry.action for entry in reversed(found)]


# --- the happy path -----------------------------------------------------------------------


def test_claim_review_decide_closes_with_history_and_audit(
        sessions: sessionmaker[Session]) -> None:
    case_id = new_case(sessions, "E7", level="orange")
    with sessions.begin() as session:
        claimed = service.claim_next(session, reviewer="wang", now=NOW)
        assert (claimed.id, claimed.state, claimed.assignee) == (case_id, "assigned", "wang")
    with sessions.begin() as session:
        service.start_review(session, case_id=case_id, reviewer="wang", now=NOW)
    closed = decide(sessions, case_id, decision="confirmed", reason_code="procedural_violation",
                    note="  split tenders under the threshold  ")
    assert (closed.state, closed.decision, closed.decided_by) == ("closed", "confirmed", "wang")
    assert closed.note == "split tenders under the threshold"
    assert closed.closed_at == NOW + HOUR
    assert history(sessions, case_id) == ["claim", "start_review", "decide"]
    assert audit_actions(sessions, case_id) == ["claim", "start_review", "decide"]
    with sessions() as session:
        event = service.case_history(session, case_id)[-1]
        assert event.actor == "wang" and '"reason_code":"procedural_violation"' in event.detail
        entry = audit.entries(session, action="decide")[0]
        assert '"entity_id":"E7"' in entry.detail and '"decision":"confirmed"' in entry.detail
        assert audit.verify(session).ok
        assert service.get_case(session, case_id).version == 4  # three updates, each checked


def test_claim_takes_the_most_urgent_case(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        later = make_case(session, "E1", level="red", due_at=NOW + 9 * HOUR).id
        yellow = make_case(session, "E2", level="yellow", due_at=NOW + HOUR).id
        red = make_case(session, "E3", level="red", due_at=NOW + HOUR).id
        official = make_case(session, "P1", entity_type="official", due_at=NOW + 99 * HOUR).id
        make_case(session, "E4", state="assigned", assignee="li", due_at=NOW)
    order = []
    for _ in range(4):
        with sessions.begin() as session:
            order.append(service.claim_next(session, reviewer="wang", now=NOW,
                                            entity_type="enterprise"))
    assert [c.id if c else None for c in order] == [red, yellow, later, None]
    with sessions.begin() as session:
        assert service.claim_next(session, reviewer="wang", now=NOW).id == official
        assert service.claim_next(session, reviewer="wang", now=NOW) is None


def test_supervisor_assigns_and_reassigns(sessions: sessionmaker[Session]) -> None:
    case_id = in_review(sessions, reviewer="wang")
    with sessions.begin() as session:
        case = service.assign(session, case_id=case_id, reviewer="li", by="boss", now=NOW)
        assert (case.state, case.assignee) == ("assigned", "li")
    with sessions.begin() as session, pytest.raises(WrongState, match="assigned to li"):
        service.start_review(session, case_id=case_id, reviewer="wang", now=NOW)
    with sessions.begin() as session:  # the same assignment again changes nothing
        service.assign(session, case_id=case_id, reviewer="li", by="boss", now=NOW)
    assert history(sessions, case_id) == ["assign", "start_review", "assign"]
    with sessions() as session:
        assert [e.actor for e in audit.entries(session, action="assign")] == ["boss", "boss"]


# --- refusals -----------------------------------------------------------------------------


def test_unknown_case_is_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        for call in (lambda: service.get_case(session, 404),
                     lambda: service.case_history(session, 404),
                     lambda: service.case_warnings(session, 404),
                     lambda: service.start_review(session, case_id=404, reviewer="w", now=NOW),
                     lambda: service.assign(session, case_id=404, reviewer="w", by="b",
                                            now=NOW)):
            with pytest.raises(CaseNotFound, match="case 404 does not exist"):
                call()


def test_actions_out_of_state_are_refused(sessions: sessionmaker[Session]) -> None:
    fresh = new_case(sessions, "E1")
    closed = in_review(sessions)
    decide(sessions, closed, decision="confirmed", reason_code="evidence_of_scheme")
    with sessions.begin() as session:
        with pytest.raises(WrongState, match=f"case {fresh} is new; start_review needs it "
                                             f"assigned"):
            service.start_review(session, case_id=fresh, reviewer="wang", now=NOW)
        with pytest.raises(WrongState, match="is new; decide needs it assigned or in_review"):
            service.decide(session, case_id=fresh, reviewer="wang", decision="confirmed",
                           reason_code="evidence_of_scheme", note="x", now=NOW, config=CONFIG)
        with pytest.raises(WrongState, match=f"case {closed} is closed; decide"):
            service.decide(session, case_id=closed, reviewer="wang", decision="confirmed",
                           reason_code="evidence_of_scheme", note="x", now=NOW, config=CONFIG)
        with pytest.raises(WrongState, match="is closed; assign needs it new or assigned"):
            service.assign(session, case_id=closed, reviewer="li", by="boss", now=NOW)
        with pytest.raises(WrongState, match="second_review needs it awaiting_second_review"):
            service.second_review(session, case_id=closed, reviewer="li", agree=True,
                                  note="ok", now=NOW)
    assert history(sessions, closed) == ["assign", "start_review", "decide"]


def test_only_the_assignee_may_review_and_decide(sessions: sessionmaker[Session]) -> None:
    case_id = new_case(sessions)
    with sessions.begin() as session:
        service.assign(session, case_id=case_id, reviewer="wang", by="boss", now=NOW)
    with sessions.begin() as session, pytest.raises(WrongState, match="assigned to wang"):
        service.start_review(session, case_id=case_id, reviewer="li", now=NOW)
    with pytest.raises(WrongState, match=r"only its assignee may decide it \(not li\)"):
        decide(sessions, case_id, reviewer="li")
    assert decide(sessions, case_id, reviewer="wang").state == "closed"  # from assigned


@pytest.mark.parametrize(("decision", "reason_code", "note", "message"), [
    ("guilty", "data_error", "x", "unknown decision 'guilty'; expected one of confirmed"),
    ("confirmed", "data_error", "x", "reason code 'data_error' does not go with confirmed"),
    ("dismissed", "", "x", "reason code '' does not go with dismissed"),
    ("inconclusive", "needs_more_information", "", "note explaining the decision must not"),
    ("inconclusive", "needs_more_information", "  \n", "must not be empty"),
])
def test_bad_decisions_are_refused_and_change_nothing(
        sessions: sessionmaker[Session], decision: str, reason_code: str, note: str,
        message: str) -> None:
    case_id = in_review(sessions)
    with pytest.raises(InvalidDecision, match=message):
        decide(sessions, case_id, decision=decision, reason_code=reason_code, note=note)
    with sessions() as session:
        assert service.get_case(session, case_id).state == "in_review"
    assert history(sessions, case_id) == ["assign", "start_review"]


# --- four eyes ----------------------------------------------------------------------------


def test_red_dismissal_waits_for_a_second_person(sessions: sessionmaker[Session]) -> None:
    case_id = in_review(sessions, level="red")
    waiting = decide(sessions, case_id, decision="dismissed", reason_code="known_situation")
    assert (waiting.state, waiting.closed_at) == ("awaiting_second_review", None)
    with sessions.begin() as session, pytest.raises(NotAllowed, match="wang made the first"):
        service.second_review(session, case_id=case_id, reviewer="wang", agree=True,
                              note="fine", now=NOW)
    with sessions.begin() as session, pytest.raises(InvalidDecision, match="note"):
        service.second_review(session, case_id=case_id, reviewer="zhao", agree=True,
                              note=" ", now=NOW)
    with sessions.begin() as session:
        closed = service.second_review(session, case_id=case_id, reviewer="zhao", agree=True,
                                       note="registry confirms", now=NOW + 2 * HOUR)
    assert (closed.state, closed.decision, closed.second_reviewer) == (
        "closed", "dismissed", "zhao")
    assert closed.closed_at == NOW + 2 * HOUR
    assert history(sessions, case_id)[-2:] == ["decide", "second_review"]


def test_second_reviewer_disagreeing_reopens_the_case(sessions: sessionmaker[Session]) -> None:
    case_id = in_review(sessions, level="red")
    decide(sessions, case_id, decision="dismissed", reason_code="data_error", note="typo")
    with sessions.begin() as session:
        reopened = service.second_review(session, case_id=case_id, reviewer="zhao",
                                         agree=False, note="the typo is not the whole story",
                                         now=NOW)
    assert (reopened.state, reopened.assignee) == ("in_review", "wang")
    assert reopened.decision is reopened.decided_by is reopened.note is None
    with sessions() as session:
        event = service.case_history(session, case_id)[-1]
    assert event.action == "second_review" and '"agree":false' in event.detail
    assert '"first_decision":{"decided_at"' in event.detail and '"note":"typo"' in event.detail
    closed = decide(sessions, case_id, decision="confirmed", reason_code="evidence_of_scheme")
    assert closed.state == "closed"


def test_only_red_dismissals_need_four_eyes(sessions: sessionmaker[Session]) -> None:
    red_confirmed = in_review(sessions, "wang", level="red")
    orange_dismissed = in_review(sessions, "wang", level="orange")
    assert decide(sessions, red_confirmed, decision="confirmed",
                  reason_code="evidence_of_scheme").state == "closed"
    assert decide(sessions, orange_dismissed).state == "closed"


# --- deadlines ----------------------------------------------------------------------------


def test_overdue_cases_escalate_once_per_deadline(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        yellow = make_case(session, "E1", level="yellow", due_at=NOW - HOUR).id
        orange = make_case(session, "E2", level="orange", due_at=NOW - 5 * HOUR,
                           state="assigned", assignee="wang").id
        red = make_case(session, "E3", level="red", due_at=NOW - HOUR).id
        not_due = make_case(session, "E4", level="yellow", due_at=NOW + HOUR).id
        make_case(session, "E5", level="yellow", due_at=NOW - HOUR, state="closed")
        waiting = make_case(session, "E6", level="red", due_at=NOW - HOUR,
                            state="awaiting_second_review").id  # the second reviewer is late
    with sessions.begin() as session:
        raised = service.escalate_overdue(session, now=NOW, config=CONFIG)
        assert [(c.id, c.level, c.escalations) for c in raised] == [
            (orange, "red", 1), (yellow, "orange", 1), (red, "red", 1), (waiting, "red", 1)]
        assert [c.due_at for c in raised] == [NOW + 48 * HOUR, NOW + 7 * 24 * HOUR,
                                             NOW + 48 * HOUR, NOW + 48 * HOUR]
        assert raised[-1].state == "awaiting_second_review"
    with sessions.begin() as session:
        assert service.escalate_overdue(session, now=NOW, config=CONFIG) == []
        told = service.notifications(session, role="supervisor")
        assert service.notifications(session, role="reviewer") == []
    assert sorted(n.case_id for n in told) == sorted([yellow, orange, red, waiting])
    by_case = {n.case_id: n.message for n in told}
    assert by_case[orange] == (f"case {orange} (enterprise E2) overdue since 2024-05-01 03:00 "
                               f"UTC: raised from orange to red, due 2024-05-03 08:00 UTC")
    assert "stays red (the highest level)" in by_case[red]
    assert history(sessions, orange) == ["escalate"]
    with sessions() as session:
        assert [e.actor for e in audit.entries(session, action="escalate")] == ["system"] * 4
    with sessions.begin() as session:
        again = service.escalate_overdue(session, now=NOW + 49 * HOUR, config=CONFIG)
        assert {(c.id, c.level, c.escalations) for c in again} == {
            (orange, "red", 2), (red, "red", 2), (not_due, "orange", 1), (waiting, "red", 2)}


def test_notifications_are_marked_read(sessions: sessionmaker[Session]) -> None:
    new_case(sessions, due_at=NOW - HOUR)
    with sessions.begin() as session:
        service.escalate_overdue(session, now=NOW, config=CONFIG)
        (notice,) = service.notifications(session, role="supervisor")
        service.mark_read(session, notification_id=notice.id, now=NOW + HOUR)
        service.mark_read(session, notification_id=notice.id, now=NOW + 2 * HOUR)
        assert service.notifications(session, role="supervisor") == []
        (read,) = service.notifications(session, role="supervisor", unread_only=False)
        assert read.read_at == NOW + HOUR
        with pytest.raises(NotificationNotFound):
            service.mark_read(session, notification_id=999, now=NOW)


def test_queue_filters_and_orders_by_due_time(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        late = make_case(session, "E1", level="red", due_at=NOW - HOUR).id
        soon = make_case(session, "E2", due_at=NOW + HOUR, state="assigned", assignee="li").id
        far = make_case(session, "P1", entity_type="official", due_at=NOW + 9 * HOUR).id
        make_case(session, "E3", due_at=NOW - 2 * HOUR, state="closed")
        session.add(CaseWarning(case_id=late, as_of=TODAY, level="red", score=0.9,
                                model_version="m1"))
    with sessions() as session:
        def ids(**filters: object) -> list[int]:
            return [c.id for c in service.queue(session, **filters)[0]]

        assert ids(state="new") == [late, far]
        assert ids(assignee="li") == [soon]
        assert ids(level="red") == [late]
        assert ids(overdue_at=NOW) == [late]
        assert ids(entity_type="official") == [far]
        assert ids(state="new", limit=1, offset=1) == [far]
        page, total = service.queue(session, state="new", limit=1)
        assert len(page) == 1 and total == 2  # the count is of every page
        assert [w.score for w in service.case_warnings(session, late)] == [0.9]


# --- suppressions and reads ---------------------------------------------------------------


def test_suppression_expires_after_its_last_day(sessions: sessionmaker[Session]) -> None:
    until = TODAY + dt.timedelta(days=2)
    with sessions.begin() as session:
        made = service.suppress(session, entity_type="enterprise", entity_id="E1", until=until,
                                reason="under police investigation", by="boss", now=NOW)
    with sessions() as session:
        def active(on: dt.date) -> bool:
            found = service.active_suppression(session, entity_type="enterprise",
                                               entity_id="E1", on=on)
            return found is not None and found.id == made.id

        assert [active(TODAY + dt.timedelta(days=d)) for d in (-1, 0, 2, 3)] == [
            False, True, True, False]
        assert service.active_suppression(session, entity_type="enterprise",
                                          entity_id="E2", on=TODAY) is None
        assert [s.id for s in service.suppressions(session, active_on=TODAY)] == [made.id]
        assert service.suppressions(session, active_on=until + dt.timedelta(days=1)) == []
        (entry,) = audit.entries(session, action="suppress")
        assert (entry.actor, entry.subject_id) == ("boss", "E1")
        assert '"reason":"under police investigation"' in entry.detail


def test_lifted_suppression_silences_no_more(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        made = service.suppress(session, entity_type="official", entity_id="P1", until=TODAY,
                                reason="on leave", by="boss", now=NOW)
    with sessions.begin() as session:
        lifted = service.lift_suppression(session, suppression_id=made.id, by="chief", now=NOW)
        assert lifted.lifted_at == NOW
    with sessions.begin() as session:
        assert service.active_suppression(session, entity_type="official", entity_id="P1",
                                          on=TODAY) is None
        assert len(service.suppressions(session)) == 1
        assert audit.entries(session, action="lift_suppression")[0].actor == "chief"
        with pytest.raises(WrongState, match=f"suppression {made.id} was already lifted"):
            service.lift_suppression(session, suppression_id=made.id, by="chief", now=NOW)
        with pytest.raises(SuppressionNotFound):
            service.lift_suppression(session, suppression_id=999, by="chief", now=NOW)


@pytest.mark.parametrize(("entity_type", "until", "reason", "message"), [
    ("enterprise", TODAY, "  ", "reason for suppressing enterprise E1 must not be empty"),
    ("enterprise", TODAY - dt.timedelta(days=1), "x", "cannot end on 2024-04-30, before today"),
    ("unit", TODAY, "x", "unknown entity type 'unit'"),
])
def test_bad_suppressions_are_refused(sessions: sessionmaker[Session], entity_type: str,
                                      until: dt.date, reason: str, message: str) -> None:
    with sessions.begin() as session, pytest.raises(InvalidSuppression, match=message):
        service.suppress(session, entity_type=entity_type, entity_id="E1", until=until,
                         reason=reason, by="boss", now=NOW)


def test_dossier_reads_are_recorded_at_once_and_chained_at_the_next_seal(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        service.record_dossier_read(session, actor="li", entity_type="official",
                                    entity_id="P9", now=NOW)
    with sessions() as session:
        assert audit.unsealed(session) == 1 and audit.verify(session).unsealed == 1
        assert audit.entries(session, subject_id="P9") == []
    with sessions.begin() as session:  # a chained action seals what was staged before it
        service.suppress(session, entity_type="official", entity_id="P9",
                         until=NOW.date() + dt.timedelta(30), reason="holiday", by="boss",
                         now=NOW + dt.timedelta(seconds=1))
    with sessions() as session:
        read, suppression = sorted(audit.entries(session), key=lambda e: e.id)
        assert (read.actor, read.action, read.detail, read.at) == ("li", "dossier_read", "{}", NOW)
        assert suppression.action == "suppress" and audit.unsealed(session) == 0
        assert audit.verify(session).ok


def test_sealing_keeps_the_order_of_the_reads(sessions: sessionmaker[Session]) -> None:
    for i in range(5):
        with sessions.begin() as session:
            service.record_dossier_read(session, actor=f"r{i}", entity_type="tender",
                                        entity_id="T1", now=NOW + dt.timedelta(seconds=i))
    with sessions.begin() as session:
        assert audit.seal(session) == 5 and audit.seal(session) == 0
    with sessions() as session:
        chained = sorted(audit.entries(session), key=lambda e: e.id)
        assert [e.actor for e in chained] == [f"r{i}" for i in range(5)]
        assert audit.verify(session).ok


# --- labels -------------------------------------------------------------------------------


def _decided_and_open(sessions: sessionmaker[Session]) -> tuple[int, int]:
    closed = in_review(sessions, "wang", level="orange")
    decide(sessions, closed, decision="confirmed", reason_code="evidence_of_scheme")
    waiting = in_review(sessions, "wang", level="red", entity_id="E2")
    decide(sessions, waiting)  # red dismissal: not final until the second review
    return closed, waiting


def test_labels_frame_follows_the_cases_contract(sessions: sessionmaker[Session]) -> None:
    closed, waiting = _decided_and_open(sessions)
    with sessions() as session:
        frame = service.labels_frame(session)
    assert list(frame.columns) == list(TABLES_BY_NAME["cases"].column_names)
    assert frame.to_dict("records") == [
        {"case_id": f"RV{closed:06d}", "entity_type": "enterprise", "entity_id": "E1",
         "opened_on": TODAY - dt.timedelta(days=1), "closed_on": TODAY,
         "outcome": "confirmed", "scheme": None},
        {"case_id": f"RV{waiting:06d}", "entity_type": "enterprise", "entity_id": "E2",
         "opened_on": TODAY - dt.timedelta(days=1), "closed_on": None, "outcome": None,
         "scheme": None},
    ]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_labels_round_trip(sessions: sessionmaker[Session], tmp_path: Path,
                                  fmt: str) -> None:
    closed, _ = _decided_and_open(sessions)
    out = tmp_path / "labels"
    result = CliRunner().invoke(export_labels, ["--out", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert f"wrote 2 cases (1 decided, 1 open) to {out / f'cases.{fmt}'}" in result.output
    assert sorted(p.name for p in out.iterdir()) == [f"cases.{fmt}"]
    table, violations = parse_table(TABLES_BY_NAME["cases"], read_raw(out / f"cases.{fmt}"))
    assert violations == []
    assert table["case_id"].tolist() == [f"RV{closed:06d}", "RV000002"]
    assert table["outcome"].tolist()[0] == "confirmed" and table["outcome"].isna().tolist()[1]
    assert table["closed_on"].iloc[0] == dt.datetime(2024, 5, 1)
    if fmt == "parquet":
        schema = pq.read_schema(out / "cases.parquet")
        assert str(schema.field("opened_on").type) == "date32[day]"
    again = CliRunner().invoke(export_labels, ["--out", str(out), "--format", fmt])
    assert again.exit_code == 0  # an earlier export is replaced


def test_export_labels_refuses_a_directory_with_other_data(sessions: sessionmaker[Session],
                                                           tmp_path: Path) -> None:
    data = tmp_path / "world"
    data.mkdir()
    (data / "persons.csv").write_text("person_id\nP1\n")
    result = CliRunner().invoke(export_labels, ["--out", str(data)])
    assert result.exit_code == 2 and "holds other files (persons.csv)" in result.output
    assert (data / "persons.csv").exists()


# --- concurrency --------------------------------------------------------------------------


def test_concurrent_claims_never_share_a_case(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        ids = [make_case(session, f"E{i}", due_at=NOW + i * HOUR).id for i in range(40)]
    start = threading.Barrier(8)

    def claim_all(reviewer: str) -> list[int]:
        start.wait()
        claimed = []
        while True:
            with sessions.begin() as session:
                case = service.claim_next(session, reviewer=reviewer, now=NOW)
                if case is None:
                    return claimed
                claimed.append(case.id)

    reviewers = [f"reviewer{n}" for n in range(8)]
    with ThreadPoolExecutor(8) as pool:
        claims = dict(zip(reviewers, pool.map(claim_all, reviewers), strict=True))
    claimed = [case_id for ids_ in claims.values() for case_id in ids_]
    assert sorted(claimed) == ids  # every case once, none twice
    with sessions() as session:
        holders = {c.id: c.assignee for c in session.scalars(select(ReviewCase))}
        claim_events = Counter(session.scalars(
            select(CaseEvent.case_id).where(CaseEvent.action == "claim")))
        assert audit.verify(session).entries == 40 and audit.verify(session).ok
    assert all(holders[case_id] == reviewer
               for reviewer, ids_ in claims.items() for case_id in ids_)
    assert set(claim_events.values()) == {1}


def test_concurrent_decisions_on_one_case_let_one_win(sessions: sessionmaker[Session]) -> None:
    case_id = in_review(sessions)
    start = threading.Barrier(4)

    def try_decide(_: int) -> str:
        start.wait()
        try:
            decide(sessions, case_id, decision="confirmed", reason_code="evidence_of_scheme")
        except WrongState as refused:
            return str(refused)
        return "won"

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(try_decide, range(4)))
    assert outcomes.count("won") == 1
    assert all("is closed" in o for o in outcomes if o != "won")
    assert history(sessions, case_id).count("decide") == 1
