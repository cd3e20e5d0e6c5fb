"""`make bench-features`: time every feature of the three entity types on a large world.

Generates a world of 1,000,000 tenders once (kept under $HUOYAN_HOME/bench), then times, in one
process: reading and validating it, copying it into the engine, and building all features at
one as-of date; prints rows per second per step and the peak memory of the process.
Goal (issue 3): features under 120 s and 8 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from huoyan.settings import get_settings


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def _world(tenders: int, seed: int) -> Path:
    directory = get_settings().root / "bench" / f"world-{tenders}"
    if not (directory / "tenders.parquet").exists():
        print(f"generating {directory} (once) ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "huoyan", "generate", "--out", str(directory),
             "--seed", str(seed), "--tenders", str(tenders)],
            check=True,
        )
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default="2026-07-01")
    parser.add_argument("--engine-memory", default="5GB",
                        help="the engine's memory cap; it spills to disk beyond it")
    args = parser.parse_args()
    os.environ["HUOYAN_ENGINE_MEMORY"] = args.engine_memory

    from data_contracts.loader import load_dataset
    from features.backend import load
    from features.build import build_features

    directory = _world(args.tenders, args.seed)
    as_of = dt.date.fromisoformat(args.as_of)
    started = time.perf_counter()
    dataset = load_dataset(directory)
    validated = time.perf_counter()
    after_validation = _peak_gb()
    rows = sum(len(frame) for frame in dataset.tables().values())
    tables = load(dataset)
    loaded = time.perf_counter()
    print(f"engine memory cap: {args.engine_memory}")
    print(f"world: {len(dataset.tenders):,} tenders, {len(dataset.bids):,} bids, {rows:,} rows")
    print(f"read + validate: {validated - started:7.1f} s  ({rows / (validated - started):,.0f} rows/s)"
          f", peak so far {after_validation:.2f} GB")
    print(f"engine load:     {loaded - validated:7.1f} s")
    total = 0.0
    for entity_type in ("official", "enterprise", "tender"):
        begun = time.perf_counter()
        built = build_features(tables, as_of, entity_types=(entity_type,))[entity_type]
        spent = time.perf_counter() - begun
        total += spent
        frame = built.frame
        print(f"{entity_type:>10} features: {spent:6.1f} s  {len(frame):>9,} entities x "
              f"{frame.shape[1] - 1} features  ({len(frame) / spent:,.0f} entities/s)")
    print(f"all features:    {total:7.1f} s (goal < 120 s)")
    print(f"peak memory:     {_peak_gb():7.2f} GB for the whole process (goal < 8 GB)")


if __name__ == "__main__":
    main()
