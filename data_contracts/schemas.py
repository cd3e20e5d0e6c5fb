"""pandera schemas of the contract tables, derived from `contract.TABLES`.

A schema checks typed frames (see parsing.py): nullability, unique keys, closed enumerations,
ranges, end-before-start intervals, and foreign keys. A foreign key is an `isin` check against
the referenced key column, so `schema_for` takes the parent keys it must resolve against.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from data_contracts.contract import Column, Interval, Table
from data_contracts.membership import isin

NULL_RULE = "required: null"
DUPLICATE_RULE = "duplicate key"
# pandera's own names for its built-in failures -> the rule as our reports say it.
PANDERA_RULES = {"not_nullable": NULL_RULE, "field_uniqueness": DUPLICATE_RULE}


def enum_rule(values: tuple[str, ...]) -> str:
    return "not one of: " + ", ".join(values)


def range_rule(column: Column) -> str:
    if column.maximum is None:
        return f"must be >= {column.minimum:g}"
    if column.minimum is None:
        return f"must be <= {column.maximum:g}"
    return f"outside {column.minimum:g}..{column.maximum:g}"


def foreign_key_rule(target: str) -> str:
    return f"dangling foreign key: no {target}"


def interval_rule(interval: Interval) -> str:
    return f"end before start: {interval.end} < {interval.start}"


def _column_checks(column: Column, parent_keys: Mapping[str, pd.Series]) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if column.enum:
        checks.append(pa.Check.isin(column.enum, error=enum_rule(column.enum)))
    if column.minimum is not None or column.maximum is not None:
        checks.append(
            pa.Check(
                lambda s, lo=column.minimum, hi=column.maximum: (
                    (lo is None or s >= lo) & (hi is None or s <= hi)
                ),
                element_wise=False,
                error=range_rule(column),
            )
        )
    if column.references and column.references in parent_keys:
        keys = parent_keys[column.references]
        checks.append(
            pa.Check(lambda s, keys=keys: isin(s, keys), error=foreign_key_rule(column.references))
        )
    return checks


def _interval_check(interval: Interval) -> pa.Check:
    # Null on either side means "open" or "unknown": only two known dates can be out of order.
    return pa.Check(
        lambda frame, i=interval: ~(frame[i.end] < frame[i.start]).fillna(False),
        error=interval_rule(interval),
    )


def schema_for(table: Table, parent_keys: Mapping[str, pd.Series] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of one table; FKs are checked against `parent_keys` where given."""
    parent_keys = parent_keys or {}
    columns = {
        column.name: pa.Column(
            nullable=not column.required,
            unique=column.unique,
            required=False,  # a missing column is reported by the parser, once
            checks=_column_checks(column, parent_keys),
        )
        for column in table.columns
    }
    return pa.DataFrameSchema(
        columns,
        checks=[_interval_check(interval) for interval in table.intervals],
        strict=False,  # extra optional columns are allowed
        name=table.name,
    )
