"""`huoyan export-labels`: reviewed decisions as the input contract's `cases` table.

    $ huoyan export-labels --out var/labels
    wrote 312 cases (287 decided, 25 open) to var/labels/cases.parquet

The directory is written atomically and replaced as a whole, so it must hold nothing but a
previous export: pointing it at a data set directory would otherwise delete that data set.
Join the file into a data set yourself (copy cases.parquet next to the other tables).
"""

from __future__ import annotations

from pathlib import Path

import click

from data_contracts.io import write_tables
from serving.db import migrate, sessions
from serving.review.service import labels_frame

EXPORT_FILES = {"cases.parquet", "cases.csv"}


def _check_replaceable(out: Path) -> None:
    """Refuse a directory holding anything but an earlier export: it is replaced whole."""
    if not out.exists():
        return
    if not out.is_dir():
        raise click.UsageError(f"{out} exists and is not a directory")
    others = sorted(p.name for p in out.iterdir() if p.name not in EXPORT_FILES)
    if others:
        raise click.UsageError(
            f"{out} holds other files ({', '.join(others[:5])}); the export replaces the "
            f"directory as a whole, so choose a new or empty directory")


@click.command("export-labels")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Directory to write cases.parquet (or .csv) into; replaced as a whole.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet",
              show_default=True)
def export_labels(out: Path, fmt: str) -> None:
    """Write every review case, with its decision once closed, as the `cases` table."""
    _check_replaceable(out)
    migrate()
    with sessions().begin() as session:
        frame = labels_frame(session)
    write_tables({"cases": frame}, out, fmt)  # type: ignore[arg-type]
    decided = int(frame["outcome"].notna().sum())
    click.echo(f"wrote {len(frame)} cases ({decided} decided, {len(frame) - decided} open) "
               f"to {out / f'cases.{fmt}'}")
