"""How much competition survived evaluation: the bidders whose bids stayed valid.

- `valid_bidders`: enterprises with a valid bid, once the bids are opened (null before);
- `single_valid_bid`: an open or selective procedure in which exactly one enterprise's bid
  stayed valid, whether it was the only bid (R018) or the others were disqualified (the
  pattern R035 looks for when the survivor also won); null for limited and direct procedures
  and before the bids are opened.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import (
    COMPETITIVE_METHODS,
    as_flag,
    bids_opened,
    in_scope,
    null_unless,
    tender_feature,
)


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "valid_bidders", "bidders whose bid stayed valid", "count",
            "{value:.0f} bidder(s) remained after evaluation", source="CRI",
        ),
        tender_feature(
            "single_valid_bid",
            "only one bidder remained after evaluation in an open or selective procedure",
            "flag", "only one bidder remained after evaluation in a competitive procedure",
            monotone=1, source="CRI",  # not a red flag: it would count R018's single bids twice
        ),
    ]


@feature_set("tender_competition", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = v.bids
    valid = in_scope(b.filter(b.status == "valid"), v, as_of, params)
    counts = valid.group_by("tender_id").aggregate(n=valid.enterprise_id.nunique())
    t = in_scope(v.tenders, v, as_of, params).left_join(counts, "tender_id")
    opened = bids_opened(t, as_of)
    n = t.n.fill_null(0)
    competitive = t.method.isin(COMPETITIVE_METHODS)
    return t.select(
        entity_id=t.tender_id,
        valid_bidders=null_unless(opened, n.cast("float64")),
        single_valid_bid=null_unless(opened & competitive, as_flag(n == 1)),
    )
