"""The OCDS red flags of the Tenderer group (shared/spec/ocds-red-flags.md), read from the
contract tables over the network window, with their fences fitted over every enterprise in the
view at D (Hyndman-Fan type 8 quartiles, as Cardinal):

- R025 excessive unsuccessful bids: per tender with exactly one supplier among its signed
  contracts, each enterprise with a valid bid counts once (bids), and wins if it is the
  supplier. Flag: bids >= the `r025_percentile` quantile of bid counts and wins/bids <= Q1 - 1.5 IQR
  of the ratios, only if Q1 > 0 and that fence > 0.
- R038 excessive disqualified bids: its disqualified / submitted (valid or disqualified) bids,
  for enterprises with at least `r038_min_bids`; flag ratio >= Q3 + 1.5 IQR if that > 0.
- R048 heterogeneous supplier: the category divisions (first two characters) of the
  tenders whose contracts it signed; flag among suppliers of at least `r048_min_contracts`
  tenders, divisions >= Q3 + 1.5 IQR.
Without fences (the ratio or count itself) the values are features too.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import (
    as_flag,
    coalesce_id,
    division,
    enterprise_feature,
    fences,
    quantiles8,
    within,
)
from features.enterprise.network import window_participations
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def flag_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"r025_bids_{w}d",
            f"single-supplier tenders of the last {w} days it bid on validly (R025)", "count",
            f"bid validly on {{value:.0f}} tender(s) in the last {w} days", source="R025",
        ),
        enterprise_feature(
            "r025_excessive_unsuccessful_bids",
            "bids often and rarely wins: R025 flag (bid count at or above the "
            f"{params.r025_percentile:.0%} quantile, win ratio at or below the lower fence)",
            "flag",
            f"bid on {{r025_bids_{w}d:.0f}} tenders and won only {{r025_win_ratio_{w}d:.0%}} of "
            "them", monotone=1, red_flag=True, source="R025",
        ),
        enterprise_feature(
            "r038_excessive_disqualified_bids",
            "R038 flag: disqualified-bid ratio at or above the upper fence", "flag",
            f"{{r038_disqualified_ratio_{w}d:.0%}} of its bids were disqualified, far more than "
            "usual", monotone=1, red_flag=True, source="R038",
        ),
        enterprise_feature(
            f"r048_divisions_{w}d",
            f"category divisions of the tenders it won in the last {w} days (R048)", "count",
            f"won contracts in {{value:.0f}} different category divisions in the last {w} days",
            source="R048",
        ),
        enterprise_feature(
            "r048_heterogeneous_supplier",
            "R048 flag: supplies far more category divisions than other frequent suppliers "
            f"(at least {params.r048_min_contracts} tenders won)", "flag",
            f"won contracts in {{r048_divisions_{w}d:.0f}} different category divisions, more "
            "than is usual", monotone=1, red_flag=True, source="R048",
        ),
    ]


def ratio_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"r025_win_ratio_{w}d",
            f"wins / valid bids in single-supplier tenders of the last {w} days (R025)",
            "share",
            f"won {{value:.0%}} of the {{r025_bids_{w}d:.0f}} tenders it bid on validly in the "
            f"last {w} days", source="R025",
        ),
        enterprise_feature(
            f"r038_disqualified_ratio_{w}d",
            f"share of its submitted bids of the last {w} days that were disqualified (R038; "
            f"at least {params.r038_min_bids} bids)", "share",
            f"{{value:.0%}} of its bids of the last {w} days were disqualified", source="R038",
        ),
    ]


def _r025(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    c = v.contracts
    suppliers = c.group_by("tender_id").aggregate(
        suppliers=c.enterprise_id.nunique(), supplier=c.enterprise_id.max()
    )
    single = suppliers.filter(suppliers.suppliers == 1)
    p = window_participations(v, as_of, params).filter(lambda p: p.valid)
    p = p.join(single, "tender_id")
    counts = p.group_by("enterprise_id").aggregate(
        bids=p.count(), wins=(p.enterprise_id == p.supplier).sum()
    )
    counts = counts.mutate(ratio=counts.wins.cast("float64") / counts.bids)
    upper = quantiles8(counts, "bids", upper=params.r025_percentile)
    counts = counts.cross_join(upper).cross_join(fences(counts, "ratio"))
    flag = (
        (counts.q1 > 0) & (counts.lower > 0)
        & (counts.bids >= counts.upper) & (counts.ratio <= counts.lower)
    )
    return counts.select(
        entity_id=counts.enterprise_id,
        **{
            f"r025_win_ratio_{w}d": counts.ratio,
            f"r025_bids_{w}d": counts.bids,
            "r025_excessive_unsuccessful_bids": as_flag(flag.fill_null(False)),
        },
    )


def _r038(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    p = window_participations(v, as_of, params)
    counts = p.group_by("enterprise_id").aggregate(
        submitted=p.submitted.sum(), disqualified=p.disqualified.sum()
    )
    kept = counts.filter(counts.submitted >= params.r038_min_bids)
    kept = kept.mutate(ratio=kept.disqualified.cast("float64") / kept.submitted)
    kept = kept.cross_join(fences(kept, "ratio"))
    flag = (kept.upper > 0) & (kept.ratio >= kept.upper)
    return kept.select(
        entity_id=kept.enterprise_id,
        **{
            f"r038_disqualified_ratio_{w}d": kept.ratio,
            "r038_excessive_disqualified_bids": as_flag(flag.fill_null(False)),
        },
    )


def _r048(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    c = v.contracts.filter(lambda c: within(c.signed_on, as_of, w))
    t = v.tenders.select("tender_id", "category")
    won = c.join(t, "tender_id").select(
        "enterprise_id", "tender_id", div=division(t.category)
    )
    counts = won.group_by("enterprise_id").aggregate(
        processes=won.tender_id.nunique(), divisions=won.div.nunique()
    )
    kept = counts.filter(counts.processes >= params.r048_min_contracts)
    counts = counts.cross_join(fences(kept, "divisions"))
    flag = (counts.processes >= params.r048_min_contracts) & (counts.divisions >= counts.upper)
    return counts.select(
        entity_id=counts.enterprise_id,
        **{
            f"r048_divisions_{w}d": counts.divisions,
            "r048_heterogeneous_supplier": as_flag(flag.fill_null(False)),
        },
    )


@feature_set("enterprise_red_flags", "enterprise", flag_features)
def compute_flags(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    r025, r038, r048 = _r025(v, as_of, params), _r038(v, as_of, params), _r048(v, as_of, params)
    return (
        r025.select("entity_id", f"r025_bids_{w}d", "r025_excessive_unsuccessful_bids")
        .outer_join(r038.select("entity_id", "r038_excessive_disqualified_bids"), "entity_id")
        .pipe(coalesce_id)
        .outer_join(r048, "entity_id")
        .pipe(coalesce_id)
    )


@feature_set("enterprise_red_flag_ratios", "enterprise", ratio_features, zero_when_absent=False)
def compute_ratios(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    r025, r038 = _r025(v, as_of, params), _r038(v, as_of, params)
    return (
        r025.select("entity_id", f"r025_win_ratio_{w}d")
        .outer_join(r038.select("entity_id", f"r038_disqualified_ratio_{w}d"), "entity_id")
        .pipe(coalesce_id)
    )
