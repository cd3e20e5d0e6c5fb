"""One OCDS compiled release -> rows of the contract tables (plain dicts, no I/O).

What OCDS does not carry but the contract requires is filled with a documented placeholder
(`PLACEHOLDERS`); a row whose identity or a required fact (procurement method, contract amount,
signature date...) is missing is skipped instead, and every skip is counted in the `Tally`.
Rows carry two private keys the accumulator strips: `_placeholders` (the columns filled in) and
`_from_party` (for organizations: described by a `parties` entry, not only referenced).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from data_contracts.contract import BID_STATUSES, LEVELS, METHODS, OWNERSHIPS, TENDER_STATUSES
from data_contracts.ocds.summary import Tally
from data_contracts.ocds.values import (
    address_line,
    as_dict,
    as_list,
    identifier,
    number,
    phone_number,
    text,
    local_date,
    utc_timestamp,
)

Row = dict[str, Any]

UNKNOWN = "unknown"
# Conservative: an enterprise of unknown age looks old, so "newly founded supplier" signals
# cannot fire on missing data; `registered_on_known = false` lets features treat it as NaN.
REGISTERED_ON_PLACEHOLDER = date(1900, 1, 1)
OWNERSHIP_PLACEHOLDER = "private"  # the commonest ownership of suppliers; ownership_known = false
assert OWNERSHIP_PLACEHOLDER in OWNERSHIPS

# OCDS tenderStatus -> contract status. planning/withdrawn have no contract code of their own.
TENDER_STATUS = {
    "planning": "planned",
    "planned": "planned",
    "active": "active",
    "complete": "complete",
    "cancelled": "cancelled",
    "unsuccessful": "unsuccessful",
    "withdrawn": "cancelled",
}
# OCDS bidStatus -> contract status; `invited` is not a bid and is skipped.
BID_STATUS = {status: status for status in BID_STATUSES} | {"pending": "valid"}
assert set(TENDER_STATUS.values()) <= set(TENDER_STATUSES)
assert set(BID_STATUS.values()) <= set(BID_STATUSES)

BUYER_ROLES = ("buyer", "procuringEntity")
ENTERPRISE_ROLES = ("tenderer", "supplier")

# contract column -> (the value used, why); "value" None means "given on the command line".
PLACEHOLDERS: dict[str, tuple[str | None, str]] = {
    "units.name": ("the organization id", "no name in parties nor in the reference"),
    "units.region": (UNKNOWN, "no address.region"),
    "units.level": (None, "OCDS has no government level: --unit-level"),
    "units.sector": (None, "OCDS has no sector: --unit-sector"),
    "enterprises.name": ("the organization id", "no name in parties nor in the reference"),
    "enterprises.region": (UNKNOWN, "no address.region"),
    "enterprises.registered_on": (
        REGISTERED_ON_PLACEHOLDER.isoformat(),
        "OCDS has no registration date; registered_on_known = false",
    ),
    "enterprises.ownership": (
        OWNERSHIP_PLACEHOLDER,
        "OCDS has no ownership; ownership_known = false",
    ),
    "enterprises.industry": (UNKNOWN, "OCDS has no industry"),
    "tenders.title": ("the ocid", "no tender.title"),
    "tenders.category": (UNKNOWN, "no classification.id on any tender item"),
}

# Extra optional columns (the contract allows them) and their contract-style types.
EXTRA_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "enterprises": (("registered_on_known", "bool"), ("ownership_known", "bool")),
    "tenders": (
        ("procurement_method_details", "str"),
        ("number_of_tenderers", "int"),
        ("procuring_entity_id", "str"),
        ("main_classification", "str"),
    ),
    "bids": (("currency", "str"), ("consortium_size", "int")),
    "contracts": (("currency", "str"), ("consortium_size", "int"), ("ocds_source", "str")),
}


@dataclass(frozen=True)
class MappingOptions:
    unit_level: str = "city"
    unit_sector: str = "other"

    def __post_init__(self) -> None:
        if self.unit_level not in LEVELS:
            raise ValueError(f"unit level {self.unit_level!r} is not one of {', '.join(LEVELS)}")
        if not self.unit_sector.strip():
            raise ValueError("unit sector must not be blank")


@dataclass
class MappedRelease:
    units: list[Row] = field(default_factory=list)
    enterprises: list[Row] = field(default_factory=list)
    tenders: list[Row] = field(default_factory=list)
    bids: list[Row] = field(default_factory=list)
    contracts: list[Row] = field(default_factory=list)


# Organizations already described by a `parties` entry, by table: their rows cannot change any
# more (see tables.py), so they are not mapped again; suppliers recur in thousands of releases.
NOTHING_DESCRIBED: dict[str, Container[str]] = {"units": (), "enterprises": ()}


def map_release(
    release: dict[str, Any],
    line: int,
    options: MappingOptions,
    tally: Tally,
    described: Mapping[str, Container[str]] = NOTHING_DESCRIBED,
) -> MappedRelease:
    return _ReleaseMapper(release, line, options, tally, described).map()


class _ReleaseMapper:
    """The mapping of one release; holds what its parts share (ocid, parties, line, tally)."""

    def __init__(
        self,
        release: dict[str, Any],
        line: int,
        options: MappingOptions,
        tally: Tally,
        described: Mapping[str, Container[str]],
    ):
        self.release = release
        self.described = described
        self.ocid: str = release["ocid"]
        self.line = line
        self.options = options
        self.tally = tally
        self.tender = as_dict(release.get("tender"))
        self.parties = self._parties_by_id()
        self.ids_by_role = self._ids_by_role()
        self.awards = [a for a in as_list(release.get("awards")) if isinstance(a, dict)]
        self.contracts = [c for c in as_list(release.get("contracts")) if isinstance(c, dict)]
        self.bids = as_list(as_dict(release.get("bids")).get("details"))

    # -- shared helpers ---------------------------------------------------------------------

    def missing(self, path: str) -> None:
        self.tally.missing(path)

    def note(self, event: str) -> None:
        self.tally.note(event, self.line)

    def skip(self, table: str, reason: str) -> None:
        self.tally.skip_row(table, reason, self.line)

    def date_of(self, raw: Any, path: str) -> date | None:
        """The publisher's calendar date; a missing or unreadable value is counted under `path`."""
        if raw is None:
            self.missing(path)
            return None
        parsed = local_date(raw)
        if parsed is None:
            self.missing(f"{path} (invalid)")
        return parsed

    def money(self, value: Any, path: str) -> tuple[float | None, str | None]:
        """(amount, currency) of an OCDS Value; a negative amount is dropped and noted."""
        value = as_dict(value)
        amount = number(value.get("amount"))
        if amount is None:
            self.missing(f"{path}.amount")
        elif amount < 0:
            self.note(f"{path}.amount negative (dropped)")
            amount = None
        currency = text(value.get("currency"))
        return amount, currency

    # -- the release ---------------------------------------------------------------------------

    def map(self) -> MappedRelease:
        mapped = MappedRelease()
        buyer_id, procuring_entity_id = self._buyer_ids()
        mapped.units = self._units(buyer_id, procuring_entity_id)
        mapped.enterprises = self._enterprises()
        tender = self._tender(buyer_id or procuring_entity_id, procuring_entity_id)
        if tender is None:
            self._skip_dependants("tender not imported")
            return mapped
        if buyer_id is None:
            self.note("no buyer: the procuring entity is the tender's unit")
        mapped.tenders = [tender]
        mapped.bids = self._bids(tender["currency"])
        mapped.contracts = self._contracts(tender["currency"])
        return mapped

    def _skip_dependants(self, reason: str) -> None:
        for _ in self.bids:
            self.skip("bids", reason)
        for _ in self.contracts:
            self.skip("contracts", reason)
        for award in self.awards:
            if award.get("status") == "active":
                self.skip("contracts", f"award: {reason}")

    # -- organizations ---------------------------------------------------------------------------

    def _parties_by_id(self) -> dict[str, dict[str, Any]]:
        parties: dict[str, dict[str, Any]] = {}
        for party in as_list(self.release.get("parties")):
            party_id = identifier(as_dict(party).get("id"))
            if party_id is not None and party_id not in parties:
                parties[party_id] = party
        return parties

    def _ids_by_role(self) -> dict[str, list[str]]:
        by_role: dict[str, list[str]] = {}
        for party_id, party in self.parties.items():
            for role in as_list(party.get("roles")):
                if isinstance(role, str):
                    by_role.setdefault(role, []).append(party_id)
        return by_role

    def _ids_with_role(self, roles: tuple[str, ...]) -> list[str]:
        """Party ids having any of `roles`, in the order of the parties."""
        if len(roles) == 1:
            return self.ids_by_role.get(roles[0], [])
        wanted = {party_id for role in roles for party_id in self.ids_by_role.get(role, ())}
        return [party_id for party_id in self.parties if party_id in wanted]

    def _buyer_ids(self) -> tuple[str | None, str | None]:
        """The buyer and procuring entity ids: the references first, then the party roles."""
        buyer = identifier(as_dict(self.release.get("buyer")).get("id"))
        if buyer is None:
            buyer = next(iter(self._ids_with_role(("buyer",))), None)
        procuring = identifier(as_dict(self.tender.get("procuringEntity")).get("id"))
        if procuring is None:
            procuring = next(iter(self._ids_with_role(("procuringEntity",))), None)
        return buyer, procuring

    def _organization(self, org_id: str, reference: dict[str, Any], table: str) -> Row:
        """The columns units and enterprises share, from the party entry or else the reference."""
        party = self.parties.get(org_id)
        source = party if party is not None else reference  # references may carry 1.0 details
        if party is None:
            self.note(f"{table}: organization only referenced, not in parties")
        placeholders: list[str] = []
        name = text(source.get("name")) or text(as_dict(source.get("identifier")).get("legalName"))
        if name is None:
            self.missing(f"parties[].name ({table})")
            name = org_id
            placeholders.append("name")
        address = as_dict(source.get("address"))
        region = text(address.get("region"))
        if region is None:
            self.missing(f"parties[].address.region ({table})")
            region = UNKNOWN
            placeholders.append("region")
        return {
            "name": name,
            "region": region,
            "_address": address,
            "_contact": as_dict(source.get("contactPoint")),
            "_placeholders": placeholders,
            "_from_party": party is not None,
        }

    def _units(self, buyer_id: str | None, procuring_entity_id: str | None) -> list[Row]:
        references = {  # the buyer's reference wins when both name the same organization
            procuring_entity_id: as_dict(self.tender.get("procuringEntity")),
            buyer_id: as_dict(self.release.get("buyer")),
        }
        ids = dict.fromkeys([buyer_id, procuring_entity_id, *self._ids_with_role(BUYER_ROLES)])
        units = []
        described = self.described["units"]
        for unit_id in ids:
            if unit_id is None or unit_id in described:
                continue
            row = self._organization(unit_id, references.get(unit_id, {}), "units")
            del row["_address"], row["_contact"]
            row["_placeholders"] += ["level", "sector"]
            units.append(
                {
                    "unit_id": unit_id,
                    **row,
                    "level": self.options.unit_level,
                    "sector": self.options.unit_sector,
                }
            )
        return units

    def _enterprise_references(self) -> dict[str, dict[str, Any]]:
        """Enterprise id -> its first organization reference (bid tenderers, award suppliers)."""
        references: dict[str, dict[str, Any]] = {}
        groups = [as_list(self.tender.get("tenderers"))]
        groups += [as_list(as_dict(bid).get("tenderers")) for bid in self.bids]
        groups += [as_list(award.get("suppliers")) for award in self.awards]
        for group in groups:
            for reference in group:
                reference = as_dict(reference)
                org_id = identifier(reference.get("id"))
                if org_id is not None:
                    references.setdefault(org_id, reference)
        return references

    def _enterprises(self) -> list[Row]:
        references = self._enterprise_references()
        ids = dict.fromkeys([*self._ids_with_role(ENTERPRISE_ROLES), *references])
        enterprises = []
        described = self.described["enterprises"]
        for enterprise_id in ids:
            if enterprise_id in described:
                continue
            row = self._organization(
                enterprise_id, references.get(enterprise_id, {}), "enterprises"
            )
            address, contact = row.pop("_address"), row.pop("_contact")
            phone = phone_number(contact.get("telephone"))
            if phone is None:
                self.missing("parties[].contactPoint.telephone")
            row["_placeholders"] += ["registered_on", "ownership", "industry"]
            enterprises.append(
                {
                    "enterprise_id": enterprise_id,
                    **row,
                    "registered_on": REGISTERED_ON_PLACEHOLDER,
                    "deregistered_on": None,
                    "registered_capital": None,
                    "ownership": OWNERSHIP_PLACEHOLDER,
                    "industry": UNKNOWN,
                    "address": address_line(address),
                    "phone": phone,
                    "registered_on_known": False,
                    "ownership_known": False,
                }
            )
        return enterprises

    # -- tender ---------------------------------------------------------------------------

    def _tender(self, unit_id: str | None, procuring_entity_id: str | None) -> Row | None:
        tender = self.tender
        if not tender:
            self.skip("tenders", "no tender section")
            return None
        if unit_id is None:
            self.skip("tenders", "no buyer nor procuring entity id")
            return None
        method = tender.get("procurementMethod")
        if method is None:
            self.skip("tenders", "no tender.procurementMethod")
            return None
        if method not in METHODS:
            self.skip("tenders", "tender.procurementMethod not in the method codelist")
            return None
        placeholders = []
        title = text(tender.get("title"))
        if title is None:
            self.missing("tender.title")
            title, placeholders = self.ocid, [*placeholders, "title"]
        category = self._category()
        if category is None:
            self.missing("tender.items[].classification.id")
            category, placeholders = UNKNOWN, [*placeholders, "category"]
        estimated_value, currency = self.money(tender.get("value"), "tender.value")
        if currency is None:
            currency = self._first_currency()
        period = as_dict(tender.get("tenderPeriod"))
        published_on = self.date_of(
            _first_given(period.get("startDate"), tender.get("datePublished")),
            "tender.tenderPeriod.startDate / tender.datePublished",
        )
        deadline = self.date_of(period.get("endDate"), "tender.tenderPeriod.endDate")
        if published_on and deadline and deadline < published_on:
            self.note("tenders: deadline before published_on (deadline dropped)")
            deadline = None
        return {
            "tender_id": self.ocid,
            "unit_id": unit_id,
            "title": title,
            "category": category,
            "method": method,
            "estimated_value": estimated_value,
            "currency": currency,
            "published_on": published_on,
            "deadline": deadline,
            "awarded_on": self._awarded_on(),
            "status": self._tender_status(),
            "procurement_method_details": _raw_string(tender.get("procurementMethodDetails")),
            "number_of_tenderers": _count(tender.get("numberOfTenderers")),
            "procuring_entity_id": procuring_entity_id,
            "main_classification": text(tender.get("mainProcurementCategory")),
            "_placeholders": placeholders,
        }

    def _category(self) -> str | None:
        """The classification id of the first tender item that has one."""
        for item in as_list(self.tender.get("items")):
            code = identifier(as_dict(as_dict(item).get("classification")).get("id"))
            if code is not None:
                return code
        return None

    def _first_currency(self) -> str | None:
        """Without tender.value, the first currency of the awards, contracts or bids."""
        values = [a.get("value") for a in self.awards] + [c.get("value") for c in self.contracts]
        values += [as_dict(bid).get("value") for bid in self.bids]
        for value in values:
            currency = text(as_dict(value).get("currency"))
            if currency is not None:
                self.note("tenders: currency taken from an award, contract or bid")
                return currency
        self.missing("tender.value.currency")
        return None

    def _awarded_on(self) -> date | None:
        dates = [local_date(a.get("date")) for a in self.awards if a.get("status") == "active"]
        known = [d for d in dates if d is not None]
        return min(known) if known else None

    def _tender_status(self) -> str:
        raw = _code(self.tender.get("status"))
        if raw in TENDER_STATUS:
            return TENDER_STATUS[raw]
        self.missing("tender.status" if raw is None else "tender.status (not in the codelist)")
        derived = self._status_from_awards()
        self.note(f"tenders: status derived from awards and contracts ({derived})")
        return derived

    def _status_from_awards(self) -> str:
        contract_statuses = {_code(c.get("status")) for c in self.contracts} - {"cancelled"}
        award_statuses = {_code(a.get("status")) for a in self.awards}
        if contract_statuses == {"terminated"}:
            return "complete"
        if "active" in award_statuses or contract_statuses & {"active", "pending"}:
            return "active"
        if award_statuses and award_statuses <= {"unsuccessful", "cancelled"}:
            return "unsuccessful"
        return "active"  # open for bids or not yet awarded, as far as the data tells

    # -- bids -----------------------------------------------------------------------------------

    def _bids(self, tender_currency: str | None) -> list[Row]:
        rows: list[Row] = []
        for index, bid in enumerate(self.bids):
            if not isinstance(bid, dict):
                self.skip("bids", "bid is not an object")
                continue
            status = self._bid_status(_code(bid.get("status")))
            if status is None:
                continue
            tenderers = _reference_ids(bid.get("tenderers"))
            if not tenderers:
                self.skip("bids", "no tenderer with an id")
                continue
            amount, currency = self.money(bid.get("value"), "bids.details[].value")
            self._check_currency("bids", currency, tender_currency)
            submitted_at = self._timestamp(bid.get("date"), "bids.details[].date")
            local_id = identifier(bid.get("id")) or f"#{index}"
            for tenderer in tenderers:
                rows.append(
                    {
                        "bid_id": f"{self.ocid}/bid:{local_id}/{tenderer}",
                        "tender_id": self.ocid,
                        "enterprise_id": tenderer,
                        "amount": amount,
                        "submitted_at": submitted_at,
                        "status": status,
                        "currency": currency,
                        "consortium_size": len(tenderers),
                    }
                )
        return rows

    def _bid_status(self, raw: Any) -> str | None:
        if raw == "invited":
            self.skip("bids", "invited (an invitation, not a bid)")
            return None
        if raw == "pending":
            self.note("bids: pending mapped to valid")
        if raw in BID_STATUS:
            return BID_STATUS[raw]
        self.skip("bids", "no status" if raw is None else "status not in the bidStatus codelist")
        return None

    def _timestamp(self, raw: Any, path: str) -> datetime | None:
        if raw is None:
            self.missing(path)
            return None
        parsed = utc_timestamp(raw)
        if parsed is None:
            self.missing(f"{path} (invalid)")
        return parsed

    def _check_currency(
        self, table: str, currency: str | None, tender_currency: str | None
    ) -> None:
        if currency is not None and tender_currency is not None and currency != tender_currency:
            self.note(f"{table}: currency differs from the tender's (kept, see column currency)")

    # -- contracts --------------------------------------------------------------------------------

    def _contracts(self, tender_currency: str | None) -> list[Row]:
        awards_by_id = {identifier(a.get("id")): a for a in self.awards}
        awards_by_id.pop(None, None)
        covered: set[int] = set()  # awards a contract points at (by object): not rows of their own
        rows: list[Row] = []
        for index, contract in enumerate(self.contracts):
            award_id = identifier(contract.get("awardID"))
            if award_id is None and len(self.awards) == 1:
                award = self.awards[0]
                self.note("contracts: no awardID, the only award used")
            else:
                award = awards_by_id.get(award_id) if award_id is not None else None
            if award is not None:
                covered.add(id(award))
            local_id = identifier(contract.get("id")) or f"#{index}"
            rows += self._contract_rows(contract, award, f"contract:{local_id}", tender_currency)
        for index, award in enumerate(self.awards):
            if id(award) in covered:
                continue
            award_id = identifier(award.get("id"))
            if award.get("status") != "active":
                self.skip("contracts", "award without contract, not active")
                continue
            rows += self._award_rows(award, f"award:{award_id or f'#{index}'}", tender_currency)
        return rows

    def _contract_rows(
        self,
        contract: dict[str, Any],
        award: dict[str, Any] | None,
        local_id: str,
        tender_currency: str | None,
    ) -> list[Row]:
        if contract.get("status") == "cancelled":
            self.skip("contracts", "contract cancelled")
            return []
        if award is None:
            self.skip(
                "contracts", "no award to take the supplier from (awardID missing or unresolved)"
            )
            return []
        amount, currency = self.money(contract.get("value"), "contracts[].value")
        if amount is None:
            amount, currency = self.money(award.get("value"), "awards[].value")
        signed_raw = _first_given(contract.get("dateSigned"), award.get("date"))
        signed_on = self.date_of(signed_raw, "contracts[].dateSigned / awards[].date")
        terminated = (
            contract.get("status") == "terminated" or self.tender.get("status") == "complete"
        )
        ended = as_dict(contract.get("period")).get("endDate") if terminated else None
        facts = _ContractFacts(
            amount=amount,
            currency=currency,
            signed_on=signed_on,
            completed_on=self.date_of(ended, "contracts[].period.endDate") if terminated else None,
            amendments=contract.get("amendments"),
            has_amendments_key="amendments" in contract,
            transactions=as_list(as_dict(contract.get("implementation")).get("transactions"))
            if terminated
            else [],
        )
        return self._rows_for_suppliers(award, local_id, facts, "contract", tender_currency)

    def _award_rows(
        self, award: dict[str, Any], local_id: str, tender_currency: str | None
    ) -> list[Row]:
        amount, currency = self.money(award.get("value"), "awards[].value")
        facts = _ContractFacts(
            amount=amount,
            currency=currency,
            signed_on=self.date_of(award.get("date"), "awards[].date"),
            completed_on=None,
            amendments=award.get("amendments"),
            has_amendments_key="amendments" in award,
            transactions=[],
        )
        return self._rows_for_suppliers(award, local_id, facts, "award", tender_currency)

    def _rows_for_suppliers(
        self,
        award: dict[str, Any],
        local_id: str,
        facts: _ContractFacts,
        source: str,
        tender_currency: str | None,
    ) -> list[Row]:
        suppliers = _reference_ids(award.get("suppliers"))
        reason = facts.missing_requirement() or (
            None if suppliers else "award has no supplier with an id"
        )
        if reason is not None:
            self.skip("contracts", f"{source}: {reason}")
            return []
        self._check_currency("contracts", facts.currency, tender_currency)
        amount, final_amount = self._signature_and_final_amount(facts)
        completed_on = facts.completed_on
        if completed_on is not None and completed_on < facts.signed_on:
            self.note("contracts: completed_on before signed_on (completed_on dropped)")
            completed_on = None
        amendments = facts.amendments
        return [
            {
                "contract_id": f"{self.ocid}/{local_id}/{supplier}",
                "tender_id": self.ocid,
                "enterprise_id": supplier,
                "amount": amount,
                "signed_on": facts.signed_on,
                "final_amount": final_amount,
                "amendments": len(amendments)
                if facts.has_amendments_key and isinstance(amendments, list)
                else None,
                "completed_on": completed_on,
                "currency": facts.currency,
                "consortium_size": len(suppliers),
                "ocds_source": source,
            }
            for supplier in suppliers
        ]

    def _signature_and_final_amount(self, facts: _ContractFacts) -> tuple[float, float | None]:
        """(amount at signature, final amount).

        A compiled release holds the current, i.e. amended, value. Only the (1.1-deprecated)
        `amendments[].changes` tell the value at signature; without them an amended contract's
        amount may already include its amendments. Payments (transactions) are a final amount
        only once the contract is over: before that they are partial.
        """
        current = facts.amount
        former = _former_amount(as_list(facts.amendments))
        if former is not None:
            self.note("contracts: amount at signature from amendments[].changes")
            return former, current
        if as_list(facts.amendments):
            self.note(
                "contracts: amended, value at signature unknown (amount may include amendments)"
            )
        paid = _transactions_total(facts.transactions, facts.currency)
        if paid is not None:
            self.note("contracts: final_amount from implementation.transactions")
        return current, paid


