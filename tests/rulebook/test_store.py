"""The rule library in the service database, on SQLite and PostgreSQL: publication makes
versions and audit entries, an unchanged card is left alone, retirement keeps the history,
a day's hits replace the day's hits, backtests are kept per rule."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from rulebook import store
from rulebook.backtest import BacktestResult
from rulebook.card import RuleCard, card_from_yaml
from serving import audit
from serving.db import engine_for
from tests.serving.conftest import database_url  # noqa: F401 - a fixture, used by name

Sessions = sessionmaker[Session]
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=3)
DAY, NEXT_DAY = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
CARD = """\
id: SM-901
title: Sole bidder on a direct award
domain: procurement
supervision_point: A direct award that only one firm bid for.
entity_type: tender
tables: [features]
rule:
  filter: single_bid = 1 and direct_award = 1
severity: high
owner: 第二监督检查室
status: draft
version: 1
created: 2026-11-01
changed: 2026-11-01
"""


def card(text: str = CARD, **changes: str) -> RuleCard:
    for old, new in changes.items():
        text = text.replace(old, new)
    return card_from_yaml(text, "test card")


STRICTER = {"direct_award = 1": "direct_award = 1 and cost_overrun = 1"}
ENTERPRISE = {"SM-901": "SM-902", "entity_type: tender": "entity_type: enterprise",
              "single_bid = 1 and direct_award = 1": "wins_365d >= 3",
              "severity: high": "severity: low"}


@pytest.fixture
def sessions(database_url: str) -> Sessions:  # noqa: F811 - the imported fixture
    return sessionmaker(engine_for(database_url), expire_on_commit=False)


def publish(sessions: Sessions, rule: RuleCard, now: dt.datetime = NOW,
            note: str = "") -> RuleCard:
    with sessions.begin() as session:
        return store.publish(session, rule, actor="li", now=now, note=note)


def retire(sessions: Sessions, rule_id: str, now: dt.datetime = LATER) -> RuleCard:
    with sessions.begin() as session:
        return store.retire(session, rule_id, actor="wang", reason="replaced by SM-911", now=now)


def test_publishing_a_new_card_makes_version_1_and_an_audit_entry(sessions: Sessions) -> None:
    stored = publish(sessions, card(), note="first library")
    assert (stored.version, stored.status) == (1, "published")
    assert (stored.created, stored.changed) == (dt.date(2026, 11, 1), NOW.date())
    with sessions() as session:
        assert store.get(session, "SM-901") == stored
        [entry] = audit.entries(session, action="rule_published")
        assert (entry.actor, entry.subject_type, entry.subject_id) == ("li", "rule", "SM-901")
        assert json.loads(entry.detail) == {"version": 1, "content_hash": card().content_hash(),
                                            "note": "first library"}
        assert audit.verify(session).ok
        [version] = store.versions(session, "SM-901")
    assert version["card"] == stored and version["note"] == "first library"
    assert version["changed_at"] == NOW and version["changed_by"] == "li"


def test_republishing_an_unchanged_card_writes_nothing(sessions: Sessions) -> None:
    first = publish(sessions, card())
    # Status, version and dates are not content: the same rule in a newer file is unchanged.
    again = publish(sessions, card(**{"status: draft": "status: published",
                                      "changed: 2026-11-01": "changed: 2026-11-20"}), LATER)
    assert again == first
    with sessions() as session:
        assert len(store.versions(session, "SM-901")) == 1
        assert len(audit.entries(session, action="rule_published")) == 1


def test_a_changed_filter_is_version_2_and_retiring_is_version_3(sessions: Sessions) -> None:
    publish(sessions, card())
    second = publish(sessions, card(**STRICTER), LATER, note="fewer false alarms")
    assert (second.version, second.created, second.changed) == (2, dt.date(2026, 11, 1),
                                                                 LATER.date())
    retired = retire(sessions, "SM-901", LATER + dt.timedelta(days=1))
    assert (retired.version, retired.status, retired.rule) == (3, "retired", second.rule)
    with sessions() as session:
        assert store.published(session) == []
        assert [c.id for c in store.library(session)] == ["SM-901"]
        history = store.versions(session, "SM-901")
        assert [(v["version"], v["status"]) for v in history] == [
            (1, "published"), (2, "published"), (3, "retired")]
        assert history[2]["note"] == "replaced by SM-911" and history[2]["changed_by"] == "wang"
        [retirement] = audit.entries(session, action="rule_retired")
        assert json.loads(retirement.detail)["reason"] == "replaced by SM-911"
        assert audit.verify(session).entries == 3


def test_retiring_twice_or_an_unknown_rule_is_refused(sessions: Sessions) -> None:
    publish(sessions, card())
    retire(sessions, "SM-901")
    with pytest.raises(store.RuleStateError, match="SM-901 is already retired"):
        retire(sessions, "SM-901")
    with pytest.raises(store.RuleNotFound, match="SM-999"):
        retire(sessions, "SM-999")
    with sessions() as session, pytest.raises(store.RuleNotFound, match="SM-999"):
        store.get(session, "SM-999")
    # Publishing it again brings it back, as its next version.
    assert publish(sessions, card(), LATER).version == 3


def test_published_lists_the_cards_of_a_type_by_id(sessions: Sessions) -> None:
    publish(sessions, card(**ENTERPRISE))
    publish(sessions, card())
    with sessions() as session:
        assert [c.id for c in store.published(session)] == ["SM-901", "SM-902"]
        assert [c.id for c in store.published(session, "enterprise")] == ["SM-902"]


def hits(rows: list[tuple[str, str, str | None]], entity_type: str = "tender") -> pd.DataFrame:
    """rule_id, entity_id, evidence rows as evaluate() returns them."""
    frame = pd.DataFrame(rows, columns=["rule_id", "entity_id", "evidence"])
    return frame.assign(version=1, entity_type=entity_type)


def replace(sessions: Sessions, as_of: dt.date, frame: pd.DataFrame,
            entity_type: str = "tender") -> None:
    with sessions.begin() as session:
        store.replace_hits(session, as_of=as_of, entity_type=entity_type, hits=frame)


def test_a_days_hits_replace_that_days_hits_of_the_type(sessions: Sessions) -> None:
    publish(sessions, card())
    publish(sessions, card(**ENTERPRISE))
    replace(sessions, DAY, hits([("SM-901", "T1", "one bid"), ("SM-901", "T2", float("nan"))]))
    replace(sessions, DAY, hits([("SM-902", "E1", None)], "enterprise"), "enterprise")
    replace(sessions, NEXT_DAY, hits([("SM-901", "T1", "still one bid")]))
    replace(sessions, DAY, hits([("SM-901", "T3", None)]))  # the re-run of DAY
    with sessions() as session:
        assert store.hit_counts(session) == [
            {"rule_id": "SM-901", "as_of": DAY, "hits": 1},
            {"rule_id": "SM-902", "as_of": DAY, "hits": 1},
            {"rule_id": "SM-901", "as_of": NEXT_DAY, "hits": 1}]
        assert store.hit_counts(session, "SM-902") == [
            {"rule_id": "SM-902", "as_of": DAY, "hits": 1}]
        assert store.entity_hits(session, "tender", "T1") == [
            {"rule_id": "SM-901", "version": 1, "as_of": NEXT_DAY, "evidence": "still one bid",
             "title": "Sole bidder on a direct award", "severity": "high"}]
        assert store.entity_hits(session, "tender", "T3")[0]["evidence"] is None
        assert store.entity_hits(session, "tender", "T2") == []


def backtest_result(passed: bool, precision: float | None) -> BacktestResult:
    return BacktestResult(
        rule_id="SM-901", version=1, entity_type="tender", content_hash=card().content_hash(),
        start=dt.date(2025, 11, 1), end=DAY, months=[{"month": "2026-10", "hits": 2, "new": 1}],
        hit_entities=2, confirmed=1, dismissed=0, inconclusive=0, unlabelled=1,
        precision=precision, truth_precision=None, model_flagged=1, model_overlap=0.5,
        queue_additions=["T2"], passed=passed, problems=[] if passed else ["too few hits"])


def test_backtests_are_kept_and_the_latest_is_found(sessions: Sessions) -> None:
    with sessions.begin() as session:
        store.save_backtest(session, backtest_result(False, None), actor="li", now=NOW)
        store.save_backtest(session, backtest_result(True, 1.0), actor="wang", now=LATER)
    with sessions() as session:
        latest = store.latest_backtests(session)
        kept = store.backtests(session, "SM-901")
    assert list(latest) == ["SM-901"]
    assert (latest["SM-901"]["passed"], latest["SM-901"]["precision"]) == (True, 1.0)
    assert (latest["SM-901"]["run_by"], latest["SM-901"]["run_at"]) == ("wang", LATER)
    assert [b["passed"] for b in kept] == [False, True]
    assert kept[0]["problems"] == ["too few hits"] and kept[0]["end"] == DAY.isoformat()
