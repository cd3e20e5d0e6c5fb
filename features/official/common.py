"""What the official feature sets share: the posts that count, their tenure, and how per-post
values become one value per person.

The scored official is the person (entity_id = person_id). The posts that count at D are those
in force at D (end_date null in the view) and those that ended within the scope period
(`params.official_scope_days`), exactly the posts that put him in scope. A post's tenure runs
from its start_date up to its end_date, or up to D while in force: [start_date, until), the
convention of `features.links.awards_to_linked_enterprises`.

A person with several posts (concurrent, or one after the other) gets one value per feature;
each set says how it aggregates: counts and money add up over his posts (a contract is counted
once even when two of his posts cover it), rates and levels take the highest of his posts, so
the post where something went wrong is what shows.

This module registers no feature set.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.links import awards, posts
from features.params import FeatureParams
from features.scope import officials_in_scope

# Close family for the conflict-of-interest features; "self" (his own role) counts as closest.
CLOSE_RELATIONS = ("self", "spouse", "child", "parent", "sibling")
# rank as an ordinal: more senior = higher.
RANK_LEVEL = {"staff": 1, "section": 2, "department": 3, "leading": 4}


def scoped_posts(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """The posts that count at D, with `until` = end_date, or D while in post, and `in_force`."""
    p = posts(v)
    since = as_of - ibis.interval(days=params.official_scope_days)
    p = p.filter(p.end_date.isnull() | (p.end_date >= since))
    return p.mutate(until=p.end_date.coalesce(as_of), in_force=p.end_date.isnull())


def persons_in_scope(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """(entity_id) of every official scored at D."""
    return officials_in_scope(v, as_of, params)


def on_scope(
    v: Tables, as_of: ir.DateScalar, params: FeatureParams, part: ir.Table,
    zeros: tuple[str, ...] = (), keep_null: tuple[str, ...] = (),
) -> ir.Table:
    """`part` (keyed by entity_id) on every person in scope: `zeros` columns are 0 where the
    person has no row (nothing happened), `keep_null` columns stay null (not applicable)."""
    base = persons_in_scope(v, as_of, params)
    joined = base.left_join(part, "entity_id")
    if "entity_id_right" in joined.columns:
        joined = joined.drop("entity_id_right")
    return joined.select(
        "entity_id",
        *[joined[c].fill_null(0).cast("float64").name(c) for c in zeros],
        *[joined[c].cast("float64").name(c) for c in keep_null],
    )


def flag(condition: ir.BooleanValue) -> ir.FloatingValue:
    return condition.cast("float64")


def years(later: ir.DateValue, earlier: ir.DateValue) -> ir.FloatingValue:
    return later.delta(earlier, unit="day").cast("float64") / 365.25


def tenures(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """His time at each unit: the scoped posts of a person at one unit merged where they overlap
    or follow on without a gap, (person_id, unit_id, start_date, until). Disjoint per (person,
    unit), so a contract of the unit falls in at most one of his tenures there."""
    p = scoped_posts(v, as_of, params)
    earlier = ibis.window(group_by=[p.person_id, p.unit_id], order_by=[p.start_date, p.until],
                          rows=(None, -1))
    reach = p.until.max().over(earlier)  # the furthest end among his earlier posts there
    new = (reach.isnull() | (p.start_date > reach)).cast("int64")
    p = p.mutate(new=new)
    running = ibis.cumulative_window(group_by=[p.person_id, p.unit_id],
                                     order_by=[p.start_date, p.until])
    p = p.mutate(island=p.new.sum().over(running))
    return p.group_by(["person_id", "unit_id", "island"]).aggregate(
        start_date=p.start_date.min(), until=p.until.max()
    ).drop("island")


def tenure_spend(
    v: Tables, as_of: ir.DateScalar, params: FeatureParams, since: ir.DateScalar | None = None
) -> ir.Table:
    """(person_id, spend): the value of the contracts his units signed during his tenures
    (from `since` on, if given), each contract once."""
    t = tenures(v, as_of, params)
    a = awards(v).select("unit_id", "amount", "signed_on")
    lo = t.start_date if since is None else ibis.greatest(t.start_date, since)
    j = t.join(a, (t.unit_id == a.unit_id) & (a.signed_on >= lo) & (a.signed_on < t.until))
    return j.group_by("person_id").aggregate(spend=j.amount.sum())
