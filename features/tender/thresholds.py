"""Direct and limited purchases just below a value threshold the data reveal.

A buyer that must tender openly above some value can stay below it: estimate a purchase at
97% of the threshold, or split it (see also R055). Thresholds differ by country, sector, year
and kind of purchase and are not in the data, so they are found where direct and limited
purchases pile up just below a round value and thin out just above it.

Method, per category division (first two characters of `category`), over the direct and
limited tenders known before D (the view), each with its amount (the estimated value, else the
sum of its signed contracts):
1. Round values are m x 10^k with m in 1..9 (..., 900,000, 1,000,000, 2,000,000, ...).
2. An amount x is "just below" the round value c strictly above it if x >= c (1 - band), and
   "just above" the round value c at or directly below it if x < c (1 + band), with band =
   `bunching_band`. (For x = 970,000: k = 5, c = (floor(9.7) + 1) x 10^5 = 1,000,000, and
   970,000 >= 900,000, so it is just below 1,000,000; it is also just above 900,000, as 970,000 <
   990,000: the bands of neighbouring round values overlap, each value is counted on its own.)
3. c is a revealed threshold of the division when below(c) >= `bunching_min_count` and
   below(c) >= `bunching_ratio` x (above(c) + 1): smooth value distributions have about as
   many purchases on either side of a round value (the + 1 keeps a handful of purchases with
   none above from passing for a threshold on too little evidence).

Worked example (band 0.10, minimum 8, ratio 3): in division "33", the direct and limited
purchases known before D include 12 between 900,000 and 999,999 and 2 between 1,000,000 and
1,099,999; 12 >= 8 and 12 >= 3 x (2 + 1), so 1,000,000 is a revealed threshold of "33". Around
300,000 there are 20 below and 9 above: 20 < 3 x 10, no threshold. A limited purchase of "33" at
970,000 then has `threshold_proximity` 970,000 / 1,000,000 = 0.97 and `just_below_threshold` 1
(0.97 >= 0.90); one at 500,000 has proximity 0.5 and flag 0; one at 1,050,000 has no revealed
threshold above it: proximity null, flag 0. Open and selective tenders: null (the threshold
is what they would have had to use).

Only direct and limited purchases enter the counts: in a division where they are common below
the open-tender threshold and rare above it, the threshold shows even without manipulation,
while the value distribution of all purchases is smooth there.

The division's open-tender threshold (for R055) is its revealed threshold with the sharpest
bunching, the largest below / (above + 1) (the larger value on ties): where direct and limited
purchases all but stop; else `open_tender_threshold`. In the example, 1,000,000 (12 / 3 = 4).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import NON_COMPETITIVE_METHODS, as_flag, division, tender_feature


def tender_amounts(v: Tables) -> ir.Table:
    """(tender_id, unit_id, division, method, amount): the estimate, else the contracted sum."""
    c = v.contracts
    contracted = c.group_by("tender_id").aggregate(contracted=c.amount.sum())
    t = v.tenders.left_join(contracted, "tender_id")
    return t.select(
        t.tender_id, t.unit_id, division=division(t.category), method=t.method,
        amount=t.estimated_value.coalesce(t.contracted),
    )


def _round_values(x: ir.FloatingValue) -> tuple[ir.FloatingValue, ir.FloatingValue]:
    """(the round value strictly above x, the round value at or directly below x); e.g.
    970,000 -> (1,000,000, 900,000) and 900,000 -> (1,000,000, 900,000)."""
    scale = ibis.literal(10.0).pow(x.log10().floor())
    down = (x / scale).floor()
    return (down + 1) * scale, down * scale


def revealed_thresholds(v: Tables, params: FeatureParams) -> ir.Table:
    """(division, threshold, below, above): round values where direct and limited purchases
    bunch below and thin out above, from the tenders known before D."""
    band = params.bunching_band
    a = tender_amounts(v)
    a = a.filter(a.method.isin(NON_COMPETITIVE_METHODS) & (a.amount > 0))
    up, down = _round_values(a.amount)
    a = a.mutate(up=up, down=down)
    below = a.filter((a.amount >= a.up * (1 - band)) & (a.amount < a.up))
    below = below.group_by("division", threshold=below.up).aggregate(below=below.count())
    above = a.filter(a.amount < a.down * (1 + band))
    above = above.group_by("division", threshold=above.down).aggregate(above=above.count())
    counts = below.left_join(above, ["division", "threshold"])
    counts = counts.select("division", "threshold", "below", above=counts.above.fill_null(0))
    return counts.filter(
        (counts.below >= params.bunching_min_count)
        & (counts.below >= params.bunching_ratio * (counts.above + 1))
    )


def open_tender_thresholds(v: Tables, params: FeatureParams) -> ir.Table:
    """(division, threshold): the strongest revealed threshold of each division that has one."""
    r = revealed_thresholds(v, params)
    sharpness = r.below / (r.above + 1)
    strongest = ibis.window(
        group_by="division", order_by=[ibis.desc(sharpness), ibis.desc(r.threshold)]
    )
    ranked = r.mutate(rank=ibis.row_number().over(strongest))
    return ranked.filter(ranked["rank"] == 0).select("division", "threshold")


def features(params: FeatureParams) -> list[Feature]:
    band = params.bunching_band
    return [
        tender_feature(
            "threshold_proximity",
            "a direct or limited purchase's value as a share of the nearest value threshold "
            "above it that the data reveal for its category division", "ratio",
            "a direct or limited purchase at {value:.1%} of a value threshold above which "
            "purchases of its kind are rare", monotone=1, source="CRI",
        ),
        tender_feature(
            "just_below_threshold",
            f"a direct or limited purchase within {band:.0%} below a revealed value threshold",
            "flag", "a direct or limited purchase at {threshold_proximity:.1%} of a value "
            "threshold above which purchases of its kind are rare", monotone=1, red_flag=True,
            source="CRI",
        ),
    ]


@feature_set("tender_thresholds", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    a = tender_amounts(v)
    a = a.filter(a.method.isin(NON_COMPETITIVE_METHODS) & a.amount.notnull())
    r = revealed_thresholds(v, params).select("division", "threshold")
    above = a.join(r, (a.division == r.division) & (r.threshold > a.amount))
    nearest = above.group_by("tender_id").aggregate(threshold=above.threshold.min())
    j = a.left_join(nearest, "tender_id")
    proximity = j.amount / j.threshold
    near = (proximity >= 1 - params.bunching_band).fill_null(False)
    return j.select(
        entity_id=j.tender_id,
        threshold_proximity=proximity,
        just_below_threshold=as_flag(near),
    )
