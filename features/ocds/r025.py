"""R025 excessive unsuccessful bids: a frequent tenderer rarely wins.

Per process with complete awards and bids, one active award and one supplier on it: each
tenderer with a valid bid (exactly one tenderer on the bid) counts once per process, bids += 1,
wins += 1 if it is the supplier. upper = the `percentile` (75) of bid counts; lower = the
threshold if set, else Q1 - 1.5 IQR of wins/bids. A tenderer with bids >= upper and
wins/bids <= lower is flagged, only if Q1 > 0 and lower > 0 (if most tenderers never win, the
fence says nothing). Value: wins/bids per Tenderer.
"""

from __future__ import annotations

from dataclasses import dataclass

from features.ocds.common import (
    Release,
    complete_awards_and_bids,
    sole_supplier_id,
    sole_tenderer_id,
    status_of,
)
from features.ocds.quartiles import lower_fence, lower_quartile, percentile, upper_quartile
from features.ocds.settings import R025Settings
from features.ocds.state import Indicator, RunState


@dataclass
class WinsAndBids:
    wins: int = 0
    bids: int = 0

    @property
    def ratio(self) -> float:
        return self.wins / self.bids


class ExcessiveUnsuccessfulBids(Indicator):
    code = "R025"

    def __init__(self, settings: R025Settings) -> None:
        self.settings = settings
        self.tenderers: dict[str, WinsAndBids] = {}

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        awards_and_bids = complete_awards_and_bids(release)
        if awards_and_bids is None:
            return
        awards, details = awards_and_bids
        if len(awards) != 1 or (supplier_id := sole_supplier_id(awards[0])) is None:
            return
        valid_tenderers = {
            id: None
            for bid in details
            if status_of(bid) == "valid" and (id := sole_tenderer_id(bid)) is not None
        }
        for tenderer_id in valid_tenderers:  # once per process, however many bids
            counts = self.tenderers.setdefault(tenderer_id, WinsAndBids())
            counts.bids += 1
            counts.wins += tenderer_id == supplier_id

    def finalize(self, state: RunState) -> None:
        upper = percentile([c.bids for c in self.tenderers.values()], self.settings.percentile)
        if self.settings.threshold is None:
            ratios = [counts.ratio for counts in self.tenderers.values()]
            q1, q3 = lower_quartile(ratios), upper_quartile(ratios)
            state.results.record_meta(self.code, "q1", q1)
            state.results.record_meta(self.code, "q3", q3)
            lower = lower_fence(q1, q3)
        else:
            lower, q1 = self.settings.threshold, 1.0  # Cardinal's dummy Q1 to pass the guard
        state.results.record_meta(self.code, "upper_fence", upper)
        state.results.record_meta(self.code, "lower_fence", lower)
        if not (q1 > 0.0 and lower > 0.0):
            return
        for tenderer_id, counts in self.tenderers.items():
            if counts.bids >= upper and counts.ratio <= lower:
                state.results.flag("Tenderer", tenderer_id, self.code, counts.ratio)
