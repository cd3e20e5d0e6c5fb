"""Contracts: one per award, signed days later; what they became (completion, amendments)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.tenders import DIVISION
from data_contracts.synthetic.timeline import weekday_shift
from data_contracts.synthetic.world import World

P_NEGOTIATED = 0.2  # the signed amount was negotiated 0-3% below the winning bid
P_AMENDMENTS_UNKNOWN = 0.03
AMENDMENT_STEP = (np.log(1.03), 0.05)  # an honest amendment: +3% median, +-5%
INFLATED_AMENDMENTS = (2, 6)
INFLATED_FACTOR = (1.25, 1.9)


def build_contracts(world: World, rng: np.random.Generator, winners: pd.Series) -> None:
    """winners: winning bid row per awarded tender."""
    t = world.tenders
    bids = world.bids.loc[winners.to_numpy()]
    tender = winners.index.to_numpy()
    n = len(tender)
    signed = weekday_shift(t["awarded"].to_numpy()[tender] + np.floor(rng.uniform(3, 25, n)))
    division = t["division"].to_numpy()[tender]
    amount = bids["amount"].to_numpy() * np.where(
        rng.random(n) < P_NEGOTIATED, rng.uniform(0.97, 1.0, n), 1.0
    )
    median_days = (
        pd.Series(division).map({c: d.duration_days for c, d in DIVISION.items()}).to_numpy()
    )
    completed = np.floor(signed + rng.lognormal(np.log(median_days), 0.5))
    # Honest amendments: Poisson by division; the final amount drifts by a few % each time.
    rate = pd.Series(division).map({c: d.amendment_rate for c, d in DIVISION.items()}).to_numpy()
    amendments = rng.poisson(rate).astype("float64")
    drift = np.exp(
        rng.normal(amendments * AMENDMENT_STEP[0], np.sqrt(amendments) * AMENDMENT_STEP[1])
    )
    inflate = t["inflate"].to_numpy()[tender].astype(bool)
    amendments = np.where(
        inflate, rng.integers(INFLATED_AMENDMENTS[0], INFLATED_AMENDMENTS[1] + 1, n), amendments
    )
    drift = np.where(inflate, rng.uniform(*INFLATED_FACTOR, n), drift)
    done = completed <= world.today
    unknown = rng.random(n) < P_AMENDMENTS_UNKNOWN
    frame = pd.DataFrame(
        {
            "tender": tender,
            "enterprise": bids["enterprise"].to_numpy(),
            "amount": np.round(amount, 2),
            "signed": signed,
            "final": np.where(done & ~unknown, np.round(amount * drift, 2), np.nan),
            "amendments": np.where(done & ~unknown, amendments, np.nan),
            "completed": np.where(done, completed, np.nan),
        }
    )
    frame = frame[frame["signed"] <= world.today].reset_index(drop=True)
    world.contracts = frame
    status = np.where(t["status"] == "awarded", "active", t["status"])
    status[frame["tender"].to_numpy()[frame["completed"].notna().to_numpy()]] = "complete"
    t["status"] = status
