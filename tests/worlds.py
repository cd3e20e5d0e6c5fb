"""Synthetic worlds for tests, made by the real `huoyan generate` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def generate_world(directory: Path, seed: int, tenders: int, *options: str) -> Path:
    """A world at `directory`, its ground truth at `<directory>-truth`."""
    subprocess.run(
        [sys.executable, "-m", "huoyan", "generate", "--out", str(directory),
         "--seed", str(seed), "--tenders", str(tenders), "--quiet", *options],
        check=True, capture_output=True, text=True,
    )
    return directory


def truth_members(directory: Path):
    import pandas as pd

    return pd.read_parquet(directory.parent / f"{directory.name}-truth" / "members.parquet")
