"""R058 heavily discounted bid: the winner's bid is far below the runner-up's.

The R024 ratio (see second_lowest_bid.py); the fence is the threshold if set, else
Q3 + 1.5 IQR of all ratios. A ratio >= fence is flagged if fence > 0 (with fence 0 every
process would be flagged). Value: the ratio per OCID; 0.0 for the winner in Tenderer.
"""

from __future__ import annotations

from features.ocds.quartiles import lower_quartile, upper_fence, upper_quartile
from features.ocds.settings import RatioThresholdSettings
from features.ocds.state import Indicator, RunState


class HeavilyDiscountedBid(Indicator):
    code = "R058"

    def __init__(self, settings: RatioThresholdSettings) -> None:
        self.settings = settings

    def finalize(self, state: RunState) -> None:
        if self.settings.threshold is None:
            ratios = [bid_ratio.ratio for bid_ratio in state.bid_ratios.values()]
            q1, q3 = lower_quartile(ratios), upper_quartile(ratios)
            state.results.record_meta(self.code, "q1", q1)
            state.results.record_meta(self.code, "q3", q3)
            fence = upper_fence(q1, q3)
        else:
            fence = self.settings.threshold
        state.results.record_meta(self.code, "upper_fence", fence)
        if not fence > 0.0:
            return
        for ocid, bid_ratio in state.bid_ratios.items():
            if bid_ratio.ratio >= fence:
                state.results.flag("OCID", ocid, self.code, bid_ratio.ratio)
                state.results.flag("Tenderer", bid_ratio.winner_id, self.code, 0.0)
