"""R044 business similarities between tenderers: bidders in one tender share an address, a
phone number or a person who owns or runs them, which suggests they are not independent.

Tenderers of a tender: the enterprises with a submitted bid (valid or disqualified). Two of them
are linked when they share
- a normalised address: full-width letters and digits folded to ASCII, lower case, everything
  but letters and digits removed ("中山路１号 A座" == "中山路1号a座");
- a normalised phone: its digits, without an international prefix (00)86 and the trunk 0
  ("025-1234 5678" == "+86 25 12345678"), at least 7 digits;
- a person holding a role (owner, manager, ...) in both on the day the bids were opened.
An address or phone registered by more than `shared_contact_limit` enterprises is left out: a
business centre or a registration agent's phone links many honest firms; so is a person with
roles in more than `shared_person_limit` enterprises (an agent or professional nominee), as in
the enterprise features (features/links.py).

Null unless the bids are opened and at least two enterprises bid.

Differences from huoyan's OCDS R044 (features/ocds/r044.py): the tables carry one address and
one phone per enterprise, no e-mail, fax or URL, and no Unicode NFKC (only full-width ASCII is
folded); they add the people in `enterprise_roles`, which OCDS does not have.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set
from features.tender.base import as_flag, in_scope, submitted_bids, tender_feature

FULL_WIDTH = "".join(chr(c) for c in range(0xFF10, 0xFF1A)) + "".join(
    chr(c) for c in range(0xFF21, 0xFF3B)
) + "".join(chr(c) for c in range(0xFF41, 0xFF5B))
ASCII = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MINIMUM_PHONE_DIGITS = 7
KINDS = ("address", "phone", "person")


def fold_full_width(text: ir.StringValue, characters: str = FULL_WIDTH) -> ir.StringValue:
    """Full-width letters and digits as ASCII ("１２Ａ" -> "12A"). `translate` is slow on long
    mappings, so it runs only on the rare values that contain such characters."""
    pattern = "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _ranges(characters)) + "]"
    return ibis.ifelse(
        text.re_search(pattern), text.translate(characters, ASCII[: len(characters)]), text
    )


def _ranges(characters: str) -> list[tuple[int, int]]:
    codes = sorted(ord(c) for c in characters)
    ranges = [[codes[0], codes[0]]]
    for code in codes[1:]:
        if code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return [(lo, hi) for lo, hi in ranges]


def normalise_address(address: ir.StringValue) -> ir.StringValue:
    folded = fold_full_width(address).lower()
    text = folded.re_replace(r"[^\p{L}\p{N}]+", "")
    return ibis.ifelse(text == "", ibis.null("string"), text)


def normalise_phone(phone: ir.StringValue) -> ir.StringValue:
    digits = fold_full_width(phone, FULL_WIDTH[:10]).re_replace(r"[^0-9]+", "")
    national = ibis.cases(
        (digits.startswith("0086"), digits.substr(4)),
        (digits.startswith("86") & (digits.length() >= 12), digits.substr(2)),
        else_=digits,
    )
    number = national.re_replace(r"^0+", "")
    return ibis.ifelse(number.length() >= MINIMUM_PHONE_DIGITS, number, ibis.null("string"))


def contact_keys(v: Tables, limit: int) -> ir.Table:
    """(enterprise_id, kind, key) for the addresses and phones of 2..`limit` enterprises (a key
    of one enterprise cannot link two)."""
    e = v.enterprises
    parts = []
    for kind, key in (("address", normalise_address(e.address)),
                      ("phone", normalise_phone(e.phone))):
        keyed = e.select("enterprise_id", kind=ibis.literal(kind), key=key)
        keyed = keyed.filter(keyed.key.notnull())
        usage = keyed.group_by("key").aggregate(firms=keyed.count())
        shared = usage.filter((usage.firms >= 2) & (usage.firms <= limit)).select("key")
        parts.append(keyed.semi_join(shared, "key"))
    return parts[0].union(parts[1], distinct=False)


def person_keys(v: Tables, limit: int) -> ir.Table:
    """(enterprise_id, person_id, start_date, end_date): roles of persons with roles in 2..`limit`
    enterprises (one enterprise cannot link two; a nominee or agent in many is no link)."""
    r = v.enterprise_roles
    people = r.group_by("person_id").aggregate(firms=r.enterprise_id.nunique())
    people = people.filter((people.firms >= 2) & (people.firms <= limit)).select("person_id")
    return r.semi_join(people, "person_id").select(
        "enterprise_id", "person_id", "start_date", "end_date"
    )


def features(params: FeatureParams) -> list[Feature]:
    return [
        tender_feature(
            "tenderers_linked",
            "bidders share an address, a phone or an owner/manager (R044)", "flag",
            "{linked_tenderers:.0f} bidders share an address, a phone or an owner/manager",
            monotone=1, red_flag=True, source="R044",
        ),
        tender_feature(
            "linked_tenderers",
            "bidders sharing an address, a phone or an owner/manager with another bidder",
            "count", "{value:.0f} bidders share an address, a phone or an owner/manager with "
            "another bidder", monotone=1, source="R044",
        ),
        tender_feature(
            "tenderers_share_address", "two or more bidders are registered at one address",
            "flag", "two or more bidders are registered at the same address", monotone=1,
            source="R044",
        ),
        tender_feature(
            "tenderers_share_phone", "two or more bidders give the same phone number", "flag",
            "two or more bidders give the same phone number", monotone=1, source="R044",
        ),
        tender_feature(
            "tenderers_share_person",
            "one person owns or runs two or more of the bidders", "flag",
            "one person owns or runs two or more of the bidders", monotone=1, source="R044",
        ),
    ]


@feature_set("tender_r044", "tender", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    b = in_scope(submitted_bids(v), v, as_of, params)
    t = v.tenders
    opened = t.select("tender_id", on=t.deadline.coalesce(t.awarded_on))
    bidders = b.group_by("tender_id").aggregate(n=b.enterprise_id.nunique())
    keys = contact_keys(v, params.shared_contact_limit)
    r = person_keys(v, params.shared_person_limit)
    # Only enterprises with a key another enterprise shares can be linked: few, so the
    # (tender, enterprise) pairs are made distinct after this filter, not before.
    candidates = keys.select("enterprise_id").union(r.select("enterprise_id"))
    tenderers = b.semi_join(candidates, "enterprise_id")
    tenderers = tenderers.select("tender_id", "enterprise_id").distinct()
    by_contact = tenderers.join(keys, "enterprise_id").select(
        "tender_id", "enterprise_id", "kind", "key"
    )
    with_on = tenderers.join(opened, "tender_id")
    by_person = with_on.join(
        r,
        (with_on.enterprise_id == r.enterprise_id)
        & (r.start_date <= with_on.on)
        & (r.end_date.isnull() | (r.end_date > with_on.on)),
    ).select(
        with_on.tender_id, with_on.enterprise_id, kind=ibis.literal("person"),
        key=r.person_id,
    )
    # Rows are distinct per (tender, enterprise, kind, key): one address and one phone per
    # enterprise, and the person rows are made distinct (one person may hold several roles).
    links = by_contact.union(by_person.distinct(), distinct=False)
    shared = links.group_by("tender_id", "kind", "key").aggregate(firms=links.count())
    shared = shared.filter(shared.firms >= 2)
    linked = links.semi_join(shared, ["tender_id", "kind", "key"])
    per_kind = {f"share_{kind}": (linked.kind == kind).any() for kind in KINDS}
    found = linked.group_by("tender_id").aggregate(
        linked=linked.enterprise_id.nunique(), **per_kind
    )
    per = bidders.filter(bidders.n >= 2).left_join(found, "tender_id")
    linked_n = per.linked.fill_null(0)
    return per.select(
        entity_id=per.tender_id,
        tenderers_linked=as_flag(linked_n > 0),
        linked_tenderers=linked_n.cast("float64"),
        tenderers_share_address=as_flag(per.share_address.fill_null(False)),
        tenderers_share_phone=as_flag(per.share_phone.fill_null(False)),
        tenderers_share_person=as_flag(per.share_person.fill_null(False)),
    )
