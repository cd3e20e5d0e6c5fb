"""Alembic environment: the URL comes from the caller (serving.db.migrate) or the settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from huoyan.settings import get_settings
from serving.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().ensure().database_url


def run() -> None:
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = create_engine(url)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


run()
