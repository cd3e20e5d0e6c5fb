"""The day's scored population, kept for monitoring.

    $HUOYAN_HOME/snapshots/2026-10-01/official.parquet   entity_id, raw, score, rank, level,
                                                         and every feature value
    $HUOYAN_HOME/snapshots/2026-10-01/manifest.json      data directory, model versions, time

The database keeps features only for flagged entities; drift, fairness and sparsity need the
whole population. Each type is written into a staging directory while it is scored (so the
job never holds three feature tables at once) and the staging directory replaces the day's
snapshot only after the database transaction committed: a crashed run leaves the previous
snapshot, a re-run replaces it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd

from huoyan.settings import Settings, get_settings

SNAPSHOT_COLUMNS = ["entity_id", "raw", "score", "rank", "level"]


def root(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).root / "snapshots"


def day_dir(as_of: dt.date, settings: Settings | None = None) -> Path:
    return root(settings) / as_of.isoformat()


def staging(as_of: dt.date, settings: Settings | None = None) -> Path:
    """A fresh staging directory for the day (an earlier crash's leftovers removed)."""
    directory = root(settings) / f".{as_of.isoformat()}.partial"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def write_type(directory: Path, entity_type: str, ranked: pd.DataFrame,
               features: pd.DataFrame) -> Path:
    """The ranked rows joined to their feature values, one file per type."""
    frame = ranked[SNAPSHOT_COLUMNS].merge(features, on="entity_id", how="left",
                                           validate="one_to_one")
    path = directory / f"{entity_type}.parquet"
    frame.to_parquet(path, index=False)
    return path


def publish(directory: Path, as_of: dt.date, manifest: dict,
            settings: Settings | None = None) -> Path:
    """Swap the staging directory in as the day's snapshot."""
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    final = day_dir(as_of, settings)
    retired = final.with_name(f".{final.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if final.exists():
        final.rename(retired)
    directory.rename(final)
    shutil.rmtree(retired, ignore_errors=True)
    return final


class NoSnapshot(LookupError):
    pass


def manifest(as_of: dt.date, settings: Settings | None = None) -> dict:
    path = day_dir(as_of, settings) / "manifest.json"
    if not path.is_file():
        raise NoSnapshot(f"no ranking snapshot for {as_of}: run `huoyan rank --as-of {as_of}` "
                         "first")
    return json.loads(path.read_text(encoding="utf-8"))


def read(as_of: dt.date, entity_type: str, settings: Settings | None = None) -> pd.DataFrame:
    path = day_dir(as_of, settings) / f"{entity_type}.parquet"
    if not path.is_file():
        raise NoSnapshot(f"no {entity_type} snapshot for {as_of}")
    return pd.read_parquet(path)


def dates(settings: Settings | None = None) -> list[dt.date]:
    """The days with a snapshot, oldest first."""
    directory = root(settings)
    if not directory.is_dir():
        return []
    return sorted(dt.date.fromisoformat(p.name) for p in directory.iterdir()
                  if p.is_dir() and not p.name.startswith("."))
