"""Read the JSONL stream once, run the enabled indicators, assemble Cardinal's output.

Lines are read as Cardinal (serde_json) reads them; a line is skipped if it is not valid JSON
(whitespace-only lines silently, others with a warning), not a JSON object, has no string
`ocid`, has `tender.status` `cancelled`, or an excluded `tender.procurementMethodDetails`.
Indicators then see each kept release in file order, in Cardinal's order (which matters for the
main currency, the first one seen by any indicator), and conclude once the input is read.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from features.ocds.common import MainCurrency, is_cancelled, is_excluded
from features.ocds.r003 import ShortSubmissionPeriod
from features.ocds.r018 import SingleBid
from features.ocds.r024 import PriceCloseToWinningBid
from features.ocds.r025 import ExcessiveUnsuccessfulBids
from features.ocds.r028 import IdenticalBidPrices
from features.ocds.r030 import LateBidWon
from features.ocds.r035 import AllExceptWinnerDisqualified
from features.ocds.r036 import LowestBidDisqualified
from features.ocds.r038 import ExcessiveDisqualifiedBids
from features.ocds.r044 import BusinessSimilarities
from features.ocds.r048 import HeterogeneousSupplier
from features.ocds.r055 import SplitDirectAwards
from features.ocds.r058 import HeavilyDiscountedBid
from features.ocds.second_lowest_bid import SecondLowestBidRatio
from features.ocds.settings import Settings
from features.ocds.state import Indicator, Results, RunState

logger = logging.getLogger(__name__)


# JSON as serde_json reads it: no NaN/Infinity, no out-of-range float, no lone surrogate.


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def _parse_int(text: str) -> int | float:
    value = int(text)
    if text.startswith("-") and value == 0:
        return -0.0  # serde_json reads -0 as a float
    if -(2**63) <= value < 2**64:
        return value
    return _parse_float(text)  # beyond i64/u64, serde_json falls back to f64


_DECODER = json.JSONDecoder(
    parse_float=_parse_float, parse_int=_parse_int, parse_constant=_reject_constant
)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    """A \\ud800-style escape without its pair: Python keeps it, serde_json rejects the line."""
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    return False


def decode_json_line(text: str) -> Any:
    """Parse one line like serde_json::from_str; ValueError if serde_json would reject it."""
    value = _DECODER.decode(text)
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise ValueError("lone surrogate in a \\u escape")
    return value


def read_json_lines(lines: Iterable[bytes]) -> Iterator[Any]:
    """One JSON value per line (split on \\n, one trailing \\r dropped, as Rust's `lines()`)."""
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith(b"\n") else raw
        line = line[:-1] if line.endswith(b"\r") else line
        try:
            value = decode_json_line(line.decode("utf-8"))
        except UnicodeDecodeError:
            logger.warning("Line %d is not valid UTF-8, skipping.", number)
            continue
        except ValueError as error:
            if line.strip(b" \t\n\r\x0c"):  # blank lines are skipped silently
                logger.warning("Line %d is invalid JSON, skipping. [%s]", number, error)
            continue
        yield value


def build_indicators(settings: Settings) -> list[Indicator]:
    """The enabled indicators, in Cardinal's order (lib.rs `add_indicators!`)."""
    enabled: list[Indicator] = []
    if settings.R024 or settings.R058:
        enabled.append(SecondLowestBidRatio(settings))
    if settings.R003:
        enabled.append(ShortSubmissionPeriod(settings.R003))
    if settings.R018:
        enabled.append(SingleBid(settings.R018))
    if settings.R024:
        enabled.append(PriceCloseToWinningBid(settings.R024))
    if settings.R025:
        enabled.append(ExcessiveUnsuccessfulBids(settings.R025))
    if settings.R028:
        enabled.append(IdenticalBidPrices(settings))
    if settings.R030:
        enabled.append(LateBidWon())
    if settings.R035:
        enabled.append(AllExceptWinnerDisqualified(settings.R035))
    if settings.R036:
        enabled.append(LowestBidDisqualified(settings))
    if settings.R038:
        enabled.append(ExcessiveDisqualifiedBids(settings.R038))
    if settings.R044:
        enabled.append(BusinessSimilarities())
    if settings.R048:
        enabled.append(HeterogeneousSupplier(settings.R048))
    if settings.R055:
        enabled.append(SplitDirectAwards(settings.R055))
    if settings.R058:
        enabled.append(HeavilyDiscountedBid(settings.R058))
    return enabled


def run(lines: Iterable[bytes], settings: Settings) -> dict[str, Any]:
    """Cardinal's output for a JSONL stream: {group: {id: {code: value}}, "Meta": {...}}."""
    indicators = build_indicators(settings)
    state = RunState(Results(), MainCurrency(settings.currency))
    for release in read_json_lines(lines):
        if not isinstance(release, dict):
            continue
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or is_cancelled(release) or is_excluded(release, settings):
            continue
        for indicator in indicators:
            indicator.fold(release, ocid, state)
    for indicator in indicators:
        indicator.finalize(state)
    return state.results.as_json()
