"""Revolving door: roles he took in enterprises after leaving a post, where the enterprise then
won at his former unit, and how soon after leaving he took the role.

`revolving_*` read `features.links.revolving_door_awards` (a contract signed by the former unit
after the role began). `exit_roles_at_suppliers` is broader: roles taken after leaving a post in
enterprises that signed a contract with that former unit at any date before D, before or after
he left (a supplier that hires the official who bought from it). Every post he left counts,
whenever it ended; a former official's own company that never sells to his old units counts
nowhere here.

Per person: counts and value add up over his former posts (each contract once); the gap is the
shortest between leaving a post and taking the role.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.links import awards, posts, revolving_door_awards
from features.official.common import on_scope
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def features(params: FeatureParams) -> list[Feature]:
    def official(name: str, *args, **kwargs) -> Feature:
        return Feature(name, "official", *args, **kwargs)

    return [
        official("revolving_awards",
                 "contracts his former unit signed with an enterprise after he took a role in "
                 "it on leaving his post there", "count",
                 "after he left, his former unit awarded {value:.0f} contract(s) to a company "
                 "that had taken him on", monotone=1),
        official("revolving_value", "value of the contracts counted in revolving_awards",
                 "CNY", "contracts worth {value:,.0f} CNY went from his former unit to a "
                 "company that took him on", monotone=1),
        official("revolving_enterprises",
                 "distinct enterprises behind revolving_awards", "count",
                 "{value:.0f} company(ies) that took him on after he left then won at his "
                 "former unit", monotone=1),
        official("revolving_gap_days",
                 "days between leaving the post and taking the role, shortest over "
                 "revolving_awards (null: none)", "days",
                 "took a role in a company winning at his former unit {value:.0f} days after "
                 "leaving", monotone=-1),
        official("exit_roles_at_suppliers",
                 "enterprises that ever supplied his former unit in which he took a role after "
                 "leaving his post there", "count",
                 "after leaving his post he took roles in {value:.0f} supplier(s) of his former "
                 "unit", monotone=1),
    ]


def _exit_roles(v: Tables) -> ir.Table:
    p = posts(v)
    ended = p.filter(p.end_date.notnull())
    r = v.enterprise_roles
    moved = ended.join(
        r, (ended.person_id == r.person_id) & (r.start_date >= ended.end_date)
    ).select(ended.person_id, ended.unit_id, enterprise_id=r.enterprise_id)
    sold = awards(v).select("unit_id", "enterprise_id").distinct()
    hits = moved.semi_join(sold, ["unit_id", "enterprise_id"])
    hits = hits.select("person_id", "enterprise_id").distinct()
    return hits.group_by("person_id").aggregate(exit_roles_at_suppliers=hits.count())


@feature_set("official_revolving_door", "official", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    rd = revolving_door_awards(v)
    gap = rd.role_start.delta(rd.post_end, unit="day")
    rd = rd.mutate(gap=gap)
    per_contract = rd.group_by(["person_id", "contract_id"]).aggregate(
        enterprise_id=rd.enterprise_id.max(), amount=rd.amount.max(), gap=rd.gap.min()
    )
    door = per_contract.group_by("person_id").aggregate(
        revolving_awards=per_contract.count(),
        revolving_value=per_contract.amount.sum(),
        revolving_enterprises=per_contract.enterprise_id.nunique(),
        revolving_gap_days=per_contract.gap.min(),
    )
    exits = _exit_roles(v)
    joined = door.join(exits, "person_id", how="outer")
    part = joined.select(
        entity_id=joined.person_id.coalesce(joined.person_id_right),
        revolving_awards=joined.revolving_awards, revolving_value=joined.revolving_value,
        revolving_enterprises=joined.revolving_enterprises,
        revolving_gap_days=joined.revolving_gap_days,
        exit_roles_at_suppliers=joined.exit_roles_at_suppliers,
    )
    return on_scope(
        v, as_of, params, part,
        zeros=("revolving_awards", "revolving_value", "revolving_enterprises",
               "exit_roles_at_suppliers"),
        keep_null=("revolving_gap_days",),
    )
