"""`huoyan serve`: migrate the service database, then run the API with uvicorn."""

from __future__ import annotations

import click


def prepare_model_store() -> None:
    """Create (migrate) the MLflow store once here, so the workers only read it."""
    from training import tracking

    tracking.connect()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="worker processes (each loads the models once)")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API (OpenAPI at /docs) on HOST:PORT; the database is migrated first."""
    import uvicorn

    from huoyan.settings import get_settings
    from serving.db import is_sqlite, migrate

    settings = get_settings().ensure()
    if workers > 1 and is_sqlite(settings.database_url):
        click.echo(f"huoyan serve: SQLite has one writer and every dossier read writes its audit "
                   f"entry, so worker processes only queue on its lock (and under load they can "
                   f"stall on it); serving with 1 worker, not {workers}. Use PostgreSQL "
                   f"(HUOYAN_DATABASE_URL) for more.", err=True)
        workers = 1
    migrate(settings.database_url)
    prepare_model_store()
    database = settings.database_url.split("@")[-1]  # never echo a password
    click.echo(f"huoyan API on http://{host}:{port} (database {database}, {workers} "
               f"worker{'s' if workers > 1 else ''})", err=True)
    uvicorn.run("serving.api.app:app", host=host, port=port, workers=workers,
                log_level="info", access_log=False)
