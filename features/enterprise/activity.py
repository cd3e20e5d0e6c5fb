"""What an enterprise does on the market: contracts won, tenders bid on, its win rate and the
value it won, per look-back window.

A win is a contract signed in the window; a bid is a tender whose bids were opened in the
window and in which it submitted a bid (valid or disqualified, not withdrawn). The win rate
counts only tenders already decided (a contract signed before D): before that, a bid is
neither won nor lost.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import coalesce_id, enterprise_feature, ratio, within
from features.links import participations
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def counts(params: FeatureParams) -> list[Feature]:
    out = []
    for days in params.windows:
        out += [
            enterprise_feature(f"wins_{days}d", f"contracts signed in the last {days} days",
                               "count", f"won {{value:.0f}} contract(s) in the last {days} days"),
            enterprise_feature(f"value_won_{days}d",
                               f"value of the contracts signed in the last {days} days", "CNY",
                               f"won contracts worth {{value:,.0f}} CNY in the last {days} days"),
            enterprise_feature(f"bids_{days}d",
                               f"tenders bid on (bids opened) in the last {days} days", "count",
                               f"bid on {{value:.0f}} tender(s) in the last {days} days"),
        ]
    return out


def rates(params: FeatureParams) -> list[Feature]:
    return [
        enterprise_feature(
            f"win_rate_{days}d",
            f"share of its decided bids of the last {days} days that it won", "share",
            f"won {{value:.0%}} of the tenders it bid on in the last {days} days",
        )
        for days in params.windows
    ]


@feature_set("enterprise_activity", "enterprise", counts)
def compute_counts(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    c = v.contracts
    won = c.group_by(entity_id=c.enterprise_id).aggregate(
        **{f"wins_{d}d": within(c.signed_on, as_of, d).sum() for d in params.windows},
        **{
            f"value_won_{d}d": c.amount.sum(where=within(c.signed_on, as_of, d))
            for d in params.windows
        },
    )
    p = participations(v)
    bid = p.group_by(entity_id=p.enterprise_id).aggregate(
        **{f"bids_{d}d": within(p.opened_on, as_of, d).sum() for d in params.windows}
    )
    return won.outer_join(bid, "entity_id").pipe(coalesce_id)


@feature_set("enterprise_win_rate", "enterprise", rates, zero_when_absent=False)
def compute_rates(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    p = participations(v).filter(lambda p: p.decided)
    decided = p.group_by(entity_id=p.enterprise_id).aggregate(
        **{f"decided_{d}": within(p.opened_on, as_of, d).sum() for d in params.windows},
        **{f"won_{d}": (within(p.opened_on, as_of, d) & p.won).sum() for d in params.windows},
    )
    return decided.select(
        "entity_id",
        **{f"win_rate_{d}d": ratio(decided[f"won_{d}"], decided[f"decided_{d}"])
           for d in params.windows},
    )
