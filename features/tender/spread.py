"""How the valid prices of a tender spread: collusive bids tend to cluster (a low coefficient of
variation) or to leave the winner a comfortable gap; competitive ones neither.

Over the valid bids with an amount, once the bids are opened:
- `bid_spread`: the coefficient of variation, sample standard deviation / mean (two bids or
  more; null otherwise);
- `lowest_bids_gap`: (second lowest - lowest) / lowest, over bids (two equal lowest bids give
  0); null with fewer than two bids.
Unlike R024's ratio, the gap ignores who won.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import in_scope, tender_feature, valid_priced_bids


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "bid_spread", "coefficient of variation of the valid bid amounts", "ratio",
            "the valid bids vary by only {value:.1%} around their mean", source="CRI",
        ),
        tender_feature(
            "lowest_bids_gap", "relative gap between the two lowest valid bids", "ratio",
            "the two lowest bids differ by only {value:.1%}", source="CRI",
        ),
    ]


@feature_set("tender_spread", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = in_scope(valid_priced_bids(v), v, as_of, params)
    order = ibis.window(group_by="tender_id", order_by="amount")
    b = b.mutate(position=ibis.row_number().over(order))
    per = b.group_by("tender_id").aggregate(
        n=b.count(),
        mean=b.amount.mean(),
        sd=b.amount.std(),
        first=b.amount.min(where=b.position == 0),
        second=b.amount.min(where=b.position == 1),
    )
    per = per.filter(per.n >= 2)
    return per.select(
        entity_id=per.tender_id,
        bid_spread=per.sd / per.mean.nullif(0),
        lowest_bids_gap=(per.second - per.first) / per.first.nullif(0),
    )
