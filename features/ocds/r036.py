"""R036 lowest bid disqualified: the cheapest bid was disqualified, though price decides.

Per process passing the price-comparison filter with at least one `active` award: among
submitted bids with a numeric amount in the main currency, the lowest (the first one on ties)
is `disqualified`, and some `valid` bid has an amount. Value 1.0 per OCID.
"""

from __future__ import annotations

from features.ocds.common import (
    Release,
    as_array,
    as_number,
    as_string,
    has_price_comparison,
    member,
    status_of,
    submitted_bids,
)
from features.ocds.settings import Settings
from features.ocds.state import Indicator, RunState


class LowestBidDisqualified(Indicator):
    code = "R036"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        if not has_price_comparison(release, self.settings):
            return
        awards = as_array(release.get("awards")) or []
        if not any(status_of(award) == "active" for award in awards):
            return
        lowest_amount: float | None = None
        lowest_is_disqualified = False
        has_valid_amount = False
        for bid in submitted_bids(release):
            amount = as_number(member(member(bid, "value"), "amount"))
            currency = as_string(member(member(bid, "value"), "currency"))
            if amount is None or currency is None or not state.currency.accepts(currency):
                continue
            status = status_of(bid)
            if lowest_amount is None or amount < lowest_amount:  # strict: first on ties
                lowest_amount = amount
                lowest_is_disqualified = status == "disqualified"
            has_valid_amount |= status == "valid"
        if has_valid_amount and lowest_is_disqualified:
            state.results.flag("OCID", ocid, self.code, 1.0)