@dataclass(frozen=True, slots=True)
class _ContractFacts:
    """What a contract row needs, from a contract (with its award) or from an award alone."""

    amount: float | None
    currency: str | None
    signed_on: date | None
    completed_on: date | None
    amendments: Any
    has_amendments_key: bool
    transactions: list[Any]

    def missing_requirement(self) -> str | None:
        if self.amount is None:
            return "no amount"
        if self.signed_on is None:
            return "no signature date"
        return None


def _reference_ids(references: Any) -> list[str]:
    """The distinct ids of a list of organization references, in order."""
    ids = (identifier(as_dict(reference).get("id")) for reference in as_list(references))
    return list(dict.fromkeys(i for i in ids if i is not None))


def _code(value: Any) -> str | None:
    """A codelist value, or None for anything that is not a string (so it can be looked up)."""
    return value if isinstance(value, str) else None


def _first_given(*values: Any) -> Any:
    """The first value that is not None (a present but null field falls through too)."""
    return next((value for value in values if value is not None), None)


def _raw_string(value: Any) -> str | None:
    """A string kept exactly (procurementMethodDetails is matched verbatim by exclusion lists)."""
    return value if isinstance(value, str) and value.strip() else None


def _count(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _former_amount(amendments: list[Any]) -> float | None:
    """The value before the first amendment that changed it (`changes[].former_value`)."""
    for amendment in amendments:
        for change in as_list(as_dict(amendment).get("changes")):
            change = as_dict(change)
            former = change.get("former_value")
            if change.get("property") == "value":
                former = as_dict(former).get("amount")
            elif change.get("property") != "value.amount":
                continue
            amount = number(former)
            if amount is not None and amount >= 0:
                return amount
    return None


def _transactions_total(transactions: list[Any], currency: str | None) -> float | None:
    """The sum paid, if every transaction has an amount in the contract's currency."""
    total = 0.0
    amounts = 0
    for transaction in transactions:
        transaction = as_dict(transaction)
        value = as_dict(transaction.get("value") or transaction.get("amount"))  # 1.0 used `amount`
        amount = number(value.get("amount"))
        paid_in = text(value.get("currency"))
        if amount is None or (paid_in is not None and currency is not None and paid_in != currency):
            return None
        total += amount
        amounts += 1
    return total if amounts and total >= 0 else None
