"""Global rules shared by the indicators (Cardinal's src/lib.rs, `impl Indicators`).

JSON access follows serde_json: `member` of a non-object is None, a JSON number is read as a
float (`as_f64`) and a boolean is not a number. Cardinal's names are kept in the docstrings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from features.ocds.settings import Settings

Release = dict[str, Any]

# JSON access.


def member(value: Any, key: str) -> Any:
    """`value[key]` if value is a JSON object, else None (serde_json's `Value::get`)."""
    return value.get(key) if isinstance(value, dict) else None


def as_object(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def as_array(value: Any) -> list[Any] | None:
    return value if isinstance(value, list) else None


def as_string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_number(value: Any) -> float | None:
    """A JSON number as a float, like serde_json's `as_f64`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def as_unsigned(value: Any) -> int | None:
    """serde_json's `as_u64`: only an integer literal in [0, 2**64) qualifies (1.0 does not)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**64:
        return None
    return value


def status_of(value: Any) -> str | None:
    return as_string(member(value, "status"))


def ieee_divide(numerator: float, denominator: float) -> float:
    """Division as in Rust: x / 0 is ±inf, 0 / 0 is NaN (Python would raise)."""
    if denominator != 0:
        return numerator / denominator
    if numerator == 0 or math.isnan(numerator):
        return math.nan
    return math.copysign(math.inf, numerator) * math.copysign(1.0, denominator)


# Skip rules and filters.


def is_cancelled(release: Release) -> bool:
    """`tender.status` is `cancelled`: the whole contracting process is skipped."""
    return status_of(member(release, "tender")) == "cancelled"


def matches_procurement_method_details(
    release: Release, include: Collection[str], exclude: Collection[str]
) -> bool:
    """An allow list (if non-empty) keeps listed `procurementMethodDetails` only; otherwise a
    deny list drops listed ones. A missing field matches only when there is no allow list."""
    details = as_string(member(member(release, "tender"), "procurementMethodDetails"))
    if details is None:
        return not include
    return details in include if include else details not in exclude


def is_excluded(release: Release, settings: Settings) -> bool:
    """[exclusions] procurement_method_details (a missing field is never excluded)."""
    excluded = settings.excluded_procurement_method_details
    return not matches_procurement_method_details(release, (), excluded)


def has_price_comparison(release: Release, settings: Settings) -> bool:
    """The price-comparison filter of R024, R028, R036 and R058."""
    return matches_procurement_method_details(
        release,
        settings.price_comparison_procurement_methods,
        settings.no_price_comparison_procurement_methods,
    )


def matches_procurement_method(tender: dict[str, Any], methods: Collection[str]) -> bool:
    """An empty set keeps every process; otherwise `procurementMethod` must be listed."""
    if not methods:
        return True
    return as_string(tender.get("procurementMethod")) in methods


class MainCurrency:
    """The currency monetary values must be in: the `currency` setting, else the first currency
    seen, over the whole run and all indicators, in file order (Cardinal's `item.currency`)."""

    def __init__(self, configured: str | None) -> None:
        self.value = configured

    def accepts(self, currency: str) -> bool:
        if self.value is None:
            self.value = currency
        return currency == self.value


# Awards and bids.


def complete_awards_and_bids(release: Release) -> tuple[list[Any], list[Any]] | None:
    """Active awards and all bids, if every award with a status is final.

    Needs `awards[]` and `bids.details[]`. `cancelled` and `unsuccessful` awards are ignored (we
    assume earlier attempts), as is an award with no status; any other status, like `pending`,
    means the results could still change, so the process is dropped (None).
    """
    awards = as_array(release.get("awards"))
    details = as_array(member(release.get("bids"), "details"))
    if awards is None or details is None:
        return None
    active = []
    for award in awards:
        status = status_of(award)
        if status == "active":
            active.append(award)
        elif status is not None and status not in ("cancelled", "unsuccessful"):
            return None
    return active, details


def submitted_bids(release: Release) -> list[Any]:
    """Bids whose status is a string other than `invited` or `withdrawn` (pending, valid,
    disqualified...)."""
    details = as_array(member(member(release, "bids"), "details")) or []
    return [bid for bid in details if status_of(bid) not in (None, "invited", "withdrawn")]


def tenderer_ids(bid: Any) -> list[str]:
    """String ids of a bid's tenderers, in order (an empty list if there are none)."""
    tenderers = as_array(member(bid, "tenderers")) or []
    return [id for id in (as_string(member(t, "id")) for t in tenderers) if id is not None]


def supplier_ids(award: Any) -> list[str]:
    """String ids of an award's suppliers, in order (an empty list if there are none)."""
    suppliers = as_array(member(award, "suppliers")) or []
    return [id for id in (as_string(member(s, "id")) for s in suppliers) if id is not None]


def sole_tenderer_id(bid: Any) -> str | None:
    """The id of the bid's tenderer, if it has exactly one and the id is a string."""
    tenderers = as_array(member(bid, "tenderers"))
    if tenderers is None or len(tenderers) != 1:
        return None
    return as_string(member(tenderers[0], "id"))


def sole_supplier_id(award: Any) -> str | None:
    """The id of the award's supplier, if it has exactly one and the id is a string."""
    suppliers = as_array(member(award, "suppliers"))
    if suppliers is None or len(suppliers) != 1:
        return None
    return as_string(member(suppliers[0], "id"))


@dataclass(frozen=True)
class BidValue:
    tenderer_id: str
    amount: float
    currency: str


def valid_bid_values(details: list[Any]) -> list[BidValue]:
    """Valid bid tuples: status `valid`, exactly one tenderer with a string id, a numeric
    `value.amount` and a string `value.currency` (`get_tenderer_and_value_of_valid_bids`)."""
    values = []
    for bid in details:
        tenderer_id = sole_tenderer_id(bid)
        amount = as_number(member(member(bid, "value"), "amount"))
        currency = as_string(member(member(bid, "value"), "currency"))
        if status_of(bid) == "valid" and tenderer_id is not None and amount is not None:
            if currency is not None:
                values.append(BidValue(tenderer_id, amount, currency))
    return values


# Dates: RFC 3339, as chrono's `DateTime::parse_from_rfc3339` reads them.

_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))",
    re.ASCII,
)
NANOSECONDS_PER_DAY = 86_400 * 10**9


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def parse_rfc3339(text: str) -> int | None:
    """Nanoseconds since the epoch, or None if `text` is not an RFC 3339 date-time.

    Nanoseconds keep chrono's precision (digits past the ninth are ignored, as chrono does).
    A leap second (:60) counts as the second after :59.
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    sign, offset_hours, offset_minutes = match[8], match[9], match[10]
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        return None
    if hour > 23 or minute > 59 or second > 60:
        return None
    offset_seconds = 0
    if sign is not None:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            return None
        offset_seconds = (int(offset_hours) * 3600 + int(offset_minutes) * 60) * (
            -1 if sign == "-" else 1
        )
    fraction = int((match[7] or "")[:9].ljust(9, "0"))
    seconds = _days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    return (seconds - offset_seconds) * 10**9 + fraction


def whole_days_between(start: int, end: int) -> int:
    """Whole days from start to end (nanoseconds), truncated toward zero like chrono's
    `Duration::num_days` (Python's // would floor a negative duration)."""
    days = abs(end - start) // NANOSECONDS_PER_DAY
    return days if end >= start else -days
