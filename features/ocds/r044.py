"""R044 business similarities between tenderers: tenderers in one process share an address or a
contact point, which suggests they are connected (e.g. one owner bidding under two names).

Not in Cardinal's fixtures; this is huoyan's definition.

Tenderers of a process: the parties whose `roles` include `tenderer`, and the tenderers of its
submitted bids. Their details come from `parties[]` (the first entry with that id); two distinct
tenderer ids are compared.

Normalised text: NFKC, case-folded, each run of characters other than letters and digits
becomes one space, trimmed ("Collusion St. 1" == "collusion st 1").

- Address: the normalised (streetAddress, locality, region, postalCode, countryName); a missing
  field is empty. Compared only if streetAddress is not empty: a shared town alone says nothing.
- Contact point: shared if any one field is equal, field by field:
  email (trimmed, case-folded, must contain @), telephone and faxNumber (their digits, at least
  7, so that "+1 (555) 010-9999" == "1 555 010 9999"), url (normalised text without the scheme
  and a leading "www"). The contact `name` is left out: different people share names.

Value 1.0 per OCID and per Tenderer that shares something with another tenderer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from features.ocds.common import (
    Release,
    as_array,
    as_object,
    as_string,
    member,
    submitted_bids,
    tenderer_ids,
)
from features.ocds.state import Indicator, RunState

ADDRESS_FIELDS = ("streetAddress", "locality", "region", "postalCode", "countryName")
MINIMUM_PHONE_DIGITS = 7
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_URL_PREFIX = re.compile(r"^(?:https? )?(?:www )?")


def normalise_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_ALPHANUMERIC.sub(" ", folded).strip()


def normalise_address(address: Any) -> tuple[str, ...] | None:
    fields = tuple(normalise_text(as_string(member(address, f)) or "") for f in ADDRESS_FIELDS)
    return fields if fields[0] else None


def normalise_email(value: str) -> str | None:
    email = unicodedata.normalize("NFKC", value).strip().casefold()
    return email if "@" in email else None


def normalise_phone(value: str) -> str | None:
    digits = "".join(c for c in unicodedata.normalize("NFKC", value) if c.isdecimal())
    return digits if len(digits) >= MINIMUM_PHONE_DIGITS else None


def normalise_url(value: str) -> str | None:
    url = _URL_PREFIX.sub("", normalise_text(value)).strip()
    return url or None


_CONTACT_NORMALISERS = {
    "email": normalise_email,
    "telephone": normalise_phone,
    "faxNumber": normalise_phone,
    "url": normalise_url,
}


def normalise_contact_point(contact_point: Any) -> dict[str, str]:
    """{field: normalised value} for the fields that survive normalisation."""
    normalised = {}
    for name, normalise in _CONTACT_NORMALISERS.items():
        value = as_string(member(contact_point, name))
        if value is not None and (text := normalise(value)) is not None:
            normalised[name] = text
    return normalised


@dataclass(frozen=True)
class TendererDetails:
    address: tuple[str, ...] | None
    contact_point: dict[str, str]

    def shares_with(self, other: TendererDetails) -> bool:
        if self.address is not None and self.address == other.address:
            return True
        return any(other.contact_point.get(k) == v for k, v in self.contact_point.items())


def tenderer_details(release: Release) -> dict[str, TendererDetails]:
    parties: dict[str, dict[str, Any]] = {}
    tenderers: dict[str, None] = {}  # ordered set
    for party in as_array(release.get("parties")) or []:
        party_id = as_string(member(party, "id"))
        if party_id is None or as_object(party) is None:
            continue
        parties.setdefault(party_id, party)
        if "tenderer" in (as_array(party.get("roles")) or []):
            tenderers[party_id] = None
    for bid in submitted_bids(release):
        tenderers.update(dict.fromkeys(tenderer_ids(bid)))
    return {
        id: TendererDetails(
            normalise_address(parties[id].get("address")),
            normalise_contact_point(parties[id].get("contactPoint")),
        )
        for id in tenderers
        if id in parties
    }


class BusinessSimilarities(Indicator):
    code = "R044"

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        details = tenderer_details(release)
        for (first_id, first), (second_id, second) in combinations(details.items(), 2):
            if first.shares_with(second):
                state.results.flag("OCID", ocid, self.code, 1.0)
                state.results.flag("Tenderer", first_id, self.code, 1.0)
                state.results.flag("Tenderer", second_id, self.code, 1.0)
