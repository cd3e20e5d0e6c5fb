"""`huoyan train --data DIR` and `huoyan promote TYPE VERSION --reason ...`."""

from __future__ import annotations

import getpass
import sys
import time
from pathlib import Path

import click


def _echo(message: str) -> None:
    click.echo(f"[train] {message}", err=True)


def truth_members(data_dir: Path, truth: Path | None):
    import pandas as pd

    truth = truth or data_dir.parent / f"{data_dir.name}-truth"
    members = truth / "members.parquet"
    return pd.read_parquet(members) if members.is_file() else None


def format_table(results, k: int) -> str:
    """Precision@k of model and baselines per entity type, the mean over the splits evaluated
    (truth p@k: against the generator's ground truth, where there is one)."""
    from training.pipeline import average

    head = (f"{'entity type':<11} {'splits':>6} {'scorer':<10} {'precision@' + str(k):>13} "
            f"{'labelled@k':>10} {'recall@k':>9} {'PR-AUC':>7} {'truth p@' + str(k):>11}")
    lines = [head, "-" * len(head)]
    for result in results:
        splits = len(result.evaluations)
        for scorer, values in average(result.evaluations).items():
            get = lambda m: values.get(m, float("nan"))  # noqa: E731
            lines.append(
                f"{result.entity_type:<11} {splits:>6} {scorer:<10} {get('precision_at_k'):>13.3f} "
                f"{get('labelled_at_k'):>10.1f} {get('recall_at_k'):>9.3f} {get('pr_auc'):>7.3f} "
                f"{get('truth_precision_at_k'):>11.3f}"
            )
    return "\n".join(lines)


@click.command()
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--truth", type=click.Path(file_okay=False, path_type=Path),
              help="Ground truth of a synthetic world [default: <data>-truth if present].")
@click.option("--k", default=100, show_default=True, help="Review capacity per entity type.")
@click.option("--search-seconds", default=20.0, show_default=True,
              help="Time budget of the hyper-parameter search per entity type.")
@click.option("--min-positives", default=15, show_default=True,
              help="Fewest confirmed rows a split's trees may learn from; splits with fewer "
                   "are skipped for that entity type.")
def train(data_dir: Path, truth: Path | None, k: int, search_seconds: float,
          min_positives: int) -> None:
    """Train, evaluate and register a risk model per entity type (official, enterprise, tender)."""
    from huoyan.arguments import load_or_exit
    from training.pipeline import TrainParams

    started = time.perf_counter()
    dataset = load_or_exit(data_dir)
    if dataset.cases is None:
        raise click.UsageError(f"{data_dir} has no cases table: there are no labels to learn from")
    members = truth_members(data_dir, truth)
    _echo("ground truth found: it is used for evaluation only" if members is not None
          else "no ground truth: evaluated against case labels only")
    params = TrainParams(k=k, search_seconds=search_seconds, min_positives=min_positives)
    train_and_report(dataset, members, params, "train", _echo)
    _echo(f"done in {time.perf_counter() - started:.0f}s")


def train_and_report(dataset, members, params, command: str, echo,  # noqa: ANN001
                     tags: dict[str, str] | None = None) -> None:
    """Train every type, print the precision@k table and each gate's verdict; too few labels
    for a temporal split is exit 1 with the reason."""
    from features.backend import load
    from training.pipeline import NotEnoughLabels
    from training.pipeline import train as run

    from rulebook.store import published_in_database

    rules = published_in_database()  # their hits become features
    tags = {**(tags or {}), "rule_cards": ",".join(f"{c.id}@{c.version}" for c in rules)}
    try:
        results = run(dataset, load(dataset), members, params, progress=echo, tags=tags,
                      rules=rules)
    except NotEnoughLabels as error:
        click.echo(f"huoyan {command}: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(format_table(results, params.k))
    for result in results:
        click.echo(f"{result.entity_type}: {result.gate}")


@click.command()
@click.argument("entity_type", type=click.Choice(["official", "enterprise", "tender"]))
@click.argument("version")
@click.option("--reason", required=True, help="Why the gate is overridden (recorded).")
def promote(entity_type: str, version: str, reason: str) -> None:
    """Make VERSION the champion of ENTITY_TYPE, overriding the gate; recorded as tags."""
    from training import tracking

    tracking.connect()
    try:
        registered = tracking.promote(entity_type, version, reason, by=getpass.getuser())
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"{registered.label} is now champion ({reason})", file=sys.stdout)
