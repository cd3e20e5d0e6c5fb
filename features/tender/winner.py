"""Who won: how young the winner was at the award (the classic corruption-risk index's "new
company" flag; a shell is registered shortly before it starts winning).

The award day is the tender's `awarded_on`, else the winner's first contract signature (both
known before D). With several winners, the youngest counts. An enterprise whose registration
date is a placeholder (the OCDS importer's extra column `registered_on_known` = false) has no
age: null, not old.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, days_between, tender_feature, winners


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "winner_age_days", "days from the winner's registration to the award", "days",
            "the winner had been registered {value:.0f} days before the award", source="CRI",
        ),
        tender_feature(
            "young_winner",
            f"the winner was registered less than {params.young_winner_days} days before the "
            "award", "flag",
            "the winner had been registered only {winner_age_days:.0f} days before the award",
            monotone=1, red_flag=True, source="CRI",
        ),
    ]


def _registration_known(e: ir.Table) -> ir.BooleanValue:
    """False only where the extra column `registered_on_known` says so (bool, or text from a
    CSV delivery: "false"/"0")."""
    if "registered_on_known" not in e.columns:
        return ibis.literal(True)
    flag = e.registered_on_known
    if flag.type().is_boolean():
        return flag.fill_null(True)
    return ~flag.cast("string").strip().lower().isin(["false", "0"]).fill_null(False)


@feature_set("tender_winner", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = winners(v)
    e = v.enterprises
    e = e.select("enterprise_id", registered_on=ibis.ifelse(
        _registration_known(e), e.registered_on, ibis.null("date")
    ))
    t = v.tenders.select("tender_id", "awarded_on")
    j = w.join(e, w.winner_id == e.enterprise_id).join(t, "tender_id")
    age = days_between(j.awarded_on.coalesce(j.signed_on), j.registered_on)
    per = j.group_by("tender_id").aggregate(age=age.min())
    return per.select(
        entity_id=per.tender_id,
        winner_age_days=per.age.cast("float64"),
        young_winner=as_flag(per.age < params.young_winner_days),
    )
