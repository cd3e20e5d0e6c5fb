"""Who the enterprise is: its age at D, its registered capital against the contracts it wins,
whether it was deregistered, and how soon after registration it first won.

A firm founded weeks before winning a unit's largest purchases, with a fraction of their value
as capital, and gone a year later is the shell-company pattern; young firms and small capital
alone are common and honest, so only the capital ratio of what it actually won is monotone.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import as_flag, enterprise_feature, ratio, within
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set

DAYS_PER_YEAR = 365.25


def features(params: FeatureParams) -> list[Feature]:
    return [
        enterprise_feature("age_years", "years from registration to the as-of date", "years",
                           "registered {value:.1f} years ago"),
        enterprise_feature("deregistered", "deregistered before the as-of date", "flag",
                           "has been deregistered"),
        enterprise_feature(
            "first_win_after_days", "days from registration to its first contract", "days",
            "won its first contract {value:.0f} days after registration",
        ),
        *[
            enterprise_feature(
                f"won_to_capital_{d}d",
                f"value of the contracts signed in the last {d} days divided by its "
                "registered capital", "ratio",
                f"won {{value:.1f}} times its registered capital in the last {d} days",
                monotone=1,
            )
            for d in params.windows
        ],
    ]


@feature_set("enterprise_profile", "enterprise", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    c = v.contracts
    won = c.group_by("enterprise_id").aggregate(
        first_signed=c.signed_on.min(),
        **{f"value_{d}": c.amount.sum(where=within(c.signed_on, as_of, d))
           for d in params.windows},
    )
    e = v.enterprises.left_join(won, "enterprise_id")
    capital = ibis.ifelse(e.registered_capital > 0, e.registered_capital, ibis.null("float64"))
    return e.select(
        entity_id=e.enterprise_id,
        age_years=as_of.delta(e.registered_on, unit="day").cast("float64") / DAYS_PER_YEAR,
        deregistered=as_flag(e.deregistered_on.notnull()),
        first_win_after_days=e.first_signed.delta(e.registered_on, unit="day"),
        **{f"won_to_capital_{d}d": ratio(e[f"value_{d}"].fill_null(0), capital)
           for d in params.windows},
    )
