"""Tiny hand-written worlds for exact-value tests of enterprise features.

Rows are written as a supplier would (strings, blank = null), validated by the real loader and
built by the real pipeline, e.g.

    w = Tiny()
    w.enterprise("E1"); w.enterprise("E2")
    w.tender("T1", on="2024-03-01", bids={"E1": 100.0, "E2": 103.0}, winner="E1")
    row = w.features("2024-07-01").loc["E1"]

A tender `on` a day is published that day, closes for bids 20 days later and is awarded 30
days later; its contract is signed 35 days later. Every date can be given explicitly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.loader import load_frames
from features.backend import load
from features.build import build_features
from features.params import FeatureParams

OPTIONAL = ("relations", "penalties")


def day(value: str, plus: int = 0) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=plus)).isoformat()


class Tiny:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES_BY_NAME}
        self.unit("U1")
        self.unit("U2")

    # --- rows -----------------------------------------------------------------------------

    def _add(self, table: str, **values: object) -> None:
        self.rows[table].append(
            {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
             for k, v in values.items()}
        )

    def unit(self, unit_id: str) -> None:
        self._add("units", unit_id=unit_id, name=f"unit {unit_id}", region="320100",
                  level="city", sector="health")

    def person(self, person_id: str) -> None:
        if not any(r["person_id"] == person_id for r in self.rows["persons"]):
            self._add("persons", person_id=person_id, name=f"person {person_id}")

    def official(self, post_id: str, person_id: str, unit_id: str, start: str,
                 end: str | None = None, head: bool = True) -> None:
        self.person(person_id)
        self._add("officials", post_id=post_id, person_id=person_id, unit_id=unit_id,
                  position="head" if head else "staff", rank="leading" if head else "staff",
                  is_unit_head=head, start_date=start, end_date=end)

    def relation(self, person_id: str, related_person_id: str, relation: str = "sibling") -> None:
        self.person(person_id)
        self.person(related_person_id)
        self._add("relations", person_id=person_id, related_person_id=related_person_id,
                  relation=relation)

    def enterprise(self, enterprise_id: str, registered: str = "2015-01-01",
                   deregistered: str | None = None, capital: float | None = None,
                   address: str | None = None, phone: str | None = None) -> None:
        self._add("enterprises", enterprise_id=enterprise_id, name=f"firm {enterprise_id}",
                  region="320100", registered_on=registered, deregistered_on=deregistered,
                  registered_capital=capital, ownership="private", industry="33",
                  address=address, phone=phone)

    def role(self, enterprise_id: str, person_id: str, role: str = "shareholder",
             start: str = "2015-01-01", end: str | None = None) -> None:
        self.person(person_id)
        self._add("enterprise_roles", enterprise_id=enterprise_id, person_id=person_id,
                  role=role, share="0.5" if role == "shareholder" else None,
                  start_date=start, end_date=end)

    def tender(self, tender_id: str, on: str, unit: str = "U1", method: str = "open",
               category: str = "33100000", estimate: float | None = None,
               bids: dict[str, float | tuple[float, str]] | None = None,
               winner: str | None = None, amount: float | None = None,
               published: str | None = None, deadline: str | None = None,
               awarded: str | None = None, signed: str | None = None,
               final: float | None = None, amendments: int | None = None,
               completed: str | None = None) -> None:
        """A tender with its bids ({enterprise: amount} or {enterprise: (amount, status)}) and,
        with a winner, its contract (at the winner's bid unless `amount` is given)."""
        direct = method == "direct"
        published = published or (None if direct else on)
        deadline = deadline or (None if direct else day(on, 20))
        awarded = awarded or (on if direct else day(on, 30))
        self._add("tenders", tender_id=tender_id, unit_id=unit, title=f"tender {tender_id}",
                  category=category, method=method, estimated_value=estimate,
                  published_on=published, deadline=deadline,
                  awarded_on=awarded if winner else None,
                  status="complete" if winner else "active")
        for n, (firm, offer) in enumerate((bids or {}).items()):
            price, status = offer if isinstance(offer, tuple) else (offer, "valid")
            self._add("bids", bid_id=f"{tender_id}-B{n}", tender_id=tender_id,
                      enterprise_id=firm, amount=price, status=status)
        if winner:
            price = amount if amount is not None else (bids or {}).get(winner)
            price = price[0] if isinstance(price, tuple) else price
            self._add("contracts", contract_id=f"{tender_id}-C", tender_id=tender_id,
                      enterprise_id=winner, amount=price if price is not None else 1000.0,
                      signed_on=signed or day(awarded, 5), final_amount=final,
                      amendments=amendments, completed_on=completed)

    def penalty(self, penalty_id: str, enterprise_id: str, date: str,
                amount: float | None = None) -> None:
        self._add("penalties", penalty_id=penalty_id, enterprise_id=enterprise_id, unit_id="U2",
                  date=date, kind="fine", amount=amount)

    # --- building -------------------------------------------------------------------------

    def frames(self, without: Iterable[str] = ()) -> dict[str, pd.DataFrame]:
        out = {}
        for name, spec in TABLES_BY_NAME.items():
            if name in without or name == "cases":
                continue
            columns = [c.name for c in spec.columns]
            rows = self.rows[name]
            if not rows and name in OPTIONAL and name not in without:
                out[name] = pd.DataFrame(columns=columns, dtype=str)  # present but empty
                continue
            out[name] = pd.DataFrame(rows, columns=columns, dtype=str).fillna("")
        return out

    def features(self, as_of: str, without: Iterable[str] = (),
                 params: FeatureParams | None = None) -> pd.DataFrame:
        """The enterprise features at `as_of`, indexed by enterprise id; `without` drops
        optional tables (their features must come out missing)."""
        tables = load(load_frames(self.frames(without)))
        built = build_features(tables, dt.date.fromisoformat(as_of), params,
                               entity_types=("enterprise",))
        return built["enterprise"].frame.set_index("entity_id")
