"""price_inflation: a unit head lets a favoured supplier win above the estimate and then grows
the contract through several amendments (final amount 25-90% above the signed one), in the
divisions where amendments pass unnoticed: works, engineering, IT, repair, environment.

Population: contracts (awarded tenders); the share is the share of them inflated.
"""

from __future__ import annotations

import numpy as np

from data_contracts.synthetic.schemes.base import favoured_at_units, plant_favoured, set_overrides
from data_contracts.synthetic.tenders import expected_contracts
from data_contracts.synthetic.timeline import YEAR
from data_contracts.synthetic.world import World

SCHEME = "price_inflation"
AMENDABLE = ("45", "71", "72", "50", "90")


def plant(world: World, rng: np.random.Generator) -> None:
    # Contracts are not drawn yet: tenders awarded as scheduled stand in for them.
    target = round(world.config.shares.price_inflation * expected_contracts(world))

    def draw(n: int):
        # Windows end a year before today so that most inflated contracts are completed.
        return favoured_at_units(
            world, rng, n, (6, 30), (2, 8), allowed=AMENDABLE, latest=world.today - YEAR
        )

    def bend(tenders: np.ndarray, favourite: np.ndarray) -> None:
        set_overrides(
            world,
            tenders,
            favourite=favourite,
            disqualify=0.5,
            win_lo=1.0,
            win_hi=1.15,
            inflate=True,
        )

    plant_favoured(
        world,
        rng,
        SCHEME,
        target,
        4.0,
        draw,
        bend,
        "inflated contracts of a favoured supplier (division {})",
    )
