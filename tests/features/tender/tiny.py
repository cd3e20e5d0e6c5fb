"""Tiny hand-written datasets for the tender feature tests.

`Tiny` collects rows as a supplier would write them (strings, blank = null), fills in the
required columns nobody cares about in a given test, validates them with the contract loader
and builds the tender features at an as-of date:

    world = Tiny()
    world.tender("T1", method="open")
    world.bid("T1", "W", 100)
    world.contract("T1", "W", 100)
    row = world.features("2024-07-01").loc["T1"]

Defaults: buyer U1, category 33100000, published 2024-01-02, deadline 2024-01-25, awarded
2024-02-05 (direct awards: awarded only), contracts signed on the award day, firms registered
2010-01-01. Tests run at AS_OF = 2024-07-01 unless they say otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pandas as pd

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.loader import load_frames
from features.backend import load
import features.build
from features.build import build_features
from features.catalog import feature_sets
from features.params import FeatureParams
from features.registry import Registry

AS_OF = "2024-07-01"
PUBLISHED, DEADLINE, AWARDED = "2024-01-02", "2024-01-25", "2024-02-05"
_DEFAULT = object()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Tiny:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES_BY_NAME}
        self._ids: set[tuple[str, str]] = set()
        self._awarded: dict[str, str | None] = {}
        self.unit("U1")
        self.unit("U2")

    # -- registries ---------------------------------------------------------------------------

    def _add(self, table: str, key: str, row: dict[str, Any]) -> None:
        if (table, key) in self._ids:
            raise ValueError(f"{table} {key} added twice")
        self._ids.add((table, key))
        self.rows[table].append({k: _text(v) for k, v in row.items()})

    def _has(self, table: str, key: str) -> bool:
        return (table, key) in self._ids

    def unit(self, unit_id: str, region: str = "320100") -> None:
        self._add("units", unit_id, {"unit_id": unit_id, "name": f"unit {unit_id}",
                                     "region": region, "level": "city", "sector": "health"})

    def person(self, person_id: str) -> None:
        if not self._has("persons", person_id):
            self._add("persons", person_id, {"person_id": person_id, "name": f"person {person_id}"})

    def firm(self, enterprise_id: str, registered_on: str = "2010-01-01",
             address: str | None = None, phone: str | None = None,
             deregistered_on: str | None = None) -> None:
        self._add("enterprises", enterprise_id, {
            "enterprise_id": enterprise_id, "name": f"firm {enterprise_id}", "region": "320100",
            "registered_on": registered_on, "deregistered_on": deregistered_on,
            "registered_capital": 1_000_000, "ownership": "private", "industry": "33",
            "address": address, "phone": phone,
        })

    def _firm(self, enterprise_id: str) -> None:
        if not self._has("enterprises", enterprise_id):
            self.firm(enterprise_id)

    def role(self, firm: str, person: str, role: str = "shareholder", start: str = "2010-01-01",
             end: str | None = None) -> None:
        self._firm(firm)
        self.person(person)
        self.rows["enterprise_roles"].append({k: _text(v) for k, v in {
            "enterprise_id": firm, "person_id": person, "role": role,
            "share": 0.5 if role == "shareholder" else None, "start_date": start, "end_date": end,
        }.items()})

    def post(self, person: str, unit: str = "U1", start: str = "2015-01-01",
             end: str | None = None, head: bool = True) -> None:
        self.person(person)
        post_id = f"{person}@{unit}@{start}"
        self._add("officials", post_id, {
            "post_id": post_id, "person_id": person, "unit_id": unit, "position": "director",
            "rank": "leading" if head else "section", "is_unit_head": head,
            "start_date": start, "end_date": end,
        })

    def relation(self, person: str, related: str, relation: str = "spouse") -> None:
        self.person(person)
        self.person(related)
        self.rows["relations"].append({"person_id": person, "related_person_id": related,
                                       "relation": relation, "source": "test"})

    # -- procurement ----------------------------------------------------------------------------

    def tender(self, tender_id: str, unit: str = "U1", method: str = "open",
               category: str = "33100000", estimate: float | None = None,
               published: Any = _DEFAULT, deadline: Any = _DEFAULT, awarded: Any = _DEFAULT,
               status: str = "complete") -> None:
        direct = method == "direct"
        published = (None if direct else PUBLISHED) if published is _DEFAULT else published
        deadline = (None if direct else DEADLINE) if deadline is _DEFAULT else deadline
        awarded = AWARDED if awarded is _DEFAULT else awarded
        self._awarded[tender_id] = awarded
        self._add("tenders", tender_id, {
            "tender_id": tender_id, "unit_id": unit, "title": f"tender {tender_id}",
            "category": category, "method": method, "estimated_value": estimate,
            "currency": "CNY", "published_on": published, "deadline": deadline,
            "awarded_on": awarded, "status": status,
        })

    def bid(self, tender: str, firm: str, amount: float | None = None, status: str = "valid",
            at: str | None = None) -> None:
        self._firm(firm)
        bid_id = f"B{len(self.rows['bids']) + 1}"
        self._add("bids", bid_id, {"bid_id": bid_id, "tender_id": tender, "enterprise_id": firm,
                                   "amount": amount, "submitted_at": at, "status": status})

    def contract(self, tender: str, firm: str, amount: float, signed: str | None = None,
                 final: float | None = None, amendments: int | None = None,
                 completed: str | None = None) -> None:
        self._firm(firm)
        signed = signed or self._awarded.get(tender) or AWARDED
        contract_id = f"C{len(self.rows['contracts']) + 1}"
        self._add("contracts", contract_id, {
            "contract_id": contract_id, "tender_id": tender, "enterprise_id": firm,
            "amount": amount, "signed_on": signed, "final_amount": final,
            "amendments": amendments, "completed_on": completed,
        })

    def direct(self, tender_id: str, firm: str, amount: float, on: str, unit: str = "U1",
               category: str = "33100000", estimate: float | None = None) -> None:
        """A direct award: the tender, awarded on `on`, and its contract signed that day."""
        self.tender(tender_id, unit=unit, method="direct", category=category, estimate=estimate,
                    awarded=on)
        self.contract(tender_id, firm, amount, signed=on)

    # -- building -------------------------------------------------------------------------------

    def frames(self) -> dict[str, pd.DataFrame]:
        frames = {}
        for name, rows in self.rows.items():
            spec = TABLES_BY_NAME[name]
            if spec.optional and not rows:
                continue
            columns = [c.name for c in spec.columns]
            frames[name] = pd.DataFrame(rows, columns=columns, dtype=str).fillna("")
        return frames

    def features(self, as_of: str = AS_OF, params: FeatureParams | None = None,
                 only: tuple[str, ...] | None = None,
                 frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
        """The tender features at `as_of`, indexed by tender id; with `only`, just those
        feature sets (by name), through the same build (compiling every set for each tiny
        dataset would dominate the test time). `frames` replaces this dataset's frames (a
        test may edit them first)."""
        tables = load(load_frames(self.frames() if frames is None else frames))
        with _only_sets(only):
            built = build_features(tables, dt.date.fromisoformat(as_of), params,
                                   entity_types=("tender",))
        return built["tender"].frame.set_index("entity_id")


@contextmanager
def _only_sets(names: tuple[str, ...] | None) -> Iterator[None]:
    if names is None:
        yield
        return
    chosen = [s for s in feature_sets("tender") if s.name in names]
    missing = set(names) - {s.name for s in chosen}
    if missing:
        raise ValueError(f"no tender feature sets {sorted(missing)}")

    def sets(entity_type: str) -> list:
        return chosen if entity_type == "tender" else []

    def registry(params: FeatureParams | None = None) -> Registry:
        params = params or FeatureParams()
        return Registry(f for s in chosen for f in s.features(params))

    with mock.patch.object(features.build, "feature_sets", sets), \
            mock.patch.object(features.build, "registry", registry):
        yield
