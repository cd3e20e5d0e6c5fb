"""shell_company: a nominee linked to a unit head registers a firm with tiny capital at an
agent's address or phone; weeks or months later it wins the unit's largest purchases, with no
history and no other business, and is often deregistered a few months to a
year and a half after its last activity (lifecycle.py).
A quarter of the nominees run a pair of shells sharing address and phone.

Population: enterprises; the share is the share of enterprises that are shells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.enterprises import add_firms, draw_firms
from data_contracts.synthetic.people import new_persons
from data_contracts.synthetic.sampling import random_member, top_k_weighted
from data_contracts.synthetic.schemes.base import (
    candidates,
    enough,
    head_posts,
    keep_instances,
    link_persons,
    others_by_method,
    redirect_below_threshold,
    register,
    set_overrides,
    take,
    windows,
)
from data_contracts.synthetic.timeline import MONTH, year_of
from data_contracts.synthetic.world import World

SCHEME = "shell_company"
P_PAIR = 0.25
P_AGENT_ADDRESS = 0.6
P_AGENT_PHONE = 0.5


def plant(world: World, rng: np.random.Generator) -> None:
    wanted_shells = round(world.config.shares.shell_company * len(world.enterprises))
    if wanted_shells == 0:
        return
    heads = head_posts(world)
    n = min(len(heads), int(wanted_shells * 1.6) + 2)
    heads = heads.iloc[top_k_weighted(rng, np.ones(len(heads)), n)].reset_index(drop=True)
    lo = np.maximum(heads["start"].to_numpy(), world.start) + rng.uniform(1, 6, n) * MONTH
    lo, hi = windows(rng, lo, np.minimum(heads["until"].to_numpy(), world.today - 30), (3, 18))
    wanted = pd.DataFrame(
        {"inst": np.arange(n), "unit": heads["unit"].to_numpy(), "lo": lo, "hi": hi}
    )
    found = candidates(world, wanted)
    found = found[found["division"] != "45"]  # a shell sells goods and services, not works
    captured = take(rng, found, rng.integers(2, 7, n), by_value=True)
    ok = np.flatnonzero(enough(captured, n, 2))
    if len(ok) == 0:
        return
    pair = rng.random(len(ok)) < P_PAIR
    pair &= np.bincount(captured["inst"], minlength=n)[ok] >= 4
    shells_per = np.where(pair, 2, 1)
    keep = np.cumsum(shells_per) <= max(wanted_shells, shells_per[0])
    ok, shells_per = ok[keep], shells_per[keep]
    heads = heads.iloc[ok].reset_index(drop=True)
    captured = keep_instances(captured, ok)
    # With a pair, the shells take turns: shell = rank within the instance modulo 2.
    captured["shell"] = (
        captured["inst"].to_numpy() * 2 + captured["rank"].to_numpy() % shells_per[captured["inst"]]
    )
    official = heads["person"].to_numpy()
    nominee = _nominees(world, rng, official, captured)
    shell_of = _shells(world, rng, captured, heads, nominee)
    tenders = captured["tender"].to_numpy()
    redirect_below_threshold(world, rng, tenders, p=0.5)
    set_overrides(
        world,
        tenders,
        favourite=shell_of[captured["shell"].to_numpy()],
        others=others_by_method(rng, world.tenders.loc[tenders, "method"].to_numpy(), 2),
        disqualify=0.6,
        win_lo=0.95,
        win_hi=1.0,
    )
    shells = np.unique(captured["shell"].to_numpy())
    instances = pd.DataFrame(
        {
            "unit": heads["unit"].to_numpy(),
            "prepared": world.enterprises["registered"].to_numpy()[
                shell_of[captured.groupby("inst")["shell"].min()]
            ],
            "detail": [
                f"{k} shell firm(s) of a nominee linked to the unit head" for k in shells_per
            ],
        }
    )
    register(
        world,
        SCHEME,
        instances,
        tenders=pd.DataFrame({"inst": captured["inst"], "entity": tenders, "role": "award"}),
        officials=pd.DataFrame(
            {"inst": np.arange(len(heads)), "entity": official, "role": "unit_head"}
        ),
        enterprises=pd.DataFrame(
            {"inst": shells // 2, "entity": shell_of[shells], "role": "shell"}
        ),
    )


def _nominees(
    world: World, rng: np.random.Generator, official: np.ndarray, captured: pd.DataFrame
) -> np.ndarray:
    """A new person per instance, linked to the official (driver, in-law, distant cousin)."""
    first = captured.groupby("inst")["ref"].min().to_numpy()
    births = year_of(first) - rng.integers(25, 62, len(official))
    nominee = world.append("persons", new_persons(rng, births, 0.6, "nominee"))
    link_persons(
        world, rng, official, nominee, ("associate", "other_relative", "in_law"), (0.4, 0.3, 0.3)
    )
    return nominee


def _shells(
    world: World,
    rng: np.random.Generator,
    captured: pd.DataFrame,
    heads: pd.DataFrame,
    nominee: np.ndarray,
) -> np.ndarray:
    """Create the shells; returns firm position by shell key (inst * 2 + 0/1)."""
    per_shell = captured.sort_values("value", ascending=False).drop_duplicates("shell")
    per_shell = per_shell.sort_values("shell")
    first_win = captured.groupby("shell")["ref"].min().reindex(per_shell["shell"]).to_numpy()
    inst = per_shell["inst"].to_numpy()
    region = world.units["region"].to_numpy()[heads["unit"].to_numpy()[inst]]
    n = len(per_shell)
    # Registered 3 weeks to 6 months before the first win, with 10,000-300,000 CNY capital.
    registered = np.floor(first_win - rng.uniform(20, 180, n))
    capital = np.round(rng.uniform(1, 30, n)) * 10_000
    firms = draw_firms(
        world,
        rng,
        per_shell["division"].to_numpy(),
        region,
        registered=registered,
        ownership=np.full(n, "private", dtype=object),
        capital=capital,
    )
    firms["activity"] = 0.0  # no business outside the scheme
    firms["kind"] = "shell"
    agent_address = _agent_values(world, rng, region, "address")
    firms["address"] = _shared(
        rng, firms["address"].to_numpy(), agent_address, inst, P_AGENT_ADDRESS
    )
    positions = add_firms(world, rng, firms, owner=nominee[inst])
    phones = _agent_values(world, rng, region, "phone")
    current = world.enterprises.loc[positions, "phone"].to_numpy()
    world.enterprises.loc[positions, "phone"] = _shared(rng, current, phones, inst, P_AGENT_PHONE)
    out = np.full(int(per_shell["shell"].max()) + 1, -1, dtype="int64")
    out[per_shell["shell"].to_numpy()] = positions
    return out


def _agent_values(
    world: World, rng: np.random.Generator, region: np.ndarray, column: str
) -> np.ndarray:
    """Per region asked, a random address or phone that an agent there lends to 3+ firms."""
    e = world.enterprises
    counts = e.groupby(column)[column].transform("size")
    shared = e.loc[(counts >= 3).to_numpy(), ["region", column]].drop_duplicates(column)
    return random_member(rng, shared["region"].to_numpy(), shared[column].to_numpy(), region, None)


def _shared(
    rng: np.random.Generator, own: np.ndarray, agent: np.ndarray, inst: np.ndarray, p: float
) -> np.ndarray:
    """Agent value with probability p (when there is one); a pair of shells shares the value."""
    use_agent = (rng.random(len(own)) < p) & ~pd.isna(agent)
    values = np.where(use_agent, agent, own)
    return pd.Series(values).groupby(inst).transform("first").to_numpy()
