"""Building blocks the tender feature sets share (no feature set of its own).

All of them take the point-in-time view, so whatever they return was known before D:
- bids are in the view once their tender's bids were opened (deadline, else award, before D);
- the winners of a tender are the suppliers of its contracts signed before D (the contract
  tables have no award status: a signed contract is an active award);
- a tender's date is the day it became public: its publication, else (direct awards) its award.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature, Unit
from features.scope import tenders_in_scope

COMPETITIVE_METHODS = ("open", "selective")
NON_COMPETITIVE_METHODS = ("limited", "direct")
FENCE_FACTOR = 1.5  # Tukey's fences: Q1 - 1.5 IQR, Q3 + 1.5 IQR


def tender_feature(
    name: str, description: str, unit: Unit, template: str, *, monotone: int = 0,
    red_flag: bool = False, source: str = "",
) -> Feature:
    return Feature(name, "tender", description, unit, template, monotone, red_flag, source)


def as_flag(condition: ir.BooleanValue) -> ir.FloatingValue:
    """A condition as 0.0/1.0; null (does not apply) stays null."""
    return condition.cast("float64")


def null_unless(condition: ir.BooleanValue, value: ir.Value) -> ir.Value:
    """`value` where `condition` holds, null elsewhere (also where `condition` is null)."""
    return ibis.ifelse(condition.fill_null(False), value, ibis.null(value.type()))


def division(category: ir.StringValue) -> ir.StringValue:
    """The category division: the first two characters of the hierarchical code."""
    return category.substr(0, 2)


def bids_opened(t: ir.Table, as_of: ir.DateScalar) -> ir.BooleanValue:
    """The tender's bids are known at D (the rule of features/asof.py)."""
    opening = t.deadline.coalesce(t.awarded_on)
    return opening.notnull() & (opening < as_of)


def tender_date(t: ir.Table) -> ir.DateValue:
    """The day a tender became public: published, else (direct awards) awarded."""
    return t.published_on.coalesce(t.awarded_on)


def in_scope(table: ir.Table, v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """The rows of `table` (with a tender_id) whose tender is in scope at D. The build keeps
    only in-scope tenders anyway; a set whose values need no other tender (no fence, no
    history) restricts its input first, which spares aggregating two years of bids for
    nothing."""
    scope = tenders_in_scope(v, as_of, params).select(tender_id="entity_id")
    return table.semi_join(scope, "tender_id")


def submitted_bids(v: Tables) -> ir.Table:
    """Bids that were not withdrawn: valid or disqualified (OCDS "submitted")."""
    return v.bids.filter(v.bids.status != "withdrawn")


def valid_priced_bids(v: Tables) -> ir.Table:
    """Valid bids with an amount: the prices that competed."""
    b = v.bids
    return b.filter((b.status == "valid") & b.amount.notnull())


def winners(v: Tables) -> ir.Table:
    """(tender_id, winner_id, awarded, signed_on): each supplier of a tender's signed contracts,
    with the sum of its contract amounts and its first signature."""
    c = v.contracts
    return c.group_by("tender_id", winner_id=c.enterprise_id).aggregate(
        awarded=c.amount.sum(), signed_on=c.signed_on.min()
    )


def sole_winners(v: Tables) -> ir.Table:
    """(tender_id, winner_id) of tenders whose signed contracts all go to one supplier: the
    contract-table reading of Cardinal's "exactly one active award with one supplier"."""
    c = v.contracts
    per = c.group_by("tender_id").aggregate(
        suppliers=c.enterprise_id.nunique(), winner_id=c.enterprise_id.min()
    )
    return per.filter(per.suppliers == 1).select("tender_id", "winner_id")


def quartiles(table: ir.Table, column: str) -> ir.Table:
    """One row (q1, q3) over a column (nulls ignored): linear-interpolation quartiles
    (Hyndman-Fan type 7, what Ibis backends compute), not Cardinal's type 8, so a fence may
    differ from Cardinal's in the last digits and, on few values, by more."""
    values = table[column]
    return table.aggregate(q1=values.quantile(0.25), q3=values.quantile(0.75))


def lower_fence(q: ir.Table) -> ir.FloatingValue:
    return q.q1 - FENCE_FACTOR * (q.q3 - q.q1)


def upper_fence(q: ir.Table) -> ir.FloatingValue:
    return q.q3 + FENCE_FACTOR * (q.q3 - q.q1)


def days_between(later: ir.DateValue, earlier: ir.DateValue) -> ir.IntegerValue:
    return later.delta(earlier, unit="day")
