"""R030 late bid won: the winner's valid bid came in after the submission deadline.

A valid bid whose submission day (the date of `submitted_at`) is after the tender's `deadline`
day, by an enterprise that supplies one of the tender's signed contracts. The flag applies to
tenders with a deadline whose winner has a valid bid with a timestamp; otherwise it is null.

Differences from Cardinal (features/ocds/r030.py): Cardinal compares the bid's `date` with
`tenderPeriod.endDate` as strings (so a bid at 18:00 on the deadline day after a 17:00 deadline
is late there); the contract's deadline is a day, so a bid is late here from the next day on.
The day of a timestamp is taken in the engine's session time zone (UTC unless configured).
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, in_scope, tender_feature, winners


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "late_bid_won", "the winner's bid was submitted after the deadline (R030)", "flag",
            "the winner's bid came in after the submission deadline",
            monotone=1, red_flag=True, source="R030",
        ),
    ]


@feature_set("tender_r030", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = in_scope(v.bids, v, as_of, params)
    w = winners(v)
    t = v.tenders.filter(v.tenders.deadline.notnull()).select("tender_id", "deadline")
    won = b.filter((b.status == "valid") & b.submitted_at.notnull())
    won = won.join(w, (won.tender_id == w.tender_id) & (won.enterprise_id == w.winner_id))
    won = won.join(t, won.tender_id == t.tender_id)
    late = won.submitted_at.date() > won.deadline
    per = won.group_by(won.tender_id).aggregate(late=late.any())
    return per.select(entity_id=per.tender_id, late_bid_won=as_flag(per.late))
