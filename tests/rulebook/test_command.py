"""`huoyan rules` as people run it (a subprocess each, in a home of the test's own): validate
says what is wrong and where, publish / list / show / retire walk a card through the library.
No world and no backtest here: those are tested in test_backtest.py and test_lifecycle.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import huoyan

CARD = """\
id: {id}
title: {title}
domain: procurement
supervision_point: A tender that looks arranged for one firm.
entity_type: tender
tables: [{tables}]
rule:
  {rule}
severity: high
owner: 第二监督检查室
status: {status}
version: 1
created: 2026-11-01
changed: 2026-11-01
"""
SOLE_BIDDER = CARD.format(id="SM-901", title="Sole bidder on a direct award", tables="features",
                          rule="filter: single_bid = 1 and direct_award = 1", status="published")
DRAFT = CARD.format(id="SM-902", title="Short submission period", tables="features",
                    rule="filter: short_submission_period = 1", status="draft")
TYPO = CARD.format(id="SM-903", title="Sole bidder, misspelt", tables="features",
                   rule="filter: single_bids = 1", status="draft")
BAD_SQL = CARD.format(id="SM-904", title="Unfinished query", tables="tenders",
                      rule="sql: SELECT tender_id AS entity_id FROM tenders WHERE", status="draft")


def write_cards(directory: Path, *cards: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for text in cards:
        rule_id = text.split("\n", 1)[0].removeprefix("id: ")
        (directory / f"{rule_id.lower()}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_valid_cards_validate(tmp_path: Path) -> None:
    cards = write_cards(tmp_path / "rules", SOLE_BIDDER, DRAFT)
    done = huoyan(tmp_path / "home", "rules", "validate", str(cards))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "ok SM-901 tender high: Sole bidder on a direct award",
        "ok SM-902 tender high: Short submission period"]


def test_every_invalid_card_is_named_with_what_is_wrong(tmp_path: Path) -> None:
    cards = write_cards(tmp_path / "rules", SOLE_BIDDER, TYPO, BAD_SQL)
    done = huoyan(tmp_path / "home", "rules", "validate", str(cards))
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["ok SM-901 tender high: Sole bidder on a direct award"]
    typo, bad_sql = (line for line in done.stderr.splitlines() if line.startswith("SM-90"))
    assert str(cards / "sm-903.yaml") in typo
    assert "unknown column 'single_bids'" in typo and "did you mean 'single_bid'?" in typo
    assert str(cards / "sm-904.yaml") in bad_sql and "rule.sql does not parse" in bad_sql
    assert "2 invalid card(s)" in done.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def rules(home: Path, *args: str, status: int = 0) -> str:
    done = huoyan(home, "rules", *args)
    assert done.returncode == status, done.stdout + done.stderr
    return done.stdout if status == 0 else done.stderr


def test_a_card_is_published_listed_shown_and_retired(tmp_path: Path, home: Path) -> None:
    cards = write_cards(tmp_path / "rules", SOLE_BIDDER, DRAFT)
    assert "no rules published: huoyan rules publish rules/" in rules(home, "list")
    # The directory's draft stays out; publishing the same card again changes nothing.
    published = rules(home, "publish", str(cards), "--actor", "li", "--note", "first")
    assert published == "published SM-901 v1\n"
    assert rules(home, "publish", str(cards / "sm-901.yaml")) == "unchanged SM-901 v1\n"
    [line] = rules(home, "list").splitlines()
    assert line.split()[:5] == ["SM-901", "v1", "published", "tender", "high"]
    assert "Sole bidder on a direct award" in line and "no backtest" in line
    shown = rules(home, "show", "SM-901")
    assert "id: SM-901\n" in shown and "filter: single_bid = 1 and direct_award = 1" in shown
    assert " by li: first" in shown and "v1 published" in shown
    retired = rules(home, "retire", "SM-901", "--reason", "replaced", "--actor", "wang")
    assert retired == "retired SM-901 v2\n"
    assert "rule SM-901 is already retired" in rules(home, "retire", "SM-901", "--reason", "again",
                                                      status=1)
