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


# --- enterprises among themselves: bidding together, shared persons and contacts --------------


def opened_on(tenders: ir.Table) -> ir.DateValue:
    """The day a tender's bids became known: its deadline, else its award, else publication
    (as in the point-in-time view and the enterprise scope)."""
    return tenders.deadline.coalesce(tenders.awarded_on).coalesce(tenders.published_on)


def participations(v: Tables) -> ir.Table:
    """Each enterprise's part in each tender whose bids were opened, one row per (tender,
    enterprise) with a submitted (valid or disqualified, not withdrawn) bid:
    (tender_id, enterprise_id, unit_id, category, method, opened_on, amount, submitted,
    disqualified, valid, won, decided).

    amount = its lowest submitted amount; submitted / disqualified = its bid counts; valid = it
    has a valid bid; won = it holds a contract of the tender; decided = the tender has a
    contract (before that, a bid is neither won nor lost). Bids and contracts are stacked and
    grouped once (cheaper at scale than joining the contracts back onto the bids).
    """
    b = v.bids.filter(lambda b: b.status != "withdrawn")
    offers = b.select(
        "tender_id", "enterprise_id", amount=b.amount,
        submitted=ibis.literal(1), disqualified=(b.status == "disqualified").cast("int64"),
        valid=b.status == "valid", won=ibis.literal(False),
    )
    c = v.contracts
    signed = c.select(
        "tender_id", "enterprise_id", amount=ibis.null("float64"),
        submitted=ibis.literal(0), disqualified=ibis.literal(0).cast("int64"),
        valid=ibis.literal(False), won=ibis.literal(True),
    )
    both = offers.union(signed, distinct=False)
    mine = both.group_by(["tender_id", "enterprise_id"]).aggregate(
        amount=both.amount.min(),
        submitted=both.submitted.sum(),
        disqualified=both.disqualified.sum(),
        valid=both.valid.any(),
        won=both.won.any(),
    ).filter(lambda m: m.submitted > 0)
    decided = c.select("tender_id").distinct().mutate(decided=ibis.literal(True))
    t = v.tenders
    t = t.select("tender_id", "unit_id", "category", "method", opened_on=opened_on(t))
    t = t.left_join(decided, "tender_id")
    t = t.select(
        "tender_id", "unit_id", "category", "method", "opened_on",
        decided=t.decided.fill_null(False),
    )
    joined = mine.join(t, "tender_id")
    return joined.select(
        "tender_id", "enterprise_id", "unit_id", "category", "method", "opened_on", "amount",
        "submitted", "disqualified", "valid", "won", "decided",
    )


def co_bids(parts: ir.Table) -> ir.Table:
    """Enterprises that bid in the same tender, both directions, from `participations` (already
    restricted to a period; ~bidders^2 rows per tender): (tender_id, enterprise_id, partner_id,
    amount, partner_amount, won, partner_won, decided)."""
    a = parts.select("tender_id", "enterprise_id", "amount", "won", "decided")
    b = parts.select(
        "tender_id", partner_id="enterprise_id", partner_amount="amount", partner_won="won"
    )
    pairs = a.join(b, (a.tender_id == b.tender_id) & (a.enterprise_id != b.partner_id))
    return pairs.select(
        a.tender_id, a.enterprise_id, b.partner_id, a.amount, b.partner_amount, a.won,
        b.partner_won, a.decided,
    )


def _digits_to_ascii(text: ir.StringValue) -> ir.StringValue:
    return text.translate("０１２３４５６７８９", "0123456789")


def enterprise_contacts(v: Tables) -> ir.Table:
    """Normalised addresses and phones of enterprises: (enterprise_id, kind, contact).

    Address: lower-cased, full-width digits made ASCII, everything but letters and digits
    removed ("中山路１号 " == "中山路1号"); phone: its digits, kept if at least 7. Empty ones are
    dropped.
    """
    e = v.enterprises
    address = _digits_to_ascii(e.address.lower()).re_replace(r"[^\p{L}\p{N}]+", "")
    phone = _digits_to_ascii(e.phone).re_replace(r"[^0-9]+", "")
    addresses = e.select("enterprise_id", kind=ibis.literal("address"), contact=address)
    phones = e.select("enterprise_id", kind=ibis.literal("phone"), contact=phone)
    both = addresses.filter(addresses.contact.length() > 0).union(
        phones.filter(phones.contact.length() >= 7)
    )
    return both.distinct()


