"""The rule library in the daily ranking: which published cards hit each ranked entity, the
flags that high-severity hits raise, and the hit columns the model reads.

At an as-of date, for one entity type:
- the published cards are evaluated on the day's features (rulebook/hits.py); each ranked
  entity's `rules` is the JSON list of the ids that hit it, e.g. '["SM-003", "SM-011"]';
- a hit of a card with severity high raises a flag even where the model's level is none: the
  entity goes to review as a case of origin "rule", at `config.rule_flag_level`. Its ranking
  row keeps the model's level (the export's levels follow the ranks), and its reasons are
  written as for the model's flags;
- the model reads the hits of the cards it was trained with, as columns rule_<id>, computed
  with its own copies of those cards; a card retired since no longer fires for it either.

E.g. tender T9 at rank 4,210 (level none) hit by SM-005 (high) and SM-012 (medium): its row
says rules ["SM-005", "SM-012"], level none; a rule case for T9 opens at orange.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from features.backend import Tables
from rulebook.card import RuleCard
from rulebook.hits import add_hit_features, evaluate_sets, feature_name, ids_by_entity

EMPTY = "[]"


@dataclass
class DayHits:
    """One entity type's rule results at a date."""

    hits: pd.DataFrame  # HIT_COLUMNS: the published cards' hits
    model_features: pd.DataFrame  # the day's features plus the model's rule_<id> columns

    def lists(self, entity_ids: pd.Series) -> list[str]:
        """The JSON list of rule ids per entity, aligned with `entity_ids`."""
        as_json = ids_by_entity(self.hits).map(json.dumps)
        return pd.Series(entity_ids).map(as_json).fillna(EMPTY).tolist()

    def high(self, cards: Sequence[RuleCard]) -> pd.Series:
        """Entity id -> ids of the high-severity cards that hit it."""
        severe = {c.id for c in cards if c.severity == "high"}
        return ids_by_entity(self.hits[self.hits["rule_id"].isin(severe)])


def day_hits(tables: Tables, as_of: dt.date, entity_type: str, features: pd.DataFrame,
             published: Sequence[RuleCard], model) -> DayHits:  # noqa: ANN001 - a RiskModel
    """Evaluate the published cards, and the model's own cards where they differ."""
    active = {c.id for c in published if c.entity_type == entity_type}
    own = [c for c in getattr(model, "rules", ()) if c.id in active]
    hits, model_hits = evaluate_sets(tables, as_of, entity_type, features, [published, own])
    with_hits = add_hit_features(features, model_hits, own)
    retired = {feature_name(c.id): 0.0 for c in getattr(model, "rules", ()) if c.id not in active}
    return DayHits(hits, with_hits.assign(**retired) if retired else with_hits)
