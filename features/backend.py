"""The feature engine: contract tables as Ibis tables on an embedded DuckDB.

Feature code is written as Ibis expressions only (no DuckDB-specific SQL, no row-by-row
Python), so the same pipelines can run on another Ibis backend such as Spark later. This module
is the one place that knows which backend is used.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import ibis
import ibis.expr.types as ir

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.loader import Dataset
from huoyan.settings import get_settings


@dataclass(frozen=True)
class Tables:
    """The contract tables as Ibis tables; an absent optional table is None."""

    units: ir.Table
    persons: ir.Table
    officials: ir.Table
    enterprises: ir.Table
    enterprise_roles: ir.Table
    tenders: ir.Table
    bids: ir.Table
    contracts: ir.Table
    relations: ir.Table | None = None
    penalties: ir.Table | None = None
    cases: ir.Table | None = None

    @property
    def absent(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is None)


def connect(threads: int | None = None) -> ibis.BaseBackend:
    """An in-memory DuckDB; `threads` caps its parallelism (default: all cores).

    What it spills to disk goes under HUOYAN_HOME, not into the working directory.
    """
    settings = get_settings()
    spill = settings.root / "engine-spill"
    spill.mkdir(parents=True, exist_ok=True)
    con = ibis.duckdb.connect(temp_directory=str(spill))
    if settings.engine_memory:
        con.raw_sql(f"SET memory_limit = '{settings.engine_memory}'")
    # Timestamps compare and truncate in UTC whatever the server's zone (R030 late bids).
    con.raw_sql("SET TimeZone = 'UTC'")
    if threads:
        con.raw_sql(f"SET threads = {int(threads)}")
    return con


def _typed(table: ir.Table, name: str) -> ir.Table:
    # pandas carries contract dates as midnight timestamps; in the engine they are dates.
    spec = TABLES_BY_NAME[name]
    dates = {c.name: table[c.name].cast("date") for c in spec.columns if c.type == "date"}
    return table.mutate(**dates) if dates else table


def load(dataset: Dataset, con: ibis.BaseBackend | None = None) -> Tables:
    """Register a validated Dataset's tables in the engine (copied in once, via Arrow)."""
    con = con or connect()
    registered = {
        name: _typed(con.create_table(name, frame, overwrite=True), name)
        for name, frame in dataset.tables().items()
    }
    return Tables(**registered)
