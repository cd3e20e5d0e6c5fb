"""Accumulation of mapped rows into column lists, and the frames built once at the end.

Units and enterprises recur across releases: the first description from a `parties` entry wins
over one from a bare reference, otherwise the first seen is kept. Tenders, bids and contracts
are appended as they come; an id seen twice is skipped (and counted), keeping ids unique.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Any

import pandas as pd

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.ocds.mapping import (
    EXTRA_COLUMNS,
    PLACEHOLDERS,
    MappedRelease,
    MappingOptions,
    Row,
)
from data_contracts.ocds.summary import Tally

ORGANIZATION_TABLES = ("units", "enterprises")
EVENT_TABLES = ("tenders", "bids", "contracts")
EMPTY_TABLES = ("persons", "officials", "enterprise_roles")  # OCDS has no people: columns only
OUTPUT_TABLES = ("units", "persons", "officials", "enterprises", "enterprise_roles", *EVENT_TABLES)

# pyarrow-backed strings, as the loader types them; an all-null text column stays text in Parquet.
TEXT = pd.StringDtype("pyarrow")
_DTYPES = {"str": TEXT, "enum": TEXT, "float": "float64", "int": "Int64", "bool": "boolean"}


def column_types(table: str) -> dict[str, str]:
    """Column name -> contract type: the contract's columns, then this importer's extras."""
    types = {c.name: c.type for c in TABLES_BY_NAME[table].columns}
    types.update(EXTRA_COLUMNS.get(table, ()))
    return types


class TableAccumulator:
    def __init__(self) -> None:
        self._organizations: dict[str, dict[str, Row]] = {t: {} for t in ORGANIZATION_TABLES}
        # ids whose kept row comes from a `parties` entry: final, so the mapper may skip them
        self.described: dict[str, set[str]] = {t: set() for t in ORGANIZATION_TABLES}
        # Event rows are kept as value tuples in column order: far smaller than dicts, and
        # transposed into columns once at the end.
        self._names = {t: tuple(column_types(t)) for t in EVENT_TABLES}
        self._values = {t: itemgetter(*self._names[t]) for t in EVENT_TABLES}
        self._rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in EVENT_TABLES}
        self._keys: dict[str, set[str]] = {t: set() for t in EVENT_TABLES}
        self._placeholders: Counter[str] = Counter()  # "table.column" -> rows (event tables)

    def add(self, mapped: MappedRelease, line: int, tally: Tally) -> None:
        for table in ORGANIZATION_TABLES:
            self._add_organizations(table, getattr(mapped, table))
        for table in EVENT_TABLES:
            self._append(table, getattr(mapped, table), line, tally)

    def _add_organizations(self, table: str, rows: list[Row]) -> None:
        kept, described = self._organizations[table], self.described[table]
        key = TABLES_BY_NAME[table].key
        for row in rows:
            earlier = kept.get(row[key])
            if earlier is None or (row["_from_party"] and not earlier["_from_party"]):
                kept[row[key]] = row
                if row["_from_party"]:
                    described.add(row[key])

    def _append(self, table: str, rows: list[Row], line: int, tally: Tally) -> None:
        kept, keys, values = self._rows[table], self._keys[table], self._values[table]
        key = TABLES_BY_NAME[table].key
        for row in rows:
            if row[key] in keys:
                tally.skip_row(table, f"duplicate {key} (first kept)", line)
                continue
            keys.add(row[key])
            kept.append(values(row))
            for column in row.get("_placeholders", ()):
                self._placeholders[f"{table}.{column}"] += 1

    def row_counts(self) -> dict[str, int]:
        counts = {t: len(self._organizations[t]) for t in ORGANIZATION_TABLES}
        counts |= {t: len(self._keys[t]) for t in EVENT_TABLES}
        return {t: counts.get(t, 0) for t in OUTPUT_TABLES}

    def frames(self) -> dict[str, pd.DataFrame]:
        columns: dict[str, dict[str, list[Any]]] = {
            t: {c: [] for c in column_types(t)} for t in EMPTY_TABLES
        }
        for table in ORGANIZATION_TABLES:
            rows = self._organizations[table].values()
            columns[table] = {c: [row.get(c) for row in rows] for c in column_types(table)}
        for table in EVENT_TABLES:
            names, rows = self._names[table], self._rows[table]
            transposed = zip(*rows, strict=True) if rows else ([] for _ in names)
            columns[table] = {
                name: list(values) for name, values in zip(names, transposed, strict=True)
            }
        return {table: _frame(table, columns[table]) for table in OUTPUT_TABLES}

    def placeholders(self, options: MappingOptions) -> dict[str, dict[str, Any]]:
        """Per contract column filled in: the value used, on how many rows, and why."""
        used = Counter(self._placeholders)
        for table in ORGANIZATION_TABLES:
            for row in self._organizations[table].values():
                used.update(f"{table}.{c}" for c in row["_placeholders"])
        given = {"units.level": options.unit_level, "units.sector": options.unit_sector}
        return {
            column: {"value": value or given[column], "rows": used[column], "why": why}
            for column, (value, why) in PLACEHOLDERS.items()
            if used[column]
        }


def _frame(table: str, columns: dict[str, list[Any]]) -> pd.DataFrame:
    types = column_types(table)
    data = {}
    for name, values in columns.items():
        kind = types[name]
        if kind == "timestamp":
            data[name] = pd.to_datetime(pd.Series(values, dtype="object"), utc=True)
        elif kind == "date":
            data[name] = pd.Series(values, dtype="object")
        else:
            data[name] = pd.Series(values, dtype=_DTYPES[kind])
    return pd.DataFrame(data)
