"""The winner's history at this buyer: how much of the buyer's spending it takes, how often it
won there before, and how much of its own business comes from this buyer.

Over the contracts signed before D, each with its tender's buyer: for a contract signed on day
s, the year is the `main_window` days up to s (s included), as range windows:
- buyer spend = the buyer's contracted amounts in the year; pair spend = those with this
  supplier; winner spend = the supplier's contracted amounts with any buyer;
- `winner_buyer_share_<N>d` = pair spend / buyer spend (this contract included);
- `winner_buyer_dependence_<N>d` = pair spend / winner spend;
- `winner_prior_wins_at_buyer_<N>d` = the supplier's contracts with the buyer signed in the
  year before s (s itself excluded).
A tender takes the largest value over its contracts; null without a signed contract.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.links import awards
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import tender_feature


def features(params: FeatureParams) -> list[Feature]:
    n = params.main_window
    return [
        tender_feature(
            f"winner_buyer_share_{n}d",
            f"the winner's share of the buyer's contracted value in the {n} days up to the award",
            "share", f"the winner took {{value:.0%}} of what the buyer contracted in {n} days",
            source="CRI",
        ),
        tender_feature(
            f"winner_buyer_dependence_{n}d",
            f"share of the winner's contracted value in the {n} days up to the award that came "
            "from this buyer", "share",
            f"{{value:.0%}} of the winner's contracted value in {n} days came from this buyer",
            source="CRI",
        ),
        tender_feature(
            f"winner_prior_wins_at_buyer_{n}d",
            f"contracts the winner signed with this buyer in the {n} days before the award",
            "count", f"the winner had signed {{value:.0f}} contract(s) with this buyer in the "
            f"previous {n} days", source="CRI",
        ),
    ]


@feature_set("tender_winner_history", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    n = params.main_window
    a = awards(v).select("tender_id", "unit_id", "enterprise_id", "amount", "signed_on")
    year = ibis.interval(days=n)

    def trailing(*keys: str) -> ibis.Window:
        return ibis.range_window(preceding=year, following=0, group_by=list(keys),
                                 order_by="signed_on")

    same_day = ibis.range_window(preceding=0, following=0, group_by=["unit_id", "enterprise_id"],
                                 order_by="signed_on")
    a = a.mutate(
        buyer=a.amount.sum().over(trailing("unit_id")),
        pair=a.amount.sum().over(trailing("unit_id", "enterprise_id")),
        winner=a.amount.sum().over(trailing("enterprise_id")),
        pair_count=a.amount.count().over(trailing("unit_id", "enterprise_id")),
        today=a.amount.count().over(same_day),
    )
    per = a.group_by("tender_id").aggregate(
        share=(a.pair / a.buyer).max(),
        dependence=(a.pair / a.winner).max(),
        prior=(a.pair_count - a.today).max(),
    )
    return per.select(
        entity_id=per.tender_id,
        **{
            f"winner_buyer_share_{n}d": per.share,
            f"winner_buyer_dependence_{n}d": per.dependence,
            f"winner_prior_wins_at_buyer_{n}d": per.prior.cast("float64"),
        },
    )
