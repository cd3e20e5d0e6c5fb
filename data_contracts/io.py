"""Reading and writing table directories: one file per table, `<table>.parquet` or `<table>.csv`.

Writes are atomic at the directory level: tables are written into a hidden sibling directory
which then replaces the target, so a crash never leaves a half-written data set behind and a
re-run simply replaces the previous output.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data_contracts.contract import TABLES_BY_NAME, ColumnType

Format = Literal["parquet", "csv"]
SUFFIXES: dict[str, Format] = {".parquet": "parquet", ".csv": "csv"}

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "str": pa.string(),
    "enum": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


# Arrow strings stay Arrow-backed in pandas: compact, and no copy into Python objects.
_ARROW_TO_PANDAS = {
    pa.string(): pd.StringDtype("pyarrow"),
    pa.large_string(): pd.StringDtype("pyarrow"),
}


class TableFileError(ValueError):
    """A table directory that cannot be read as such (missing, ambiguous, unreadable)."""


def table_files(directory: Path) -> dict[str, Path]:
    """The data files of a directory by table name; a table given twice is an error."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TableFileError(f"{directory}: not a directory")
    found: dict[str, Path] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        name = path.stem
        if name in found:
            raise TableFileError(
                f"{directory}: table {name!r} is given twice ({found[name].name} and {path.name})"
            )
        found[name] = path
    return found


def read_raw(path: Path) -> pd.DataFrame:
    """A table file as it is: CSV cells as strings (empty = null), Parquet with its own types.

    Typing is the parser's job (parsing.py), which reports every cell it cannot read; reading
    CSV as text here keeps pandas from guessing types and silently mangling ids like "007".
    """
    try:
        if SUFFIXES[path.suffix.lower()] == "csv":
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                encoding="utf-8",
            )
        else:
            frame = pq.read_table(path).to_pandas(
                date_as_object=False,  # date32 -> datetime64, typed without per-cell Python
                types_mapper=_ARROW_TO_PANDAS.get,
            )
    except Exception as error:  # noqa: BLE001 - any reader failure is the file's fault
        raise TableFileError(f"{path}: cannot be read ({error})") from error
    return frame.reset_index(drop=True)


def _arrow_table(name: str, frame: pd.DataFrame) -> pa.Table:
    """Arrow table with the contract's types for known columns, inferred ones for extras."""
    spec = TABLES_BY_NAME.get(name)
    fields, arrays = [], []
    for column in frame.columns:
        values = frame[column]
        declared = spec.column(column).type if spec and column in spec.column_names else None
        if declared == "date":
            values = pd.to_datetime(values).dt.date
        arrow_type = ARROW_TYPES[declared] if declared else None
        array = pa.array(values, type=arrow_type, from_pandas=True)
        fields.append(pa.field(column, array.type))
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _write_one(name: str, frame: pd.DataFrame, directory: Path, fmt: Format) -> None:
    table = _arrow_table(name, frame)
    if fmt == "parquet":
        pq.write_table(table, directory / f"{name}.parquet", compression="zstd")
        return
    # CSV per the contract: ISO dates and timestamps, booleans as true/false.
    columns = []
    for field_, array in zip(table.schema, table.columns, strict=True):
        if pa.types.is_timestamp(field_.type):
            array = pc.strftime(array, format="%Y-%m-%dT%H:%M:%SZ")
        elif pa.types.is_boolean(field_.type):
            array = pc.if_else(array, "true", "false")
        columns.append(array)
    pacsv.write_csv(
        pa.Table.from_arrays(columns, names=table.column_names),
        directory / f"{name}.csv",
        write_options=pacsv.WriteOptions(quoting_style="needed"),
    )


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh staging directory that replaces `target` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    staging = target.parent / f".{target.name}.staging-{token}"
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.parent / f".{target.name}.retired-{token}"
    if target.exists():
        os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def write_tables(
    tables: Mapping[str, pd.DataFrame], directory: Path, fmt: Format = "parquet"
) -> Path:
    """Write every table into `directory` atomically (it is replaced as a whole)."""
    with atomic_directory(Path(directory)) as staging:
        for name, frame in tables.items():
            _write_one(name, frame, staging, fmt)
    return Path(directory)
