"""The migrations make the same schema on both backends, idempotently."""

from __future__ import annotations

from sqlalchemy import inspect

from serving.db import engine_for, migrate
from serving.models import Base


def test_migrations_make_every_table_and_can_run_twice(database_url: str) -> None:
    migrate(database_url)  # a second run changes nothing
    tables = set(inspect(engine_for(database_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables and "alembic_version" in tables
