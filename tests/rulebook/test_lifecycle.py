"""A card written by hand goes from draft to published to firing in the ranking, and stops
firing once retired, its history kept."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import RANKED_DATES, huoyan

DAY = RANKED_DATES[-1]
NEXT_DAY = "2026-08-01"
CARD = """\
id: SM-990
title: Young winner of a tender
domain: procurement
supervision_point: >
  A firm registered less than a year before it wins may be a vehicle set up for the award.
entity_type: tender
tables: [features]
rule:
  filter: young_winner = 1
severity: high
owner: Test supervision office
status: draft
version: 1
created: 2026-11-26
changed: 2026-11-26
expected:
  min_hits: 1
"""


@pytest.fixture(scope="module")
def home(ranked, tmp_path_factory):
    home = tmp_path_factory.mktemp("rule-lifecycle")
    shutil.copytree(ranked.home, home, dirs_exist_ok=True)
    return home


def rows(home, query: str, **params) -> list:
    engine = create_engine(f"sqlite:///{home / 'huoyan.db'}")
    with engine.connect() as connection:
        return list(connection.execute(text(query), params))


def run(home, *args: str):
    done = huoyan(home, *args)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done


def test_a_hand_written_card_is_published_and_fires(home, ranked, tmp_path):
    card = tmp_path / "sm-990.yaml"
    card.write_text(CARD, encoding="utf-8")
    run(home, "rules", "validate", str(card))
    tried = run(home, "rules", "backtest", str(card), "--data", str(ranked.world),
                "--end", DAY, "--months", "2")
    assert "SM-990" in tried.stdout
    assert "SM-990" not in run(home, "rules", "list").stdout  # a draft is not in the library

    assert "SM-990 v1" in run(home, "rules", "publish", str(card), "--actor", "tester").stdout
    run(home, "rank", "--data", str(ranked.world), "--as-of", DAY)

    listed = rows(home, "SELECT entity_id, level, rules FROM rankings "
                        "WHERE as_of = :d AND entity_type = 'tender'", d=DAY)
    firing = {r.entity_id for r in listed if "SM-990" in json.loads(r.rules)}
    hits = {r.entity_id for r in rows(home, "SELECT entity_id FROM rule_hits "
                                            "WHERE rule_id = 'SM-990' AND as_of = :d", d=DAY)}
    assert firing and firing == hits
    unflagged = {r.entity_id for r in listed if r.entity_id in firing and r.level == "none"}
    assert unflagged, "the card should hit tenders the model leaves unflagged"
    # Each of them is now under review: a rule case, or a warning on the case it already had.
    under_review = {r.entity_id for r in rows(
        home, "SELECT DISTINCT c.entity_id FROM review_cases c JOIN case_warnings w "
              "ON w.case_id = c.id WHERE c.entity_type = 'tender' AND w.as_of = :d "
              "AND c.state != 'closed'", d=DAY)}
    assert unflagged <= under_review
    opened = rows(home, "SELECT c.entity_id, e.detail FROM review_cases c JOIN case_events e "
                        "ON e.case_id = c.id AND e.action = 'opened' "
                        "WHERE c.origin = 'rule' AND c.entity_type = 'tender' "
                        "AND c.opened_as_of = :d", d=DAY)
    mine = {c.entity_id for c in opened if "SM-990" in json.loads(c.detail)["rules"]}
    assert mine and mine <= unflagged
    assert "SM-990" in run(home, "rules", "list").stdout


def test_a_retired_card_stops_firing_and_keeps_its_history(home, ranked):
    run(home, "rules", "retire", "SM-990", "--reason", "superseded by the model", "--actor",
        "tester")
    run(home, "rank", "--data", str(ranked.world), "--as-of", NEXT_DAY)
    later = rows(home, "SELECT count(*) AS n FROM rule_hits WHERE rule_id = 'SM-990' "
                       "AND as_of = :d", d=NEXT_DAY)
    assert later[0].n == 0
    assert rows(home, "SELECT count(*) AS n FROM rule_hits WHERE rule_id = 'SM-990' "
                      "AND as_of = :d", d=DAY)[0].n > 0
    versions = rows(home, "SELECT version, status FROM rule_card_versions "
                          "WHERE rule_id = 'SM-990' ORDER BY version")
    assert [(v.version, v.status) for v in versions] == [(1, "published"), (2, "retired")]
    actions = [r.action for r in rows(home, "SELECT action FROM audit_log "
                                            "WHERE subject_id = 'SM-990' ORDER BY id")]
    assert actions == ["rule_published", "rule_retired"]
    shown = run(home, "rules", "show", "SM-990").stdout
    assert "retired" in shown and "superseded by the model" in shown
