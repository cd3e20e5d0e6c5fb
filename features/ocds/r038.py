"""R038 excessive disqualified bids: an organisation's share of disqualified bids is high.

Per process with submitted bids: its buyer and its procuring entity each add (disqualified,
submitted) bid counts; each tenderer adds (1 if disqualified, 1) per submitted bid it is on.
Buyers and procuring entities with submitted bids >= `minimum_contracting_processes` are kept
(Cardinal compares bids, not processes, despite the name), tenderers with bids >=
`minimum_submitted_bids`. Per group, the fence is the threshold if set, else Q3 + 1.5 IQR of the
kept ratios; ratio >= fence is flagged if fence > 0. Value: the ratio per Buyer,
ProcuringEntity and Tenderer.
"""

from __future__ import annotations

from dataclasses import dataclass

from features.ocds.common import (
    Release,
    as_string,
    member,
    status_of,
    submitted_bids,
    tenderer_ids,
)
from features.ocds.quartiles import lower_quartile, upper_fence, upper_quartile
from features.ocds.settings import R038Settings
from features.ocds.state import Group, Indicator, RunState


@dataclass
class DisqualifiedAndSubmitted:
    disqualified: int = 0
    submitted: int = 0

    def add(self, disqualified: int, submitted: int) -> None:
        self.disqualified += disqualified
        self.submitted += submitted

    @property
    def ratio(self) -> float:
        return self.disqualified / self.submitted


class ExcessiveDisqualifiedBids(Indicator):
    code = "R038"

    def __init__(self, settings: R038Settings) -> None:
        self.settings = settings
        self.counts: dict[Group, dict[str, DisqualifiedAndSubmitted]] = {
            "Buyer": {},
            "ProcuringEntity": {},
            "Tenderer": {},
        }

    def _add(self, group: Group, id: str, disqualified: int, submitted: int) -> None:
        self.counts[group].setdefault(id, DisqualifiedAndSubmitted()).add(disqualified, submitted)

    def fold(self, release: Release, ocid: str, state: RunState) -> None:
        bids = submitted_bids(release)
        if not bids:
            return
        disqualified = 0
        for bid in bids:
            is_disqualified = int(status_of(bid) == "disqualified")
            disqualified += is_disqualified
            for tenderer_id in tenderer_ids(bid):
                self._add("Tenderer", tenderer_id, is_disqualified, 1)
        buyer_id = as_string(member(release.get("buyer"), "id"))
        if buyer_id is not None:
            self._add("Buyer", buyer_id, disqualified, len(bids))
        procuring_entity = member(release.get("tender"), "procuringEntity")
        procuring_entity_id = as_string(member(procuring_entity, "id"))
        if procuring_entity_id is not None:
            self._add("ProcuringEntity", procuring_entity_id, disqualified, len(bids))

    def _flag_group(self, group: Group, minimum_bids: int, state: RunState) -> None:
        ratios = {
            id: counts.ratio
            for id, counts in self.counts[group].items()
            if counts.submitted >= minimum_bids
        }
        if not ratios:
            return
        if self.settings.threshold is None:
            q1, q3 = lower_quartile(ratios.values()), upper_quartile(ratios.values())
            state.results.record_meta(self.code, f"{group}_q1", q1)
            state.results.record_meta(self.code, f"{group}_q3", q3)
            fence = upper_fence(q1, q3)
        else:
            fence = self.settings.threshold
        state.results.record_meta(self.code, f"{group}_upper_fence", fence)
        if not fence > 0.0:  # if most have no disqualified bids, the fence flags them all
            return
        for id, ratio in ratios.items():
            if ratio >= fence:
                state.results.flag(group, id, self.code, ratio)

    def finalize(self, state: RunState) -> None:
        minimum_for_organisations = self.settings.minimum_contracting_processes
        self._flag_group("Buyer", minimum_for_organisations, state)
        self._flag_group("ProcuringEntity", minimum_for_organisations, state)
        self._flag_group("Tenderer", self.settings.minimum_submitted_bids, state)
