"""Cards see what the features see: the as-of view, the day's scope, NULL for unknown."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rulebook.card import card_from_yaml
from rulebook.hits import add_hit_features, evaluate, feature_name

DAY = dt.date(2026, 1, 1)


def card(entity_type: str, rule: str, tables: str = "[features]") -> object:
    return card_from_yaml(f"""
id: SM-950
title: a test card
domain: procurement
supervision_point: what the test checks
entity_type: {entity_type}
tables: {tables}
rule:
{rule}
severity: medium
owner: tests
created: 2026-11-26
changed: 2026-11-26
""")


@pytest.fixture(scope="module")
def engine(trained):
    from data_contracts.loader import load_dataset
    from features.backend import load
    from features.build import build_features

    dataset = load_dataset(trained.world)
    tables = load(dataset)
    built = build_features(tables, DAY)
    return dataset, tables, {t: b.frame for t, b in built.items()}


def test_a_query_sees_only_awards_made_before_the_date(engine):
    dataset, tables, frames = engine
    awarded = card("tender", "  sql: SELECT tender_id AS entity_id, CAST(awarded_on AS VARCHAR)"
                   " AS evidence FROM tenders WHERE awarded_on IS NOT NULL", "[tenders]")
    hits = evaluate(tables, DAY, "tender", frames["tender"], [awarded])
    assert len(hits) > 100
    assert (pd.to_datetime(hits["evidence"]) < pd.Timestamp(DAY)).all()
    later = dataset.tenders.loc[dataset.tenders["awarded_on"] >= pd.Timestamp(DAY), "tender_id"]
    assert later.isin(frames["tender"]["entity_id"]).any()  # in scope, award not yet known
    assert not hits["entity_id"].isin(later).any()


def test_as_of_is_bound_to_the_date(engine):
    dataset, tables, frames = engine
    recent = card("tender", "  sql: SELECT tender_id AS entity_id FROM tenders "
                  "WHERE published_on >= :as_of - INTERVAL 30 DAY", "[tenders]")
    hits = evaluate(tables, DAY, "tender", frames["tender"], [recent])
    published = dataset.tenders.set_index("tender_id").loc[hits["entity_id"], "published_on"]
    assert len(hits) > 10
    assert published.between(pd.Timestamp(DAY) - pd.Timedelta(days=30), pd.Timestamp(DAY),
                             inclusive="left").all()


def test_an_unknown_feature_never_passes_a_filter(engine):
    _, tables, frames = engine
    officials = frames["official"]
    left = card("official", "  filter: years_since_left_post >= 0")
    hits = evaluate(tables, DAY, "official", officials, [left])
    in_post = officials.loc[officials["years_since_left_post"].isna(), "entity_id"]
    assert len(in_post) > 0 and len(hits) > 0
    assert not hits["entity_id"].isin(in_post).any()
    assert len(hits) == officials["years_since_left_post"].ge(0).sum()


def test_hits_stay_within_the_day_scope(engine):
    _, tables, frames = engine
    every = card("enterprise", "  sql: SELECT enterprise_id AS entity_id FROM enterprises",
                 "[enterprises]")
    hits = evaluate(tables, DAY, "enterprise", frames["enterprise"], [every])
    assert set(hits["entity_id"]) == set(frames["enterprise"]["entity_id"])


def test_hits_become_zero_one_features(engine):
    _, tables, frames = engine
    single = card("tender", "  filter: single_bid = 1")
    tenders = frames["tender"]
    hits = evaluate(tables, DAY, "tender", tenders, [single])
    column = add_hit_features(tenders, hits, [single])[feature_name("SM-950")]
    assert feature_name("SM-950") == "rule_sm_950"
    assert column.sum() == (tenders["single_bid"] == 1).sum() > 0
    assert set(column.unique()) <= {0.0, 1.0}
