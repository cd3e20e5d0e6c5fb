"""`huoyan retrain --data DIR`: close the loop. Reviewed decisions become labels, the models
are trained again, and each challenger meets the champion at the training gate.

    $ huoyan retrain --data var/demo/world
    [retrain] labels: 1,782 from the data's cases table + 96 reviewed decisions = 1,878
    ... the precision@k table of `huoyan train` ...
    official: champion: precision@100 0.34 > 0.30 of huoyan-official/1

The reviewed decisions are the service's cases (`huoyan export-labels` writes the same rows):
closed with confirmed, dismissed or inconclusive; a case still open is no label yet. They are
appended to the data's own `cases` table in memory and validated with it against the contract;
the data directory itself is never written.
"""

from __future__ import annotations

import time
from pathlib import Path

import click
import pandas as pd


def _echo(message: str) -> None:
    click.echo(f"[retrain] {message}", err=True)


def reviewed_labels() -> pd.DataFrame:
    """The service's closed cases as rows of the contract's `cases` table."""
    from serving.db import migrate, sessions
    from serving.review.service import labels_frame

    migrate()
    with sessions()() as session:
        frame = labels_frame(session)
    return frame[frame["outcome"].notna()]


def with_reviewed(dataset, reviewed: pd.DataFrame):  # noqa: ANN001, ANN201 - Datasets
    """The dataset with `reviewed` appended to its cases, checked against the contract with
    the other tables (ids must resolve, dates parse): a violation exits 1 naming the row."""
    from dataclasses import replace

    from data_contracts.loader import check_frames
    from data_contracts.violations import ContractError
    from huoyan.arguments import exit_on_violations

    tables = dict(dataset.tables())
    own = tables.get("cases")
    reviewed = reviewed.assign(**{c: pd.to_datetime(reviewed[c]) for c in ("opened_on", "closed_on")})
    if own is not None:
        reviewed = reviewed.astype(own.dtypes.to_dict())
    tables["cases"] = pd.concat([own, reviewed], ignore_index=True)
    with exit_on_violations():
        typed, violations = check_frames(tables)
        if violations:
            raise ContractError(violations, f"{dataset.source} + reviewed decisions")
    return replace(dataset, cases=typed["cases"])


@click.command()
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--k", default=100, show_default=True, help="Review capacity per entity type.")
@click.option("--search-seconds", default=20.0, show_default=True,
              help="Time budget of the hyper-parameter search per entity type.")
@click.option("--min-positives", default=15, show_default=True,
              help="Fewest confirmed rows a split's trees may learn from.")
def retrain(data_dir: Path, k: int, search_seconds: float, min_positives: int) -> None:
    """Export reviewed decisions as labels, train challengers on them with the data's own
    cases, and let the gate compare each with its champion."""
    from huoyan.arguments import load_or_exit
    from training.command import train_and_report, truth_members
    from training.pipeline import TrainParams

    started = time.perf_counter()
    dataset = load_or_exit(data_dir)
    reviewed = reviewed_labels()
    own = 0 if dataset.cases is None else len(dataset.cases)
    dataset = with_reviewed(dataset, reviewed)
    _echo(f"labels: {own:,} from the data's cases table + {len(reviewed):,} reviewed decisions "
          f"= {len(dataset.cases):,}")
    params = TrainParams(k=k, search_seconds=search_seconds, min_positives=min_positives)
    train_and_report(dataset, truth_members(data_dir, None), params, "retrain", _echo,
                     tags={"trigger": "retrain", "reviewed_labels": str(len(reviewed))})
    _echo(f"done in {time.perf_counter() - started:.0f}s")
