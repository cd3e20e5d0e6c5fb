"""Global rules: dates as chrono reads them, lines as serde_json reads them, shared filters."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from features.ocds.common import (
    MainCurrency,
    complete_awards_and_bids,
    matches_procurement_method_details,
    parse_rfc3339,
    submitted_bids,
    valid_bid_values,
    whole_days_between,
)
from features.ocds.run import read_json_lines, run
from features.ocds.settings import parse_settings

DAY = 86_400 * 10**9


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2000-01-01T18:00:00Z", "2000-01-16T17:59:59Z", 14),
        ("2000-01-01T18:00:00Z", "2000-01-16T18:00:00Z", 15),
        ("2000-01-16T18:00:00Z", "2000-01-01T18:00:01Z", -14),  # truncated toward zero
        ("2000-01-01T00:00:00+05:00", "2000-01-01T23:00:00-01:00", 1),
        ("2000-02-28T00:00:00Z", "2000-03-01T00:00:00Z", 2),  # a leap year
        ("2000-01-01T00:00:00.999999999Z", "2000-01-02T00:00:00.999999998z", 0),
        ("2000-01-01 00:00:00Z", "2000-01-02t00:00:00Z", 1),
    ],
)
def test_whole_days_between_dates(start: str, end: str, days: int) -> None:
    start_ns, end_ns = parse_rfc3339(start), parse_rfc3339(end)
    assert start_ns is not None and end_ns is not None
    assert whole_days_between(start_ns, end_ns) == days


@pytest.mark.parametrize(
    "text",
    ["invalid", "2000-01-01", "2000-01-01T00:00:00", "2001-02-29T00:00:00Z",
     "2000-01-01T24:00:00Z", "2000-01-01T00:00:00+0100", "2000-01-01T00:00:00Z ",
     "２000-01-01T00:00:00Z"],
)
def test_not_rfc3339(text: str) -> None:
    assert parse_rfc3339(text) is None


def test_epoch() -> None:
    assert parse_rfc3339("1970-01-01T00:00:00Z") == 0
    assert parse_rfc3339("1970-01-02T01:00:00+01:00") == DAY


def test_lines_are_read_as_serde_json_reads_them() -> None:
    lines = [
        b'{"ocid": "a"}\r\n',
        b"   \n",
        b"not json\n",
        b'{"amount": NaN}\n',
        b'{"amount": 1e999}\n',
        b'{"name": "\\ud800"}\n',
        b'{"name": "\\ud83d\\ude00"}\n',
        b"\xff\n",
        b'{"big": 18446744073709551616, "zero": -0}',
    ]
    values = list(read_json_lines(lines))
    assert values[:2] == [{"ocid": "a"}, {"name": "\U0001F600"}]
    big, zero = values[2]["big"], values[2]["zero"]
    assert isinstance(big, float) and big == 2.0**64
    assert zero == 0 and math.copysign(1.0, zero) == -1.0
    assert len(values) == 3


def test_main_currency_is_the_setting_else_the_first_seen() -> None:
    currency = MainCurrency(None)
    assert currency.accepts("USD") and not currency.accepts("CAD") and currency.accepts("USD")
    assert not MainCurrency("EUR").accepts("USD")


def test_main_currency_is_shared_by_indicators_in_file_order() -> None:
    # R036 sees CAD first (R024's process has no award), so R024's USD bids are skipped.
    r036 = {"ocid": "r036", "awards": [{"status": "active"}], "bids": {"details": [
        {"status": "disqualified", "value": {"amount": 1, "currency": "CAD"}},
        {"status": "valid", "value": {"amount": 2, "currency": "CAD"}}]}}
    r024 = {"ocid": "r024", "awards": [{"status": "active", "suppliers": [{"id": "W"}]}],
            "bids": {"details": [valid_bid("W", 1), valid_bid("L", 2)]}}
    lines = [json.dumps(release).encode() + b"\n" for release in (r036, r024)]
    output = run(lines, parse_settings("[R024]\nthreshold = 5\n[R036]\n"))
    assert output["OCID"] == {"r036": {"R036": 1.0}}
    output = run(lines, parse_settings("currency = USD\n[R024]\nthreshold = 5\n[R036]\n"))
    assert output["OCID"] == {"r024": {"R024": 1.0}}


def valid_bid(tenderer: Any, amount: Any, *others: str) -> dict[str, Any]:
    tenderers = [{"id": tenderer}] + [{"id": other} for other in others]
    return {"status": "valid", "tenderers": tenderers,
            "value": {"amount": amount, "currency": "USD"}}


def test_complete_awards_and_bids() -> None:
    bids = {"details": []}
    assert complete_awards_and_bids({"bids": bids}) is None
    assert complete_awards_and_bids({"awards": []}) is None
    release = {"bids": bids, "awards": [{"status": "active"}, {"status": "cancelled"}, {}, 3]}
    assert complete_awards_and_bids(release) == ([{"status": "active"}], [])
    assert complete_awards_and_bids({"bids": bids, "awards": [{"status": "pending"}]}) is None


def test_submitted_bids_and_valid_bid_values() -> None:
    details = [
        valid_bid("A", 1),
        valid_bid("A", 1, "B"),  # two tenderers
        valid_bid(1, 1),  # a numeric id
        valid_bid("A", True),  # a boolean is not an amount
        {**valid_bid("A", 1), "status": "pending"},
        {"status": "invited"},
        {"status": "withdrawn"},
        {"tenderers": [{"id": "A"}]},
    ]
    assert len(submitted_bids({"bids": {"details": details}})) == 5
    assert [(b.tenderer_id, b.amount) for b in valid_bid_values(details)] == [("A", 1.0)]


@pytest.mark.parametrize(
    ("details", "include", "exclude", "kept"),
    [
        ("X", set(), set(), True),
        ("X", {"Y"}, set(), False),
        ("X", set(), {"X"}, False),
        ("Y", {"Y"}, {"Y"}, True),  # the allow list wins
        (None, set(), {"X"}, True),  # a missing field is never excluded
        (None, {"Y"}, set(), False),
    ],
)
def test_procurement_method_details_filter(details, include, exclude, kept) -> None:
    release = {"tender": {} if details is None else {"procurementMethodDetails": details}}
    assert matches_procurement_method_details(release, include, exclude) is kept