def shared_contacts(v: Tables, limit: int) -> ir.Table:
    """Pairs of enterprises with the same normalised address or phone, both directions, leaving
    out contacts used by more than `limit` enterprises (business centres, agents' numbers):
    (enterprise_id, partner_id, kind, contact)."""
    c = enterprise_contacts(v)
    users = c.group_by(["kind", "contact"]).aggregate(users=c.enterprise_id.nunique())
    rare = c.semi_join(users.filter(users.users <= limit), ["kind", "contact"])
    other = rare.select(partner_id="enterprise_id", kind="kind", contact="contact")
    pairs = rare.join(
        other,
        (rare.kind == other.kind) & (rare.contact == other.contact)
        & (rare.enterprise_id != other.partner_id),
    )
    return pairs.select(rare.enterprise_id, other.partner_id, rare.kind, rare.contact)


def _role_holders(v: Tables, limit: int) -> ir.Table:
    """(enterprise_id, person_id) for persons with a role in at most `limit` enterprises."""
    r = v.enterprise_roles.select("enterprise_id", "person_id").distinct()
    counts = r.group_by("person_id").aggregate(firms=r.enterprise_id.nunique())
    return r.semi_join(counts.filter(counts.firms <= limit), "person_id")


def shared_persons(v: Tables, limit: int) -> ir.Table:
    """Pairs of enterprises in which one person holds or held a role, both directions, leaving
    out persons with roles in more than `limit` enterprises (nominee directors, agents):
    (enterprise_id, partner_id, person_id)."""
    a = _role_holders(v, limit)
    b = a.select(partner_id="enterprise_id", person_id="person_id")
    pairs = a.join(b, (a.person_id == b.person_id) & (a.enterprise_id != b.partner_id))
    return pairs.select(a.enterprise_id, b.partner_id, a.person_id)


def related_role_holders(v: Tables, limit: int) -> ir.Table:
    """Pairs of enterprises whose role holders are relatives or associates of each other, both
    directions (needs relations): (enterprise_id, partner_id, person_id, related_person_id,
    relation). Persons with roles in more than `limit` enterprises are left out."""
    if v.relations is None:
        raise ValueError("related_role_holders needs the relations table")
    a = _role_holders(v, limit)
    rel = v.relations.select("person_id", "related_person_id", "relation")
    b = a.select(partner_id="enterprise_id", related_person_id="person_id")
    first = a.join(rel, "person_id")
    pairs = first.join(
        b,
        (first.related_person_id == b.related_person_id)
        & (first.enterprise_id != b.partner_id),
    )
    return pairs.select(
        first.enterprise_id, b.partner_id, first.person_id, first.related_person_id,
        first.relation,
    )


def circle_of(v: Tables, persons: ir.Table) -> ir.Table:
    """`circle(v)` for the persons in `persons` (a table with person_id) only: built from their
    rows alone, so the union never runs over every person of the registry."""
    people = v.persons.select("person_id").semi_join(persons, "person_id")
    people = people.select(person_id="person_id", member_id="person_id").mutate(
        relation=ibis.literal(SELF)
    )
    if v.relations is None:
        return people
    r = v.relations.semi_join(persons, "person_id")
    kin = r.select(person_id="person_id", member_id="related_person_id", relation="relation")
    return people.union(kin, distinct=True)


def awards_to_linked_enterprises_of(
    v: Tables, as_of: ir.DateScalar, of_posts: ir.Table | None = None
) -> ir.Table:
    """The rows of `awards_to_linked_enterprises` for the posts `of_posts` (a selection of
    `posts(v)`, possibly with more columns; default all), joined in the order that keeps
    intermediate results small: the circle of their holders, its roles, the contracts of those
    enterprises, then the tenure. Same rows and columns, except that a role row repeated
    verbatim in enterprise_roles counts once (checked on a 1,000,000-tender world, where this
    takes ~1.5 s against ~11 s): the join of every post with every contract of its unit is never
    formed.
    """
    p = posts(v) if of_posts is None else of_posts
    roles = v.enterprise_roles.select(
        member_id="person_id", enterprise_id="enterprise_id", role="role",
        role_start="start_date", role_end="end_date",
    )
    links = circle_of(v, p.select("person_id").distinct()).join(roles, "member_id").distinct()
    a = awards(v)
    held = links.join(
        a,
        (links.enterprise_id == a.enterprise_id)
        & (links.role_start <= a.signed_on)
        & (links.role_end.isnull() | (links.role_end > a.signed_on)),
    ).select(
        links.person_id, links.member_id, a.unit_id, a.contract_id, a.enterprise_id, a.amount,
        a.signed_on, links.relation, links.role,
    )
    # distinct: barriers that keep the engine from joining posts with every contract of their
    # units, or roles with every contract, first (they only drop repeated whole role rows).
    held = held.distinct()
    joined = held.join(
        p,
        (held.person_id == p.person_id)
        & (held.unit_id == p.unit_id)
        & (held.signed_on >= p.start_date)
        & (held.signed_on < p.end_date.coalesce(as_of)),
    )
    return joined.select(
        p.post_id, held.person_id, held.unit_id, held.contract_id, held.enterprise_id,
        held.amount, held.signed_on, held.relation, held.role,
    )
