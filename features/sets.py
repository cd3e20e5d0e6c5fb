"""A feature set: one small group of features of one entity type, computed by one function.

`compute(view, as_of, params)` returns an Ibis table with `entity_id` and the set's columns
(one row per entity that has a value; the build left-joins it onto the scope, so an entity
without a row gets nulls, which the set may fill with zeros where zero is the honest answer).
A set that needs an optional table the delivery lacks is not computed: its columns stay
missing (NaN), never zero, and the build says which tables were absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import EntityType, Feature

Compute = Callable[[Tables, ir.DateScalar, FeatureParams], ir.Table]


@dataclass(frozen=True)
class FeatureSet:
    name: str
    entity_type: EntityType
    compute: Compute
    features: Callable[[FeatureParams], list[Feature]]  # windows make the names parametric
    needs: tuple[str, ...] = field(default=())  # optional tables it cannot do without
    # Columns that are zero, not unknown, for an in-scope entity the set returns no row for
    # (e.g. "wins in 365 days" of an enterprise that won nothing).
    zero_when_absent: bool = True

    def available(self, tables: Tables) -> bool:
        return not set(self.needs) & set(tables.absent)


FEATURE_SETS: list[FeatureSet] = []


def feature_set(
    name: str,
    entity_type: EntityType,
    features: Callable[[FeatureParams], list[Feature]],
    needs: tuple[str, ...] = (),
    zero_when_absent: bool = True,
) -> Callable[[Compute], Compute]:
    """Decorator: register `compute` as a feature set."""

    def register(compute: Compute) -> Compute:
        FEATURE_SETS.append(
            FeatureSet(name, entity_type, compute, features, needs, zero_when_absent)
        )
        return compute

    return register


def sets_of(entity_type: EntityType) -> list[FeatureSet]:
    return [s for s in FEATURE_SETS if s.entity_type == entity_type]


def as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
