"""Settings of a synthetic world: its size, period, scheme shares and labelling, and the sizes
derived from the number of tenders (units, regions, enterprises all scale with it).
"""

from __future__ import annotations

import math
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

GENERATOR_VERSION = "1.0.0"

SCHEMES: tuple[str, ...] = (
    "bid_rigging",
    "conflict_of_interest",
    "split_purchase",
    "shell_company",
    "tailored_tender",
    "price_inflation",
    "revolving_door",
)

# Relative chance that an instance of a scheme was ever investigated, scaled so that the mean
# is `investigated`: revolving doors and family ties are easy to see once someone looks, while
# a split purchase or a tailored tender mostly goes unnoticed.
INVESTIGATION_PROPENSITY: dict[str, float] = {
    "bid_rigging": 0.9,
    "conflict_of_interest": 1.25,
    "split_purchase": 0.75,
    "shell_company": 1.1,
    "tailored_tender": 0.75,
    "price_inflation": 0.9,
    "revolving_door": 1.35,
}


class SchemeShares(BaseModel):
    """Share of each scheme's population that is captured by it (see the package docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bid_rigging: float = Field(0.02, ge=0, le=0.3)  # of competitive (open/selective) tenders
    conflict_of_interest: float = Field(0.05, ge=0, le=0.5)  # of unit heads in office
    split_purchase: float = Field(0.01, ge=0, le=0.2)  # of tenders (the split pieces)
    shell_company: float = Field(0.01, ge=0, le=0.2)  # of enterprises
    tailored_tender: float = Field(0.01, ge=0, le=0.2)  # of competitive tenders
    price_inflation: float = Field(0.01, ge=0, le=0.2)  # of contracts
    revolving_door: float = Field(0.05, ge=0, le=0.5)  # of officials who left the service


class WorldConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 7
    tenders: int = Field(40_000, ge=500, le=20_000_000)
    start: date = date(2023, 1, 1)
    end: date = date(2026, 9, 30)  # the world's "today"
    shares: SchemeShares = SchemeShares()
    investigated: float = Field(0.4, ge=0, le=1)  # mean share of scheme instances investigated
    # Share of officials in post and of registered enterprises spot-checked at random each year.
    spot_checks: float = Field(0.05, ge=0, le=1)
    unlabelled_months: int = Field(6, ge=0, le=36)  # no case opened in these last months

    @model_validator(mode="after")
    def _period_is_long_enough(self) -> WorldConfig:
        if (self.end - self.start).days < 365:
            raise ValueError("the world needs at least one year between start and end")
        return self

    @property
    def years(self) -> float:
        return (self.end - self.start).days / 365.25

    @property
    def n_regions(self) -> int:
        # 40,000 tenders -> 20 regions, 1,000,000 -> 30 (the cap), 5,000 -> 8.
        return int(min(30, max(3, round(4 * math.log2(self.tenders / 1000) - 1))))

    @property
    def n_units(self) -> int:
        # About 14 tenders per unit and year: 40,000 tenders over 3.75 years -> 762 units.
        return max(40, round(self.tenders / (self.years * 14)))

    @property
    def n_enterprises(self) -> int:
        # About 8 tenders per enterprise: with ~6 bids per tender each firm bids ~48 times.
        return max(200, round(self.tenders / 8))

    def investigation_rate(self, scheme: str) -> float:
        return min(1.0, self.investigated * INVESTIGATION_PROPENSITY[scheme])
