"""Backtests: the figures on a worked example, and the shipped library on the test world."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from rulebook.backtest import Labels, as_of_dates, summarize
from rulebook.card import card_from_yaml
from rulebook.library import SHIPPED, read_cards
from tests.conftest import RANKED_DATES, huoyan

CARD = card_from_yaml("""
id: SM-960
title: a worked example
domain: procurement
supervision_point: the module docstring's example
entity_type: tender
tables: [features]
rule: {filter: single_bid = 1}
severity: medium
owner: tests
created: 2026-11-26
changed: 2026-11-26
expected: {min_precision: 0.9, min_hits: 2}
""")


def test_the_docstring_example():
    dates = as_of_dates(dt.date(2026, 4, 1), 2)
    assert dates == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    hits = pd.DataFrame({"entity_id": ["T1", "T1", "T2"], "rule_id": "SM-960",
                         "as_of": [dates[0], dates[1], dates[1]]})
    cases = pd.DataFrame({
        "entity_type": ["tender", "tender", "tender"], "entity_id": ["T1", "T3", "T2"],
        "opened_on": pd.to_datetime(["2026-06-01", "2026-06-01", "2028-01-01"]),
        "outcome": ["confirmed", "dismissed", "dismissed"]})  # T2's case is too late to count
    flagged = pd.DataFrame({"as_of": [dates[1]], "entity_id": ["T1"]})
    result = summarize(CARD, hits, flagged, dates, Labels(cases), open_at_end=set())
    assert result.months == [{"month": "2026-03", "hits": 1, "new": 1},
                             {"month": "2026-04", "hits": 2, "new": 1}]
    assert (result.hit_entities, result.confirmed, result.dismissed, result.unlabelled) == (2, 1, 0, 1)
    assert result.precision == 1.0 and result.passed
    assert result.model_flagged == 1 and result.model_overlap == pytest.approx(1 / 3)
    assert result.queue_additions == ["T2"]  # hit at the end, not flagged, no open case


def test_a_card_below_its_stated_precision_fails():
    dates = as_of_dates(dt.date(2026, 4, 1), 1)
    hits = pd.DataFrame({"entity_id": ["T1", "T2"], "rule_id": "SM-960", "as_of": dates[0]})
    cases = pd.DataFrame({"entity_type": "tender", "entity_id": ["T1", "T2"],
                          "opened_on": pd.to_datetime(["2026-05-01"] * 2),
                          "outcome": ["confirmed", "dismissed"]})
    result = summarize(CARD, hits, None, dates, Labels(cases), open_at_end={"T1"})
    assert result.precision == 0.5 and not result.passed
    assert result.problems == ["precision 0.50 below the stated 0.90"]
    assert result.model_overlap is None and result.queue_additions == ["T2"]


@pytest.fixture(scope="module")
def backtested(ranked, tmp_path_factory):
    home = tmp_path_factory.mktemp("backtest-home")
    shutil.copytree(ranked.home, home, dirs_exist_ok=True)
    done = huoyan(home, "rules", "backtest", "--published", "--data", str(ranked.world),
                  "--end", RANKED_DATES[-1], "--actor", "tests")
    return home, done


def test_the_shipped_library_passes_its_own_backtests(backtested):
    home, done = backtested
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    cards = {card.id: card for _, card in read_cards([SHIPPED])}
    assert len(cards) >= 20
    engine = create_engine(f"sqlite:///{home / 'huoyan.db'}")
    with engine.connect() as connection:
        stored = {row.rule_id: json.loads(row.result) for row in connection.execute(
            text("SELECT rule_id, result FROM rule_backtests"))}
    assert set(stored) == set(cards)
    stated = 0
    for rule_id, result in stored.items():
        expected = cards[rule_id].expected
        assert result["passed"], (rule_id, result["problems"])
        assert result["hit_entities"] >= expected.min_hits
        if expected.min_precision is not None and result["precision"] is not None:
            stated += 1
            assert result["precision"] >= expected.min_precision, rule_id
        assert len(result["months"]) == 12
    assert stated >= 10  # most cards state a precision, and meet it
