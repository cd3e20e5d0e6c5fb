"""R036 lowest bid disqualified: the cheapest bid was disqualified, though price decides.

For a tender with a signed contract and opened bids: the lowest amount among its submitted
bids (valid or disqualified) belongs to a disqualified bid and is strictly below every valid
bid's amount, and some valid bid has an amount. Null without a contract or without a priced
valid bid.

Differences from Cardinal (features/ocds/r036.py): Cardinal takes the first of tied lowest bids
in file order; the tables have no order, so a tie between a valid and a disqualified bid is not
flagged here. No price-comparison filter (no `procurementMethodDetails` in the tables).
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, in_scope, submitted_bids, tender_feature, winners


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "lowest_bid_disqualified", "the cheapest bid was disqualified (R036)", "flag",
            "the cheapest bid was disqualified and a dearer one won",
            monotone=1, red_flag=True, source="R036",
        ),
    ]


@feature_set("tender_r036", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = in_scope(submitted_bids(v), v, as_of, params)
    b = b.filter(b.amount.notnull())
    per = b.group_by("tender_id").aggregate(
        valid=b.amount.min(where=b.status == "valid"),
        disqualified=b.amount.min(where=b.status == "disqualified"),
    )
    awarded = winners(v).select("tender_id").distinct()
    per = per.filter(per.valid.notnull()).semi_join(awarded, "tender_id")
    flagged = (per.disqualified < per.valid).fill_null(False)
    return per.select(entity_id=per.tender_id, lowest_bid_disqualified=as_flag(flagged))
