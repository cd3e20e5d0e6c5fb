"""Connections to the service database and its migrations.

SQLite (the embedded default, `$HUOYAN_HOME/huoyan.db`) runs in WAL mode with foreign keys on
and a busy timeout, so the API's readers never block the ranking job's single writer;
PostgreSQL (`HUOYAN_DATABASE_URL=postgresql+psycopg://...`) is the production path. The schema
is made by Alembic (`migrate`), never by `create_all`, so a deployed database and a test's are
the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from huoyan.settings import Settings, get_settings

MIGRATIONS = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:  # noqa: ANN001
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def checkpoint_in_background(engine: Engine) -> None:
    """SQLite: this process's connections never checkpoint the WAL on commit; the caller runs
    `checkpoint` off the request path instead. An automatic checkpoint (every 1,000 pages)
    runs inside whichever commit crosses the mark, holding the write lock while it copies
    pages and syncs the file: at 200 audited reads a second that is a stall of tens of
    milliseconds every few seconds, all of it in the p99."""
    if is_sqlite(str(engine.url)) and not event.contains(engine, "connect", _no_autocheckpoint):
        event.listen(engine, "connect", _no_autocheckpoint)


def _no_autocheckpoint(connection, _record) -> None:  # noqa: ANN001
    connection.execute("PRAGMA wal_autocheckpoint=0")


def checkpoint(engine: Engine) -> None:
    """Copy the WAL's committed pages into the database without waiting for any lock
    (PASSIVE): readers and the writer carry on meanwhile."""
    if is_sqlite(str(engine.url)):
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def engine(settings: Settings | None = None) -> Engine:
    settings = (settings or get_settings()).ensure()
    return engine_for(settings.database_url)


def migrate(url: str | None = None) -> None:
    """Bring the database to the latest schema (idempotent)."""
    from alembic import command
    from alembic.config import Config

    url = url or get_settings().ensure().database_url
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def sessions(settings: Settings | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine(settings), expire_on_commit=False)


@contextmanager
def transaction(settings: Settings | None = None) -> Iterator[Session]:
    """One unit of work: committed if the block ends normally, rolled back otherwise."""
    with sessions(settings).begin() as session:
        yield session
