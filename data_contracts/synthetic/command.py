"""`huoyan generate`: write a synthetic world (every contract table) and its ground truth."""

from __future__ import annotations

from pathlib import Path

import click

from data_contracts.synthetic.config import SCHEMES, SchemeShares, WorldConfig
from data_contracts.synthetic.progress import Progress


def _shares(pairs: tuple[str, ...]) -> SchemeShares:
    given: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in SCHEMES:
            raise click.BadParameter(
                f"{pair!r}: expected NAME=SHARE with NAME one of {', '.join(SCHEMES)}"
            )
        try:
            given[name] = float(value)
        except ValueError:
            raise click.BadParameter(f"{pair!r}: SHARE must be a number") from None
    return SchemeShares(**given)


def truth_directory(out: Path, truth: Path | None) -> Path:
    """The truth goes beside the data (default `<out>-truth`), never inside it or around it."""
    truth = truth or out.with_name(f"{out.name}-truth")
    out_r, truth_r = out.expanduser().resolve(), truth.expanduser().resolve()
    if truth_r == out_r or out_r in truth_r.parents or truth_r in out_r.parents:
        raise click.UsageError(
            f"the truth directory {truth} must lie beside {out}, not inside or around it"
        )
    return truth


def _share_option(name: str, default: float, text: str):
    return click.option(name, default=default, show_default=True, type=click.FloatRange(0, 1),
                        help=text)


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Data directory to write (replaced as a whole).",
)
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--tenders", default=40_000, show_default=True, type=click.IntRange(min=500))
@click.option(
    "--format", "fmt", default="parquet", show_default=True, type=click.Choice(["parquet", "csv"])
)
@click.option(
    "--truth",
    type=click.Path(file_okay=False, path_type=Path),
    help="Ground-truth directory [default: <out>-truth, beside the data].",
)
@click.option("--start", default="2023-01-01", show_default=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option(
    "--end",
    default="2026-09-30",
    show_default=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="The world's 'today'.",
)
@click.option(
    "--scheme",
    "schemes",
    multiple=True,
    metavar="NAME=SHARE",
    help=f"Share of a scheme's population it captures (repeatable): {', '.join(SCHEMES)}.",
)
@_share_option("--investigated", WorldConfig.model_fields["investigated"].default,
               "Mean share of scheme instances that were investigated (cases).")
@_share_option("--spot-checks", WorldConfig.model_fields["spot_checks"].default,
               "Share of officials in post and of enterprises spot-checked at random each year "
               "(cases).")
@click.option(
    "--unlabelled-months",
    default=6,
    show_default=True,
    type=click.IntRange(0, 36),
    help="No case is opened in these last months.",
)
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
def generate(
    out: Path,
    seed: int,
    tenders: int,
    fmt: str,
    truth: Path | None,
    start,
    end,
    schemes: tuple[str, ...],
    investigated: float,
    spot_checks: float,
    unlabelled_months: int,
    quiet: bool,
) -> None:
    """Generate a synthetic world: every table of the input contract, valid against it, with
    planted corruption schemes, honest look-alikes, selective case labels, and the ground
    truth (schemes.parquet, members.parquet, world.json) in a directory beside the data."""
    from pydantic import ValidationError

    from data_contracts.synthetic.generate import write_world

    try:
        config = WorldConfig(
            seed=seed,
            tenders=tenders,
            start=start.date(),
            end=end.date(),
            shares=_shares(schemes),
            investigated=investigated,
            spot_checks=spot_checks,
            unlabelled_months=unlabelled_months,
        )
    except ValidationError as error:
        raise click.UsageError(str(error)) from None
    truth_dir = truth_directory(out, truth)
    progress = Progress(quiet=quiet)
    summary = write_world(config, out, truth_dir, fmt, progress)
    if not quiet:
        click.echo(format_summary(summary), err=True)


def format_summary(summary: dict) -> str:
    lines = ["", "rows per table:"]
    lines += [f"  {name:<17}{rows:>12,}" for name, rows in summary["counts"].items()]
    lines += ["", f"  {'scheme':<22}{'instances':>10}{'officials':>10}{'firms':>8}{'tenders':>9}"]
    for name, row in summary["schemes"].items():
        lines.append(
            f"  {name:<22}{row['instances']:>10,}{row['officials']:>10,}{row['enterprises']:>8,}"
            f"{row['tenders']:>9,}"
        )
    outcomes = ", ".join(f"{k} {v:,}" for k, v in summary["case_outcomes"].items())
    lines += ["", f"labelled case rows by outcome: {outcomes}"]
    return "\n".join(lines)
