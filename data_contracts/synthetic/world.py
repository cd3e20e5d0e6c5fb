"""The world under construction: internal frames keyed by integer row position.

Every stage reads and extends these frames; string ids, datetime columns and the contract's
column names are only made at export (export.py). Rows refer to each other by position, e.g.
`posts.person` is a row of `persons` and `bids.enterprise` a row of `enterprises`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_contracts.synthetic.config import WorldConfig
from data_contracts.synthetic.timeline import day_of

# Internal frames and their columns (dates are float day numbers, NaN = none).
COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("name", "birth_year", "gender", "kind"),
    "relations": ("person", "related", "relation", "source"),
    "roles": ("enterprise", "person", "role", "share", "start", "end"),
    "members": ("scheme_id", "scheme", "entity_type", "entity", "role", "first", "last"),
    "schemes": ("scheme_id", "scheme", "unit", "prepared", "detail"),
}


def empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in COLUMNS[name]})


@dataclass
class World:
    config: WorldConfig
    today: float = 0.0
    start: float = 0.0
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    places: pd.DataFrame = field(default_factory=pd.DataFrame)
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    persons: pd.DataFrame = field(default_factory=lambda: empty("persons"))
    posts: pd.DataFrame = field(default_factory=pd.DataFrame)
    relations: pd.DataFrame = field(default_factory=lambda: empty("relations"))
    enterprises: pd.DataFrame = field(default_factory=pd.DataFrame)
    roles: pd.DataFrame = field(default_factory=lambda: empty("roles"))
    tenders: pd.DataFrame = field(default_factory=pd.DataFrame)
    bids: pd.DataFrame = field(default_factory=pd.DataFrame)
    contracts: pd.DataFrame = field(default_factory=pd.DataFrame)
    penalties: pd.DataFrame = field(default_factory=pd.DataFrame)
    cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    # (enterprise, unit) pairs an honest confounder never bids at: a relative's or former
    # official's firm that stays away from the official's units.
    abstentions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"enterprise": [], "unit": []})
    )
    # Honest officials tied to firms: (kind, enterprise, person, day) with kind relative_owned
    # (the person's relative owns the firm) or former_official (he joined it on `day`).
    confounders: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {"kind": [], "enterprise": [], "person": [], "day": []}
        )
    )
    # (unit, division, enterprise): big suppliers that legitimately serve a buyer for years.
    incumbents: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Bid-rigging rings: (ring, enterprise, order); order 0 is the ring leader.
    rings: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"ring": [], "enterprise": [], "order": []})
    )
    # Ground truth: scheme instances and the entities involved in them.
    schemes: pd.DataFrame = field(default_factory=lambda: empty("schemes"))
    members: pd.DataFrame = field(default_factory=lambda: empty("members"))

    def __post_init__(self) -> None:
        self.today = day_of(self.config.end)
        self.start = day_of(self.config.start)

    def append(self, name: str, rows: pd.DataFrame) -> np.ndarray:
        """Add rows (with every column of the frame) to a frame; returns their positions."""
        frame = getattr(self, name)
        first = len(frame)
        if first == 0:
            combined = rows.reset_index(drop=True)
        else:
            combined = pd.concat([frame, rows[list(frame.columns)]], ignore_index=True)
        setattr(self, name, combined)
        return np.arange(first, first + len(rows))

    def next_scheme_ids(self, n: int) -> np.ndarray:
        first = len(self.schemes)
        return np.arange(first, first + n)
