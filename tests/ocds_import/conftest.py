"""Shared paths and helpers for the OCDS import tests."""

from __future__ import annotations

import gzip
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from data_contracts.loader import Dataset, load_frames
from data_contracts.ocds.importer import ImportResult, import_releases
from data_contracts.ocds.mapping import MappingOptions
from data_contracts.ocds.reader import open_lines, parse_lines

REPO = Path(__file__).resolve().parents[2]
CARDINAL = REPO.parent / "shared" / "golden" / "cardinal"
FIXTURES = REPO / "tests" / "fixtures" / "ocds"


def fixture_releases() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "releases.json").read_text(encoding="utf-8"))


def write_jsonl(releases: list[Any], path: Path, compress: bool = False) -> Path:
    """One compact JSON value per line, as publishers' bulk files are."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)
    if compress:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def import_file(path: Path, options: MappingOptions | None = None) -> ImportResult:
    return import_releases(parse_lines(open_lines(path)), options or MappingOptions())


def validated(result: ImportResult) -> Dataset:
    """The imported frames through the project's loader: raises ContractError on any violation."""
    return load_frames(result.frames, source="ocds import")


def plain(value: Any) -> Any:
    """A typed cell as a plain, comparable Python value (ISO text for dates and timestamps)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            return value.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


@pytest.fixture
def fixture_file(tmp_path: Path) -> Path:
    return write_jsonl(fixture_releases(), tmp_path / "releases.jsonl")
