"""Coercion of OCDS scalars into contract values; every function returns None for what it rejects.

OCDS allows ids as strings or integers, amounts as any JSON number, and dates as ISO 8601
date-times with or without a zone. The contract wants string ids, non-negative floats, dates
(the publisher's own calendar day) and UTC timestamps.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

# Dates outside these years are data errors in procurement records, and pandas (nanosecond
# timestamps) cannot hold years before 1677 or after 2262, so they are rejected as invalid.
MIN_YEAR, MAX_YEAR = 1900, 2100

_NOT_PHONE_DIGIT = re.compile(r"\D")


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """A non-blank string with its whitespace collapsed."""
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def identifier(value: Any) -> str | None:
    """An OCDS id (string or integer, never a boolean) as a string."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def number(value: Any) -> float | None:
    """A finite JSON number as a float (booleans and numeric strings are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def utc_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime; a zoneless one is taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else None


def local_date(value: Any) -> date | None:
    """The calendar date of an ISO 8601 date or date-time in its own zone, as the publisher
    wrote it: "2024-04-02T00:00:00+08:00" is 2 April in Beijing, though still 1 April in UTC,
    and a submission period counted in UTC days would come out a day short."""
    parsed = utc_timestamp(value)
    if parsed is None:
        return None
    return datetime.fromisoformat(value.strip()).date()


def address_line(address: dict[str, Any]) -> str | None:
    """streetAddress, locality, region and postalCode joined by ", ", blanks dropped.

    Whitespace is collapsed so that the same address typed twice compares equal; case is kept
    for readers (comparisons can casefold).
    """
    parts = [
        text(address.get(key)) for key in ("streetAddress", "locality", "region", "postalCode")
    ]
    joined = ", ".join(part for part in parts if part)
    return joined or None


def phone_number(value: Any) -> str | None:
    """Digits only, with a leading "+" kept, so that formatting differences do not hide a match."""
    raw = text(value)
    if raw is None:
        return None
    digits = _NOT_PHONE_DIGIT.sub("", raw)
    if not digits:
        return None
    return "+" + digits if raw.startswith("+") else digits
