"""Business around him: enterprises in which his relatives or associates hold roles at D (the
family business), and enterprises in which he himself does (an official in post should have
none); and how many of them ever supplied his units.

"Supplied his units": signed at least one contract, at any date before D, with a unit of one of
his posts that count at D (in force, or ended within the scope period). A relative's firm that
never sells to his units counts in `family_enterprises` (not a risk in itself: monotone 0) and
nowhere else.

The family set needs the relations table (missing without it, never zero); the `own_*` set
reads only roles and posts.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.links import SELF, awards, linked_enterprises
from features.official.common import on_scope, scoped_posts
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def family_features(params: FeatureParams) -> list[Feature]:
    def official(name: str, *args, **kwargs) -> Feature:
        return Feature(name, "official", *args, **kwargs)

    return [
        official("family_enterprises",
                 "enterprises in which his relatives or associates hold a role at the as-of "
                 "date", "count",
                 "his relatives or associates hold roles in {value:.0f} company(ies)"),
        official("family_suppliers",
                 "of family_enterprises, those that ever signed a contract with his unit(s)",
                 "count",
                 "{value:.0f} company(ies) run or owned by his relatives or associates have "
                 "supplied his unit", monotone=1),
    ]


def own_features(params: FeatureParams) -> list[Feature]:
    def official(name: str, *args, **kwargs) -> Feature:
        return Feature(name, "official", *args, **kwargs)

    return [
        official("own_enterprises", "enterprises in which he himself holds a role at the "
                 "as-of date", "count", "he himself holds roles in {value:.0f} company(ies)",
                 monotone=1),
        official("own_suppliers",
                 "of own_enterprises, those that ever signed a contract with his unit(s)",
                 "count", "{value:.0f} company(ies) in which he holds a role have supplied his "
                 "unit", monotone=1),
    ]


def _holdings(v: Tables, as_of: ir.DateScalar, params: FeatureParams, own: bool) -> ir.Table:
    """(person_id, enterprise_id, supplier) for the roles in force at D of his circle (own:
    himself only; else relatives and associates only)."""
    persons = scoped_posts(v, as_of, params).select("person_id").distinct()
    links = linked_enterprises(v)
    whose = (links.relation == SELF) if own else (links.relation != SELF)
    links = links.filter(links.role_end.isnull(), whose)
    held = links.semi_join(persons, "person_id").select("person_id", "enterprise_id").distinct()
    units = scoped_posts(v, as_of, params).select("person_id", "unit_id").distinct()
    sold = awards(v).select("unit_id", "enterprise_id")
    supplied = (
        held.join(units, "person_id")
        .semi_join(sold, ["unit_id", "enterprise_id"])
        .select("person_id", "enterprise_id")
        .distinct()
        .mutate(supplier=1)
    )
    joined = held.join(supplied, ["person_id", "enterprise_id"], how="left")
    return joined.select(held.person_id, held.enterprise_id, supplier=joined.supplier.fill_null(0))


def _counts(v, as_of, params, own: bool, names: tuple[str, str]) -> ir.Table:
    h = _holdings(v, as_of, params, own)
    part = h.group_by("person_id").aggregate(
        **{names[0]: h.count(), names[1]: h.supplier.sum()}
    ).rename(entity_id="person_id")
    return on_scope(v, as_of, params, part, zeros=names)


@feature_set("official_family_business", "official", family_features, needs=("relations",),
             zero_when_absent=False)
def compute_family(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    return _counts(v, as_of, params, own=False, names=("family_enterprises", "family_suppliers"))


@feature_set("official_own_business", "official", own_features, zero_when_absent=False)
def compute_own(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    return _counts(v, as_of, params, own=True, names=("own_enterprises", "own_suppliers"))
