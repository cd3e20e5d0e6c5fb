"""What the indicators write to (results, Meta) and what they share during one run."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from features.ocds.common import MainCurrency, Release
from features.ocds.quartiles import round_for_meta

Group = Literal["OCID", "Buyer", "ProcuringEntity", "Tenderer"]
GROUPS: tuple[Group, ...] = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")


def _json_number(value: float) -> float | None:
    """serde_json writes a non-finite float as null; Python's json would write NaN."""
    return value if math.isfinite(value) else None


class Results:
    """{group: {id: {code: value}}} plus Meta {code: {name: value}}, in insertion order."""

    def __init__(self) -> None:
        self._groups: dict[Group, dict[str, dict[str, float]]] = {group: {} for group in GROUPS}
        self._meta: dict[str, dict[str, float]] = {}

    def flag(self, group: Group, key: str, code: str, value: float) -> None:
        self._groups[group].setdefault(key, {})[code] = float(value)

    def record_meta(self, code: str, name: str, value: float) -> None:
        self._meta.setdefault(code, {})[name] = float(value)

    def group(self, group: Group) -> dict[str, dict[str, float]]:
        return self._groups[group]

    def meta(self, code: str) -> dict[str, float]:
        """Unrounded Meta values of one indicator (empty if it recorded none)."""
        return dict(self._meta.get(code, {}))

    def as_json(self) -> dict[str, Any]:
        """Cardinal's output: groups without results are left out; Meta rounded to 4 decimals."""
        output: dict[str, Any] = {
            group: {
                key: {code: _json_number(value) for code, value in values.items()}
                for key, values in results.items()
            }
            for group, results in self._groups.items()
            if results
        }
        output["Meta"] = {
            code: {name: _json_number(round_for_meta(value)) for name, value in values.items()}
            for code, values in self._meta.items()
        }
        return output


@dataclass(frozen=True)
class BidRatio:
    """(lowest other valid bid - winner's lowest valid bid) / winner's, for one process."""

    ratio: float
    winner_id: str
    runner_up_id: str


@dataclass
class RunState:
    results: Results
    currency: MainCurrency
    bid_ratios: dict[str, BidRatio] = field(default_factory=dict)  # by ocid, for R024 and R058


class Indicator:
    """One indicator: `fold` sees each kept release once, in file order; `finalize` runs after
    the last one (for indicators fitted over the whole input)."""

    code = ""

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        """Look at one contracting process."""

    def finalize(self, state: RunState) -> None:
        """Conclude after the whole input was read."""
