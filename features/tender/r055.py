"""R055 split direct awards: direct awards from one buyer to one supplier within 365 days add
up to at least the open-tender threshold, so the purchase should have been tendered openly.

Over the contracts signed before D of direct tenders, per (buyer, supplier, category division):
a contract is flagged when it belongs to a run of such contracts whose first and last
signatures are at most 365 days apart (inclusive) and whose amounts sum to at least the
division's open-tender threshold (revealed by the data, see features/tender/thresholds.py,
else `open_tender_threshold`). A single contract above the threshold is a run of one.

Computed with two range windows: trail = the sum of the contracts signed in the 365 days up to
each one; a contract is in a flagged run iff some contract signed 0..365 days after it has
trail >= threshold (any run containing it can be extended back to start 365 days before its
last contract, and amounts are not negative). `split_direct_award_ratio` = the largest such
trail / threshold. Both are null for tenders that are not direct or have no signed contract.

Differences from huoyan's OCDS R055 (features/ocds/r055.py): the date is the contract's
signature, not the award's; runs are per division as well (the threshold is a division's); the
threshold comes from the data where it can, not from a required setting.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, division, tender_feature
from features.tender.thresholds import open_tender_thresholds

WINDOW_DAYS = 365


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "split_direct_awards",
            "direct awards from this buyer to this supplier within a year add up to the "
            "open-tender threshold (R055)", "flag",
            "direct awards from this buyer to the same supplier within a year add up to "
            "{split_direct_award_ratio:.1f} times the open-tender threshold",
            monotone=1, red_flag=True, source="R055",
        ),
        tender_feature(
            "split_direct_award_ratio",
            "the largest one-year sum of direct awards from this buyer to this supplier that "
            "includes this one, as a multiple of the open-tender threshold", "ratio",
            "direct awards from this buyer to the same supplier within a year add up to "
            "{value:.1f} times the open-tender threshold", monotone=1, source="R055",
        ),
    ]


@feature_set("tender_r055", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    t = v.tenders.filter(v.tenders.method == "direct")
    t = t.select("tender_id", "unit_id", division=division(t.category))
    c = v.contracts.join(t, "tender_id")
    thresholds = open_tender_thresholds(v, params)
    c = c.left_join(thresholds, "division")
    c = c.select(
        "tender_id", "unit_id", "enterprise_id", "division", "signed_on", "amount",
        threshold=c.threshold.coalesce(ibis.literal(params.open_tender_threshold)),
    )
    pair = ["unit_id", "enterprise_id", "division"]
    days = ibis.interval(days=WINDOW_DAYS)
    trailing = ibis.range_window(preceding=days, following=0, group_by=pair, order_by="signed_on")
    c = c.mutate(trail=c.amount.sum().over(trailing))
    leading = ibis.range_window(preceding=0, following=days, group_by=pair, order_by="signed_on")
    c = c.mutate(best=c.trail.max().over(leading))
    per = c.group_by("tender_id").aggregate(ratio=(c.best / c.threshold).max())
    return per.select(
        entity_id=per.tender_id,
        split_direct_awards=as_flag(per.ratio >= 1),
        split_direct_award_ratio=per.ratio,
    )
