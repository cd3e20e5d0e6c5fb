"""Strict typing of raw table files: every cell that cannot be read as its declared type is a
violation (rule "type: ..."), never a guess. The typed frame keeps such cells as null, and the
later checks skip them so that one bad cell is reported once.

In memory: strings and enums as pyarrow-backed strings, ints as Int64, floats as float64,
booleans as bool (nullable "boolean" where optional), dates as datetime64 at midnight, timestamps
as datetime64 in UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from data_contracts.contract import Column, Table
from data_contracts.violations import Violation, from_mask

STRING = pd.StringDtype("pyarrow")
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
TRUE_WORDS = {"true", "1"}
FALSE_WORDS = {"false", "0"}


def _as_text(raw: pd.Series) -> pd.Series:
    return raw.astype(STRING)


def _parse_str(raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    # Ids are strings; integer ids from a Parquet writer are taken as their decimal text, but a
    # float id (1.0) is refused because its text is ambiguous.
    if ptypes.is_float_dtype(raw):
        bad = raw.notna()
        return pd.Series(pd.NA, index=raw.index, dtype=STRING), bad, "type: expected text"
    return _as_text(raw), pd.Series(False, index=raw.index), ""


def _parse_number(raw: pd.Series, integral: bool) -> tuple[pd.Series, pd.Series, str]:
    if ptypes.is_bool_dtype(raw):
        numbers = pd.Series(np.nan, index=raw.index)
        bad = raw.notna()
    else:
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        bad = raw.notna() & ~np.isfinite(numbers.fillna(0.0)) | (raw.notna() & numbers.isna())
    if integral:
        fractional = numbers.notna() & (numbers != np.floor(numbers.fillna(0.0)))
        bad = bad | fractional
        parsed = numbers.where(~bad).astype("Int64")
        return parsed, bad, "type: expected a whole number"
    return numbers.where(~bad), bad, "type: expected a number"


def _parse_bool(raw: pd.Series, required: bool) -> tuple[pd.Series, pd.Series, str]:
    if ptypes.is_bool_dtype(raw):
        parsed = raw.astype("boolean")
        bad = pd.Series(False, index=raw.index)
    else:
        words = _as_text(raw).str.strip().str.lower()
        parsed = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        parsed[words.isin(TRUE_WORDS).fillna(False)] = True
        parsed[words.isin(FALSE_WORDS).fillna(False)] = False
        bad = raw.notna() & parsed.isna()
    if required and not parsed.isna().any():
        parsed = parsed.astype(bool)
    return parsed, bad, "type: expected true/false or 1/0"


def _parse_date(raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    rule = "bad date: expected YYYY-MM-DD"
    if ptypes.is_datetime64_any_dtype(raw):
        stamps = raw.dt.tz_convert("UTC").dt.tz_localize(None) if raw.dt.tz is not None else raw
        return stamps.dt.floor("D").astype("datetime64[ns]"), pd.Series(False, index=raw.index), rule
    text = _as_text(raw)
    shaped = text.str.fullmatch(ISO_DATE).fillna(False).astype(bool)
    dates = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
    bad = raw.notna() & dates.isna()
    return dates.astype("datetime64[ns]"), bad, rule


def _parse_timestamp(raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    rule = "bad timestamp: expected ISO 8601"
    if ptypes.is_datetime64_any_dtype(raw):
        stamps = raw.dt.tz_convert("UTC") if raw.dt.tz is not None else raw.dt.tz_localize("UTC")
        return stamps.astype("datetime64[ns, UTC]"), pd.Series(False, index=raw.index), rule
    text = _as_text(raw)
    stamps = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")  # naive = UTC
    bad = raw.notna() & stamps.isna()
    return stamps, bad, rule


def parse_column(column: Column, raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """(typed values, mask of unreadable cells, the rule those cells break)."""
    if column.type in ("str", "enum"):
        return _parse_str(raw)
    if column.type in ("int", "float"):
        return _parse_number(raw, integral=column.type == "int")
    if column.type == "bool":
        return _parse_bool(raw, column.required)
    if column.type == "date":
        return _parse_date(raw)
    return _parse_timestamp(raw)


def empty_column(column: Column, length: int) -> pd.Series:
    """An absent optional column: all null, of its declared type."""
    dtype = {
        "str": STRING,
        "enum": STRING,
        "int": "Int64",
        "float": "float64",
        "bool": "boolean",
        "date": "datetime64[ns]",
        "timestamp": "datetime64[ns, UTC]",
    }[column.type]
    return pd.Series(pd.array([None] * length, dtype=dtype))


def blank_as_null(raw: pd.Series) -> pd.Series:
    """An empty or all-blank text cell is a missing value, in CSV and Parquet alike."""
    if not (ptypes.is_object_dtype(raw) or ptypes.is_string_dtype(raw)):
        return raw
    blank = raw.astype(STRING).str.strip().eq("").fillna(False).astype(bool)
    return raw.mask(blank) if blank.any() else raw


def parse_table(table: Table, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Violation]]:
    """Type every declared column; report missing required columns and unreadable cells.

    Extra columns are kept as they are (the contract allows extra optional columns).
    """
    raw = raw.reset_index(drop=True)
    violations: list[Violation] = []
    typed: dict[str, pd.Series] = {}
    for column in table.columns:
        if column.name not in raw.columns:
            if column.required:
                violations.append(
                    Violation(table.name, None, column.name, None, "required column missing")
                )
            typed[column.name] = empty_column(column, len(raw))
            continue
        cells = blank_as_null(raw[column.name])
        values, bad, rule = parse_column(column, cells)
        violations += from_mask(table.name, column.name, bad, cells, rule)
        typed[column.name] = values
    extras = {name: raw[name] for name in raw.columns if name not in typed}
    return pd.DataFrame({**typed, **extras}, index=raw.index), violations
