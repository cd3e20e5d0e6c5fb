"""bid_rigging: rings of 3-5 firms of one division and region, tied by hidden links (a shared
owner, an owner's relative or nominee, a shared phone, address or manager), take over the
competitive tenders of a few buyers for one to three years: they all bid, wins rotate, cover
bids come in a few percent above the winner (now and then two identical), outsiders are
discouraged and, where a buyer's head is in on it, the cheaper ones disqualified.

Population: competitive (open or selective) tenders; the share is the share of them rigged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.enterprises import (
    active_role_rows,
    add_firms,
    draw_firms,
    main_person,
    replace_holder,
    role_rows,
)
from data_contracts.synthetic.people import new_persons
from data_contracts.synthetic.sampling import take_or_missing
from data_contracts.synthetic.schemes.base import (
    head_at,
    keep_instances,
    link_persons,
    pick_favourites,
    register,
    set_overrides,
    take,
    within_budget,
)
from data_contracts.synthetic.schemes.tailored_tender import COMPETITIVE, competitive_count
from data_contracts.synthetic.tenders import awardable
from data_contracts.synthetic.timeline import MONTH, YEAR
from data_contracts.synthetic.world import World

SCHEME = "bid_rigging"
P_INSIDER = 0.4  # the head of the main target buyer is in on it
LINKS, P_LINKS = (
    ("shared_owner", "relative_owner", "shared_phone", "shared_address", "shared_manager"),
    (0.3, 0.25, 0.15, 0.15, 0.15),
)


def plant(world: World, rng: np.random.Generator) -> None:
    target = round(world.config.shares.bid_rigging * competitive_count(world))
    taken = 0
    for _ in range(5):
        deficit = target - taken
        if deficit < 3:
            break
        taken += _plant_rings(world, rng, int(np.ceil(deficit / 10 * 1.3)) + 1, deficit)


def _markets(world: World) -> pd.DataFrame:
    """Competitive tenders open to capture, with their region."""
    t = world.tenders
    free = t[awardable(world) & t["method"].isin(COMPETITIVE).to_numpy()]
    free = free[["unit", "division", "ref", "value"]].reset_index(names="tender")
    return free.assign(region=world.units["region"].to_numpy()[free["unit"].to_numpy()])


def _plant_rings(world: World, rng: np.random.Generator, n: int, budget: int) -> int:
    free = _markets(world)
    if free.empty:
        return 0
    # A ring's market: (region, division) drawn like a random competitive tender's.
    seed = free.iloc[rng.integers(0, len(free), n)]
    start = np.floor(rng.uniform(world.start, world.today - YEAR, n))
    end = np.minimum(start + rng.uniform(12, 36, n) * MONTH, world.today - 30)
    rings = pd.DataFrame(
        {
            "inst": np.arange(n),
            "region": seed["region"].to_numpy(),
            "division": seed["division"].to_numpy(),
            "lo": start,
            "hi": end,
        }
    )
    found = rings.merge(free, on=["region", "division"])
    found = found[(found["ref"] >= found["lo"]) & (found["ref"] <= found["hi"])]
    found = _at_target_buyers(rng, found)
    share = rng.uniform(0.5, 0.9, n)
    k = np.minimum(np.ceil(share * np.bincount(found["inst"], minlength=n)), 25).astype("int64")
    captured = take(rng, found, k)
    counts = np.bincount(captured["inst"], minlength=n)
    ok = np.flatnonzero(counts >= 3)
    captured, rings = keep_instances(captured, ok), rings.iloc[ok].reset_index(drop=True)
    ok = within_budget(captured, len(rings), budget)
    captured, rings = keep_instances(captured, ok), rings.iloc[ok].reset_index(drop=True)
    if rings.empty:
        return 0
    members = _members(world, rng, rings)
    _hide_links(world, rng, members, rings)
    return _rig(world, rng, rings, members, captured)


def _at_target_buyers(rng: np.random.Generator, found: pd.DataFrame) -> pd.DataFrame:
    """Keep each ring's 1-4 target buyers: the units of its market it buys most from."""
    volume = found.groupby(["inst", "unit"]).size().rename("n").reset_index()
    volume["key"] = volume["n"] * rng.uniform(0.5, 1.5, len(volume))
    volume = volume.sort_values(["inst", "key"], ascending=[True, False])
    volume["rank"] = volume.groupby("inst").cumcount()
    targets = rng.integers(1, 5, int(volume["inst"].max()) + 1 if len(volume) else 0)
    chosen = volume[volume["rank"] < targets[volume["inst"].to_numpy()]]
    return found.merge(chosen[["inst", "unit"]], on=["inst", "unit"])


