"""The links between entities that cross-matching is about, as Ibis tables over an as-of view.

Officials reach enterprises through their circle (themselves, relatives and associates) and the
roles those persons hold; enterprises reach units through the contracts they win. Enterprise and
official features, the dossier and the deep-dig all read these tables, so the joins are written
once here. Every function takes a point-in-time view (`features.asof.as_of_view`).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables

SELF = "self"


def awards(v: Tables) -> ir.Table:
    """Signed contracts with their tender's buyer, method and category: who won what, where."""
    t = v.tenders.select("tender_id", "unit_id", "method", "category", "estimated_value")
    return v.contracts.join(t, "tender_id").select(
        "contract_id", "tender_id", "unit_id", "enterprise_id", "amount", "signed_on",
        "method", "category", "estimated_value",
    )


def circle(v: Tables) -> ir.Table:
    """Each person with himself and his relatives and associates: (person_id, member_id, relation).

    Relations arrive mirrored from the loader, so one direction of the join suffices.
    """
    people = v.persons.select(person_id="person_id", member_id="person_id").mutate(
        relation=ibis.literal(SELF)
    )
    if v.relations is None:
        return people
    kin = v.relations.select(
        person_id="person_id", member_id="related_person_id", relation="relation"
    )
    return people.union(kin, distinct=True)


def linked_enterprises(v: Tables) -> ir.Table:
    """Enterprises in which a person or a member of his circle holds or held a role.

    (person_id, enterprise_id, member_id, relation, role, role_start, role_end)
    """
    roles = v.enterprise_roles.select(
        member_id="person_id", enterprise_id="enterprise_id", role="role",
        role_start="start_date", role_end="end_date",
    )
    return circle(v).join(roles, "member_id")


def posts(v: Tables) -> ir.Table:
    """Posts with the unit they are at: (post_id, person_id, unit_id, rank, is_unit_head,
    start_date, end_date); end_date null = in post at the as-of date."""
    return v.officials.select(
        "post_id", "person_id", "unit_id", "rank", "is_unit_head", "start_date", "end_date"
    )


def awards_to_linked_enterprises(v: Tables, as_of: ir.DateScalar) -> ir.Table:
    """Contracts a unit signed, during an official's tenure there, with an enterprise his circle
    held a role in when it was signed. The conflict-of-interest pattern, one row per
    (post, contract, link): (post_id, person_id, unit_id, contract_id, enterprise_id, amount,
    signed_on, relation, role).
    """
    p = posts(v)
    a = awards(v)
    tenure = p.join(
        a,
        (p.unit_id == a.unit_id)
        & (a.signed_on >= p.start_date)
        & (a.signed_on < p.end_date.coalesce(as_of)),
    ).select(p.post_id, p.person_id, p.unit_id, a.contract_id, a.enterprise_id, a.amount,
             a.signed_on)
    links = linked_enterprises(v)
    joined = tenure.join(
        links,
        (tenure.person_id == links.person_id)
        & (tenure.enterprise_id == links.enterprise_id)
        & (links.role_start <= tenure.signed_on)
        & (links.role_end.isnull() | (links.role_end > tenure.signed_on)),
    )
    return joined.select(
        tenure.post_id, tenure.person_id, tenure.unit_id, tenure.contract_id,
        tenure.enterprise_id, tenure.amount, tenure.signed_on, links.relation, links.role,
    )


def revolving_door_awards(v: Tables) -> ir.Table:
    """Contracts a unit signed with an enterprise in which a former official of that unit took a
    role after his post there ended (and the contract came after the role began):
    (person_id, unit_id, post_end, enterprise_id, role, role_start, contract_id, amount,
    signed_on).
    """
    ended = posts(v).filter(lambda p: p.end_date.notnull())
    roles = v.enterprise_roles
    moved = ended.join(
        roles, (ended.person_id == roles.person_id) & (roles.start_date >= ended.end_date)
    ).select(
        ended.person_id, ended.unit_id, post_end=ended.end_date,
        enterprise_id=roles.enterprise_id, role=roles.role, role_start=roles.start_date,
    )
    a = awards(v)
    return moved.join(
        a,
        (moved.unit_id == a.unit_id)
        & (moved.enterprise_id == a.enterprise_id)
        & (a.signed_on >= moved.role_start),
    ).select(
        moved.person_id, moved.unit_id, moved.post_end, moved.enterprise_id, moved.role,
        moved.role_start, a.contract_id, a.amount, a.signed_on,
    )
