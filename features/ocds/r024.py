"""R024 price close to winning bid: the runner-up's bid is barely above the winner's.

Over all processes with a second-lowest-bid ratio (see second_lowest_bid.py), the fence is the
threshold if set, else Q1 - 1.5 IQR of all ratios. A ratio <= fence is flagged, but only if
Q1 > 0 and fence > 0: ratios are never negative, so with Q1 = 0 a quarter of processes have no
difference at all and the fence would flag them wholesale (a threshold counts as Q1 > 0).
Value: the ratio per OCID; 0.0 for the winner and the runner-up in Tenderer.
"""

from __future__ import annotations

from features.ocds.quartiles import lower_fence, lower_quartile, upper_quartile
from features.ocds.settings import RatioThresholdSettings
from features.ocds.state import Indicator, RunState


class PriceCloseToWinningBid(Indicator):
    code = "R024"

    def __init__(self, settings: RatioThresholdSettings) -> None:
        self.settings = settings

    def finalize(self, state: RunState) -> None:
        if self.settings.threshold is None:
            ratios = [bid_ratio.ratio for bid_ratio in state.bid_ratios.values()]
            q1, q3 = lower_quartile(ratios), upper_quartile(ratios)
            state.results.record_meta(self.code, "q1", q1)
            state.results.record_meta(self.code, "q3", q3)
            fence = lower_fence(q1, q3)
        else:
            fence, q1 = self.settings.threshold, 1.0  # Cardinal's dummy Q1 to pass the guard
        state.results.record_meta(self.code, "lower_fence", fence)
        if not (q1 > 0.0 and fence > 0.0):
            return
        for ocid, bid_ratio in state.bid_ratios.items():
            if bid_ratio.ratio <= fence:
                state.results.flag("OCID", ocid, self.code, bid_ratio.ratio)
                state.results.flag("Tenderer", bid_ratio.winner_id, self.code, 0.0)
                state.results.flag("Tenderer", bid_ratio.runner_up_id, self.code, 0.0)
