"""`huoyan rank --data DIR --as-of DATE [--out FILE]`: the daily ranking job (see job.py)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click


def _echo(message: str) -> None:
    click.echo(f"[rank] {message}", err=True)


@click.command()
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Data directory (validated against the input contract first).")
@click.option("--as-of", "as_of", required=True,
              help="As-of date YYYY-MM-DD: only facts known before it count.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the ranking export (the output contract), .csv or .parquet.")
def rank(data_dir: Path, as_of: str, out: Path | None) -> None:
    """Rank every in-scope official, enterprise and tender with the champion models; store
    the day's ranking, entity directory and links, and raise review cases for the flags."""
    from huoyan.arguments import as_of_date, check_table_file, load_or_exit
    from serving.config import load_config
    from serving.db import migrate
    from serving.ranking.job import NoChampion, champions, run

    day: dt.date = as_of_date(as_of)
    if out is not None:
        check_table_file(out)
    started = time.perf_counter()
    config = load_config()
    try:
        models = champions()  # fail before the slow steps
    except NoChampion as error:
        raise click.ClickException(str(error)) from None
    dataset = load_or_exit(data_dir)
    _echo(f"loaded and validated {data_dir} in {time.perf_counter() - started:.1f}s")
    migrate()
    summaries = run(dataset, day, config=config, out=out, progress=_echo, models=models)
    for summary in summaries:
        _echo(summary.line())
    _echo(f"done in {time.perf_counter() - started:.1f}s")
