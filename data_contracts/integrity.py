"""Checks of typed tables: the pandera schemas, then the rules that span rows or tables.

Every check returns violations instead of raising, so one run reports all of them at once.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from data_contracts.contract import CASE_ENTITY_TARGETS, TABLES_BY_NAME, Table
from data_contracts.membership import isin
from data_contracts.schemas import (
    NULL_RULE,
    PANDERA_RULES,
    foreign_key_rule,
    interval_rule,
    schema_for,
)
from data_contracts.violations import Violation, describe, from_mask

SHARE_TOLERANCE = 1e-6  # shares are decimals such as 0.333333; rounding may exceed 1 slightly


def key_columns(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.Series]:
    """Every referenced key ("table.column") of the present tables, for foreign-key checks."""
    keys: dict[str, pd.Series] = {}
    for name, frame in frames.items():
        table = TABLES_BY_NAME[name]
        if table.key:
            keys[f"{name}.{table.key}"] = frame[table.key].dropna()
    return keys


def _from_failure_cases(table: Table, failures: pd.DataFrame) -> list[Violation]:
    end_of_interval = {interval_rule(i): i.end for i in table.intervals}
    violations = []
    for case in failures.itertuples(index=False):
        rule = PANDERA_RULES.get(case.check, case.check)
        if rule in end_of_interval and case.column != end_of_interval[rule]:
            continue  # a frame-level check is reported once per column: keep the end column's
        row = None if pd.isna(case.index) else int(case.index) + 1
        violations.append(Violation(table.name, row, case.column, describe(case.failure_case), rule))
    return violations


def schema_violations(
    table: Table, frame: pd.DataFrame, parent_keys: Mapping[str, pd.Series]
) -> list[Violation]:
    try:
        schema_for(table, parent_keys).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _from_failure_cases(table, errors.failure_cases)
    return []


def without_nulls_of_unreadable_cells(
    violations: list[Violation], unreadable: list[Violation]
) -> list[Violation]:
    """A cell the parser could not read is null afterwards: report it as unreadable only."""
    cells = {(v.table, v.row, v.column) for v in unreadable}
    return [v for v in violations if not (v.rule == NULL_RULE and (v.table, v.row, v.column) in cells)]


def case_entity_violations(cases: pd.DataFrame, keys: Mapping[str, pd.Series]) -> list[Violation]:
    """cases.entity_id resolves to persons, enterprises or tenders according to entity_type."""
    violations = []
    for entity_type, target in CASE_ENTITY_TARGETS.items():
        if target not in keys:
            continue
        dangling = (cases["entity_type"] == entity_type).fillna(False) & ~isin(
            cases["entity_id"], keys[target]
        ) & cases["entity_id"].notna()
        violations += from_mask(
            "cases", "entity_id", dangling, cases["entity_id"], foreign_key_rule(target)
        )
    return violations


def self_relation_violations(relations: pd.DataFrame) -> list[Violation]:
    same = (relations["person_id"] == relations["related_person_id"]).fillna(False)
    return from_mask(
        "relations", "related_person_id", same, relations["related_person_id"],
        "a person cannot be related to himself",
    )


def share_violations(roles: pd.DataFrame) -> list[Violation]:
    """Shares belong to shareholders, and shares held at the same time sum to at most 1."""
    misplaced = roles["share"].notna() & (roles["role"] != "shareholder").fillna(False)
    violations = from_mask(
        "enterprise_roles", "share", misplaced, roles["share"], "share given for a non-shareholder"
    )
    return violations + _overlapping_share_violations(roles)


def _overlapping_share_violations(roles: pd.DataFrame) -> list[Violation]:
    # A sweep over holding periods [start, end) per enterprise: +share when a holding starts,
    # -share when it ends; ends first on a shared day, so a same-day handover is not an overlap.
    # E.g. A holds 0.6 from 2020-01-01 and B 0.5 from 2021-03-01 with A still in: the running
    # sum reaches 1.1 at B's start, and B's row is reported.
    # Shares outside 0..1 are already reported on their own; sum only the plausible ones.
    plausible = roles["share"].between(0.0, 1.0).fillna(False)
    held = roles[(roles["role"] == "shareholder").fillna(False) & plausible]
    held = held[held["start_date"].notna()]
    if held.empty:
        return []
    starts = pd.DataFrame({
        "enterprise_id": held["enterprise_id"], "date": held["start_date"],
        "order": 1, "delta": held["share"], "row": held.index,
    })
    ended = held[held["end_date"].notna()]
    ends = pd.DataFrame({
        "enterprise_id": ended["enterprise_id"], "date": ended["end_date"],
        "order": 0, "delta": -ended["share"], "row": -1,
    })
    events = pd.concat([starts, ends], ignore_index=True).sort_values(
        ["enterprise_id", "date", "order"], kind="stable"
    )
    events["held"] = events.groupby("enterprise_id", sort=False)["delta"].cumsum()
    over = events[(events["order"] == 1) & (events["held"] > 1 + SHARE_TOLERANCE)]
    return [
        Violation(
            "enterprise_roles", int(event.row) + 1, "share", describe(roles.at[event.row, "share"]),
            f"shares of {event.enterprise_id} held at once sum to {event.held:.4g} > 1 "
            f"on {event.date.date().isoformat()}",
        )
        for event in over.itertuples(index=False)
    ]


def cross_table_violations(frames: Mapping[str, pd.DataFrame]) -> list[Violation]:
    keys = key_columns(frames)
    violations: list[Violation] = []
    if "cases" in frames:
        violations += case_entity_violations(frames["cases"], keys)
    if "relations" in frames:
        violations += self_relation_violations(frames["relations"])
    if "enterprise_roles" in frames:
        violations += share_violations(frames["enterprise_roles"])
    return violations

