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
    from data_contracts.loader import load_dataset
    from data_contracts.violations import ContractError
    from features.sets import as_date
    from serving.config import load_config
    from serving.db import migrate
    from serving.ranking.job import NoChampion, champions, run

    try:
        day: dt.date = as_date(as_of)
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    if out is not None and out.suffix.lower() not in (".parquet", ".csv"):
        raise click.BadParameter("the output must end in .parquet or .csv", param_hint="--out")
    started = time.perf_counter()
    config = load_config()
    try:
        models = champions()  # fail before the slow steps
    except NoChampion as error:
        raise click.ClickException(str(error)) from None
    try:
        dataset = load_dataset(data_dir)
    except ContractError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    _echo(f"loaded and validated {data_dir} in {time.perf_counter() - started:.1f}s")
    migrate()
    summaries = run(dataset, day, config=config, out=out, progress=_echo, models=models)
    for summary in summaries:
        _echo(summary.line())
    _echo(f"done in {time.perf_counter() - started:.1f}s")
