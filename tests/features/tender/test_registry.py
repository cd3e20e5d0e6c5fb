"""The tender features as declared: unique names, sentences that read, flags that are flags."""

from __future__ import annotations

import string

import pytest

from features.catalog import feature_sets, registry
from features.params import FeatureParams

TENDER = registry().of("tender")


def test_names_are_unique_across_entity_types():
    names = [f.name for f in registry()]
    assert len(names) == len(set(names))
    other = {f.name for f in registry() if f.entity_type != "tender"}
    assert not other & {f.name for f in TENDER}


def test_every_tender_module_registers_sets():
    modules = {s.compute.__module__ for s in feature_sets("tender")}
    expected = {f"features.tender.{m}" for m in (
        "procedure", "r024", "r025", "r028", "r030", "r035", "r036", "r038", "r044", "r048",
        "r055", "r058", "thresholds", "winner", "winner_history", "buyer_history", "price",
        "spread", "competition", "periods", "connections")}
    assert expected <= modules


@pytest.mark.parametrize("feature", TENDER, ids=lambda f: f.name)
def test_template_reads(feature):
    row = {f.name: 0.25 for f in TENDER}
    sentence = feature.sentence(row)
    assert "{" not in sentence and "unknown" not in sentence
    assert feature.fields() <= set(row) | {"value"}
    if feature.fields():
        assert feature.sentence({}) == f"{feature.description}: unknown"


@pytest.mark.parametrize("feature", TENDER, ids=lambda f: f.name)
def test_flags(feature):
    if feature.red_flag:
        assert feature.unit == "flag" and feature.monotone == 1
    if feature.unit == "flag":
        assert feature.monotone == 1  # a flag that fires is never reassuring


def test_windowed_names_follow_the_parameters():
    names = {f.name for f in registry(FeatureParams(main_window=180)).of("tender")}
    assert {"winner_buyer_share_180d", "buyer_single_bid_rate_180d"} <= names


def test_templates_name_known_fields():
    formatter = string.Formatter()
    names = {f.name for f in TENDER} | {"value"}
    for feature in TENDER:
        fields = {field for _, field, _, _ in formatter.parse(feature.template) if field}
        assert fields <= names, feature.name
