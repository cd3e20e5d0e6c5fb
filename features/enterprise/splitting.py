"""Split purchases seen from the supplier: non-competitive (limited or direct) contracts from one
buyer, in one category division, signed within `split_window_days` of each other and together
reaching the open-tender threshold (`open_tender_threshold`), over the network window. One
purchase cut into pieces below the threshold goes to one supplier without an open tender."""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import division, enterprise_feature, within
from features.links import awards
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set

NON_COMPETITIVE = ("limited", "direct")


def features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"split_awards_{w}d",
            f"limited or direct contracts of the last {w} days with another from the same "
            f"buyer and division within {params.split_window_days} days, together reaching "
            f"{params.open_tender_threshold:,.0f} CNY", "count",
            f"won {{value:.0f}} limited or direct contract(s) in the last {w} days that look "
            "like pieces of one purchase split below the open-tender threshold",
            monotone=1, source="R055",
        ),
    ]


@feature_set("enterprise_splitting", "enterprise", features)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    a = awards(v)
    a = a.filter(
        within(a.signed_on, as_of, params.network_window), a.method.isin(NON_COMPETITIVE)
    ).select("contract_id", "enterprise_id", "unit_id", "signed_on", "amount",
             div=division(a.category))
    b = a.select(other_id="contract_id", other_enterprise="enterprise_id", other_unit="unit_id",
                 other_div="div", other_signed="signed_on", other_amount="amount")
    pairs = a.join(
        b,
        (a.enterprise_id == b.other_enterprise) & (a.unit_id == b.other_unit)
        & (a.div == b.other_div) & (a.contract_id != b.other_id)
        & (a.signed_on.delta(b.other_signed, unit="day").abs() <= params.split_window_days)
        & (a.amount + b.other_amount >= params.open_tender_threshold),
    )
    pieces = pairs.select("enterprise_id", "contract_id").distinct()
    return pieces.group_by(entity_id=pieces.enterprise_id).aggregate(
        **{f"split_awards_{params.network_window}d": pieces.count()}
    )
