"""What a contract violation says: the table, row, column, value and rule it breaks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import pandas as pd

from data_contracts.contract import TABLE_NAMES


@dataclass(frozen=True)
class Violation:
    table: str
    row: int | None  # 1-based data row (line row+1 of a CSV, after the header); None = whole table
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.table if self.row is None else f"{self.table} row {self.row}"
        if self.column:
            where += f" column {self.column}"
        value = "" if self.value is None else f" value {self.value!r}:"
        return f"{where}:{value} {self.rule}"


def _order(violation: Violation) -> tuple:
    table_rank = TABLE_NAMES.index(violation.table) if violation.table in TABLE_NAMES else 99
    return (table_rank, violation.table, violation.row or 0, violation.column or "", violation.rule)


def sort_violations(violations: Iterable[Violation]) -> list[Violation]:
    return sorted(set(violations), key=_order)


def describe(value: object) -> str | None:
    """A cell as the person who wrote the file would recognise it."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        a_plain_date = value.tz is None and value == value.normalize()
        return value.date().isoformat() if a_plain_date else value.isoformat()
    return str(value)


def from_mask(
    table: str, column: str, mask: pd.Series, values: pd.Series, rule: str
) -> list[Violation]:
    """One violation per row where `mask` is true; rows are the frame's 0-based positions."""
    positions = mask.to_numpy().nonzero()[0]
    shown = values.iloc[positions]
    return [
        Violation(table, int(position) + 1, column, describe(value), rule)
        for position, value in zip(positions, shown, strict=True)
    ]


class ContractError(ValueError):
    """The input breaks the contract; carries every violation found, not only the first."""

    def __init__(self, violations: Sequence[Violation], source: str = "input") -> None:
        self.violations = sort_violations(violations)
        self.source = source
        super().__init__(self._message())

    def _message(self, shown: int = 20) -> str:
        lines = [f"{self.source}: {len(self.violations)} contract violation(s)"]
        lines += [f"  {v}" for v in self.violations[:shown]]
        if len(self.violations) > shown:
            lines.append(f"  ... and {len(self.violations) - shown} more")
        return "\n".join(lines)

    def counts(self) -> Counter[tuple[str, str]]:
        return Counter((v.table, v.rule) for v in self.violations)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [asdict(v) for v in self.violations],
            columns=["table", "row", "column", "value", "rule"],
        )