def _members(world: World, rng: np.random.Generator, rings: pd.DataFrame) -> pd.DataFrame:
    """3-5 established firms per ring; new firms of the same market where too few exist."""
    size = rng.integers(3, 6, len(rings))
    ring = np.repeat(np.arange(len(rings)), size)
    region, division = rings["region"].to_numpy()[ring], rings["division"].to_numpy()[ring]
    firm = pick_favourites(world, rng, region, division, world.start - YEAR)
    local = take_or_missing(world.enterprises["region"].to_numpy(), firm) == region
    missing = np.flatnonzero((firm < 0) | ~local)
    registered = np.floor(
        rings["lo"].to_numpy()[ring[missing]] - rng.uniform(1, 8, len(missing)) * YEAR
    )
    firms = draw_firms(
        world,
        rng,
        division[missing],
        region[missing],
        registered=registered,
        ownership=np.full(len(missing), "private", dtype=object),
    )
    firm[missing] = add_firms(world, rng, firms)
    order = np.arange(len(ring)) - np.repeat(np.cumsum(size) - size, size)
    return pd.DataFrame({"ring": ring, "enterprise": firm, "order": order})


def _hide_links(
    world: World, rng: np.random.Generator, members: pd.DataFrame, rings: pd.DataFrame
) -> None:
    """Tie every member to the ring leader (order 0) by one hidden link."""
    leader = members[members["order"] == 0].set_index("ring")["enterprise"]
    others = members[members["order"] > 0].reset_index(drop=True)
    firm = others["enterprise"].to_numpy()
    boss_firm = leader.reindex(others["ring"]).to_numpy()
    e = world.enterprises
    registered = np.maximum(e["registered"].to_numpy()[firm], e["registered"].to_numpy()[boss_firm])
    ring_start = rings["lo"].to_numpy()[others["ring"].to_numpy()]
    when = np.floor(
        np.maximum(registered + 30, ring_start - rng.uniform(0.2, 3.0, len(firm)) * YEAR)
    )
    boss = main_person(world, boss_firm, when)
    link = np.asarray(LINKS, dtype=object)[rng.choice(len(LINKS), len(firm), p=P_LINKS)]
    holder = active_role_rows(world, firm, "shareholder", when)
    link = np.where(
        np.isin(link, ["shared_owner", "relative_owner"]) & (holder < 0), "shared_manager", link
    )
    mine = link == "shared_owner"
    replace_holder(world, holder[mine], boss[mine], when[mine])
    mine = link == "relative_owner"
    if mine.any():
        births = world.persons["birth_year"].to_numpy()[boss[mine]] + rng.integers(
            -10, 11, mine.sum()
        )
        front = world.append("persons", new_persons(rng, births, 0.6, "owner"))
        link_persons(
            world,
            rng,
            boss[mine],
            front,
            ("sibling", "spouse", "in_law", "other_relative", "associate"),
            (0.3, 0.2, 0.2, 0.15, 0.15),
        )
        replace_holder(world, holder[mine], front, when[mine])
    for column in ("phone", "address"):
        mine = link == f"shared_{column}"
        e.loc[firm[mine], column] = e[column].to_numpy()[boss_firm[mine]]
    mine = link == "shared_manager"
    world.append("roles", role_rows(firm[mine], boss[mine], "manager", when[mine]))


def _rig(
    world: World,
    rng: np.random.Generator,
    rings: pd.DataFrame,
    members: pd.DataFrame,
    captured: pd.DataFrame,
) -> int:
    """Rotate the wins among members and bend the captured tenders; register the rings."""
    size = members.groupby("ring").size().to_numpy()
    captured = captured.sort_values(["inst", "ref"], kind="stable")
    turn = (
        captured.groupby("inst").cumcount().to_numpy()
        + rng.integers(0, 5, len(rings))[captured["inst"]]
    )
    winner_order = turn % size[captured["inst"].to_numpy()]
    by_order = members.set_index(["ring", "order"])["enterprise"]
    winner = by_order.reindex(
        pd.MultiIndex.from_arrays([captured["inst"], winner_order])
    ).to_numpy()
    tenders = captured["tender"].to_numpy()
    main_unit = captured.groupby("inst")["unit"].agg(lambda u: u.value_counts().index[0]).to_numpy()
    insider = np.where(
        rng.random(len(rings)) < P_INSIDER, head_at(world, main_unit, rings["lo"].to_numpy()), -1
    )
    ids = register(
        world,
        SCHEME,
        rings.assign(
            unit=main_unit,
            detail=[
                f"ring of {s} firms in division {d}, {'with' if i >= 0 else 'without'} an insider"
                for s, d, i in zip(size, rings["division"], insider, strict=True)
            ],
        ),
        tenders=pd.DataFrame(
            {"inst": captured["inst"], "entity": tenders, "role": "rigged_tender"}
        ),
        officials=pd.DataFrame(
            {
                "inst": np.flatnonzero(insider >= 0),
                "entity": insider[insider >= 0],
                "role": "insider",
            }
        ),
        enterprises=pd.DataFrame(
            {
                "inst": members["ring"],
                "entity": members["enterprise"],
                "role": np.where(members["order"] == 0, "ring_leader", "ring_member"),
            }
        ),
    )
    has_insider = insider[captured["inst"].to_numpy()] >= 0
    set_overrides(
        world,
        tenders,
        favourite=winner,
        ring=ids[captured["inst"].to_numpy()],
        others=rng.integers(0, 3, len(tenders)),
        disqualify=np.where(has_insider, 0.8, 0.3),
        win_lo=0.95,
        win_hi=1.03,
    )
    world.rings = pd.concat(
        [world.rings, members.assign(ring=ids[members["ring"].to_numpy()])], ignore_index=True
    )
    return len(tenders)
