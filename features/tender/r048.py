"""R048 heterogeneous supplier, of the tender's winner: the winner's contracts span unusually
many category divisions (a front, or a firm that supplies whatever a friendly buyer needs).

Per enterprise, over its contracts signed before D: the number of distinct divisions (first
two characters of `category`) of the tenders it won, and of those tenders. Enterprises with at
least `r048_min_contracts` won tenders are kept; the upper fence HI = Q3 + 1.5 IQR is fitted over
their division counts, and a count >= HI is flagged (no positivity guard, as in Cardinal). The
tender carries its winner's count (always) and flag (null for a winner with too few contracts);
with several winners, the largest.

Differences from Cardinal (features/ocds/r048.py): the division is that of the tender's
`category` (one per tender), not of each awarded item; a tender counts once per supplier as in
Cardinal; the counts run over the view at D; quartiles are type 7.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, division, quartiles, tender_feature, upper_fence, winners


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "winner_divisions",
            "category divisions of the tenders the winner has won before D", "count",
            "the winner has won tenders in {value:.0f} different category divisions",
            source="R048",
        ),
        tender_feature(
            "winner_heterogeneous",
            "the winner supplies an unusual range of categories (R048)", "flag",
            "the winner has won tenders in an unusual {winner_divisions:.0f} category divisions",
            monotone=1, red_flag=True, source="R048",
        ),
    ]


@feature_set("tender_r048", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = winners(v)
    t = v.tenders.select("tender_id", division=division(v.tenders.category))
    won = w.join(t, "tender_id")
    per = won.group_by("winner_id").aggregate(
        tenders=won.tender_id.nunique(), divisions=won.division.nunique()
    )
    kept = per.filter(per.tenders >= params.r048_min_contracts)
    q = quartiles(kept, "divisions")
    fence = q.select(fence=upper_fence(q))
    scored = per.cross_join(fence)
    eligible = scored.tenders >= params.r048_min_contracts
    flag = ibis.ifelse(eligible, as_flag(scored.divisions >= scored.fence), ibis.null("float64"))
    scored = scored.select("winner_id", "divisions", flag=flag)
    j = w.select("tender_id", "winner_id").join(scored, "winner_id")
    out = j.group_by("tender_id").aggregate(
        divisions=j.divisions.max(), flag=j.flag.max()
    )
    return out.select(
        entity_id=out.tender_id,
        winner_divisions=out.divisions.cast("float64"),
        winner_heterogeneous=out.flag,
    )
