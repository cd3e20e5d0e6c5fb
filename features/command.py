"""`huoyan features --data DIR --as-of DATE --out FILE`."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from huoyan.arguments import as_of_date, check_table_file, load_or_exit


@click.command()
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Data directory (validated against the input contract first).")
@click.option("--as-of", "as_of", required=True, help="As-of date YYYY-MM-DD: only facts known before it count.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file, .parquet or .csv: one row per in-scope entity per type.")
@click.option("--types", default="official,enterprise,tender", show_default=True,
              help="Entity types to build, comma-separated.")
def features(data_dir: Path, as_of: str, out: Path, types: str) -> None:
    """Point-in-time risk features of officials, enterprises and tenders as of a date."""
    from features.backend import load
    from features.build import build_features, long_table

    day: dt.date = as_of_date(as_of)
    check_table_file(out)
    started = time.perf_counter()
    dataset = load_or_exit(data_dir)
    click.echo(f"loaded and validated {data_dir} in {time.perf_counter() - started:.1f}s", err=True)
    if dataset.absent:
        click.echo(f"absent optional tables: {', '.join(dataset.absent)} "
                   "(features that need them are left missing)", err=True)
    tables = load(dataset)
    built = build_features(tables, day, entity_types=tuple(types.split(",")))
    for entity_type, table in built.items():
        note = f" (not computed: {', '.join(table.missing_sets)})" if table.missing_sets else ""
        click.echo(f"{entity_type:>10}: {len(table.frame):>9,} entities, "
                   f"{table.frame.shape[1] - 1} features{note}", err=True)
    frame = long_table(built)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.partial")
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(staging, index=False)
    else:
        frame.to_csv(staging, index=False)
    staging.replace(out)  # atomic: a crash never leaves a half-written feature file
    click.echo(f"wrote {len(frame):,} rows to {out} in {time.perf_counter() - started:.1f}s",
               err=True)
