"""Every Cardinal fixture imports without error into tables that satisfy the contract, and the
counts match what a direct reading of the JSON finds.

Cardinal's fixtures are minimal: no release has both a buyer (or procuring entity) and a
procurement method, so no tender can be imported and their bids and awards are counted as
skipped; buyers and enterprises still are imported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_contracts.contract import METHODS

from .conftest import CARDINAL, import_file, validated

FIXTURES = sorted(CARDINAL.glob("*.jsonl"))


def test_the_cardinal_fixtures_are_there() -> None:
    assert len(FIXTURES) >= 15, f"Cardinal fixtures not found under {CARDINAL}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_imports_and_satisfies_the_contract(path: Path) -> None:
    result = import_file(path)
    dataset = validated(result)  # raises ContractError listing every violation
    assert result.releases_read > 0
    assert {t: len(f) for t, f in dataset.tables().items()} == result.summary["rows"]


def _ids(references) -> set[str]:
    return {
        r["id"] for r in references or [] if isinstance(r, dict) and isinstance(r.get("id"), str)
    }


def counted_directly(path: Path) -> dict[str, int]:
    """Units, enterprises, importable tenders and bids, read straight from the JSON."""
    releases, seen = [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        release = json.loads(line) if line.strip() else None
        if (
            isinstance(release, dict)
            and isinstance(release.get("ocid"), str)
            and release["ocid"] not in seen
        ):
            seen.add(release["ocid"])
            releases.append(release)
    units, enterprises, tenders, orphan_bids = set(), set(), 0, 0
    for release in releases:
        tender = release.get("tender") or {}
        buyers = _ids([release.get("buyer"), tender.get("procuringEntity")])
        units |= buyers
        bids = (release.get("bids") or {}).get("details") or []
        for bid in bids:
            enterprises |= _ids(bid.get("tenderers"))
        for award in release.get("awards") or []:
            enterprises |= _ids(award.get("suppliers"))
        importable = bool(buyers) and tender.get("procurementMethod") in METHODS
        tenders += importable
        orphan_bids += 0 if importable else len(bids)
    return {
        "units": len(units),
        "enterprises": len(enterprises),
        "tenders": tenders,
        "bids skipped": orphan_bids,
    }


@pytest.mark.parametrize("name", ["R024", "R035", "R038", "R018"])
def test_counts_match_a_direct_reading_of_the_json(name: str) -> None:
    path = CARDINAL / f"{name}.jsonl"
    summary = import_file(path).summary
    expected = counted_directly(path)
    skipped_bids = summary["skipped_rows"].get("bids", {}).get("tender not imported", {"count": 0})
    imported = {
        "units": summary["rows"]["units"],
        "enterprises": summary["rows"]["enterprises"],
        "tenders": summary["rows"]["tenders"],
        "bids skipped": skipped_bids["count"],
    }
    assert imported == expected
