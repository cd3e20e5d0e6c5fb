"""The seam for the rule library: which rules fired for each ranked entity (pure).

`rule_hits(entity_type, features)` returns, aligned with the rows of `features`, the JSON list
of rule ids that fired, e.g. '["R017", "R023"]'. The rule library comes later; until then no
rule fires and every entity's list is '[]'. The ranking job calls this for every ranked entity
and writes the lists unchanged (column `rules` of the export and of `rankings`).
"""

from __future__ import annotations

import json

import pandas as pd


def rule_ids(entity_type: str, features: pd.DataFrame) -> list[list[str]]:
    """The ids of the rules that fired, per row; none yet."""
    return [[] for _ in range(len(features))]


def rule_hits(entity_type: str, features: pd.DataFrame) -> list[str]:
    """rule_ids as JSON text per row (the empty list shared, it is the common case)."""
    empty = "[]"
    return [json.dumps(ids) if ids else empty for ids in rule_ids(entity_type, features)]
