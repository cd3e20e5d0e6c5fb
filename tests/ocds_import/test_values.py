"""Coercion of OCDS scalars: dates to UTC, ids, amounts, addresses and phone numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from data_contracts.ocds.values import (
    address_line,
    identifier,
    number,
    phone_number,
    local_date,
    utc_timestamp,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-02T07:00:00+08:00", date(2024, 4, 2)),  # the publisher's day, not UTC's
        ("2024-04-02T23:30:00-05:00", date(2024, 4, 2)),
        ("2024-04-02T10:00:00Z", date(2024, 4, 2)),
        ("2024-04-02T10:00:00", date(2024, 4, 2)),  # no zone: UTC
        ("2024-04-02", date(2024, 4, 2)),
        ("2024-04-02T10:00:00.123456Z", date(2024, 4, 2)),
        ("invalid", None),
        ("", None),
        (20240402, None),
        (None, None),
        ("0001-01-01T00:00:00Z", None),  # outside what a procurement date can be
    ],
)
def test_local_date(raw, expected) -> None:
    assert local_date(raw) == expected


def test_utc_timestamp_keeps_the_instant() -> None:
    assert utc_timestamp("2024-03-20T10:00:00+08:00") == datetime(2024, 3, 20, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("A-1", "A-1"), (" A-1 ", "A-1"), (17, "17"), (True, None), (1.5, None), ("", None)],
)
def test_identifier(raw, expected) -> None:
    assert identifier(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(5, 5.0), (5.5, 5.5), ("5", None), (False, None), (float("inf"), None), (None, None)],
)
def test_number(raw, expected) -> None:
    assert number(raw) == expected


def test_address_line_joins_the_parts_and_collapses_spaces() -> None:
    address = {
        "streetAddress": " 8  Pine St",
        "locality": "",
        "region": "Shanghai",
        "postalCode": "200120",
        "countryName": "China",
    }
    assert address_line(address) == "8 Pine St, Shanghai, 200120"
    assert address_line({}) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 (21) 6666-1234", "+862166661234"),
        ("021 6666 1234", "02166661234"),
        ("n/a", None),
        (None, None),
    ],
)
def test_phone_number_keeps_digits_and_a_leading_plus(raw, expected) -> None:
    assert phone_number(raw) == expected
