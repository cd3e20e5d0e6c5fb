"""Tiny hand-written worlds for exact feature values: raw contract frames, as a supplier writes
them (strings, blank = null), built through the real loader and the real feature build."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.loader import load_frames
from features.backend import load
from features.build import build_features
from features.params import FeatureParams


def day(text: str, days: int) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=days)).isoformat()


class Tiny:
    """Add rows with the helpers, then `features(as_of)`: the official features by person."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._n = 0

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def unit(self, unit_id: str) -> Tiny:
        self.rows["units"].append({"unit_id": unit_id, "name": f"单位{unit_id}", "region": "320100",
                                   "level": "city", "sector": "health"})
        return self

    def person(self, person_id: str, birth_year: str = "1970", gender: str = "m") -> Tiny:
        self.rows["persons"].append({"person_id": person_id, "name": f"人{person_id}",
                                     "birth_year": birth_year, "gender": gender})
        return self

    def post(self, person_id: str, unit_id: str, start: str, end: str = "", rank: str = "section",
             head: bool = False, post_id: str | None = None) -> Tiny:
        self.rows["officials"].append({
            "post_id": post_id or self._id("O"), "person_id": person_id, "unit_id": unit_id,
            "position": "主任" if head else "科员", "rank": rank, "is_unit_head": str(head).lower(),
            "start_date": start, "end_date": end,
        })
        return self

    def relation(self, person_id: str, related: str, relation: str) -> Tiny:
        self.rows["relations"].append({"person_id": person_id, "related_person_id": related,
                                       "relation": relation, "source": "hr_declaration"})
        return self

    def firm(self, enterprise_id: str, registered: str = "2005-01-01", phone: str = "") -> Tiny:
        self.rows["enterprises"].append({
            "enterprise_id": enterprise_id, "name": f"公司{enterprise_id}", "region": "320100",
            "registered_on": registered, "deregistered_on": "", "registered_capital": "1000000",
            "ownership": "private", "industry": "33", "address": "", "phone": phone,
        })
        return self

    def role(self, enterprise_id: str, person_id: str, start: str, end: str = "",
             role: str = "legal_representative") -> Tiny:
        self.rows["enterprise_roles"].append({
            "enterprise_id": enterprise_id, "person_id": person_id, "role": role, "share": "",
            "start_date": start, "end_date": end,
        })
        return self

    def tender(self, unit_id: str, on: str, method: str = "open", period: int = 20,
               bidders: tuple[str, ...] = (), winner: str | None = None, amount: float = 100.0,
               final: float | None = None, tender_id: str | None = None,
               bids: tuple[tuple[str, float, str], ...] = ()) -> str:
        """A tender published on `on` (a direct award: awarded on `on`), deadline `period` days
        later, awarded 5 days after that, its contract signed 2 days later, completed 10 days
        after signature when `final` is given. Bids: `bids` as (enterprise, amount, status),
        else a valid bid at `amount` from each of `bidders` (default: the winner)."""
        tender_id = tender_id or self._id("T")
        direct = method == "direct"
        deadline = "" if direct else day(on, period)
        awarded = on if direct else day(deadline, 5)
        self.rows["tenders"].append({
            "tender_id": tender_id, "unit_id": unit_id, "title": "采购", "category": "33100000",
            "method": method, "estimated_value": str(amount), "currency": "",
            "published_on": "" if direct else on, "deadline": deadline, "awarded_on": awarded,
            "status": "complete",
        })
        bids = bids or tuple((f, amount, "valid") for f in bidders or ((winner,) if winner else ()))
        for firm, price, status in bids:
            self.rows["bids"].append({"bid_id": self._id("B"), "tender_id": tender_id,
                                      "enterprise_id": firm, "amount": str(price),
                                      "submitted_at": "", "status": status})
        if winner:
            signed = day(awarded, 2)
            self.rows["contracts"].append({
                "contract_id": self._id("C"), "tender_id": tender_id, "enterprise_id": winner,
                "amount": str(amount), "signed_on": signed,
                "final_amount": "" if final is None else str(final),
                "amendments": "" if final is None else "1",
                "completed_on": "" if final is None else day(signed, 10),
            })
        return tender_id

    def frames(self, relations: bool = True) -> dict[str, pd.DataFrame]:
        out = {}
        for name, spec in TABLES_BY_NAME.items():
            rows = self.rows.get(name, [])
            wanted = relations if name == "relations" else bool(rows)
            if spec.optional and not wanted:
                continue
            columns = [c.name for c in spec.columns]
            out[name] = pd.DataFrame(rows, columns=columns, dtype=str)
        return out

    def tables(self, relations: bool = True):
        return load(load_frames(self.frames(relations)))

    def features(self, as_of: str, relations: bool = True, **params) -> pd.DataFrame:
        """The official features at `as_of`, by person (memoised: the same world, date and
        parameters are built once per test session)."""
        key = (repr(sorted((k, v) for k, v in self.rows.items())), as_of, relations,
               repr(sorted(params.items())))
        if key not in _BUILT:
            built = build_features(self.tables(relations), dt.date.fromisoformat(as_of),
                                   FeatureParams(**params), entity_types=("official",))
            _BUILT[key] = built["official"].frame.set_index("entity_id")
        return _BUILT[key].copy()


_BUILT: dict[tuple, pd.DataFrame] = {}
