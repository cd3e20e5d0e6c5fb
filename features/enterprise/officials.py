"""Links to officials at the units the enterprise wins from (over the network window):

- conflict of interest: contracts a unit signed with it while an official of that unit was in
  post and that official himself ("self", needs no optional table) or a relative or associate
  of his (needs relations) held a role in it when it was signed (the rows of `features.links
  .awards_to_linked_enterprises`, through its cheaper `awards_to_linked_enterprises_of`);
- revolving door: contracts a unit signed with it after a former official of that unit, whose
  post there had ended, took a role in it (`features.links.revolving_door_awards`).

An official's relative who runs a firm that stays away from his units is no trace here: only
awards from the official's own unit count.
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import coalesce_id, enterprise_feature, ratio, within
from features.links import SELF, awards_to_linked_enterprises_of, revolving_door_awards
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def _linked_awards(v: Tables, as_of: ir.DateScalar, params: FeatureParams, kin: bool) -> ir.Table:
    """One row per contract of the window linked to an official of the buyer: (contract_id,
    enterprise_id, amount)."""
    linked = awards_to_linked_enterprises_of(v, as_of)
    linked = linked.filter(
        (linked.relation != SELF) if kin else (linked.relation == SELF),
        within(linked.signed_on, as_of, params.network_window),
    )
    return linked.select("contract_id", "enterprise_id", "amount").distinct()


def self_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"official_held_awards_{w}d",
            f"contracts of the last {w} days from a unit one of whose officials held a role in "
            "it at the time", "count",
            f"won {{value:.0f}} contract(s) from a unit whose own official held a role in it, "
            f"in the last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"official_held_value_{w}d",
            f"value of the contracts of the last {w} days from a unit one of whose officials "
            "held a role in it at the time", "CNY",
            f"won {{value:,.0f}} CNY from a unit whose own official held a role in it, in the "
            f"last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"revolving_door_persons_{w}d",
            "former officials in its roles whose former unit awarded it contracts after they "
            f"joined (contracts of the last {w} days)", "count",
            f"{{value:.0f}} of its people are former officials of units that then gave it "
            "contracts", monotone=1,
        ),
        enterprise_feature(
            f"revolving_door_awards_{w}d",
            f"contracts of the last {w} days from a unit whose former official had taken a "
            "role in it", "count",
            f"won {{value:.0f}} contract(s) from the former unit of one of its people in the "
            f"last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"revolving_door_value_{w}d",
            f"value of the contracts of the last {w} days from a unit whose former official had "
            "taken a role in it", "CNY",
            f"won {{value:,.0f}} CNY from the former unit of one of its people in the last "
            f"{w} days", monotone=1,
        ),
    ]


def kin_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"kin_awards_{w}d",
            f"contracts of the last {w} days from a unit while a relative or associate of one "
            "of its officials held a role in it", "count",
            f"won {{value:.0f}} contract(s) from a unit whose official's relative or associate "
            f"owns or runs it, in the last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"kin_award_value_{w}d",
            f"value of the contracts of the last {w} days from a unit while a relative or "
            "associate of one of its officials held a role in it", "CNY",
            f"won {{value:,.0f}} CNY from a unit whose official's relative or associate owns or "
            f"runs it, in the last {w} days", monotone=1,
        ),
    ]


def kin_share_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"kin_award_share_{w}d",
            f"share of the value it won in the last {w} days that came from a unit whose "
            "official's relative or associate held a role in it", "share",
            f"{{value:.0%}} of what it won in the last {w} days came from units whose official's "
            "relative or associate owns or runs it", monotone=1,
        ),
    ]


@feature_set("enterprise_official_links", "enterprise", self_features)
def compute_self(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    held = _linked_awards(v, as_of, params, kin=False)
    held = held.group_by(entity_id=held.enterprise_id).aggregate(
        **{f"official_held_awards_{w}d": held.count(),
           f"official_held_value_{w}d": held.amount.sum()}
    )
    r = revolving_door_awards(v)
    r = r.filter(within(r.signed_on, as_of, w))
    contracts = r.select("contract_id", "enterprise_id", "amount").distinct()
    door = contracts.group_by(entity_id=contracts.enterprise_id).aggregate(
        **{f"revolving_door_awards_{w}d": contracts.count(),
           f"revolving_door_value_{w}d": contracts.amount.sum()}
    )
    persons = r.group_by(entity_id=r.enterprise_id).aggregate(
        **{f"revolving_door_persons_{w}d": r.person_id.nunique()}
    )
    door = door.join(persons, "entity_id")
    return held.outer_join(door, "entity_id").pipe(coalesce_id)


def _kin(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    kin = _linked_awards(v, as_of, params, kin=True)
    return kin.group_by("enterprise_id").aggregate(awards=kin.count(), value=kin.amount.sum())


@feature_set("enterprise_kin_links", "enterprise", kin_features, needs=("relations",))
def compute_kin(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    kin = _kin(v, as_of, params)
    return kin.select(
        entity_id=kin.enterprise_id,
        **{f"kin_awards_{w}d": kin.awards, f"kin_award_value_{w}d": kin.value},
    )


@feature_set("enterprise_kin_share", "enterprise", kin_share_features, needs=("relations",),
             zero_when_absent=False)
def compute_kin_share(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    c = v.contracts
    c = c.filter(within(c.signed_on, as_of, w))
    won = c.group_by("enterprise_id").aggregate(won=c.amount.sum())
    both = won.left_join(_kin(v, as_of, params), "enterprise_id")
    return both.select(
        entity_id=both.enterprise_id,
        **{f"kin_award_share_{w}d": ratio(both.value.fill_null(0), both.won)},
    )
