"""R048 heterogeneous supplier: a supplier's awards span unusually many item categories.

For each `active` award with exactly one supplier (several would wrongly credit each with all
items), the first `digits` characters of each item's `classification.id` join the supplier's
set; each process counts once per supplier. Suppliers in >= `minimum_contracting_processes`
processes are kept; the fence is the threshold if set, else Q3 + 1.5 IQR of set sizes; size >=
fence is flagged (no positivity guard, as in Cardinal). Value: the number of prefixes, per
Tenderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from features.ocds.common import (
    Release,
    as_array,
    as_string,
    member,
    sole_supplier_id,
    status_of,
)
from features.ocds.quartiles import lower_quartile, upper_fence, upper_quartile
from features.ocds.settings import R048Settings
from features.ocds.state import Indicator, RunState


@dataclass
class SupplierCategories:
    processes: int = 0
    prefixes: set[str] = field(default_factory=set)


class HeterogeneousSupplier(Indicator):
    code = "R048"

    def __init__(self, settings: R048Settings) -> None:
        self.settings = settings
        self.suppliers: dict[str, SupplierCategories] = {}

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        counted: set[str] = set()
        for award in as_array(release.get("awards")) or []:
            items = as_array(member(award, "items"))
            supplier_id = sole_supplier_id(award)
            if status_of(award) != "active" or items is None or supplier_id is None:
                continue
            for item in items:
                code = as_string(member(member(item, "classification"), "id"))
                if code is None:
                    continue
                categories = self.suppliers.setdefault(supplier_id, SupplierCategories())
                if supplier_id not in counted:  # as Cardinal: on its first classified item
                    counted.add(supplier_id)
                    categories.processes += 1
                categories.prefixes.add(code[: self.settings.digits])

    def finalize(self, state: RunState) -> None:
        sizes = {
            id: float(len(categories.prefixes))
            for id, categories in self.suppliers.items()
            if categories.processes >= self.settings.minimum_contracting_processes
        }
        if self.settings.threshold is None:
            q1, q3 = lower_quartile(sizes.values()), upper_quartile(sizes.values())
            state.results.record_meta(self.code, "q1", q1)
            state.results.record_meta(self.code, "q3", q3)
            fence = upper_fence(q1, q3)
        else:
            fence = float(self.settings.threshold)
        state.results.record_meta(self.code, "upper_fence", fence)
        for id, size in sizes.items():
            if size >= fence:
                state.results.flag("Tenderer", id, self.code, size)
