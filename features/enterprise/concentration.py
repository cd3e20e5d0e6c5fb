"""How much an enterprise depends on one buyer, and how much that buyer depends on it.

Over the main window: its top buyer is the unit it won the most contract value from (ties: more
contracts, then the smaller unit id). A specialist can honestly serve one hospital, so these are
context for the model, not a risk on their own (monotone 0); the reviewer sentence gives the
counts behind the share.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import enterprise_feature, ratio, within
from features.links import awards
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def features(params: FeatureParams) -> list[Feature]:
    w = params.main_window
    return [
        enterprise_feature(
            f"top_buyer_wins_{w}d",
            f"contracts won at its top buyer (by value) in the last {w} days", "count",
            f"won {{value:.0f}} of its {{wins_{w}d:.0f}} contracts of the last {w} days at one "
            "buyer",
        ),
        enterprise_feature(
            f"top_buyer_share_{w}d",
            f"share of the value it won in the last {w} days that came from its top buyer",
            "share",
            f"won {{top_buyer_wins_{w}d:.0f}} of its {{wins_{w}d:.0f}} contracts ({{value:.0%}} "
            f"of the value) at one buyer in the last {w} days",
        ),
        enterprise_feature(
            f"top_buyer_spend_share_{w}d",
            f"its share of its top buyer's contracted value in the last {w} days", "share",
            f"took {{value:.0%}} of its top buyer's contracted value in the last {w} days",
        ),
    ]


def _top_buyers(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """Per enterprise with contracts in the main window: its top buyer's contracts and value,
    its total value won and the top buyer's total spending."""
    a = awards(v)
    a = a.filter(within(a.signed_on, as_of, params.main_window))
    pair = a.group_by(["enterprise_id", "unit_id"]).aggregate(
        value=a.amount.sum(), wins=a.count()
    )
    first = ibis.row_number().over(
        group_by=pair.enterprise_id,
        order_by=[pair.value.desc(), pair.wins.desc(), pair.unit_id],
    )
    top = pair.mutate(n=first).filter(lambda t: t.n == 0)
    total = pair.group_by("enterprise_id").aggregate(total=pair.value.sum())
    spend = a.group_by("unit_id").aggregate(spend=a.amount.sum())
    return top.join(total, "enterprise_id").join(spend, "unit_id")


# Without a contract in the window there is no top buyer: all three are missing then.
@feature_set("enterprise_concentration", "enterprise", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.main_window
    top = _top_buyers(v, as_of, params)
    return top.select(
        entity_id=top.enterprise_id,
        **{
            f"top_buyer_wins_{w}d": top.wins,
            f"top_buyer_share_{w}d": ratio(top.value, top.total),
            f"top_buyer_spend_share_{w}d": ratio(top.value, top.spend),
        },
    )
