"""Which entities are scored at an as-of date D (the output contract of INPUT.md):

- officials: persons in a post at D, or out of one for less than three years;
- enterprises: with a bid, a contract or a role in the last three years;
- tenders: published or awarded in the last 365 days.

Each function takes the as-of view, so "in a post at D" is simply end_date null there.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams


def _since(as_of: ir.DateScalar, days: int) -> ir.DateScalar:
    return as_of - ibis.interval(days=days)


def officials_in_scope(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    o = v.officials
    recent = o.end_date.isnull() | (o.end_date >= _since(as_of, params.official_scope_days))
    return o.filter(recent).select(entity_id=o.person_id).distinct()


def enterprises_in_scope(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    since = _since(as_of, params.enterprise_scope_days)
    t = v.tenders
    bid_dates = v.bids.join(t, "tender_id").mutate(
        on=t.deadline.coalesce(t.awarded_on).coalesce(t.published_on)
    )
    bidders = bid_dates.filter(bid_dates.on >= since).select(entity_id=bid_dates.enterprise_id)
    c = v.contracts
    suppliers = c.filter(c.signed_on >= since).select(entity_id=c.enterprise_id)
    r = v.enterprise_roles
    with_roles = r.filter(r.end_date.isnull() | (r.end_date >= since)).select(
        entity_id=r.enterprise_id
    )
    return bidders.union(suppliers).union(with_roles).distinct()


def tenders_in_scope(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    t = v.tenders
    since = _since(as_of, params.tender_scope_days)
    recent = (t.published_on >= since) | (t.awarded_on >= since)
    return t.filter(recent.fill_null(False)).select(entity_id=t.tender_id)


SCOPES = {
    "official": officials_in_scope,
    "enterprise": enterprises_in_scope,
    "tender": tenders_in_scope,
}
