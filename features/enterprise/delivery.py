"""What became of the contracts it won (signed in the network window): cost overruns through
amendments, the price-inflation pattern. Final amounts and amendments are known only once a
contract was completed before D, so these count completed contracts only."""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import enterprise_feature, ratio, within
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def count_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"overrun_contracts_{w}d",
            f"completed contracts signed in the last {w} days whose final amount exceeded the "
            f"signed one by more than {params.overrun_margin:.0%}", "count",
            f"{{value:.0f}} of its contracts of the last {w} days ended more than "
            f"{params.overrun_margin:.0%} above the signed amount", monotone=1,
        ),
    ]


def rate_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"cost_overrun_{w}d",
            f"final over signed amount minus one, over its completed contracts signed in the "
            f"last {w} days (value-weighted)", "ratio",
            f"its completed contracts of the last {w} days ended {{value:+.0%}} on the signed "
            "amounts", monotone=1,
        ),
        enterprise_feature(
            f"amendments_per_contract_{w}d",
            f"mean amendments of its completed contracts signed in the last {w} days", "ratio",
            f"its completed contracts of the last {w} days were amended {{value:.1f}} times "
            "on average",
        ),
    ]


def _completed(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    c = v.contracts
    return c.filter(within(c.signed_on, as_of, params.network_window), c.final_amount.notnull())


@feature_set("enterprise_delivery", "enterprise", count_features)
def compute_counts(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    done = _completed(v, as_of, params)
    overran = done.final_amount > done.amount * (1 + params.overrun_margin)
    return done.group_by(entity_id=done.enterprise_id).aggregate(
        **{f"overrun_contracts_{params.network_window}d": done.count(where=overran)}
    )


@feature_set("enterprise_delivery_rates", "enterprise", rate_features, zero_when_absent=False)
def compute_rates(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    done = _completed(v, as_of, params)
    per = done.group_by(entity_id=done.enterprise_id).aggregate(
        signed=done.amount.sum(), final=done.final_amount.sum(),
        amendments=done.amendments.mean(),
    )
    return per.select(
        "entity_id",
        **{
            f"cost_overrun_{w}d": ratio(per.final, per.signed) - 1,
            f"amendments_per_contract_{w}d": per.amendments,
        },
    )
