"""Hand-written releases (tests/fixtures/ocds/releases.json) -> the exact contract rows expected.

The fixture covers: buyer with address and a separate procuring entity, parties with roles and
contact points, tender value/items/periods/procurementMethodDetails, bids with every status
(invited skipped, pending -> valid), a two-member consortium, a foreign-currency bid, awards
with several statuses, contracts with amendments and transactions, a cancelled tender, a direct
award, awards without contracts, and tenders that cannot be imported.
"""

from __future__ import annotations

import pytest

from data_contracts.ocds.mapping import MappingOptions

from .conftest import import_file, records, validated

OCID1, OCID2, OCID3, OCID4, OCID5 = (f"ocds-test-00{i}" for i in range(1, 6))

PLACEHOLDER_ENTERPRISE = {
    "registered_on": "1900-01-01",
    "deregistered_on": None,
    "registered_capital": None,
    "ownership": "private",
    "industry": "unknown",
    "registered_on_known": False,
    "ownership_known": False,
}


def enterprise(enterprise_id: str, name: str, region: str, address=None, phone=None) -> dict:
    return {
        "enterprise_id": enterprise_id,
        "name": name,
        "region": region,
        **PLACEHOLDER_ENTERPRISE,
        "address": address,
        "phone": phone,
    }


def unit(unit_id: str, name: str, region: str) -> dict:
    return {
        "unit_id": unit_id,
        "name": name,
        "region": region,
        "level": "county",
        "sector": "health",
    }


EXPECTED_UNITS = [
    unit("CN-BUYER-1", "City Hospital", "Shanghai"),  # the party entry beats release 3's reference
    unit("CN-PE-1", "Municipal Procurement Centre", "Shanghai"),
    unit("CN-BUYER-2", "County School Board", "Hebei"),  # buyer known from its party role only
    unit("CN-BUYER-3", "Provincial Transport Department", "unknown"),
    unit("CN-BUYER-4", "CN-BUYER-4", "unknown"),  # no name anywhere: the id
    unit("CN-BUYER-5", "Water Bureau", "unknown"),  # its tender is skipped, the unit is still real
]

PINE_STREET = "8 Pine St, Pudong, Shanghai, 200120"
EXPECTED_ENTERPRISES = [
    enterprise("CN-ENT-A", "Alpha Medical Ltd", "Shanghai", PINE_STREET, "+862166661234"),
    enterprise("CN-ENT-B", "Beta Supplies", "Shanghai", PINE_STREET, "02166661234"),
    enterprise("CN-ENT-C", "Gamma Co", "unknown"),
    enterprise("CN-ENT-D", "Delta JV Partner", "Jiangsu", "Jiangsu"),
    enterprise("CN-ENT-E", "Epsilon Trading", "Zhejiang", "Zhejiang"),
    enterprise("CN-ENT-F", "Foreign Corp", "unknown"),  # only referenced by its bid
    enterprise("CN-ENT-G", "Gee Builders", "unknown"),
    enterprise("CN-ENT-H", "Aitch Engineering", "unknown"),
    enterprise("CN-ENT-Z", "CN-ENT-Z", "unknown"),
]

