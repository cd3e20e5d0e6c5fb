"""R038 excessive disqualified bids, of the tender's buyer: the buyer disqualifies an unusual
share of the bids it receives.

Per buyer (unit), over the submitted bids (valid or disqualified) of its tenders whose bids
were opened in the `main_window` days before D: ratio = disqualified / submitted. Buyers with
at least `r038_min_bids` submitted bids are kept; the upper fence HI = Q3 + 1.5 IQR is fitted
over the kept buyers' ratios, and a ratio >= HI is flagged if HI > 0 (if most buyers disqualify
nothing, the fence would flag them all). Every tender of the buyer carries its buyer's value;
both are null for a buyer with too few bids.

Differences from Cardinal (features/ocds/r038.py): Cardinal counts over the whole input and
also scores procuring entities and tenderers; here the window is the year before D, the buyer is
the tender's unit (the tables have no separate procuring entity), and the quartiles are type 7.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, quartiles, submitted_bids, tender_feature, upper_fence


def features(params: FeatureParams) -> list[Feature]:
    days = params.main_window
    return [
        tender_feature(
            "buyer_disqualified_ratio",
            f"share of the bids the buyer received in the last {days} days it disqualified",
            "share", "the buyer disqualified {value:.0%} of the bids it received in the last "
            f"{days} days", source="R038",
        ),
        tender_feature(
            "buyer_excessive_disqualified",
            "the buyer disqualifies an unusual share of bids (R038)", "flag",
            "the buyer disqualified an unusual {buyer_disqualified_ratio:.0%} of the bids it "
            "received", monotone=1, red_flag=True, source="R038",
        ),
    ]


@feature_set("tender_r038", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    t = v.tenders
    since = as_of - ibis.interval(days=params.main_window)
    recent = t.filter(t.deadline.coalesce(t.awarded_on) >= since).select("tender_id", "unit_id")
    b = submitted_bids(v)
    b = b.join(recent, "tender_id")
    buyers = b.group_by("unit_id").aggregate(
        submitted=b.count(), disqualified=(b.status == "disqualified").sum()
    )
    buyers = buyers.filter(buyers.submitted >= params.r038_min_bids)
    buyers = buyers.mutate(ratio=buyers.disqualified / buyers.submitted)
    q = quartiles(buyers, "ratio")
    fenced = buyers.cross_join(q.select(fence=upper_fence(q)))
    fenced = fenced.select(
        "unit_id", "ratio", flag=as_flag((fenced.fence > 0) & (fenced.ratio >= fenced.fence))
    )
    tenders = t.select("tender_id", "unit_id").join(fenced, "unit_id")
    return tenders.select(
        entity_id=tenders.tender_id,
        buyer_disqualified_ratio=tenders.ratio,
        buyer_excessive_disqualified=tenders.flag,
    )
