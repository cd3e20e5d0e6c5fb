"""Build a world and write it: the data directory (atomically, via write_tables) and the
ground truth beside it (atomically too)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data_contracts.io import Format, write_tables
from data_contracts.synthetic.build import build_world
from data_contracts.synthetic.config import WorldConfig
from data_contracts.synthetic.export import export_tables
from data_contracts.synthetic.progress import Progress
from data_contracts.synthetic.sampling import stage_rng
from data_contracts.synthetic.truth import truth_tables, world_summary, write_truth


def make_tables(
    config: WorldConfig, progress: Progress
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict]:
    """(contract tables, truth tables, world summary) of a world, in memory."""
    world = build_world(config, progress)
    with progress.stage("contract tables"):
        tables, ids = export_tables(world, stage_rng(config.seed, "export"), progress.say)
    with progress.stage("ground truth"):
        truth = truth_tables(world, ids)
        summary = world_summary(world, tables)
    return tables, truth, summary


def write_world(
    config: WorldConfig, out: Path, truth_dir: Path, fmt: Format, progress: Progress
) -> dict:
    tables, truth, summary = make_tables(config, progress)
    with progress.stage(f"writing {out} ({fmt})"):
        write_tables(tables, out, fmt)
    with progress.stage(f"writing ground truth {truth_dir}"):
        write_truth(truth_dir, truth, summary)
    return summary
