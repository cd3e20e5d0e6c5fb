"""R055 split direct awards: direct awards from one buyer to one supplier, within 365 days,
add up to at least the open-tender threshold, so the purchase should have been tendered.

Not in Cardinal's fixtures (Cardinal's own R055 is an unfinished draft); huoyan's definition:

- Direct award: `tender.procurementMethod` is `direct`, the process has a string `buyer.id`;
  the award is `active`, has exactly one supplier with a string id, an RFC 3339 `date` and a
  numeric `value.amount` in the main currency (other currencies are skipped).
- Per (buyer, supplier), awards are ordered by date; every run of awards whose first and last
  dates are at most 365 days apart (inclusive) is a window. A window whose amounts sum to at
  least `threshold` (a required setting: the open-tender threshold, in the main currency) is
  flagged. A single award above the threshold is a window of one.
- Value: the largest flagged window sum, per Buyer and per Tenderer (the supplier); 1.0 for
  each OCID with an award in a flagged window.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from features.ocds.common import (
    NANOSECONDS_PER_DAY,
    Release,
    as_array,
    as_number,
    as_string,
    member,
    parse_rfc3339,
    sole_supplier_id,
    status_of,
)
from features.ocds.settings import R055Settings
from features.ocds.state import Indicator, RunState

WINDOW = 365 * NANOSECONDS_PER_DAY


@dataclass(frozen=True)
class DirectAward:
    date: int  # nanoseconds since the epoch
    amount: float
    ocid: str


class SplitDirectAwards(Indicator):
    code = "R055"

    def __init__(self, settings: R055Settings) -> None:
        self.threshold = settings.threshold
        self.awards: defaultdict[tuple[str, str], list[DirectAward]] = defaultdict(list)

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        if as_string(member(release.get("tender"), "procurementMethod")) != "direct":
            return
        buyer_id = as_string(member(release.get("buyer"), "id"))
        if buyer_id is None:
            return
        for award in as_array(release.get("awards")) or []:
            supplier_id = sole_supplier_id(award)
            date_text = as_string(member(award, "date"))
            date = parse_rfc3339(date_text) if date_text is not None else None
            amount = as_number(member(member(award, "value"), "amount"))
            currency = as_string(member(member(award, "value"), "currency"))
            if status_of(award) != "active" or supplier_id is None or date is None:
                continue
            if amount is None or currency is None or not state.currency.accepts(currency):
                continue
            self.awards[(buyer_id, supplier_id)].append(DirectAward(date, amount, ocid))

    def finalize(self, state: RunState) -> None:
        for (buyer_id, supplier_id), awards in self.awards.items():
            largest_sum, flagged_ocids = self._flagged_windows(sorted(awards, key=_by_date))
            if largest_sum is None:
                continue
            for group, id in (("Buyer", buyer_id), ("Tenderer", supplier_id)):
                previous = state.results.group(group).get(id, {}).get(self.code, -math.inf)
                state.results.flag(group, id, self.code, max(previous, largest_sum))
            for ocid in flagged_ocids:
                state.results.flag("OCID", ocid, self.code, 1.0)

    def _flagged_windows(self, awards: list[DirectAward]) -> tuple[float | None, list[str]]:
        """The largest flagged window sum (None if none) and the ocids in flagged windows."""
        largest_sum: float | None = None
        flagged: dict[str, None] = {}  # ordered set
        first = 0
        for last, award in enumerate(awards):
            while award.date - awards[first].date > WINDOW:
                first += 1
            window = awards[first : last + 1]
            total = math.fsum(a.amount for a in window)  # exact, whatever the order
            if total >= self.threshold:
                largest_sum = total if largest_sum is None else max(largest_sum, total)
                flagged.update(dict.fromkeys(a.ocid for a in window))
        return largest_sum, list(flagged)


def _by_date(award: DirectAward) -> int:
    return award.date
