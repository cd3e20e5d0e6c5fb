"""R025 excessive unsuccessful bids, of the tender's winner: the winner is a frequent bidder
that rarely wins (a cover bidder whose turn came, or a firm that wins only here).

Per enterprise, over the tenders known before D whose signed contracts all go to one supplier:
bids = tenders in which it made a valid bid (once per tender), wins = those it won. upper =
the `r025_percentile` quantile of the bid counts of all such enterprises; lower = Q1 - 1.5 IQR
of their win rates (wins / bids). An enterprise with bids >= upper and win rate <= lower is
flagged, only if Q1 > 0 and lower > 0 (when most bidders never win, the fence says nothing).
The tender carries its winner's win rate and flag (with several winners, the lowest rate and
any flag); null when no winner with such bids is known.

Differences from Cardinal (features/ocds/r025.py): Cardinal scores tenderers over one input;
here the counts run over the view at D and the value is attached to the tenders the enterprise
won. Quartiles and the percentile are linear (type 7), not type 8.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, lower_fence, sole_winners, tender_feature, winners


def bid_records(v: Tables) -> ir.Table:
    """(enterprise_id, bids, wins, ratio) over tenders with one supplier."""
    b = v.bids
    valid = b.filter(b.status == "valid").select("tender_id", "enterprise_id").distinct()
    j = valid.join(sole_winners(v), "tender_id")
    per = j.group_by("enterprise_id").aggregate(
        bids=j.count(), wins=(j.enterprise_id == j.winner_id).sum()
    )
    return per.mutate(ratio=per.wins / per.bids)


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "winner_win_rate",
            "share of the tenders the winner bid in that it won, before D", "share",
            "the winner won {value:.0%} of the tenders it bid in", source="R025",
        ),
        tender_feature(
            "winner_excessive_unsuccessful_bids",
            "the winner bids often and rarely wins (R025)", "flag",
            "the winner is a frequent bidder that won only {winner_win_rate:.0%} of its bids",
            monotone=1, red_flag=True, source="R025",
        ),
    ]


@feature_set("tender_r025", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    records = bid_records(v)
    fences = records.aggregate(
        upper=records.bids.quantile(params.r025_percentile),
        q1=records.ratio.quantile(0.25),
        q3=records.ratio.quantile(0.75),
    )
    fences = fences.select("upper", "q1", lower=lower_fence(fences))
    scored = records.cross_join(fences)
    flagged = (
        (scored.q1 > 0) & (scored.lower > 0)
        & (scored.bids >= scored.upper) & (scored.ratio <= scored.lower)
    )
    scored = scored.select("enterprise_id", "ratio", flag=as_flag(flagged))
    w = winners(v)
    j = w.join(scored, w.winner_id == scored.enterprise_id)
    per = j.group_by("tender_id").aggregate(rate=j.ratio.min(), flag=j.flag.max())
    return per.select(
        entity_id=per.tender_id,
        winner_win_rate=per.rate,
        winner_excessive_unsuccessful_bids=per.flag,
    )
