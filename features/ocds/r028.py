"""R028 identical bid prices: different tenderers submitted the same price.

Within one process passing the price-comparison filter, over submitted bids with a numeric
`value.amount`, a string `value.currency` and at least one tenderer with a string id: a price
(amount, currency) seen before from a different set of tenderer ids flags the process and both
sets of tenderers. Amounts compare as floats, exactly; one tenderer repeating its own price is
fine. Value 1.0 per OCID and Tenderer.
"""

from __future__ import annotations

from features.ocds.common import (
    Release,
    as_number,
    as_string,
    has_price_comparison,
    member,
    submitted_bids,
    tenderer_ids,
)
from features.ocds.settings import Settings
from features.ocds.state import Indicator, RunState


class IdenticalBidPrices(Indicator):
    code = "R028"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        if not has_price_comparison(release, self.settings):
            return
        tenderers_by_price: dict[tuple[float, str], frozenset[str]] = {}
        for bid in submitted_bids(release):
            amount = as_number(member(member(bid, "value"), "amount"))
            currency = as_string(member(member(bid, "value"), "currency"))
            if amount is None or currency is None or not isinstance(member(bid, "tenderers"), list):
                continue
            ids = frozenset(tenderer_ids(bid))
            if not ids:
                continue
            price = (amount, currency)
            previous = tenderers_by_price.get(price)
            if previous is not None and previous != ids:
                state.results.flag("OCID", ocid, self.code, 1.0)
                for tenderer_id in [*ids, *previous]:
                    state.results.flag("Tenderer", tenderer_id, self.code, 1.0)
            # The last set seen wins, as in Cardinal (harmless: the value is always 1.0).
            tenderers_by_price[price] = ids
