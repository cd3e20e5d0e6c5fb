"""How the submission period compares with the usual one for the procedure.

R003 (features/tender/procedure.py) flags periods under a fixed number of days; legal minima
differ by method (an open procedure may need 20 days where a limited one needs 3), so a
tailored tender run at its method's minimum passes R003 unnoticed. Here the period is compared
with the median period of the tenders of the same method known before D (the view):
`submission_period_ratio` = days from publication to deadline / that median. Null without both
dates, or when the method's median is not positive.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import days_between, tender_feature


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "submission_period_ratio",
            "submission period / the median submission period of the same method", "ratio",
            "bids were due after {value:.0%} of the usual period for this kind of procedure",
            source="R003",
        ),
    ]


@feature_set("tender_periods", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    t = v.tenders
    t = t.select("tender_id", "method", days=days_between(t.deadline, t.published_on))
    t = t.filter(t.days.notnull())
    medians = t.group_by("method").aggregate(median=t.days.median())
    medians = medians.filter(medians.median > 0)
    j = t.join(medians, "method")
    return j.select(
        entity_id=j.tender_id, submission_period_ratio=j.days / j.median.cast("float64")
    )
