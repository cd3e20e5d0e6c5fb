"""The one-screen summary of a valid data directory: rows per table, date ranges, absences."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_contracts.contract import TABLES
from data_contracts.loader import Dataset


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int | None  # None = absent
    period: str | None  # the date column whose range is shown
    first: pd.Timestamp | None
    last: pd.Timestamp | None


def summarise(dataset: Dataset) -> list[TableSummary]:
    present = dataset.tables()
    summaries = []
    for table in TABLES:
        frame = present.get(table.name)
        if frame is None:
            summaries.append(TableSummary(table.name, None, None, None, None))
            continue
        dates = frame[table.period] if table.period else pd.Series(dtype="datetime64[ns]")
        summaries.append(
            TableSummary(table.name, len(frame), table.period, dates.min(), dates.max())
        )
    return summaries


def _day(stamp: pd.Timestamp | None) -> str:
    return "" if stamp is None or pd.isna(stamp) else stamp.date().isoformat()


def format_summary(dataset: Dataset) -> str:
    lines = [f"{dataset.source}: valid against the input contract", ""]
    lines.append(f"  {'table':<17}{'rows':>12}  {'date range':<34}")
    for s in summarise(dataset):
        if s.rows is None:
            lines.append(f"  {s.table:<17}{'absent':>12}  (optional: its features will be missing)")
            continue
        span = f"{s.period} {_day(s.first)} .. {_day(s.last)}" if s.period else ""
        delivered = dataset.delivered_rows.get(s.table, s.rows)
        if delivered != s.rows:  # relations: the loader adds the mirror of each one
            span = f"with mirrors added: {s.rows:,}"
        lines.append(f"  {s.table:<17}{delivered:>12,}  {span}")
    if dataset.absent:
        lines += ["", f"  absent optional tables: {', '.join(dataset.absent)}"]
    if dataset.extra_tables:
        lines += [f"  extra tables (kept, not part of the contract): {', '.join(dataset.extra_tables)}"]
    return "\n".join(lines)
