"""The buyer's record before the tender: how often its competitive tenders drew a single bid,
and how often it bought without an open procedure.

For a tender of day d (publication, else award), over the same buyer's other tenders of the
`main_window` days up to d (range windows on the buyer's tenders; same-day tenders count as
before, the tender itself never does):
- `buyer_prior_tenders_<N>d`: how many there were;
- `buyer_single_bid_rate_<N>d`: among those that were open or selective and whose bids were
  opened before D, the share with exactly one submitted bid (R018's definition);
- `buyer_non_open_rate_<N>d`: the share not run as open procedures.
A rate is null when there is nothing to divide by.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import (
    COMPETITIVE_METHODS,
    bids_opened,
    submitted_bids,
    tender_date,
    tender_feature,
)


def features(params: FeatureParams) -> list[Feature]:
    n = params.main_window
    return [
        tender_feature(
            f"buyer_prior_tenders_{n}d", f"the buyer's other tenders in the {n} days before",
            "count", f"the buyer ran {{value:.0f}} other tender(s) in the previous {n} days",
            source="CRI",
        ),
        tender_feature(
            f"buyer_single_bid_rate_{n}d",
            f"share of the buyer's competitive tenders in the {n} days before that drew a single "
            "bid", "share", f"{{value:.0%}} of the buyer's competitive tenders in the previous "
            f"{n} days drew a single bid", monotone=1, source="R018",
        ),
        tender_feature(
            f"buyer_non_open_rate_{n}d",
            f"share of the buyer's tenders in the {n} days before run without an open procedure",
            "share", f"the buyer ran {{value:.0%}} of its tenders of the previous {n} days "
            "without an open procedure", monotone=1, source="CRI",
        ),
    ]


@feature_set("tender_buyer_history", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    n = params.main_window
    b = submitted_bids(v)
    counts = b.group_by("tender_id").aggregate(bidders=b.count())
    t = v.tenders.left_join(counts, "tender_id")
    measured = t.method.isin(COMPETITIVE_METHODS) & bids_opened(t, as_of)
    t = t.select(
        "tender_id", "unit_id", day=tender_date(t),
        one=ibis.literal(1),
        measured=measured.cast("int64"),
        single=(measured & (t.bidders.fill_null(0) == 1)).cast("int64"),
        non_open=(t.method != "open").cast("int64"),
    )
    before = ibis.range_window(preceding=ibis.interval(days=n), following=0,
                               group_by="unit_id", order_by="day")
    t = t.mutate(
        prior=t.one.sum().over(before) - t.one,
        prior_measured=t.measured.sum().over(before) - t.measured,
        prior_single=t.single.sum().over(before) - t.single,
        prior_non_open=t.non_open.sum().over(before) - t.non_open,
    )

    def rate(part: ir.IntegerValue, whole: ir.IntegerValue) -> ir.FloatingValue:
        return ibis.ifelse(whole > 0, part / whole, ibis.null("float64"))

    return t.select(
        entity_id=t.tender_id,
        **{
            f"buyer_prior_tenders_{n}d": t.prior.cast("float64"),
            f"buyer_single_bid_rate_{n}d": rate(t.prior_single, t.prior_measured),
            f"buyer_non_open_rate_{n}d": rate(t.prior_non_open, t.prior),
        },
    )
