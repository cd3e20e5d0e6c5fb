"""The ratio behind R024 and R058 (Cardinal's `SecondLowestBidRatio`, src/indicators/util.rs).

Per process that passes the price-comparison filter and has complete awards and bids, exactly
one active award and one supplier on it: w = the winner's lowest valid bid, l = the lowest valid
bid of anyone else (the first one on ties). If l >= w, ratio = (l - w) / w. If l < w, the award
criteria were not price only, so there is no ratio. Bids not in the main currency are skipped.
"""

from __future__ import annotations

from features.ocds.common import (
    BidValue,
    Release,
    complete_awards_and_bids,
    has_price_comparison,
    ieee_divide,
    sole_supplier_id,
    valid_bid_values,
)
from features.ocds.settings import Settings
from features.ocds.state import BidRatio, Indicator, RunState


class SecondLowestBidRatio(Indicator):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        if not has_price_comparison(release, self.settings):
            return
        awards_and_bids = complete_awards_and_bids(release)
        if awards_and_bids is None:
            return
        awards, details = awards_and_bids
        # One active award: all bids competed for all items (many would mean lots).
        if len(awards) != 1 or (supplier_id := sole_supplier_id(awards[0])) is None:
            return
        winner: BidValue | None = None
        runner_up: BidValue | None = None
        for bid in valid_bid_values(details):
            if not state.currency.accepts(bid.currency):
                continue
            if bid.tenderer_id == supplier_id:
                if winner is None or bid.amount < winner.amount:
                    winner = bid
            elif runner_up is None or bid.amount < runner_up.amount:
                runner_up = bid
        if winner is None or runner_up is None or runner_up.amount < winner.amount:
            return
        ratio = ieee_divide(runner_up.amount - winner.amount, winner.amount)
        state.bid_ratios[ocid] = BidRatio(ratio, winner.tenderer_id, runner_up.tenderer_id)
