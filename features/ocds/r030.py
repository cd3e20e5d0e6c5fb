"""R030 late bid won: a bid submitted after the deadline belongs to a winner.

A `valid` bid whose `date` is after `tender.tenderPeriod.endDate` (compared as strings, as
Cardinal does), by a tenderer that is a supplier of an `active` award. Needs `awards[]` and
`bids.details[]`. Value 1.0 per OCID and Tenderer.
"""

from __future__ import annotations

from features.ocds.common import (
    Release,
    as_array,
    as_string,
    member,
    status_of,
    supplier_ids,
    tenderer_ids,
)
from features.ocds.state import Indicator, RunState


class LateBidWon(Indicator):
    code = "R030"

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        end_date = as_string(member(member(release.get("tender"), "tenderPeriod"), "endDate"))
        awards = as_array(release.get("awards"))
        details = as_array(member(release.get("bids"), "details"))
        if end_date is None or awards is None or details is None:
            return
        suppliers = {
            supplier_id
            for award in awards
            if status_of(award) == "active"
            for supplier_id in supplier_ids(award)
        }
        for bid in details:
            date = as_string(member(bid, "date"))
            if status_of(bid) != "valid" or date is None or date <= end_date:
                continue
            for tenderer_id in tenderer_ids(bid):
                if tenderer_id in suppliers:
                    state.results.flag("OCID", ocid, self.code, 1.0)
                    state.results.flag("Tenderer", tenderer_id, self.code, 1.0)
