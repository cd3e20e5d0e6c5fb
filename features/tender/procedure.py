"""How a tender was run: method, periods and competition (the classic corruption-risk index).

Computed from the as-of view of the contract tables. R003 and R018 follow
`shared/spec/ocds-red-flags.md` as far as the contract tables carry the fields: the submission
period runs from publication to deadline, and bids that were not withdrawn are submitted.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set

COMPETITIVE_METHODS = ("open", "selective")  # R018's default procurement_methods


def features(params: FeatureParams) -> list[Feature]:
    def tender(name: str, *args, **kwargs) -> Feature:
        return Feature(name, "tender", *args, **kwargs)

    return [
        tender("bidders", "submitted bids (valid or disqualified)", "count",
               "received {value:.0f} bid(s)"),
        tender("single_bid", "single bid in a competitive procedure (R018)", "flag",
               "only one bid in a competitive procedure", monotone=1, red_flag=True,
               source="R018"),
        tender("non_open_method", "procedure other than open", "flag",
               "awarded without an open procedure", monotone=1, red_flag=True, source="CRI"),
        tender("direct_award", "direct award", "flag", "awarded directly, without competition",
               monotone=1, source="CRI"),
        tender("submission_period_days", "days from publication to bid deadline", "days",
               "bids were due {value:.0f} days after publication", source="R003"),
        tender("short_submission_period",
               f"submission period under {params.short_submission_days} days (R003)", "flag",
               "bids were due only {submission_period_days:.0f} days after publication",
               monotone=1, red_flag=True, source="R003"),
        tender("decision_period_days", "days from bid deadline to award", "days",
               "awarded {value:.0f} days after the bid deadline", source="CRI"),
        tender("short_decision_period",
               f"award within {params.short_decision_days} days of the deadline", "flag",
               "awarded only {decision_period_days:.0f} days after the bid deadline",
               monotone=1, red_flag=True, source="CRI"),
        tender("long_decision_period",
               f"award more than {params.long_decision_days} days after the deadline", "flag",
               "awarded {decision_period_days:.0f} days after the bid deadline",
               monotone=1, red_flag=True, source="CRI"),
    ]


def _days(later: ir.DateValue, earlier: ir.DateValue) -> ir.IntegerValue:
    return later.delta(earlier, unit="day")


@feature_set("tender_procedure", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = v.bids
    submitted = b.filter(b.status != "withdrawn")
    counts = submitted.group_by("tender_id").aggregate(bidders=submitted.count())
    t = v.tenders.left_join(counts, "tender_id")
    bidders = t.bidders.fill_null(0)
    opening = t.deadline.coalesce(t.awarded_on)  # bids are known once opened (as in asof.py)
    opened = opening.notnull() & (opening < as_of)
    competitive = t.method.isin(COMPETITIVE_METHODS)
    submission = _days(t.deadline, t.published_on)
    decision = _days(t.awarded_on, t.deadline)
    flag = lambda condition: condition.cast("float64")  # noqa: E731 - booleans as 0/1
    return t.select(
        entity_id=t.tender_id,
        bidders=ibis.ifelse(opened, bidders, ibis.null("int64")),
        single_bid=ibis.ifelse(opened & competitive, flag(bidders == 1), ibis.null("float64")),
        non_open_method=flag(t.method != "open"),
        direct_award=flag(t.method == "direct"),
        submission_period_days=submission,
        short_submission_period=flag(submission < params.short_submission_days),
        decision_period_days=decision,
        short_decision_period=flag(decision < params.short_decision_days),
        long_decision_period=flag(decision > params.long_decision_days),
    )
