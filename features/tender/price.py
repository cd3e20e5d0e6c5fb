"""What the tender cost: the price against the buyer's estimate, and what became of the price
after signature.

- `price_to_estimate`: the tender's contracted amount (the sum of its contracts signed before
  D) / its estimated value; null without a contract or a positive estimate.
- `final_to_signed_ratio`: the final amount / the signed amount over the tender's contracts
  completed before D (the view masks the final amount and amendments of the others: they are
  unknown, not unchanged); `contract_amendments`: their amendments (null where none is known);
  `cost_overrun`: the final amount exceeds the signed one by more than `overrun_margin` (the
  margin the enterprise features use too).
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, tender_feature


def features(params: FeatureParams) -> list[Feature]:
    share = params.overrun_margin
    return [
        tender_feature(
            "price_to_estimate", "contracted amount / estimated value", "ratio",
            "contracted at {value:.0%} of the estimate", monotone=1, source="CRI",
        ),
        tender_feature(
            "final_to_signed_ratio", "final amount / signed amount of the completed contracts",
            "ratio", "the final price was {value:.0%} of the signed price", monotone=1,
            source="CRI",
        ),
        tender_feature(
            "contract_amendments", "amendments to the completed contracts", "count",
            "the contract was amended {value:.0f} time(s)", monotone=1, source="CRI",
        ),
        tender_feature(
            "cost_overrun", f"the final price exceeds the signed price by more than {share:.0%}",
            "flag", "the final price was {final_to_signed_ratio:.0%} of the signed price",
            monotone=1, red_flag=True, source="CRI",
        ),
    ]


@feature_set("tender_price", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    c = v.contracts
    done = c.final_amount.notnull()
    per = c.group_by("tender_id").aggregate(
        contracted=c.amount.sum(),
        signed_done=c.amount.sum(where=done),
        final=c.final_amount.sum(),
        amendments=c.amendments.sum(),
    )
    t = v.tenders.select("tender_id", "estimated_value").join(per, "tender_id")
    estimate = t.estimated_value
    final_ratio = t.final / t.signed_done.nullif(0)
    return t.select(
        entity_id=t.tender_id,
        price_to_estimate=t.contracted / estimate.nullif(0),
        final_to_signed_ratio=final_ratio,
        contract_amendments=t.amendments.cast("float64"),
        cost_overrun=as_flag(final_ratio > 1 + params.overrun_margin),
    )
