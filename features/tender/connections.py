"""Who stands behind the winner: an official of the buyer, or one who just left it.

- `winner_linked_to_buyer_official`: a contract of the tender was signed, during an official's
  post at the buyer, with an enterprise in which the official or a relative or associate of his
  held a role on that day (the rule of features/links.py `awards_to_linked_enterprises`,
  joined here through (unit, enterprise) first, which is far more selective than joining every
  post with every contract of its unit);
- `winner_former_buyer_official`: a contract of the tender went to an enterprise in which a
  former official of the buyer took a role after leaving his post there, before the contract
  (`revolving_door_awards`).
Both are 0/1 for tenders with a signed contract, null otherwise. Only relations, posts and roles
known before D count (the view).
"""

from __future__ import annotations

import ibis.expr.types as ir

from features.backend import Tables
from features.links import awards, linked_enterprises, posts, revolving_door_awards
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, tender_feature


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "winner_linked_to_buyer_official",
            "an official of the buyer, or his relative or associate, held a role in the winner",
            "flag", "an official of the buyer, or a relative or associate of his, owns or runs "
            "the winner", monotone=1, red_flag=True, source="CRI",
        ),
        tender_feature(
            "winner_former_buyer_official",
            "a former official of the buyer took a role in the winner before the award", "flag",
            "a former official of the buyer joined the winner before it won here",
            monotone=1, red_flag=True, source="CRI",
        ),
    ]


def linked_awards(v: Tables, as_of: ir.DateScalar) -> ir.Table:
    """contract_id of contracts a unit signed, during an official's post there, with an
    enterprise his circle held a role in on the day of signature."""
    p = posts(v)
    links = linked_enterprises(v)
    held = p.join(links, "person_id").select(
        p.unit_id, links.enterprise_id, post_start=p.start_date,
        post_end=p.end_date.coalesce(as_of), role_start=links.role_start,
        role_end=links.role_end,
    )
    a = awards(v)
    j = a.join(
        held,
        (a.unit_id == held.unit_id)
        & (a.enterprise_id == held.enterprise_id)
        & (a.signed_on >= held.post_start)
        & (a.signed_on < held.post_end)
        & (held.role_start <= a.signed_on)
        & (held.role_end.isnull() | (held.role_end > a.signed_on)),
    )
    return j.select(a.contract_id)


@feature_set("tender_connections", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    c = v.contracts
    linked = linked_awards(v, as_of).contract_id
    former = revolving_door_awards(v).contract_id
    j = c.select(
        "tender_id",
        linked=c.contract_id.isin(linked).cast("int64"),
        former=c.contract_id.isin(former).cast("int64"),
    )
    per = j.group_by("tender_id").aggregate(linked=j.linked.max(), former=j.former.max())
    return per.select(
        entity_id=per.tender_id,
        winner_linked_to_buyer_official=as_flag(per.linked > 0),
        winner_former_buyer_official=as_flag(per.former > 0),
    )
