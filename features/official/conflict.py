"""Conflict of interest: his units' awards, during his tenure, to enterprises in which he, a
relative or an associate held a role when the contract was signed.

The rows come from `features.links.awards_to_linked_enterprises_of` (the rows of
`awards_to_linked_enterprises`, the definition the enterprise features and the dossier read,
joined in a cheaper order), restricted to the posts that count at D
(`common.scoped_posts`). Per person, over all those posts: contracts are counted once however
many links or posts they match; the share divides their value by everything his units signed
during his tenures. "Close" links are his own roles and those of his spouse, children, parents
and siblings; in-laws, other relatives and associates are looser.

Needs the relations table: without it only his own roles could be seen, an undercount that
would read as "no conflict", so the whole set is missing instead (his own roles are in
`family.py`'s `own_*` features, which do not need relations).

A relative's firm that never sells to his units leaves every feature here at zero.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.links import awards_to_linked_enterprises_of
from features.official.common import (
    CLOSE_RELATIONS,
    on_scope,
    scoped_posts,
    tenure_spend,
)
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set

COLUMNS = ("coi_awards", "coi_value", "coi_value_share", "coi_enterprises", "coi_close_awards",
           "coi_closeness")
# coi_closeness: 0 none, 1 associate, 2 in-law or other relative, 3 close family or himself.
CLOSENESS = {"associate": 1, "in_law": 2, "other_relative": 2}


def features(params: FeatureParams) -> list[Feature]:
    def official(name: str, *args, **kwargs) -> Feature:
        return Feature(name, "official", *args, **kwargs)

    return [
        official("coi_awards",
                 "contracts his unit(s) signed during his tenure with enterprises in which he, "
                 "a relative or an associate held a role", "count",
                 "his unit awarded {value:.0f} contract(s) to companies of his own, his "
                 "relatives or associates during his tenure", monotone=1),
        official("coi_value",
                 "value of the contracts counted in coi_awards", "CNY",
                 "contracts worth {value:,.0f} CNY went from his unit to companies of his "
                 "circle during his tenure", monotone=1),
        official("coi_value_share",
                 "coi_value as a share of everything his unit(s) signed during his tenure",
                 "share",
                 "{value:.0%} of his unit's contract value during his tenure went to companies "
                 "of his circle", monotone=1),
        official("coi_enterprises",
                 "distinct enterprises of his circle that won at his unit(s) during his tenure",
                 "count",
                 "{value:.0f} company(ies) of his circle won contracts at his unit during his "
                 "tenure", monotone=1),
        official("coi_close_awards",
                 "contracts of coi_awards through himself or close family (spouse, child, "
                 "parent, sibling)", "count",
                 "{value:.0f} of those contracts went to companies of himself or his close "
                 "family", monotone=1),
        official("coi_closeness",
                 "closest link behind coi_awards: 0 none, 1 associate, 2 in-law or other "
                 "relative, 3 close family or himself", "rank",
                 "the closest link to a company that won at his unit has closeness {value:.0f} "
                 "of 3 (3 = himself or close family)"),
    ]


@feature_set("official_conflict_of_interest", "official", features, needs=("relations",),
             zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    links = awards_to_linked_enterprises_of(v, as_of, scoped_posts(v, as_of, params))
    closeness = ibis.ifelse(
        links.relation.isin(CLOSE_RELATIONS), 3,
        links.relation.cases(*CLOSENESS.items(), else_=1),
    )
    links = links.mutate(closeness=closeness)
    per_contract = links.group_by(["person_id", "contract_id"]).aggregate(
        enterprise_id=lambda t: t.enterprise_id.max(),
        amount=lambda t: t.amount.max(),
        closeness=lambda t: t.closeness.max(),
    )
    linked = per_contract.group_by("person_id").aggregate(
        coi_awards=per_contract.count(),
        coi_value=per_contract.amount.sum(),
        coi_enterprises=per_contract.enterprise_id.nunique(),
        coi_close_awards=(per_contract.closeness == 3).sum(),
        coi_closeness=per_contract.closeness.max(),
    )
    spent = tenure_spend(v, as_of, params)
    joined = linked.join(spent, "person_id", how="left")
    share = joined.coi_value / joined.spend.nullif(0)
    part = joined.select(
        entity_id=joined.person_id, coi_awards=joined.coi_awards, coi_value=joined.coi_value,
        coi_value_share=share, coi_enterprises=joined.coi_enterprises,
        coi_close_awards=joined.coi_close_awards, coi_closeness=joined.coi_closeness,
    )
    return on_scope(v, as_of, params, part, zeros=COLUMNS)
