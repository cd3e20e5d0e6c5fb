"""R035 all except winner disqualified: only the winner's bids survived evaluation.

Over a tender with opened bids and signed contracts: V = enterprises with a valid bid, D = with
a disqualified bid, S = suppliers of the contracts. Flagged if V has exactly one member, V == S
and |D - V| >= max(`r035_min_disqualified`, 1). Several winners are not flagged (a buyer may
split an award). The value `disqualified_rivals` = |D - V|, the other bidders disqualified.
Both are null without known bids or without a signed contract.

Differences from Cardinal (features/ocds/r035.py): Cardinal's "complete awards" (no pending
award) has no counterpart: a signed contract is an active award.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, in_scope, tender_feature, winners


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "disqualified_rivals", "bidders other than the winner that were disqualified",
            "count", "{value:.0f} bidder(s) other than the winner were disqualified",
            monotone=1, source="R035",
        ),
        tender_feature(
            "all_except_winner_disqualified",
            "every bidder but the winner was disqualified (R035)", "flag",
            "all {disqualified_rivals:.0f} other bidder(s) were disqualified; only the winner "
            "remained", monotone=1, red_flag=True, source="R035",
        ),
    ]


@feature_set("tender_r035", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = in_scope(v.bids, v, as_of, params)
    w = in_scope(winners(v), v, as_of, params)
    supplier_counts = w.group_by("tender_id").aggregate(suppliers=w.count())
    # Per (tender, enterprise): does it have a valid bid, a disqualified bid, a contract?
    firms = b.group_by("tender_id", "enterprise_id").aggregate(
        valid=(b.status == "valid").any(), disqualified=(b.status == "disqualified").any()
    )
    firms = firms.left_join(
        w.select("tender_id", enterprise_id="winner_id", won=ibis.literal(True)),
        ["tender_id", "enterprise_id"],
    )
    won = firms.won.fill_null(False)
    per = firms.group_by("tender_id").aggregate(
        valid=firms.valid.sum(),
        valid_winners=(firms.valid & won).sum(),
        rivals=(firms.disqualified & ~firms.valid & ~won).sum(),
    )
    per = per.join(supplier_counts, "tender_id")  # known winners only
    sole_valid_is_sole_winner = (per.valid == 1) & (per.valid_winners == 1) & (per.suppliers == 1)
    minimum = max(params.r035_min_disqualified, 1)
    flagged = sole_valid_is_sole_winner & (per.rivals >= minimum)
    return per.select(
        entity_id=per.tender_id,
        disqualified_rivals=per.rivals.cast("float64"),
        all_except_winner_disqualified=as_flag(flagged),
    )
