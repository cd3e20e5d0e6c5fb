"""How the enterprise wins: without competition, over cheaper bids that were disqualified, and
at what price against the buyer's estimate (over the network window).

A favoured supplier (a head's relative, a former official, a tailored specification, a shell)
wins at close to the estimate while the cheaper outsiders are found non-compliant or never
bid; an honest winner of a contested tender is usually the cheapest, well below the estimate.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import COMPETITIVE_METHODS, enterprise_feature, within
from features.enterprise.network import window_participations
from features.links import awards
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def count_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"uncontested_wins_{w}d",
            f"open or selective tenders of the last {w} days it won as the only valid bidder "
            "(single bid, or every other bid disqualified)", "count",
            f"won {{value:.0f}} open or selective tender(s) without a valid competing bid in "
            f"the last {w} days", monotone=1, source="R018/R035",
        ),
        enterprise_feature(
            f"cheaper_disqualified_wins_{w}d",
            f"tenders of the last {w} days it won while a cheaper bid was disqualified",
            "count",
            f"won {{value:.0f}} tender(s) in the last {w} days after a cheaper bid was "
            "disqualified", monotone=1, source="R036",
        ),
    ]


def price_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"win_price_to_estimate_{w}d",
            f"mean ratio of its contract amount to the estimated value, over the non-direct "
            f"tenders it won in the last {w} days", "ratio",
            f"won at {{value:.0%}} of the buyer's estimate on average in the last {w} days",
        ),
    ]


@feature_set("enterprise_competition", "enterprise", count_features)
def compute_counts(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    p = window_participations(v, as_of, params)
    per_tender = p.group_by("tender_id").aggregate(
        valid_bidders=p.count(where=p.valid),
        cheapest_disqualified=p.amount.min(where=~p.valid),
    )
    mine = p.filter(p.won).join(per_tender, "tender_id")
    others_valid = mine.valid_bidders - mine.valid.cast("int64")
    uncontested = mine.method.isin(COMPETITIVE_METHODS) & (others_valid == 0)
    beaten = (mine.cheapest_disqualified < mine.amount).fill_null(False)
    return mine.group_by(entity_id=mine.enterprise_id).aggregate(
        **{f"uncontested_wins_{w}d": mine.count(where=uncontested),
           f"cheaper_disqualified_wins_{w}d": mine.count(where=beaten)}
    )


@feature_set("enterprise_win_prices", "enterprise", price_features, zero_when_absent=False)
def compute_prices(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    a = awards(v)
    priced = a.filter(
        within(a.signed_on, as_of, w), a.method != "direct", a.estimated_value > 0
    )
    return priced.group_by(entity_id=priced.enterprise_id).aggregate(
        **{f"win_price_to_estimate_{w}d": (priced.amount / priced.estimated_value).mean()}
    )
