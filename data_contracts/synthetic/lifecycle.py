"""Firms that stop trading: deregistration after the last sign of activity, roles closed then.

Honest firms idle for a year are often wound up; shells are dissolved once they have
served. Dates follow the activity, so no firm bids, signs or changes owners after it is gone.
"""

from __future__ import annotations

import numpy as np

from data_contracts.synthetic.bidding import DAY
from data_contracts.synthetic.timeline import YEAR
from data_contracts.synthetic.world import World

P_SHELL_DISSOLVED = 0.75
P_IDLE_DISSOLVED = 0.5  # of firms idle for a year
P_NEVER_ACTIVE_DISSOLVED = 0.2


def last_activity(world: World) -> np.ndarray:
    """Per firm: its last bid, contract event or role change (today if a contract is running)."""
    e = world.enterprises
    last = e["registered"].to_numpy().copy()
    bids = world.bids
    bid_day = np.floor(bids["submitted"].to_numpy() / DAY)
    bid_day = np.where(
        np.isnan(bid_day), world.tenders["ref"].to_numpy()[bids["tender"].to_numpy()], bid_day
    )
    np.maximum.at(last, bids["enterprise"].to_numpy(), bid_day)
    c = world.contracts
    np.maximum.at(last, c["enterprise"].to_numpy(), c["completed"].fillna(world.today).to_numpy())
    roles = world.roles
    np.maximum.at(last, roles["enterprise"].to_numpy(), roles["start"].to_numpy())
    return last


def deregister(world: World, rng: np.random.Generator) -> None:
    e = world.enterprises
    n = len(e)
    last = last_activity(world)
    active = np.zeros(n, dtype=bool)
    active[world.bids["enterprise"].to_numpy()] = True
    shell = (e["kind"] == "shell").to_numpy()
    idle = active & ~shell & (last < world.today - YEAR) & (rng.random(n) < P_IDLE_DISSOLVED)
    never = (
        ~active
        & ~shell
        & (last < world.today - 3 * YEAR)
        & (rng.random(n) < P_NEVER_ACTIVE_DISSOLVED)
    )
    dissolved = np.select(
        [shell & (rng.random(n) < P_SHELL_DISSOLVED), idle, never],
        [
            last + rng.uniform(60, 450, n),
            last + rng.uniform(180, 720, n),
            last + rng.uniform(1, 12, n) * YEAR,
        ],
        np.nan,
    )
    dissolved = np.floor(np.where(dissolved < world.today, dissolved, np.nan))
    e["deregistered"] = np.where(e["deregistered"].isna(), dissolved, e["deregistered"])
    _close_roles(world)


def _close_roles(world: World) -> None:
    roles = world.roles
    gone = world.enterprises["deregistered"].to_numpy()[roles["enterprise"].to_numpy()]
    end = roles["end"].to_numpy()
    roles["end"] = np.where(~np.isnan(gone) & (np.isnan(end) | (end > gone)), gone, end)
