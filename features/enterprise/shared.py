"""Hidden links to the enterprises it bids against: one person in both, related persons, or the
same address or phone (R044's business similarities).

Over the network window, counted over its distinct co-bidders:
- a person holding (or having held) a role in both; persons with roles in more than
  `shared_person_limit` enterprises (nominee directors, agents) are left out;
- a role holder of one who is a relative or associate of a role holder of the other (needs
  relations);
- the same normalised address or phone, leaving out those used by more than
  `shared_contact_limit` enterprises (business centres, registration agents: honest
  confounders);
- any of the three (needs relations): a ring's members are tied to its leader by one link or
  another, so the union is the ring's trace;
and R044 as the OCDS red flag defines it, without leaving anything out: the tenders in which
another bidder shares its address or phone.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import coalesce_id, enterprise_feature
from features.enterprise.network import window_participations
from features.links import (
    enterprise_contacts,
    related_role_holders,
    shared_contacts,
    shared_persons,
)
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def _met(v: Tables, as_of: ir.DateScalar, params: FeatureParams, links: ir.Table) -> ir.Table:
    """The linked pairs (`links`: enterprise_id, partner_id, kind; both directions) that bid in
    one tender of the window: distinct (enterprise_id, partner_id, kind).

    Starting from the few linked pairs, not from all co-bidder pairs, keeps this cheap; all
    kinds of link go through one join."""
    p = window_participations(v, as_of, params).select("tender_id", "enterprise_id")
    pairs = links.select("enterprise_id", "partner_id", "kind").distinct()
    mine = pairs.join(p, "enterprise_id")
    theirs = p.select("tender_id", partner_id="enterprise_id")
    met = mine.semi_join(theirs, ["tender_id", "partner_id"])
    return met.select("enterprise_id", "partner_id", "kind").distinct()


def _kind(links: ir.Table, kind: str) -> ir.Table:
    return links.select("enterprise_id", "partner_id", kind=ibis.literal(kind))


def persons_and_contacts(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"cobidders_sharing_person_{w}d",
            f"co-bidders of the last {w} days in which one of its owners or managers also "
            "holds a role", "count",
            f"bid against {{value:.0f}} enterprise(s) run or owned by one of its own people in "
            f"the last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"cobidders_sharing_contact_{w}d",
            f"co-bidders of the last {w} days with the same address or phone (used by at most "
            f"{params.shared_contact_limit} enterprises)", "count",
            f"bid against {{value:.0f}} enterprise(s) with its own address or phone in the last "
            f"{w} days", monotone=1, source="R044",
        ),
        enterprise_feature(
            f"r044_shared_contact_tenders_{w}d",
            f"tenders of the last {w} days in which another bidder shares its address or phone "
            "(R044)", "count",
            f"shared an address or phone with another bidder in {{value:.0f}} tender(s) in the "
            f"last {w} days", monotone=1, red_flag=False, source="R044",
        ),
    ]


def relatives(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"cobidders_related_persons_{w}d",
            f"co-bidders of the last {w} days whose owners or managers are relatives or "
            "associates of its own", "count",
            f"bid against {{value:.0f}} enterprise(s) run or owned by relatives or associates of "
            f"its own people in the last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"linked_cobidders_{w}d",
            f"co-bidders of the last {w} days tied to it by a hidden link: one of its people, a "
            "relative or associate of one of them, or its address or phone", "count",
            f"bid against {{value:.0f}} enterprise(s) tied to it by its own people, their "
            f"relatives or its address or phone in the last {w} days", monotone=1,
        ),
    ]


@feature_set("enterprise_shared", "enterprise", persons_and_contacts)
def compute_shared(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    met = _met(v, as_of, params, _links(v, params))
    linked = met.group_by(entity_id=met.enterprise_id).aggregate(
        **{f"cobidders_sharing_person_{w}d": met.count(where=met.kind == "person"),
           f"cobidders_sharing_contact_{w}d": met.count(where=met.kind == "contact")}
    )
    # R044 per tender: a contact that two of its bidders share.
    p = window_participations(v, as_of, params).select("tender_id", "enterprise_id")
    c = enterprise_contacts(v)
    # Only contacts shared by two enterprises or more can be shared in a tender (a window, so
    # that the engine filters before joining them with every bid).
    c = c.mutate(users=c.count().over(group_by=[c.kind, c.contact]))
    c = c.filter(c.users >= 2).drop("users")
    bidder_contacts = p.join(c, "enterprise_id")
    # (tender, enterprise) and (enterprise, kind, contact) are unique: count = distinct bidders
    shared = bidder_contacts.group_by(["tender_id", "kind", "contact"]).aggregate(
        bidders=bidder_contacts.count()
    ).filter(lambda t: t.bidders >= 2)
    flagged = bidder_contacts.semi_join(shared, ["tender_id", "kind", "contact"])
    r044 = flagged.group_by(entity_id=flagged.enterprise_id).aggregate(
        **{f"r044_shared_contact_tenders_{w}d": flagged.tender_id.nunique()}
    )
    return linked.outer_join(r044, "entity_id").pipe(coalesce_id)


@feature_set("enterprise_shared_relatives", "enterprise", relatives, needs=("relations",))
def compute_relatives(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    related = _kind(related_role_holders(v, params.shared_person_limit), "relative")
    met = _met(v, as_of, params, _links(v, params).union(related, distinct=False))
    return met.group_by(entity_id=met.enterprise_id).aggregate(
        **{f"cobidders_related_persons_{w}d": met.count(where=met.kind == "relative"),
           f"linked_cobidders_{w}d": met.partner_id.nunique()}
    )


def _links(v: Tables, params: FeatureParams) -> ir.Table:
    """Pairs of enterprises sharing a person or a (rare) address or phone, by kind."""
    return _kind(shared_persons(v, params.shared_person_limit), "person").union(
        _kind(shared_contacts(v, params.shared_contact_limit), "contact"), distinct=False
    )
