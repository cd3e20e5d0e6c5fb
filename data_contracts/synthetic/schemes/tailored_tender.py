"""tailored_tender: a unit head has the specification written for a favoured firm: open or
selective procedures at the legal minimum submission period, a single bid or all other
bidders disqualified, and the favourite wins at close to the estimate.

Population: competitive (open or selective) tenders; the share is the share of them tailored.
"""

from __future__ import annotations

import numpy as np

from data_contracts.synthetic.schemes.base import (
    favoured_at_units,
    plant_favoured,
    reschedule,
    set_overrides,
)
from data_contracts.synthetic.world import World

SCHEME = "tailored_tender"
COMPETITIVE = ("open", "selective")
P_SINGLE_BID = 0.5  # else 1-3 others bid and are all disqualified


def competitive_count(world: World) -> int:
    return int(world.tenders["method"].isin(COMPETITIVE).sum())


def plant(world: World, rng: np.random.Generator) -> None:
    target = round(world.config.shares.tailored_tender * competitive_count(world))

    def draw(n: int):
        return favoured_at_units(world, rng, n, (6, 24), (2, 6), methods=COMPETITIVE)

    def bend(tenders: np.ndarray, favourite: np.ndarray) -> None:
        method = world.tenders.loc[tenders, "method"].to_numpy()
        reschedule(world, rng, tenders, method, short=np.ones(len(tenders), dtype=bool))
        single = rng.random(len(tenders)) < P_SINGLE_BID
        set_overrides(
            world,
            tenders,
            favourite=favourite,
            others=np.where(single, 0, rng.integers(1, 4, len(tenders))),
            disqualify_all=~single,
            win_lo=0.97,
            win_hi=1.0,
        )

    plant_favoured(
        world,
        rng,
        SCHEME,
        target,
        3.5,
        draw,
        bend,
        "specifications tailored to a favoured supplier (division {})",
    )
