"""R035 all except winner disqualified: only the winner's bids survived evaluation.

Per process with complete awards and bids: V = tenderers of `valid` bids, D = tenderers of
`disqualified` bids, S = suppliers of active awards. Flagged if V has exactly one member, V == S
and |D - V| >= max(threshold, 1). Several winners are not flagged: a buyer may split an award.
Value: |D - V| per OCID; 0.0 for the winner in Tenderer.
"""

from __future__ import annotations

from features.ocds.common import (
    Release,
    complete_awards_and_bids,
    status_of,
    supplier_ids,
    tenderer_ids,
)
from features.ocds.settings import R035Settings
from features.ocds.state import Indicator, RunState


class AllExceptWinnerDisqualified(Indicator):
    code = "R035"

    def __init__(self, settings: R035Settings) -> None:
        self.minimum_disqualified = max(settings.threshold, 1)

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        awards_and_bids = complete_awards_and_bids(release)
        if awards_and_bids is None:
            return
        awards, details = awards_and_bids
        suppliers = {supplier_id for award in awards for supplier_id in supplier_ids(award)}
        valid: set[str] = set()
        disqualified: set[str] = set()
        for bid in details:
            status = status_of(bid)
            if status == "valid":
                valid.update(tenderer_ids(bid))
            elif status == "disqualified":
                disqualified.update(tenderer_ids(bid))
        if len(valid) != 1 or valid != suppliers:
            return
        others_disqualified = len(disqualified - valid)
        if others_disqualified >= self.minimum_disqualified:
            state.results.flag("OCID", ocid, self.code, float(others_disqualified))
            state.results.flag("Tenderer", next(iter(valid)), self.code, 0.0)
