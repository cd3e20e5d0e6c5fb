"""Build the features of every in-scope entity of each type as of a date.

The whole computation for one entity type is one Ibis expression: the scope, left-joined with
every available feature set, executed once by the engine. pandas appears only at the edge, to
hand the result over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import pandas as pd

from features.asof import as_of_view
from features.backend import Tables
from features.catalog import feature_sets, registry
from features.params import FeatureParams
from features.registry import ENTITY_TYPES, EntityType
from features.scope import SCOPES
from features.sets import FeatureSet


@dataclass
class FeatureTable:
    """The features of one entity type at one as-of date, with what could not be computed."""

    entity_type: EntityType
    as_of: dt.date
    frame: pd.DataFrame  # entity_id + one float64 column per registered feature
    missing_sets: list[str] = field(default_factory=list)  # sets skipped for absent tables


def _with_set(frame: ir.Table, part: ir.Table, columns: list[str], zero: bool) -> ir.Table:
    joined = frame.left_join(part.select("entity_id", *columns), "entity_id")
    joined = joined.drop("entity_id_right") if "entity_id_right" in joined.columns else joined
    if zero:
        joined = joined.mutate(**{c: joined[c].fill_null(0) for c in columns})
    return joined


def _missing(frame: ir.Table, columns: list[str]) -> ir.Table:
    return frame.mutate(**{c: ibis.null("float64") for c in columns})


def feature_expression(
    tables: Tables, as_of: dt.date, entity_type: EntityType, params: FeatureParams
) -> tuple[ir.Table, list[FeatureSet]]:
    view = as_of_view(tables, as_of)
    d = ibis.literal(as_of, type="date")
    frame = SCOPES[entity_type](view, d, params)
    skipped = []
    for fs in feature_sets(entity_type):
        columns = [f.name for f in fs.features(params)]
        if fs.available(tables):
            frame = _with_set(frame, fs.compute(view, d, params), columns, fs.zero_when_absent)
        else:
            frame = _missing(frame, columns)
            skipped.append(fs)
    return frame, skipped


def build_features(
    tables: Tables,
    as_of: dt.date,
    params: FeatureParams | None = None,
    entity_types: tuple[EntityType, ...] = ENTITY_TYPES,
) -> dict[EntityType, FeatureTable]:
    params = params or FeatureParams()
    names = registry(params)
    built = {}
    for entity_type in entity_types:
        expression, skipped = feature_expression(tables, as_of, entity_type, params)
        frame = expression.to_pandas()
        ordered = ["entity_id", *names.names(entity_type)]
        frame = frame[ordered].astype({c: "float64" for c in ordered[1:]})
        frame = frame.sort_values("entity_id", ignore_index=True)
        built[entity_type] = FeatureTable(
            entity_type, as_of, frame, [s.name for s in skipped]
        )
    return built


def long_table(built: dict[EntityType, FeatureTable]) -> pd.DataFrame:
    """All types in one wide table: as_of, entity_type, entity_id, then every feature."""
    frames = [
        t.frame.assign(as_of=pd.Timestamp(t.as_of), entity_type=t.entity_type)
        for t in built.values()
    ]
    out = pd.concat(frames, ignore_index=True)
    first = ["as_of", "entity_type", "entity_id"]
    return out[first + [c for c in out.columns if c not in first]]
