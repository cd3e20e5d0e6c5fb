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
    # A round value is a revealed threshold of a category division when at least this many
    # direct/limited purchases lie within `bunching_band` below it, and at least
    # `bunching_ratio` times (as many as lie within the band above it + 1); see
    # features/tender/thresholds.py.
    bunching_min_count: int = Field(8, ge=1)
    bunching_ratio: float = Field(3.0, gt=1)
    # An address or phone shared by more enterprises than this is a business centre or an
    # agent's number, not a hidden link.
    shared_contact_limit: int = 10
    # OCDS red flags on the contract tables (features/tender/r0xx.py); defaults are Cardinal's.
    r025_percentile: float = Field(0.75, gt=0, lt=1)  # "frequent tenderer": bid count percentile
    r035_min_disqualified: int = Field(1, ge=1)  # other tenderers disqualified, at least
    r038_min_bids: int = Field(2, ge=1)  # a buyer's submitted bids before its ratio counts
    r048_min_contracts: int = Field(20, ge=1)  # a supplier's contracts before its spread counts
    # Officials stay in scope this long after leaving a post; enterprises after their last act.
    official_scope_days: int = 3 * 365
    enterprise_scope_days: int = 3 * 365
    tender_scope_days: int = 365
    # Enterprises: co-bidding, shared persons and links to officials build up over years, so
    # they look back this long (the enterprise scope).
    network_window: int = 3 * 365
    # A losing bid at most this far above the winning bid is a possible cover bid.
    cover_bid_margin: float = Field(0.03, gt=0, lt=1)
    # A person with roles in more enterprises than this is a nominee or agent, not a hidden
    # link between the enterprises (like shared_contact_limit for addresses and phones).
    shared_person_limit: int = 10
    # Non-competitive (limited/direct) awards from one buyer to one supplier, in one division,
    # this close in time, are pieces of one purchase if together they reach the open-tender
    # threshold (split purchases, seen from the supplier).
    split_window_days: int = 42

    # Officials: a unit's red-flag rates during a tenure are compared with this many days before
    # it; a rate over fewer tenders (contracts) than the minimum is not stated (null).
    official_before_days: int = 2 * 365
    official_rate_min_tenders: int = 3
    # A completed contract whose final amount exceeds the signed one by more than this share
    # overran (price inflation through amendments).
    overrun_margin: float = Field(0.2, gt=0)

    def window_names(self, stem: str) -> list[str]:
        return [f"{stem}_{days}d" for days in self.windows]
