"""The audit log is a hash chain: appends link up, any edit or deletion is found, concurrent
appends never fork it. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from serving import audit
from serving.audit_command import audit as audit_group
from serving.db import engine_for

NOW = dt.datetime(2024, 5, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(database_url), expire_on_commit=False)


def _append(sessions: sessionmaker[Session], n: int, actor: str = "li") -> None:
    for i in range(n):
        with sessions.begin() as session:
            audit.append(session, actor=actor, action="dossier_read", subject_type="enterprise",
                         subject_id=f"E{i}", detail={"n": i, "note": "查阅"},
                         now=NOW + dt.timedelta(minutes=i))


def _tamper(sessions: sessionmaker[Session], sql: str) -> None:
    with sessions.begin() as session:
        session.connection().exec_driver_sql(sql)


def test_appends_link_into_a_chain_that_verifies(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 3)
    with sessions() as session:
        newest_first = audit.entries(session)
        assert [e.subject_id for e in newest_first] == ["E2", "E1", "E0"]
        first, second = newest_first[2], newest_first[1]
        assert first.prev_hash == audit.GENESIS and second.prev_hash == first.hash
        assert first.detail == '{"n":0,"note":"查阅"}'  # canonical, UTF-8 kept
        result = audit.verify(session)
    assert result == audit.Verification(True, 3, None, "", newest_first[0].hash)


def test_shanghai_time_is_hashed_as_utc(sessions: sessionmaker[Session]) -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    with sessions.begin() as session:
        entry = audit.append(session, actor="li", action="x", subject_type="case",
                             subject_id="1", detail={}, now=NOW.astimezone(shanghai))
    with sessions() as session:
        assert audit.verify(session).ok
        stored = audit.entries(session)[0]
    assert entry.at == NOW and stored.at.replace(tzinfo=dt.UTC) == NOW


def test_naive_time_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(ValueError, match="timezone-aware"):
        audit.append(session, actor="li", action="x", subject_type="case", subject_id="1",
                     detail={}, now=NOW.replace(tzinfo=None))


def test_entries_filter_and_page(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 3, actor="li")
    _append(sessions, 2, actor="wang")
    with sessions() as session:
        assert len(audit.entries(session, actor="wang")) == 2
        assert [e.actor for e in audit.entries(session, subject_id="E1")] == ["wang", "li"]
        assert audit.entries(session, action="decide") == []
        assert [e.id for e in audit.entries(session, limit=2, offset=1)] == [4, 3]


@pytest.mark.parametrize(("sql", "bad_id", "problem"), [
    ("UPDATE audit_log SET detail = '{\"n\":99,\"note\":\"查阅\"}' WHERE id = 2", 2,
     "hash does not match"),
    ("UPDATE audit_log SET actor = 'zhao' WHERE id = 3", 3, "hash does not match"),
    ("UPDATE audit_log SET detail = '{\"note\":\"查阅\", \"n\":1}' WHERE id = 2", 2,
     "canonical"),
    ("DELETE FROM audit_log WHERE id = 2", 3, "deleted"),
    ("UPDATE audit_log SET hash = '" + "f" * 64 + "' WHERE id = 2", 2, "hash does not match"),
])
def test_verify_finds_the_first_tampered_entry(sessions: sessionmaker[Session], sql: str,
                                               bad_id: int, problem: str) -> None:
    _append(sessions, 4)
    _tamper(sessions, sql)
    with sessions() as session:
        result = audit.verify(session)
    assert not result.ok and result.first_bad_id == bad_id and problem in result.problem


def test_rehashing_an_edited_entry_breaks_the_next_link(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 3)
    with sessions.begin() as session:
        entry = audit.entries(session, subject_id="E1")[0]
        forged = audit.entry_hash(entry.prev_hash, at=entry.at, actor="zhao",
                                  action=entry.action, subject_type=entry.subject_type,
                                  subject_id=entry.subject_id, detail={"n": 1, "note": "查阅"})
        entry.actor, entry.hash = "zhao", forged
    with sessions() as session:
        result = audit.verify(session)
    assert (result.ok, result.first_bad_id) == (False, 3) and "prev_hash" in result.problem


def test_verify_command_exits_1_naming_the_entry(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 3)
    intact = CliRunner().invoke(audit_group, ["verify"])
    assert intact.exit_code == 0, intact.output
    assert "audit log intact: 3 entries" in intact.output
    _tamper(sessions, "UPDATE audit_log SET subject_id = 'E9' WHERE id = 2")
    broken = CliRunner().invoke(audit_group, ["verify"])
    assert broken.exit_code == 1
    assert "BROKEN at entry 2: hash does not match" in broken.output


def test_concurrent_appends_never_fork_the_chain(sessions: sessionmaker[Session]) -> None:
    def append_many(actor: str) -> None:
        for i in range(10):
            with sessions.begin() as session:
                session.execute(text("SELECT 1"))  # a read first, as a request would make
                audit.append(session, actor=actor, action="dossier_read",
                             subject_type="official", subject_id=f"P{i}", detail={"i": i},
                             now=NOW)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(append_many, [f"reader{n}" for n in range(6)]))
    with sessions() as session:
        result = audit.verify(session)
        prev_hashes = session.scalars(text("SELECT prev_hash FROM audit_log")).all()
    assert result.ok and result.entries == 60, result
    assert len(set(prev_hashes)) == 60  # no two entries hang off the same predecessor