EXPECTED_TENDERS = [
    {
        "tender_id": OCID1,
        "unit_id": "CN-BUYER-1",
        "title": "CT scanners",
        "category": "33115000",
        "method": "open",
        "estimated_value": 1000000.0,
        "currency": "CNY",
        "published_on": "2024-03-01",
        "deadline": "2024-03-21",
        "awarded_on": "2024-03-28",
        "status": "complete",
        "procurement_method_details": "Public tender",
        "number_of_tenderers": 4,
        "procuring_entity_id": "CN-PE-1",
        "main_classification": "goods",
    },
    {
        "tender_id": OCID2,
        "unit_id": "CN-BUYER-2",
        "title": "School desks",
        "category": "unknown",
        "method": "direct",
        "estimated_value": 50000.0,
        "currency": "CNY",
        "published_on": None,
        "deadline": None,
        "awarded_on": "2024-05-10",
        "status": "complete",  # derived: terminated
        "procurement_method_details": None,
        "number_of_tenderers": None,
        "procuring_entity_id": None,
        "main_classification": None,
    },
    {
        "tender_id": OCID3,
        "unit_id": "CN-BUYER-1",
        "title": "Ambulance",
        "category": "34114000",
        "method": "selective",
        "estimated_value": None,
        "currency": "CNY",  # unknown in the data: the loader applies the contract's default
        "published_on": "2024-06-01",
        "deadline": None,  # before the start: dropped
        "awarded_on": None,
        "status": "cancelled",
        "procurement_method_details": None,
        "number_of_tenderers": None,
        "procuring_entity_id": None,
        "main_classification": None,
    },
    {
        "tender_id": OCID4,
        "unit_id": "CN-BUYER-3",
        "title": "Bridge repair",
        "category": "45221111",
        "method": "limited",
        "estimated_value": 2000000.0,
        "currency": "CNY",
        "published_on": "2024-07-01",
        "deadline": None,
        "awarded_on": "2024-07-15",
        "status": "active",
        "procurement_method_details": None,
        "number_of_tenderers": None,
        "procuring_entity_id": None,
        "main_classification": None,
    },
    {
        "tender_id": OCID5,
        "unit_id": "CN-BUYER-4",
        "title": OCID5,
        "category": "unknown",
        "method": "open",
        "estimated_value": None,
        "currency": "CNY",
        "published_on": None,
        "deadline": None,
        "awarded_on": None,
        "status": "planned",
        "procurement_method_details": None,
        "number_of_tenderers": None,
        "procuring_entity_id": None,
        "main_classification": None,
    },
]


def bid(local: str, tenderer: str, amount, submitted_at, status, currency, size=1) -> dict:
    return {
        "bid_id": f"{OCID1}/bid:{local}/{tenderer}",
        "tender_id": OCID1,
        "enterprise_id": tenderer,
        "amount": amount,
        "submitted_at": submitted_at,
        "status": status,
        "currency": currency,
        "consortium_size": size,
    }


EXPECTED_BIDS = [
    bid("b1", "CN-ENT-A", 950000.0, "2024-03-20T02:00:00Z", "valid", "CNY"),  # +08:00 -> UTC
    bid("b2", "CN-ENT-B", 900000.5, "2024-03-20T12:00:00Z", "disqualified", "CNY"),
    bid("b3", "CN-ENT-C", 980000.0, None, "valid", "CNY", size=2),  # pending; a consortium
    bid("b3", "CN-ENT-D", 980000.0, None, "valid", "CNY", size=2),
    # b4 is an invitation, not a bid
    bid("b5", "CN-ENT-C", None, "2024-03-10T00:00:00Z", "withdrawn", None),
    bid("#5", "CN-ENT-F", 140000.0, None, "valid", "USD"),  # no bid id: its index
]

EXPECTED_CONTRACTS = [
    # amended: the value at signature is the amendment's former value, the compiled value is final
    {
        "contract_id": f"{OCID1}/contract:c1/CN-ENT-A",
        "tender_id": OCID1,
        "enterprise_id": "CN-ENT-A",
        "amount": 950000.0,
        "signed_on": "2024-04-02",  # 07:00 at +08:00: the publisher's day, not UTC's (1 April)
        "final_amount": 1000000.0,
        "amendments": 1,
        "completed_on": "2024-12-31",
        "currency": "CNY",
        "consortium_size": 1,
        "ocds_source": "contract",
    },
    # no awardID, one award; terminated, so the transactions paid are the final amount
    {
        "contract_id": f"{OCID2}/contract:c1/CN-ENT-A",
        "tender_id": OCID2,
        "enterprise_id": "CN-ENT-A",
        "amount": 49000.0,
        "signed_on": "2024-05-12",
        "final_amount": 49500.0,
        "amendments": 0,
        "completed_on": "2024-06-30",
        "currency": "CNY",
        "consortium_size": 1,
        "ocds_source": "contract",
    },
    # an active award without a contract, two suppliers, in another currency, amended once
    *[
        {
            "contract_id": f"{OCID4}/award:a1/{supplier}",
            "tender_id": OCID4,
            "enterprise_id": supplier,
            "amount": 300000.0,
            "signed_on": "2024-07-20",
            "final_amount": None,
            "amendments": 1,
            "completed_on": None,
            "currency": "EUR",
            "consortium_size": 2,
            "ocds_source": "award",
        }
        for supplier in ("CN-ENT-G", "CN-ENT-H")
    ],
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from .conftest import fixture_releases, write_jsonl

    path = write_jsonl(fixture_releases(), tmp_path_factory.mktemp("ocds") / "releases.jsonl")
    return import_file(path, MappingOptions(unit_level="county", unit_sector="health"))


@pytest.fixture(scope="module")
def dataset(imported):
    return validated(imported)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("units", EXPECTED_UNITS),
        ("enterprises", EXPECTED_ENTERPRISES),
        ("tenders", EXPECTED_TENDERS),
        ("bids", EXPECTED_BIDS),
        ("contracts", EXPECTED_CONTRACTS),
    ],
)
def test_rows_are_exactly_the_expected_ones(dataset, table, expected) -> None:
    assert records(getattr(dataset, table)) == expected


