"""R044: tenderers in one process share a normalised address or a contact point."""

from __future__ import annotations

from typing import Any

from features.ocds.r044 import normalise_address, normalise_contact_point, normalise_text
from tests.cardinal.conftest import IndicatorsCommand

SETTINGS = "[R044]\n"


def party(id: str, roles: list[str] | None = None, **details: Any) -> dict[str, Any]:
    return {"id": id, "roles": roles or ["tenderer"], **details}


def process(ocid: str, *parties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"ocid": ocid, "parties": list(parties), **extra}


STREET = {"streetAddress": "Collusion Street 1", "locality": "Atlantis", "countryName": "AT"}


def test_normalisation() -> None:
    assert normalise_text("  Collusion St.\u00a01 ") == "collusion st 1"
    assert normalise_text("ＣＯＬＬＵＳＩＯＮ") == "collusion"  # NFKC folds full-width letters
    assert normalise_text("Straße") == normalise_text("STRASSE")  # case-folded
    assert normalise_address({"locality": "Atlantis"}) is None  # no street: not compared
    assert normalise_contact_point(
        {"email": " Sales@Example.COM ", "telephone": "+1 (555) 010-9999", "faxNumber": "12",
         "url": "https://www.Example.com/", "name": "J. Smith"}
    ) == {"email": "sales@example.com", "telephone": "15550109999", "url": "example com"}


def test_shared_address_flags_process_and_both_tenderers(indicators: IndicatorsCommand) -> None:
    releases = [
        process(
            "F",
            party("A", address=STREET),
            party("B", address={**STREET, "streetAddress": "collusion  street, 1"}),
            party("C", address={**STREET, "streetAddress": "Honest Road 2"}),
            party("buyer", roles=["buyer"], address=STREET),  # not a tenderer
        )
    ]
    output = indicators(SETTINGS, releases)
    assert output["OCID"] == {"F": {"R044": 1.0}}
    assert output["Tenderer"] == {"A": {"R044": 1.0}, "B": {"R044": 1.0}}


def test_shared_contact_point_field_by_field(indicators: IndicatorsCommand) -> None:
    releases = [
        process("email", party("A", contactPoint={"email": "X@corp.example"}),
                party("B", contactPoint={"email": "x@CORP.example "})),
        process("phone", party("C", contactPoint={"telephone": "+1 555 010 9999"}),
                party("D", contactPoint={"telephone": "1-555-010-9999"})),
        process("fax", party("E", contactPoint={"faxNumber": "020 7946 0000"}),
                party("F", contactPoint={"faxNumber": "02079460000"})),
        process("url", party("G", contactPoint={"url": "http://acme.example"}),
                party("H", contactPoint={"url": "https://www.ACME.example/"})),
        process("name only", party("I", contactPoint={"name": "John Smith"}),
                party("J", contactPoint={"name": "John Smith"})),
        process("phone vs fax", party("K", contactPoint={"telephone": "5550109999"}),
                party("L", contactPoint={"faxNumber": "5550109999"})),
        process("short phone", party("M", contactPoint={"telephone": "112"}),
                party("N", contactPoint={"telephone": "112"})),
    ]
    output = indicators(SETTINGS, releases)
    assert set(output["OCID"]) == {"email", "phone", "fax", "url"}
    assert set(output["Tenderer"]) == set("ABCDEFGH")


def test_tenderers_come_from_roles_and_from_bids(indicators: IndicatorsCommand) -> None:
    bids = {"details": [
        {"status": "valid", "tenderers": [{"id": "A"}]},
        {"status": "withdrawn", "tenderers": [{"id": "W"}]},  # not submitted
    ]}
    releases = [
        process("via bid", party("A", roles=["supplier"], address=STREET),
                party("B", address=STREET), bids=bids),
        process("withdrawn", party("W", roles=["supplier"], address=STREET),
                party("B", address=STREET), bids=bids),
    ]
    output = indicators(SETTINGS, releases)
    assert output["OCID"] == {"via bid": {"R044": 1.0}}


def test_one_tenderer_and_other_processes_are_not_compared(indicators: IndicatorsCommand) -> None:
    releases = [
        process("one", party("A", address=STREET)),
        process("two", party("B", address=STREET)),
        process("same id twice", party("A", address=STREET), party("A", address=STREET)),
        process("cancelled", party("A", address=STREET), party("B", address=STREET),
                tender={"status": "cancelled"}),
    ]
    assert indicators(SETTINGS, releases) == {"Meta": {}}
