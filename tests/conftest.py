"""Fixtures shared across test packages: one `huoyan train` per test session.

The run is the real command in a subprocess (its stdout is the table people read), on a world
of its own in a home of its own, after the shipped rule library is published there (its hits
are model features); training tests open the MLflow store it wrote, and the
monitoring loop copies the home to rank, review, monitor and retrain on it. The world is
smaller than the demo's, so the fewest confirmed rows a split may learn from is lowered to 5
(the demo uses 15).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.worlds import generate_world, truth_members

SHIPPED_RULES = Path(__file__).resolve().parents[1] / "rules"
TRAIN_SEED = 5
TRAIN_TENDERS = 16_000
MIN_POSITIVES = 5
ENTITY_TYPES = ("official", "enterprise", "tender")


@dataclass
class Trained:
    home: Path
    world: Path
    stdout: str
    stderr: str

    @property
    def members(self) -> pd.DataFrame:
        return truth_members(self.world)


def huoyan(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    return subprocess.run([sys.executable, "-m", "huoyan", *args], env={**env, "HUOYAN_HOME": str(home)},
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:
    home = tmp_path_factory.mktemp("train-home")
    world = generate_world(home / "demo" / "world", TRAIN_SEED, TRAIN_TENDERS)
    published = huoyan(home, "rules", "publish", str(SHIPPED_RULES), "--actor", "test")
    assert published.returncode == 0, published.stderr[-3000:]
    run = huoyan(home, "train", "--data", str(world), "--search-seconds", "1",
                 "--min-positives", str(MIN_POSITIVES))
    assert run.returncode == 0, run.stderr[-3000:]
    return Trained(home, world, run.stdout, run.stderr)




RANKED_DATES = ("2026-06-01", "2026-07-01")  # two days: changes, histories, sparklines


@dataclass
class Ranked:
    """The trained home, ranked on RANKED_DATES and monitored on the last: what a day of the
    service looks like. Tests copy `home` before changing anything."""

    home: Path
    world: Path
    monitor_stderr: str
    monitor_status: int


@pytest.fixture(scope="session")
def ranked(trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> Ranked:
    import shutil

    home = tmp_path_factory.mktemp("ranked-home")
    shutil.copytree(trained.home, home, dirs_exist_ok=True)
    for day in RANKED_DATES:
        run = huoyan(home, "rank", "--data", str(trained.world), "--as-of", day)
        assert run.returncode == 0, run.stderr[-3000:]
    monitored = huoyan(home, "monitor", "--as-of", RANKED_DATES[-1])
    assert monitored.returncode in (0, 1), monitored.stderr[-3000:]
    return Ranked(home, trained.world, monitored.stderr, monitored.returncode)
