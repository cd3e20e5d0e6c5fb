"""Service databases for tests: every storage and workflow test runs on SQLite and PostgreSQL.

PostgreSQL is the one at 127.0.0.1:5432 (trust auth; `HUOYAN_TEST_POSTGRES_URL` names another
server's maintenance database). Each test gets a database of its own, made from the migrations
and dropped afterwards, so tests run side by side.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from serving.db import engine_for, migrate

POSTGRES = os.environ.get("HUOYAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _postgres_database() -> Iterator[str]:
    name = f"huoyan_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        engine_for(url).dispose()
        engine_for.cache_clear()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_database(backend: str, directory: Path) -> Iterator[str]:
    """A migrated, empty service database of `backend`; yields its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'huoyan.db'}"
        migrate(url)
        yield url
        engine_for(url).dispose()
        return
    for url in _postgres_database():
        migrate(url)
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated database on each backend, and HUOYAN_HOME / HUOYAN_DATABASE_URL pointing at
    it and at a home of the test's own."""
    monkeypatch.setenv("HUOYAN_HOME", str(tmp_path / "home"))
    for url in make_database(request.param, tmp_path):
        monkeypatch.setenv("HUOYAN_DATABASE_URL", url)
        yield url
