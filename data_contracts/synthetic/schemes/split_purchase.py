"""split_purchase: a unit splits one purchase above the open-tender threshold into 2-4 direct or
limited purchases just below it (85-99.9% of the threshold), same category, within six weeks,
all awarded to the same supplier.

Population: all tenders; the share is the share of tenders that are split pieces. The pieces
are new tenders, so the honest stream is made smaller by as many (see build_world).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.schemes.base import (
    head_at,
    pick_favourites,
    register,
    set_overrides,
    unit_divisions,
)
from data_contracts.synthetic.tenders import draw_categories, tender_rows, threshold_of
from data_contracts.synthetic.timeline import YEAR, draw_days
from data_contracts.synthetic.world import World

SCHEME = "split_purchase"
PIECES, P_PIECES = (2, 3, 4), (0.4, 0.4, 0.2)
SPREAD_DAYS = 42  # pieces follow the first within six weeks


def pieces_wanted(world: World) -> int:
    return round(world.config.shares.split_purchase * world.config.tenders)


def plant(world: World, rng: np.random.Generator) -> None:
    target = pieces_wanted(world)
    if target < 2:
        return
    n = int(np.ceil(target / 2.8 * 1.4)) + 2  # oversample: some units have no head that day
    units = rng.choice(
        len(world.units), n, p=(world.units["weight"] / world.units["weight"].sum()).to_numpy()
    )
    first_day = draw_days(rng, n, world.start, world.today - 120)
    head = head_at(world, units, first_day)
    division = unit_divisions(world, rng, units)
    supplier = pick_favourites(
        world, rng, world.units["region"].to_numpy()[units], division, world.start - YEAR
    )
    ok = (head >= 0) & (supplier >= 0)
    units, first_day, head, division, supplier = (
        a[ok] for a in (units, first_day, head, division, supplier)
    )
    if len(units) == 0:
        return
    k = _piece_counts(rng, len(units), target)
    units, first_day, head, division, supplier = (
        a[: len(k)] for a in (units, first_day, head, division, supplier)
    )
    inst = np.repeat(np.arange(len(k)), k)
    offset = np.where(_first_of_group(inst), 0.0, np.floor(rng.uniform(1, SPREAD_DAYS, len(inst))))
    ref = np.floor(first_day[inst] + offset)
    threshold = threshold_of(division[inst])
    # Just below the threshold, in whole thousands: e.g. 0.97 x 1,000,000 -> 970,000.
    value = np.floor(threshold * rng.uniform(0.85, 0.999, len(inst)) / 1000) * 1000
    method = np.where(rng.random(len(k)) < 0.55, "direct", "limited").astype(object)[inst]
    category = draw_categories(rng, division)[inst]
    rows = tender_rows(
        rng,
        units[inst],
        division[inst],
        category,
        value,
        ref,
        method,
        np.zeros(len(inst), dtype=bool),
    )
    tenders = world.append("tenders", rows)
    others = np.where(method == "limited", rng.integers(0, 3, len(inst)), 0)
    set_overrides(
        world,
        tenders,
        favourite=supplier[inst],
        others=others,
        disqualify=0.5,
        win_lo=0.95,
        win_hi=1.0,
    )
    instances = pd.DataFrame(
        {
            "unit": units,
            "detail": [
                f"{n_} purchases of division {d} just below the {t:,.0f} CNY threshold"
                for n_, d, t in zip(k, division, threshold_of(division), strict=True)
            ],
        }
    )
    register(
        world,
        SCHEME,
        instances,
        tenders=pd.DataFrame({"inst": inst, "entity": tenders, "role": "split_piece"}),
        officials=pd.DataFrame({"inst": np.arange(len(k)), "entity": head, "role": "unit_head"}),
        enterprises=pd.DataFrame(
            {"inst": np.arange(len(k)), "entity": supplier, "role": "supplier"}
        ),
    )


def _piece_counts(rng: np.random.Generator, n: int, target: int) -> np.ndarray:
    """Pieces per split summing exactly to `target` (the last split takes the remainder)."""
    k = rng.choice(PIECES, n, p=P_PIECES)
    total = np.cumsum(k)
    if total[-1] <= target:
        return k
    last = int(np.searchsorted(total, target))
    k = k[: last + 1].copy()
    k[-1] = target - (total[last - 1] if last > 0 else 0)
    if k[-1] < 2 and len(k) > 1:  # a single leftover piece joins the previous split
        k[-2] += k[-1]
        k = k[:-1]
    return k


def _first_of_group(groups: np.ndarray) -> np.ndarray:
    return np.r_[True, groups[1:] != groups[:-1]]
