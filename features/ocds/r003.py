"""R003 short submission period: the tender period is shorter than the threshold.

Whole days (truncated) from `tender.tenderPeriod.startDate` to `endDate` < threshold (15 by
default; a per-`procurementMethodDetails` threshold overrides it). Optionally only for some
`tender.procurementMethod`s. A date that is not RFC 3339 skips the process. Value 1.0 per OCID.
"""

from __future__ import annotations

from typing import Any

from features.ocds.common import (
    Release,
    as_object,
    as_string,
    matches_procurement_method,
    parse_rfc3339,
    whole_days_between,
)
from features.ocds.settings import R003Settings
from features.ocds.state import Indicator, RunState


class ShortSubmissionPeriod(Indicator):
    code = "R003"

    def __init__(self, settings: R003Settings) -> None:
        self.settings = settings

    def _threshold(self, tender: dict[str, Any]) -> int:
        details = as_string(tender.get("procurementMethodDetails"))
        return self.settings.procurement_method_details.get(details, self.settings.threshold)

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        tender = as_object(release.get("tender"))
        if tender is None or not matches_procurement_method(
            tender, self.settings.procurement_methods
        ):
            return
        period = as_object(tender.get("tenderPeriod")) or {}
        start_date, end_date = as_string(period.get("startDate")), as_string(period.get("endDate"))
        if start_date is None or end_date is None:
            return
        start, end = parse_rfc3339(start_date), parse_rfc3339(end_date)
        if start is None or end is None:
            return
        if whole_days_between(start, end) < self._threshold(tender):
            state.results.flag("OCID", ocid, self.code, 1.0)
