"""Building blocks the enterprise feature sets share (no feature set of its own).

Everything takes the point-in-time view, so whatever it returns was known before D:
- a bid belongs to the day its tender's bids were opened (deadline, else award, else
  publication: `features.links.opened_on`), a win to the day its contract was signed;
- "in the last N days" means on or after D - N days (and before D, which the view ensures).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.registry import Feature, Unit

FENCE_FACTOR = 1.5  # Tukey's fences: Q1 - 1.5 IQR, Q3 + 1.5 IQR
COMPETITIVE_METHODS = ("open", "selective")


def enterprise_feature(
    name: str, description: str, unit: Unit, template: str, *, monotone: int = 0,
    red_flag: bool = False, source: str = "",
) -> Feature:
    return Feature(name, "enterprise", description, unit, template, monotone, red_flag, source)


def since(as_of: ir.DateScalar, days: int) -> ir.DateScalar:
    return as_of - ibis.interval(days=days)


def within(column: ir.DateValue, as_of: ir.DateScalar, days: int) -> ir.BooleanValue:
    """The date falls in the last `days` days before D (null dates never do)."""
    return (column >= since(as_of, days)).fill_null(False)


def as_flag(condition: ir.BooleanValue) -> ir.FloatingValue:
    return condition.cast("float64")


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator, null where the denominator is null or zero."""
    return ibis.ifelse(
        denominator.fill_null(0) > 0, numerator.cast("float64") / denominator,
        ibis.null("float64"),
    )


def division(category: ir.StringValue, digits: int = 2) -> ir.StringValue:
    """The category division: the first `digits` characters of the hierarchical code."""
    return category.substr(0, digits)


def coalesce_id(t: ir.Table) -> ir.Table:
    """After an outer join on entity_id: one entity_id column, from whichever side has it."""
    return t.mutate(entity_id=t.entity_id.coalesce(t.entity_id_right)).drop("entity_id_right")


def quantiles8(values: ir.Table, column: str, **taus: float) -> ir.Table:
    """Hyndman-Fan type 8 quantiles of a column (nulls left out), as in
    `features.ocds.quartiles.quantile` and Cardinal: h = (n + 1/3) tau + 1/3, interpolated
    between the floor(h)-th and the next smallest value, clamped to the minimum and maximum.
    One row with a column per name in `taus`, e.g. quantiles8(t, "ratio", q1=0.25, q3=0.75);
    null where there are no values."""
    x = values.select(x=values[column]).filter(lambda t: t.x.notnull())
    ranked = x.mutate(r=ibis.row_number().over(order_by=x.x) + 1, n=x.x.count().over())
    parts = {}
    for name, tau in taus.items():
        h = (ranked.n.cast("float64") + 1.0 / 3.0) * tau + 1.0 / 3.0
        whole = h.floor().cast("int64")
        parts[f"{name}_h"] = h.max()
        parts[f"{name}_whole"] = whole.max()
        parts[f"{name}_below"] = ranked.x.max(where=ranked.r == whole)  # floor(h)-th smallest
        parts[f"{name}_above"] = ranked.x.max(where=ranked.r == whole + 1)
    summary = ranked.aggregate(
        lowest=ranked.x.min(), highest=ranked.x.max(), n=ranked.n.max(), **parts
    )
    out = {}
    for name, tau in taus.items():
        h, whole = summary[f"{name}_h"], summary[f"{name}_whole"]
        below, above = summary[f"{name}_below"], summary[f"{name}_above"]
        q = ibis.cases(
            (whole <= 0, summary.lowest),
            (whole >= summary.n, summary.highest),
            else_=below + (h - whole) * (above - below),
        )
        if tau == 0.0:
            q = summary.lowest
        elif tau == 1.0:
            q = summary.highest
        out[name] = q.cast("float64")
    return summary.select(**out)


def fences(values: ir.Table, column: str) -> ir.Table:
    """One row (q1, q3, lower, upper) of a column: its quartiles and Tukey's fences at 1.5 IQR
    (lower = Q1 - 1.5 IQR, upper = Q3 + 1.5 IQR)."""
    q = quantiles8(values, column, q1=0.25, q3=0.75)
    iqr = q.q3 - q.q1
    return q.select("q1", "q3", lower=q.q1 - FENCE_FACTOR * iqr, upper=q.q3 + FENCE_FACTOR * iqr)
