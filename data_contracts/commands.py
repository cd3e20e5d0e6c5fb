"""`huoyan validate DIR`: check a data directory against the input contract."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from data_contracts.loader import load_dataset
from data_contracts.summary import format_summary
from data_contracts.violations import ContractError


def _rule_counts(error: ContractError) -> str:
    counts = Counter((v.table, v.rule) for v in error.violations)
    width = max(len(table) for table, _ in counts)
    return "\n".join(
        f"  {n:>7,}  {table:<{width}}  {rule}" for (table, rule), n in counts.most_common()
    )


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every violation to this CSV file (table,row,column,value,rule).",
)
def validate(directory: Path, report: Path | None) -> None:
    """Check DIRECTORY (one CSV or Parquet file per table) against the input contract.

    Every violation is listed at once (table, row, column, value, rule); rows count from 1 at
    the first data row. Exits 1 when there is any violation; a valid directory prints a summary.
    """
    try:
        dataset = load_dataset(directory, trust_stamp=False)  # asked to check: check everything
    except ContractError as error:
        for violation in error.violations:
            click.echo(str(violation))
        click.echo(f"\n{directory}: {len(error.violations):,} contract violation(s)", err=True)
        click.echo(_rule_counts(error), err=True)
        if report:
            error.frame().to_csv(report, index=False)
            click.echo(f"violations written to {report}", err=True)
        raise SystemExit(1) from None
    click.echo(format_summary(dataset))
