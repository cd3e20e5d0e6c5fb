"""R024 price close to winning bid: the best rival bid is barely above the winner's.

The ratio (Cardinal's `SecondLowestBidRatio`) on the contract tables: for a tender whose signed
contracts all go to one supplier (the "one active award, one supplier" of OCDS), w = the
winner's lowest valid bid with an amount, l = the lowest valid bid of any other enterprise;
if l >= w, ratio = (l - w) / w. If l < w the award was not decided on price, so there is no
ratio (null), as there is none without a winner, without a rival or before the bids are opened.

The lower fence LO = Q1 - 1.5 IQR is fitted over the ratios of all tenders known before D (the
view), and a ratio <= LO is flagged only if Q1 > 0 and LO > 0 (with Q1 = 0 a quarter of the
tenders have identical lowest prices and the fence says nothing).

Differences from Cardinal (features/ocds/r024.py):
- quartiles are linear (type 7, what Ibis backends compute), not Cardinal's type 8, and are
  fitted per as-of date over the view, not once over an input file;
- there is no award status: a signed contract is an active award, and a tender with contracts
  to several suppliers (lots) has no ratio;
- the price-comparison filter on `procurementMethodDetails` and the main-currency rule do not
  apply: the contract tables carry no method details, and bids are in the tender's currency.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import (
    as_flag,
    lower_fence,
    quartiles,
    sole_winners,
    tender_feature,
    valid_priced_bids,
)


def second_lowest_bid_ratio(v: Tables) -> ir.Table:
    """(tender_id, ratio) for every tender that has one."""
    b = valid_priced_bids(v)
    w = sole_winners(v)
    j = b.join(w, "tender_id")
    per = j.group_by("tender_id").aggregate(
        winner=j.amount.min(where=j.enterprise_id == j.winner_id),
        rival=j.amount.min(where=j.enterprise_id != j.winner_id),
    )
    per = per.filter((per.rival >= per.winner) & (per.winner > 0))
    return per.select("tender_id", ratio=(per.rival - per.winner) / per.winner)


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "second_lowest_bid_ratio",
            "how far the best rival bid lies above the winner's, relative to the winner's",
            "ratio", "the best rival bid was {value:.1%} above the winning bid", source="R024",
        ),
        tender_feature(
            "price_close_to_winning_bid",
            "the best rival bid is unusually close to the winner's (R024)", "flag",
            "the best rival bid was only {second_lowest_bid_ratio:.2%} above the winning bid, "
            "unusually close", monotone=1, red_flag=True, source="R024",
        ),
    ]


@feature_set("tender_r024", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    ratios = second_lowest_bid_ratio(v)
    q = quartiles(ratios, "ratio")
    fence = lower_fence(q)
    fenced = ratios.cross_join(q.select(q1=q.q1, fence=fence))
    applies = (fenced.q1 > 0) & (fenced.fence > 0)
    return fenced.select(
        entity_id=fenced.tender_id,
        second_lowest_bid_ratio=fenced.ratio,
        price_close_to_winning_bid=as_flag(applies & (fenced.ratio <= fenced.fence)),
    )
