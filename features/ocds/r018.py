"""R018 single bid: `tender.numberOfTenderers` is 1 in an open or selective process.

The procurement methods are a setting (`open|selective` by default; empty keeps every method).
`numberOfTenderers` must be the integer 1 (serde_json's `as_u64`: 1.0 does not count).
Value 1.0 per OCID.
"""

from __future__ import annotations

from features.ocds.common import Release, as_object, as_unsigned, matches_procurement_method
from features.ocds.settings import R018Settings
from features.ocds.state import Indicator, RunState


class SingleBid(Indicator):
    code = "R018"

    def __init__(self, settings: R018Settings) -> None:
        self.settings = settings

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        tender = as_object(release.get("tender"))
        if tender is None or not matches_procurement_method(
            tender, self.settings.procurement_methods
        ):
            return
        if as_unsigned(tender.get("numberOfTenderers")) == 1:
            state.results.flag("OCID", ocid, self.code, 1.0)