def test_ocds_has_no_people_but_their_tables_have_their_columns(dataset) -> None:
    for table in ("persons", "officials", "enterprise_roles"):
        frame = getattr(dataset, table)
        assert frame.empty and len(frame.columns) > 0


def test_skips_are_counted_with_their_reason_and_line(imported) -> None:
    skipped = imported.summary["skipped_rows"]
    assert skipped["tenders"] == {
        "no tender.procurementMethod": {"count": 1, "first_lines": [6]},
        "tender.procurementMethod not in the method codelist": {"count": 1, "first_lines": [7]},
    }
    assert skipped["bids"] == {
        "invited (an invitation, not a bid)": {"count": 1, "first_lines": [1]},
        "tender not imported": {"count": 1, "first_lines": [6]},
    }
    assert skipped["contracts"] == {
        "no award to take the supplier from (awardID missing or unresolved)": {
            "count": 1,
            "first_lines": [1],
        },
        "award without contract, not active": {"count": 2, "first_lines": [1, 4]},
        "contract cancelled": {"count": 1, "first_lines": [4]},
        "award: no signature date": {"count": 1, "first_lines": [4]},
    }


def test_notes_count_what_was_qualified_but_kept(imported) -> None:
    notes = {event: found["count"] for event, found in imported.summary["notes"].items()}
    assert notes["bids: pending mapped to valid"] == 1
    assert notes["bids: currency differs from the tender's (kept, see column currency)"] == 1
    assert notes["contracts: currency differs from the tender's (kept, see column currency)"] == 1
    assert notes["contracts: no awardID, the only award used"] == 1
    assert notes["contracts: final_amount from implementation.transactions"] == 1
    assert notes["contracts: amount at signature from amendments[].changes"] == 1
    assert notes["tenders: deadline before published_on (deadline dropped)"] == 1
    assert notes["tenders: status derived from awards and contracts (complete)"] == 1
    assert "no buyer: the procuring entity is the tender's unit" not in notes


def test_placeholders_say_which_value_filled_how_many_rows(imported) -> None:
    placeholders = imported.summary["placeholders"]
    assert placeholders["units.level"]["value"] == "county"
    assert placeholders["units.level"]["rows"] == len(EXPECTED_UNITS)
    assert placeholders["units.sector"]["value"] == "health"
    assert placeholders["units.region"]["rows"] == 3
    assert placeholders["units.name"]["rows"] == 1
    assert placeholders["enterprises.registered_on"] == {
        "value": "1900-01-01",
        "rows": len(EXPECTED_ENTERPRISES),
        "why": "OCDS has no registration date; registered_on_known = false",
    }
    assert placeholders["enterprises.ownership"]["rows"] == len(EXPECTED_ENTERPRISES)
    assert placeholders["enterprises.name"]["rows"] == 1
    assert placeholders["tenders.title"]["rows"] == 1
    assert placeholders["tenders.category"]["rows"] == 2


def test_missing_fields_are_counted(imported) -> None:
    missing = imported.summary["missing_fields"]
    assert missing["tender.title"] == 1
    assert missing["tender.items[].classification.id"] == 2
    assert missing["bids.details[].date"] == 2  # b3 and the index-only bid
    assert missing["tender.status"] == 1


def test_rows_per_table_are_reported(imported) -> None:
    assert imported.summary["rows"] == {
        "units": 6,
        "persons": 0,
        "officials": 0,
        "enterprises": 9,
        "enterprise_roles": 0,
        "tenders": 5,
        "bids": 6,
        "contracts": 4,
    }
