"""The ranking's writes to the service database, inside the caller's transaction.

Per (as_of, entity_type): the previous ranking is read (the latest earlier as_of of the type),
the day's RankingRun and Ranking rows are deleted and inserted anew (a re-run replaces, never
duplicates), the entity directory rows of every ranked entity are replaced, and the links of
every flagged entity. Inserts are Core executemany in batches of BATCH rows (psycopg3 and
sqlite3 both take those as one round trip per page); on SQLite the same statement and values go
to sqlite3's executemany as tuples, and the job's connection gets a page cache that holds the
indexes being rewritten (`_bulk`). Nothing here commits.

E.g. ranking tenders as of 2026-07-02 when 2026-06-30 and 2026-07-01 are stored reads the
07-01 rows as `previous`; ranking 2026-07-01 again deletes its 1 run and n rows first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import maybe_box_native
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from serving.models import Entity, EntityLink, Ranking, RankingRun

BATCH = 10_000
BULK_CACHE_KIB = 256 * 1024  # SQLite page cache of the job's connection while it writes


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values, NaN/NA -> None."""
    plain = frame.astype(object).where(frame.notna(), None)
    return plain.to_dict("records")


def _plain(column: pd.Series) -> list:
    """A column as plain Python values, NaN/NA -> None: the values `records` gives."""
    values = column.astype(object).where(column.notna(), None).tolist()
    if column.dtype == object:  # numpy scalars may hide in object columns
        values = [maybe_box_native(v) for v in values]
    return values


def _batches(frame: pd.DataFrame) -> Iterator[list[dict]]:
    """`records` of every BATCH rows, built column by column."""
    names = list(frame.columns)
    columns = [_plain(frame[name]) for name in names]
    for start in range(0, len(frame), BATCH):
        yield [dict(zip(names, row, strict=True))
               for row in zip(*(c[start:start + BATCH] for c in columns), strict=True)]


def _insert_sqlite(session: Session, table, frame: pd.DataFrame) -> bool:
    """Plain sqlite3 executemany of tuples: the values (and SQL) SQLAlchemy would send, without
    building a dict per row and processing it again (a third of the writing time). False (and
    nothing done) when the statement would need more than the frame's columns (defaults)."""
    connection = session.connection()
    dialect = connection.dialect
    names = [str(c) for c in frame.columns]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    if not compiled.positional or sorted(compiled.positiontup) != sorted(names):
        return False
    columns = {}
    for name in names:
        values = _plain(frame[name])
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            values = [process(v) for v in values]
        columns[name] = values
    ordered = [columns[name] for name in compiled.positiontup]
    cursor = connection.connection.driver_connection.cursor()
    try:
        for start in range(0, len(frame), BATCH):
            cursor.executemany(compiled.string,
                               list(zip(*(c[start:start + BATCH] for c in ordered), strict=True)))
    finally:
        cursor.close()
    return True


def insert_frame(session: Session, model: type, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    if session.get_bind().dialect.name == "sqlite" and _insert_sqlite(session, model.__table__,
                                                                      frame):
        return len(frame)
    for rows in _batches(frame):
        session.execute(insert(model.__table__), rows)
    return len(frame)


def _bulk(session: Session) -> None:
    """SQLite: a page cache that holds the day's indexes while they are rewritten (the 2 MB
    default makes the inserts and deletes of a million rows thrash it), temporary b-trees in
    memory. This connection only, and only the cache: nothing about durability changes."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA cache_size = -{BULK_CACHE_KIB}"))
        session.execute(text("PRAGMA temp_store = MEMORY"))


def previous_ranking(session: Session, entity_type: str, as_of: dt.date) -> pd.DataFrame | None:
    """entity_id, score, rank, level of the latest ranking of the type before `as_of`."""
    latest = session.scalar(select(func.max(RankingRun.as_of)).where(
        RankingRun.entity_type == entity_type, RankingRun.as_of < as_of))
    if latest is None:
        return None
    rows = session.execute(select(Ranking.entity_id, Ranking.score, Ranking.rank, Ranking.level)
                           .where(Ranking.as_of == latest, Ranking.entity_type == entity_type))
    return pd.DataFrame(rows.all(), columns=["entity_id", "score", "rank", "level"])


def replace_ranking(session: Session, *, as_of: dt.date, entity_type: str, model_version: str,
                    rows: pd.DataFrame, now: dt.datetime) -> int:
    """Delete the (as_of, entity_type) run and rows, insert the new ones; returns the run id.

    rows: entity_id, score, rank, level, reasons, rules, features, region, previous_score,
    previous_rank, previous_level.
    """
    _bulk(session)
    session.execute(delete(Ranking).where(Ranking.as_of == as_of,
                                          Ranking.entity_type == entity_type))
    session.execute(delete(RankingRun).where(RankingRun.as_of == as_of,
                                             RankingRun.entity_type == entity_type))
    run = RankingRun(as_of=as_of, entity_type=entity_type, model_version=model_version,
                     entities=len(rows), flagged=int((rows["level"] != "none").sum()),
                     created_at=now)
    session.add(run)
    session.flush()
    columns = ["entity_id", "score", "rank", "level", "reasons", "rules", "features", "region",
               "previous_score", "previous_rank", "previous_level"]
    table = rows[columns].assign(as_of=as_of, entity_type=entity_type, run_id=run.id,
                                 model_version=model_version)
    insert_frame(session, Ranking, table)
    return run.id


def _ranked_ids(as_of: dt.date, entity_type: str, flagged_only: bool):
    query = select(Ranking.entity_id).where(Ranking.as_of == as_of,
                                            Ranking.entity_type == entity_type)
    return query.where(Ranking.level != "none") if flagged_only else query


def replace_entities(session: Session, *, as_of: dt.date, entity_type: str,
                     directory: pd.DataFrame) -> int:
    """The directory rows of the day's ranked entities (deleted by a sub-select on the rows
    just written, so no id list travels to the database)."""
    _bulk(session)
    session.execute(delete(Entity).where(
        Entity.entity_type == entity_type,
        Entity.entity_id.in_(_ranked_ids(as_of, entity_type, flagged_only=False))))
    frame = directory.assign(entity_type=entity_type, as_of=as_of)
    frame["is_person"] = frame["is_person"].astype(bool)
    return insert_frame(session, Entity, frame)


def replace_links(session: Session, *, as_of: dt.date, entity_type: str,
                  links: pd.DataFrame) -> int:
    """The links of the day's flagged entities replace theirs."""
    _bulk(session)
    session.execute(delete(EntityLink).where(
        EntityLink.entity_type == entity_type,
        EntityLink.entity_id.in_(_ranked_ids(as_of, entity_type, flagged_only=True))))
    frame = links.assign(entity_type=entity_type)
    frame["linked_is_person"] = frame["linked_is_person"].astype(bool)
    frame["weight"] = frame["weight"].astype("float64").replace([np.inf, -np.inf], np.nan)
    return insert_frame(session, EntityLink, frame)
