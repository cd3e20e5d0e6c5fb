"""Review coverage on SQLite and PostgreSQL: overdue cases, cases closed without a decision,
reviewer outliers, on-time shares hand-counted, the audit sample's confirm rate, the result's
JSON and its figure. Cases are opened by the ranking job's `raise_flags` and moved by the
review workflow; only what no function does (audit-sample cases, tampering) is written raw."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from monitoring.alerts import MonitoringConfig
from monitoring.coverage import CoverageResult, compare, coverage, coverage_figure, peer_z
from serving.config import ServingConfig
from serving.db import engine_for
from serving.models import ReviewCase
from serving.ranking.cases import raise_flags
from serving.ranking.store import replace_entities
from serving.review import service

T0 = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)
DAY = T0.date()
HOUR = dt.timedelta(hours=1)
SERVING = ServingConfig()  # due: red 48 h, orange 168 h, yellow 336 h
MONITORING = MonitoringConfig()  # outlier_z 2, min_reviewer_decisions 10
REASON = {"confirmed": "evidence_of_scheme", "dismissed": "legitimate_explanation",
          "inconclusive": "needs_more_information"}
UNITS = {"U1": "建设局", "U2": "交通局"}


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(database_url), expire_on_commit=False)


# --- building a world through the workflow ------------------------------------------------


def add_directory(sessions: sessionmaker[Session], units: dict[tuple[str, str], str]) -> None:
    """Directory rows as the ranking job writes them: officials name their unit, tenders their
    buyer (serving/ranking/entities.py)."""
    for entity_type in sorted({t for t, _ in units}):
        ids = [i for t, i in units if t == entity_type]
        key = ("unit_id", "unit") if entity_type == "official" else ("buyer_id", "buyer")
        details = [json.dumps({key[0]: units[entity_type, i], key[1]: UNITS[units[entity_type, i]]},
                              ensure_ascii=False) for i in ids]
        frame = pd.DataFrame({"entity_id": ids, "name": ids, "is_person": entity_type == "official",
                              "region": "320100", "details": details})
        with sessions.begin() as session:
            replace_entities(session, as_of=DAY, entity_type=entity_type, directory=frame)


def open_flags(sessions: sessionmaker[Session], flags: list[tuple[str, str, str]],
               now: dt.datetime = T0) -> dict[str, int]:
    """raise_flags for (entity_type, entity_id, level) rows; the case id of each entity id."""
    frame = pd.DataFrame(flags, columns=["entity_type", "entity_id", "level"]).assign(
        score=0.5, model_version="m1")
    as_of = now.date()
    with sessions.begin() as session:
        raise_flags(session, as_of=as_of, flags=frame, config=SERVING, now=now)
    with sessions() as session:
        rows = session.execute(select(ReviewCase.entity_id, ReviewCase.id))
        return {entity_id: case_id for entity_id, case_id in rows}


def audit_case(sessions: sessionmaker[Session], entity_id: str) -> int:
    """An audit-sample case (no serving function opens one yet)."""
    with sessions.begin() as session:
        case = ReviewCase(entity_type="enterprise", entity_id=entity_id, origin="audit_sample",
                          level="yellow", opened_at=T0, opened_as_of=DAY,
                          due_at=SERVING.due("yellow", T0))
        session.add(case)
        session.flush()
        return case.id


def assign(sessions: sessionmaker[Session], case_id: int, reviewer: str,
           at: dt.datetime) -> None:
    with sessions.begin() as session:
        service.assign(session, case_id=case_id, reviewer=reviewer, by="boss", now=at)


def decide(sessions: sessionmaker[Session], case_id: int, reviewer: str, decision: str,
           at: dt.datetime) -> None:
    with sessions.begin() as session:
        service.decide(session, case_id=case_id, reviewer=reviewer, decision=decision,
                       reason_code=REASON[decision], note="checked the registers", now=at,
                       config=SERVING)


def review(sessions: sessionmaker[Session], case_id: int, reviewer: str, decision: str,
           at: dt.datetime, assigned: dt.datetime = T0 + HOUR) -> None:
    assign(sessions, case_id, reviewer, assigned)
    decide(sessions, case_id, reviewer, decision, at)


def measure(sessions: sessionmaker[Session], now: dt.datetime, **kwargs: object
            ) -> CoverageResult:
    with sessions() as session:
        return coverage(session, now=now, config=MONITORING, **kwargs)


def shares(rows: list) -> dict[str, tuple]:
    return {r.group: (r.cases, r.due, r.on_time, r.late, r.overdue, r.pending, r.share)
            for r in rows}


# --- overdue ------------------------------------------------------------------------------


def test_an_overdue_case_raises_the_coverage_alert(sessions: sessionmaker[Session]) -> None:
    add_directory(sessions, {("official", "P1"): "U1", ("official", "P2"): "U2",
                             ("tender", "T1"): "U1"})
    ids = open_flags(sessions, [("official", "P1", "red"), ("official", "P2", "orange"),
                                ("tender", "T1", "yellow"), ("enterprise", "E1", "yellow")])
    for entity_id in ("P2", "T1", "E1"):
        review(sessions, ids[entity_id], "wang", "confirmed", T0 + 2 * HOUR)
    with sessions.begin() as session:
        assert service.claim_next(session, reviewer="li", now=T0 + 30 * HOUR).id == ids["P1"]

    in_time = measure(sessions, T0 + 47 * HOUR)  # P1 due at T0 + 48 h
    assert (in_time.overdue, in_time.alerts) == ([], [])
    assert (in_time.overall.on_time, in_time.overall.pending) == (3, 1)
    assert {r.group: r.cases for r in in_time.by_unit} == {"建设局 (U1)": 2, "交通局 (U2)": 1,
                                                           "—": 1}

    late = measure(sessions, T0 + 50 * HOUR)
    [row] = late.overdue
    assert (row.case_id, row.entity_id, row.level, row.assignee) == (ids["P1"], "P1", "red", "li")
    assert (row.unit, row.hours_overdue, row.due_at) == ("建设局 (U1)", 2.0, T0 + 48 * HOUR)
    [alert] = late.alerts
    assert (alert.monitor, alert.entity_type, alert.value) == ("coverage", "official", 1)
    assert f"cases {ids['P1']};" in alert.message

    with sessions.begin() as session:  # the escalation renews the due date ...
        service.escalate_overdue(session, now=T0 + 50 * HOUR, config=SERVING)
    still = measure(sessions, T0 + 53 * HOUR)  # ... but the case stays overdue since T0 + 48 h
    [row] = still.overdue
    assert (row.escalations, row.due_at, row.overdue_since, row.hours_overdue) == (
        1, T0 + 98 * HOUR, T0 + 48 * HOUR, 5.0)
    assert [a.monitor for a in still.alerts] == ["coverage"]


# --- closed without a human decision ------------------------------------------------------


def test_a_case_closed_without_decision_is_named(sessions: sessionmaker[Session]) -> None:
    ids = open_flags(sessions, [("enterprise", "E1", "orange"), ("enterprise", "E2", "orange"),
                                ("enterprise", "E3", "red"), ("enterprise", "E4", "red")])
    review(sessions, ids["E1"], "wang", "confirmed", T0 + 2 * HOUR)
    for entity_id in ("E3", "E4"):  # red dismissals: awaiting a second reviewer
        review(sessions, ids[entity_id], "wang", "dismissed", T0 + 2 * HOUR)
    with sessions.begin() as session:
        service.second_review(session, case_id=ids["E3"], reviewer="zhao", agree=True,
                              note="agreed", now=T0 + 3 * HOUR)
    clean = measure(sessions, T0 + 4 * HOUR)
    assert (clean.closed_without_decision, clean.missing_second_review, clean.alerts) == (
        [], [], [])

    with sessions.begin() as session:  # a bug or tampering closes two cases behind the workflow
        closed = {"state": "closed", "closed_at": T0 + 5 * HOUR}
        session.execute(update(ReviewCase).where(ReviewCase.id.in_([ids["E2"], ids["E4"]]))
                        .values(**closed))
    found = measure(sessions, T0 + 6 * HOUR)
    assert [c.case_id for c in found.closed_without_decision] == [ids["E2"]]
    assert [c.case_id for c in found.missing_second_review] == [ids["E4"]]
    subjects = {a.subject: a for a in found.alerts}
    assert set(subjects) == {"closed without decision", "red dismissal without second review"}
    assert f"cases {ids['E2']};" in subjects["closed without decision"].message
    assert f"cases {ids['E4']};" in subjects["red dismissal without second review"].message
    assert all(a.monitor == "coverage" for a in found.alerts)
    assert found.overall.unreviewed == 1 and found.overall.share == pytest.approx(3 / 4)


# --- reviewers ----------------------------------------------------------------------------


def test_a_reviewer_dismissing_everything_is_the_outlier(sessions: sessionmaker[Session]) -> None:
    plan = {"A": 2, "B": 3, "C": 2, "D": 10}  # dismissals out of 10; E dismisses 3 of 3
    ids = iter(open_flags(sessions, [("enterprise", f"E{i:02d}", "orange")
                                     for i in range(43)]).values())
    for reviewer, dismissals in plan.items():
        for k in range(10):
            decision = "dismissed" if k < dismissals else ("confirmed", "inconclusive")[k % 2]
            review(sessions, next(ids), reviewer, decision, T0 + (k + 2) * HOUR)
    for k in range(3):
        review(sessions, next(ids), "E", "dismissed", T0 + 2 * HOUR)

    result = measure(sessions, T0 + 20 * HOUR)
    by_name = {r.reviewer: r for r in result.reviewers}
    assert result.outliers == ["D"]
    assert not by_name["E"].compared and by_name["E"].dismissal_rate == 1.0
    d = by_name["D"].dismissal
    # peers 0.2, 0.3, 0.2: mean 0.2333, sd 0.0577 < sqrt(0.2333 * 0.7667 / 10) = 0.1338
    assert d.peer_mean == pytest.approx(0.7 / 3)
    assert d.peer_sd == pytest.approx((0.7 / 3 * (1 - 0.7 / 3) / 10) ** 0.5)
    assert d.z == pytest.approx((1 - 0.7 / 3) / d.peer_sd) and d.outlier
    a = by_name["A"].dismissal  # peers 0.3, 0.2, 1.0: mean 0.5, sd 0.4359
    assert (a.peer_mean, a.z, a.outlier) == (pytest.approx(0.5), pytest.approx(
        (0.2 - 0.5) / 0.43589, abs=1e-4), False)
    assert by_name["A"].median_hours_to_decision == 5.5  # decided 1 .. 10 h after assignment
    assert (by_name["A"].decisions, by_name["A"].confirmed, by_name["A"].dismissed) == (10, 4, 2)
    [alert] = result.alerts
    assert (alert.monitor, alert.subject, alert.limit) == ("reviewer", "D", 2.0)
    assert alert.value == pytest.approx(d.z)
    assert "dismissed 100% against 23% for peers (z = +5.7)" in alert.message
    assert "confirmed 0% against 37% for peers (z = -2.4)" in alert.message


def test_peers_all_alike_make_any_difference_an_outlier() -> None:
    assert peer_z(0.1, 10, [0.0, 0.0, 0.0]) == (0.0, 0.0, None)
    assert compare(0.1, 10, [0.0, 0.0], limit=2.0).outlier
    assert not compare(0.0, 10, [0.0, 0.0], limit=2.0).outlier
    mean, sd, z = peer_z(0.5, 10, [0.2, 0.4])
    assert (mean, sd) == (pytest.approx(0.3), pytest.approx(0.14491, abs=1e-5))
    assert peer_z(0.5, 10, [0.2]) == (None, None, None)


# --- shares, the audit sample, JSON and the figure ----------------------------------------


def test_shares_and_audit_sample_hand_counted(sessions: sessionmaker[Session]) -> None:
    add_directory(sessions, {("official", "P1"): "U1", ("official", "P2"): "U1",
                             ("tender", "T3"): "U2"})
    ids = open_flags(sessions, [("official", "P1", "red"), ("official", "P2", "red"),
                                ("tender", "T3", "red"), ("enterprise", "O1", "orange"),
                                ("enterprise", "O2", "orange"), ("enterprise", "O3", "orange"),
                                ("enterprise", "Y1", "yellow")])
    audit = {name: audit_case(sessions, name) for name in ("A1", "A2", "A3", "A4")}
    review(sessions, ids["P1"], "wang", "confirmed", T0 + 10 * HOUR)  # red, on time
    review(sessions, ids["P2"], "wang", "confirmed", T0 + 60 * HOUR)  # red, late (due 48 h)
    assign(sessions, ids["T3"], "li", T0 + HOUR)  # red, never decided: overdue
    review(sessions, ids["O1"], "li", "dismissed", T0 + 5 * HOUR)
    review(sessions, ids["O2"], "zhao", "confirmed", T0 + 5 * HOUR)
    assign(sessions, ids["O3"], "zhao", T0 + HOUR)
    review(sessions, ids["Y1"], "wang", "inconclusive", T0 + 5 * HOUR)
    review(sessions, audit["A1"], "li", "confirmed", T0 + 5 * HOUR)
    review(sessions, audit["A2"], "li", "dismissed", T0 + 5 * HOUR)
    review(sessions, audit["A3"], "zhao", "dismissed", T0 + 6 * HOUR)
    y2 = open_flags(sessions, [("enterprise", "Y2", "yellow")], now=T0 + 100 * HOUR)["Y2"]
    with sessions.begin() as session:  # T3 stays red, O3 (due 168 h) turns red
        escalated = service.escalate_overdue(session, now=T0 + 170 * HOUR, config=SERVING)
        assert sorted(c.id for c in escalated) == sorted([ids["T3"], ids["O3"]])
    decide(sessions, ids["O3"], "zhao", "dismissed", T0 + 180 * HOUR)  # late: escalated
    with sessions.begin() as session:
        service.second_review(session, case_id=ids["O3"], reviewer="wang", agree=True,
                              note="agreed", now=T0 + 181 * HOUR)

    result = measure(sessions, T0 + 200 * HOUR)
    # (cases, due, on_time, late, overdue, pending, share)
    assert shares(result.by_level) == {
        "red": (4, 4, 1, 2, 1, 0, 0.25),  # P1 on time; P2, O3 late; T3 overdue
        "orange": (2, 2, 2, 0, 0, 0, 1.0),  # O1, O2
        "yellow": (6, 4, 4, 0, 0, 2, 1.0)}  # Y1, A1-A3 on time; Y2, A4 pending
    assert [r.group for r in result.by_level] == ["red", "orange", "yellow"]
    assert shares([result.overall]) == {"all": (12, 10, 7, 2, 1, 2, 0.7)}
    assert shares(result.by_reviewer) == {
        "wang": (3, 3, 2, 1, 0, 0, pytest.approx(2 / 3)),  # P1, Y1 | P2
        "li": (4, 4, 3, 0, 1, 0, 0.75),  # O1, A1, A2 | T3
        "zhao": (3, 3, 2, 1, 0, 0, pytest.approx(2 / 3)),  # O2, A3 | O3
        "—": (2, 0, 0, 0, 0, 2, None)}  # Y2, A4 unassigned
    assert shares(result.by_unit)["建设局 (U1)"] == (2, 2, 1, 1, 0, 0, 0.5)
    assert shares(result.by_unit)["交通局 (U2)"] == (1, 1, 0, 0, 1, 0, 0.0)
    sample, flagged = result.audit_sample.audit_sample, result.audit_sample.flagged
    assert (sample.cases, sample.decided, sample.confirmed) == (4, 3, 1)
    assert sample.rate == pytest.approx(1 / 3)
    # P1, P2, O2 confirmed; O1, O3 dismissed; Y1 inconclusive; T3, Y2 undecided
    assert (flagged.cases, flagged.decided, flagged.confirmed, flagged.rate) == (8, 6, 3, 0.5)
    [overdue] = result.overdue
    assert (overdue.case_id, overdue.hours_overdue) == (ids["T3"], 152.0)  # since T0 + 48 h
    assert [(r.reviewer, r.decisions) for r in result.reviewers] == [
        ("li", 3), ("wang", 3), ("zhao", 3)]
    assert not any(r.compared for r in result.reviewers)  # fewer than 10 decisions each

    later = measure(sessions, T0 + 200 * HOUR, since=T0 + 50 * HOUR)
    assert (later.overall.cases, later.by_level[0].group) == (1, "yellow")  # Y2 alone
    assert {r.reviewer: r.decisions for r in later.reviewers} == {"wang": 1, "zhao": 1}
    assert [r.case_id for r in later.overdue] == [ids["T3"]]  # lapses never age out

    payload = result.to_dict()
    text = json.dumps(payload, allow_nan=False)
    assert payload["now"].startswith("2024-05-09T16:00:00")
    assert payload["by_reviewer"][-1]["share"] is None
    assert payload["overdue"][0]["due_at"].startswith("2024-05-10T10:00:00")  # 170 h + 48 h
    assert json.loads(text)["audit_sample"]["flagged"]["rate"] == 0.5
    assert y2 not in [r.case_id for r in result.overdue]

    figure = coverage_figure(result)
    assert len(figure.axes) == 3
    figure.savefig(io.BytesIO(), format="png")
