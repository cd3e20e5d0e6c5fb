"""R028 identical bid prices: different enterprises submitted exactly the same price.

Over a tender's submitted bids (valid or disqualified) with an amount: a price offered by two
or more distinct enterprises flags the tender; one enterprise repeating its own price does not.
Amounts compare exactly, as in Cardinal. The flag applies once the bids are opened and at least
two priced bids from distinct enterprises are known; otherwise it is null.

Differences from Cardinal (features/ocds/r028.py): no price-comparison filter (the tables carry
no `procurementMethodDetails`), and a bid row has one enterprise, so a consortium's bid,
imported as one row per member at the same price, looks like identical prices from distinct
enterprises (Cardinal compares the tenderer sets of whole bids and would not flag it).
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, in_scope, submitted_bids, tender_feature


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "identical_bid_prices",
            "two or more enterprises bid exactly the same price (R028)", "flag",
            "{identical_price_bidders:.0f} bidders offered exactly the same price",
            monotone=1, red_flag=True, source="R028",
        ),
        tender_feature(
            "identical_price_bidders",
            "bidders whose price another bidder offered too", "count",
            "{value:.0f} bidders offered a price another bidder offered too",
            monotone=1, source="R028",
        ),
    ]


@feature_set("tender_r028", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = in_scope(submitted_bids(v), v, as_of, params)
    b = b.filter(b.amount.notnull())
    prices = b.group_by("tender_id", "amount").aggregate(firms=b.enterprise_id.nunique())
    repeated = prices.filter(prices.firms >= 2)
    sharing = b.semi_join(repeated, ["tender_id", "amount"])
    sharers = sharing.group_by("tender_id").aggregate(n=sharing.enterprise_id.nunique())
    per = b.group_by("tender_id").aggregate(firms=b.enterprise_id.nunique())
    per = per.filter(per.firms >= 2).left_join(sharers, "tender_id")
    n = per.n.fill_null(0)
    return per.select(
        entity_id=per.tender_id,
        identical_bid_prices=as_flag(n > 0),
        identical_price_bidders=n,
    )
