"""Parameters of the feature pipelines: windows and thresholds are settings, not literals."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FeatureParams(BaseModel, frozen=True):
    # Look-back windows in days; a windowed feature exists once per window, e.g. wins_365d.
    windows: tuple[int, ...] = (90, 365, 1095)
    # The main window for features that have only one (shares, rates, network).
    main_window: int = 365
    # R003: a submission period shorter than this many whole days is short.
    short_submission_days: int = 15
    # CRI decision period: award sooner / later than these many days after the deadline.
    short_decision_days: int = 5
    long_decision_days: int = 60
    # A winner registered less than this many days before the award is young.
    young_winner_days: int = 365
    # Open-tender threshold used by R055 when the data reveal none for a division (CNY).
    open_tender_threshold: float = 1_000_000.0
    # Bunching below round values: how far below a revealed threshold counts as "just below".
    bunching_band: float = Field(0.10, gt=0, lt=1)
    # An address or phone shared by more enterprises than this is a business centre or an
    # agent's number, not a hidden link.
    shared_contact_limit: int = 10
    # Officials stay in scope this long after leaving a post; enterprises after their last act.
    official_scope_days: int = 3 * 365
    enterprise_scope_days: int = 3 * 365
    tender_scope_days: int = 365

    def window_names(self, stem: str) -> list[str]:
        return [f"{stem}_{days}d" for days in self.windows]
