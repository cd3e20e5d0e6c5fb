"""Administrative penalties on the enterprise, per look-back window (needs the optional
penalties table: without it these features are missing, not zero)."""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import enterprise_feature, within
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def features(params: FeatureParams) -> list[Feature]:
    out = []
    for days in params.windows:
        out += [
            enterprise_feature(
                f"penalties_{days}d", f"administrative penalties in the last {days} days",
                "count", f"was penalised {{value:.0f}} time(s) in the last {days} days",
                monotone=1,
            ),
            enterprise_feature(
                f"penalty_amount_{days}d",
                f"amount of the administrative penalties of the last {days} days", "CNY",
                f"paid {{value:,.0f}} CNY in penalties in the last {days} days", monotone=1,
            ),
        ]
    return out


@feature_set("enterprise_penalties", "enterprise", features, needs=("penalties",))
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    p = v.penalties
    return p.group_by(entity_id=p.enterprise_id).aggregate(
        **{f"penalties_{d}d": within(p.date, as_of, d).sum() for d in params.windows},
        **{f"penalty_amount_{d}d": p.amount.sum(where=within(p.date, as_of, d))
           for d in params.windows},
    )
