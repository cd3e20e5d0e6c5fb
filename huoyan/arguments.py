"""What several sub-commands check and load the same way: an as-of date, a table file name,
and a data directory validated against the contract (exit 1 listing every violation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from data_contracts.loader import Dataset

TABLE_SUFFIXES = (".parquet", ".csv")


def as_of_date(value: str) -> dt.date:
    """`--as-of` as a date, or a usage error naming the option."""
    from features.sets import as_date

    try:
        return as_date(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None


def check_table_file(out: Path) -> None:
    """`--out` must name a Parquet or CSV file."""
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise click.BadParameter("the output must end in .parquet or .csv", param_hint="--out")


@contextmanager
def exit_on_violations() -> Iterator[None]:
    """Contract violations raised inside: every one on stderr, then exit 1."""
    from data_contracts.violations import ContractError

    try:
        yield
    except ContractError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None


def load_or_exit(directory: Path) -> Dataset:
    """The validated data set, or every contract violation on stderr and exit 1."""
    from data_contracts.loader import load_dataset

    with exit_on_violations():
        return load_dataset(directory)
