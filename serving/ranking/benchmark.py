"""Time the daily ranking on a large world: `python -m serving.ranking.benchmark`.

Ranks the synthetic world of 1,000,000 tenders (generated once and kept under
$HUOYAN_HOME/bench/world-1000000, the same cache as features/benchmark.py) as of 2026-07-01,
with reasons, features and links for everything flagged, into a service database, and prints
the time of every step and entities per second. Training on the big world would take too long,
so the champions come from a quick `huoyan train --search-seconds 2` on a 40,000-tender world
in a home of the benchmark's own ($HUOYAN_HOME/bench/rank-home: its MLflow store and, unless
HUOYAN_DATABASE_URL names another, its SQLite service database); they are trained once and
reused (`--retrain` to redo).

    python -m serving.ranking.benchmark                       # the real thing (1M tenders)
    python -m serving.ranking.benchmark --tenders 20000 --train-tenders 10000 --min-positives 3
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


def world(root: Path, tenders: int, seed: int) -> Path:
    directory = root / "bench" / f"world-{tenders}"
    if not (directory / "tenders.parquet").exists():
        print(f"generating {directory} (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "huoyan", "generate", "--out", str(directory),
                        "--seed", str(seed), "--tenders", str(tenders), "--quiet"], check=True)
    return directory


def train(home: Path, data: Path, search_seconds: float, min_positives: int) -> None:
    print(f"training champions on {data} into {home} ...", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "huoyan", "train", "--data", str(data),
                    "--search-seconds", str(search_seconds), "--min-positives", str(min_positives)],
                   env={**env, "HUOYAN_HOME": str(home)}, check=True, stdout=subprocess.DEVNULL)
    print(f"trained in {time.perf_counter() - started:.0f}s", flush=True)


def _has_champions() -> bool:
    from serving.ranking.job import NoChampion, champions

    try:
        champions()
    except NoChampion:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenders", type=int, default=1_000_000, help="world to rank")
    parser.add_argument("--train-tenders", type=int, default=40_000, help="world to train on")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default="2026-07-01")
    parser.add_argument("--search-seconds", type=float, default=2.0)
    parser.add_argument("--min-positives", type=int, default=15)
    parser.add_argument("--engine-memory", default="5GB")
    parser.add_argument("--retrain", action="store_true")
    args = parser.parse_args()

    root = get_settings().root
    big = world(root, args.tenders, args.seed)
    small = world(root, args.train_tenders, args.seed)
    home = root / "bench" / "rank-home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["HUOYAN_HOME"] = str(home)
    os.environ.pop("MLFLOW_TRACKING_URI", None)
    os.environ["HUOYAN_ENGINE_MEMORY"] = args.engine_memory
    if args.retrain or not _has_champions():
        train(home, small, args.search_seconds, args.min_positives)

    from data_contracts.loader import load_dataset
    from features.backend import load
    from serving.config import load_config
    from serving.db import migrate
    from serving.ranking.job import champions, run

    migrate()
    models = champions()
    started = time.perf_counter()
    dataset = load_dataset(big)
    loaded = time.perf_counter()
    tables = load(dataset)
    engine = time.perf_counter()
    print(f"world: {len(dataset.tenders):,} tenders; read + validate {loaded - started:.1f}s, "
          f"engine load {engine - loaded:.1f}s", flush=True)

    def progress(message: str) -> None:
        print(f"  {time.perf_counter() - engine:7.1f}s  {message}", flush=True)

    out = home / f"ranking-{args.tenders}.parquet"
    summaries = run(dataset, dt.date.fromisoformat(args.as_of), config=load_config(),
                    tables=tables, out=out, progress=progress, models=models)
    spent = time.perf_counter() - engine
    entities = sum(s.entities for s in summaries)
    for summary in summaries:
        print(summary.line())
    print(f"ranked {entities:,} entities in {spent:.1f}s after loading "
          f"({entities / spent:,.0f} entities/s); with loading {time.perf_counter() - started:.1f}s")
    print(f"peak memory: {_peak_gb():.2f} GB")


if __name__ == "__main__":
    main()
