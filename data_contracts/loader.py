"""The one loader everything downstream uses: a directory (or frames) in, a typed `Dataset` out.

Nothing downstream re-parses files. Loading validates the whole contract first and raises a
`ContractError` carrying every violation, so a bad delivery is rejected before anything is
computed from it. After validation the loader adds what the contract promises the service adds:
the mirror of every relation, and the default currency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pandas as pd

from data_contracts import stamp
from data_contracts.contract import (
    DEFAULT_CURRENCY,
    MIRRORED_RELATION,
    OPTIONAL_TABLES,
    TABLES_BY_NAME,
)
from data_contracts.integrity import (
    cross_table_violations,
    key_columns,
    schema_violations,
    without_nulls_of_unreadable_cells,
)
from data_contracts.io import TableFileError, read_raw, table_files
from data_contracts.parsing import parse_table
from data_contracts.violations import ContractError, Violation, describe


@dataclass(frozen=True)
class Dataset:
    """Typed contract tables; an absent optional table is None (its features are NaN, not 0)."""

    units: pd.DataFrame
    persons: pd.DataFrame
    officials: pd.DataFrame
    enterprises: pd.DataFrame
    enterprise_roles: pd.DataFrame
    tenders: pd.DataFrame
    bids: pd.DataFrame
    contracts: pd.DataFrame
    relations: pd.DataFrame | None = None
    penalties: pd.DataFrame | None = None
    cases: pd.DataFrame | None = None
    source: str = "input"
    extra_tables: tuple[str, ...] = ()
    delivered_rows: Mapping[str, int] = field(default_factory=dict)  # before mirroring

    def tables(self) -> dict[str, pd.DataFrame]:
        """The present contract tables by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in TABLES_BY_NAME and getattr(self, f.name) is not None
        }

    @property
    def absent(self) -> tuple[str, ...]:
        return tuple(name for name in OPTIONAL_TABLES if getattr(self, name) is None)


def with_mirrored_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """Both directions of every relation: (A, B, parent) also reads (B, A, child)."""
    mirror = relations.rename(
        columns={"person_id": "related_person_id", "related_person_id": "person_id"}
    )
    mirror["relation"] = mirror["relation"].replace(MIRRORED_RELATION)
    both = pd.concat([relations, mirror[relations.columns]], ignore_index=True)
    return both.drop_duplicates(["person_id", "related_person_id", "relation"], ignore_index=True)


def _normalised(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    if "relations" in frames:
        frames["relations"] = with_mirrored_relations(frames["relations"])
    tenders = frames["tenders"]
    frames["tenders"] = tenders.assign(currency=tenders["currency"].fillna(DEFAULT_CURRENCY))
    return frames


def check_frames(
    raw_frames: Mapping[str, pd.DataFrame], rules: bool = True
) -> tuple[dict[str, pd.DataFrame], list[Violation]]:
    """Type and check raw frames; returns the typed frames and every violation found.

    rules=False types only (missing tables and unreadable cells are still reported), for
    frames whose checks already passed unchanged (see stamp.py); the frames are the same.
    """
    violations = [
        Violation(name, None, None, None, "required table missing")
        for name, table in TABLES_BY_NAME.items()
        if not table.optional and name not in raw_frames
    ]
    typed: dict[str, pd.DataFrame] = {}
    unreadable: list[Violation] = []
    for name, raw in raw_frames.items():
        typed[name], found = parse_table(TABLES_BY_NAME[name], raw)
        unreadable += found
    if not rules and not violations and not unreadable:
        return typed, []
    keys = key_columns(typed)
    checked: list[Violation] = []
    for name, frame in typed.items():
        checked += schema_violations(TABLES_BY_NAME[name], frame, keys)
    checked += cross_table_violations(typed)
    checked = without_nulls_of_unreadable_cells(checked, unreadable)
    return typed, violations + unreadable + with_raw_values(checked, raw_frames)


def with_raw_values(
    violations: list[Violation], raw_frames: Mapping[str, pd.DataFrame]
) -> list[Violation]:
    """Show each bad cell as the supplier wrote it ("-5", not the typed -5.0)."""
    shown = []
    for v in violations:
        raw = raw_frames.get(v.table)
        if v.row is not None and raw is not None and v.column in raw.columns:
            v = replace(v, value=describe(raw[v.column].iat[v.row - 1]))
        shown.append(v)
    return shown


def load_frames(
    raw_frames: Mapping[str, pd.DataFrame],
    source: str = "input",
    extra_tables: tuple[str, ...] = (),
    rules: bool = True,
) -> Dataset:
    """A Dataset from in-memory frames, validated exactly as files are (rules=False: typed
    only, for frames that passed the checks unchanged before; see `check_frames`)."""
    unknown = sorted(set(raw_frames) - set(TABLES_BY_NAME))
    if unknown:
        raise ValueError(f"not contract tables: {', '.join(unknown)}")
    typed, violations = check_frames(raw_frames, rules=rules)
    if violations:
        raise ContractError(violations, source)
    delivered = {name: len(frame) for name, frame in typed.items()}
    return Dataset(
        **_normalised(typed), source=source, extra_tables=extra_tables, delivered_rows=delivered
    )


def read_directory(directory: Path) -> tuple[dict[str, pd.DataFrame], tuple[str, ...], list[Violation]]:
    """The raw contract tables of a directory, its extra tables, and files that cannot be read."""
    try:
        files = table_files(Path(directory))
    except TableFileError as error:
        return {}, (), [Violation("(directory)", None, None, str(directory), str(error))]
    raw: dict[str, pd.DataFrame] = {}
    unreadable = []
    for name, path in files.items():
        if name not in TABLES_BY_NAME:
            continue
        try:
            raw[name] = read_raw(path)
        except TableFileError as error:
            unreadable.append(Violation(name, None, None, path.name, f"unreadable file: {error}"))
    extras = tuple(sorted(name for name in files if name not in TABLES_BY_NAME))
    return raw, extras, unreadable


def load_dataset(directory: Path | str, trust_stamp: bool = True) -> Dataset:
    """Read, type and validate a data directory; raise ContractError listing every violation.

    A directory that passed every check before and has not changed since (its validation
    stamp, stamp.py) is read and typed but not checked again, unless `trust_stamp` is False
    (`huoyan validate`: asked to check, it always checks); one that passes is stamped.
    """
    try:
        before = stamp.fingerprint(Path(directory))
    except OSError:
        before = None  # not a readable directory: read_directory says what is wrong
    raw, extras, unreadable = read_directory(Path(directory))
    if unreadable:
        # A table that cannot be read would also show up as "missing": report the cause only.
        _, later = check_frames(raw)
        lost = {v.table for v in unreadable}
        later = [v for v in later if not (v.rule == "required table missing" and v.table in lost)]
        raise ContractError(unreadable + later, str(directory))
    stamped = trust_stamp and before is not None and stamp.is_stamped(Path(directory), before)
    dataset = load_frames(raw, source=str(directory), extra_tables=extras, rules=not stamped)
    if before is not None and not stamped:
        stamp.record_validated(Path(directory), before)
    return dataset
