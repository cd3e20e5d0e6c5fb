"""R058 heavily discounted bid: the winner bid far below everyone else.

The ratio of R024 (features/tender/r024.py: the best rival bid above the winner's, relative to
the winner's); the upper fence HI = Q3 + 1.5 IQR is fitted over the ratios of all tenders known
before D, and a ratio >= HI is flagged if HI > 0. Null where there is no ratio.

Differences from Cardinal: those of R024 (type-7 quartiles fitted over the view at each as-of
date, signed contracts as active awards, no price-comparison filter).
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, quartiles, tender_feature, upper_fence
from features.tender.r024 import second_lowest_bid_ratio


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "heavily_discounted_bid",
            "the winning bid is unusually far below the best rival bid (R058)", "flag",
            "the best rival bid was {second_lowest_bid_ratio:.0%} above the winning bid, "
            "an unusually deep discount", monotone=1, red_flag=True, source="R058",
        ),
    ]


@feature_set("tender_r058", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    ratios = second_lowest_bid_ratio(v)
    q = quartiles(ratios, "ratio")
    fenced = ratios.cross_join(q.select(fence=upper_fence(q)))
    flagged = (fenced.fence > 0) & (fenced.ratio >= fenced.fence)
    return fenced.select(entity_id=fenced.tender_id, heavily_discounted_bid=as_flag(flagged))
