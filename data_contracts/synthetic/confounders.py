"""Honest confounders among enterprises: the same kinds of traces schemes leave, for honest
reasons. Registration agents lend one business-centre address or phone to many unrelated small
firms; business groups share an owner; owners are siblings or spouses; officials' relatives
own firms that never sell to the officials' units; former officials join firms that never bid
at their old units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.enterprises import join_text, main_person, role_rows, street_addresses
from data_contracts.synthetic.registry import (
    adult_relatives,
    leavers,
    official_region,
    official_units,
    relation_sources,
)
from data_contracts.synthetic.sampling import (
    distinct_numbers,
    pick_in_region,
    random_rank,
    top_k_weighted,
)
from data_contracts.synthetic.timeline import YEAR, year_of
from data_contracts.synthetic.vocab import BUSINESS_CENTRES
from data_contracts.synthetic.world import World

# Shares of honest firms that carry a confounding trait.
P_GROUP = 0.06  # part of a business group with a common owner
P_BUSINESS_CENTRE = 0.15  # of small firms: registered at an agent's business-centre address
P_AGENT_PHONE = 0.1  # of small firms: the registration agent's phone
CLIENTS_PER_AGENT = 25
P_FAMILY_OWNERS = 0.02  # of owners: a sibling or spouse owns another firm
P_RELATIVE_OWNED = 0.02  # of firms: owned by an official's relative, who stays away from his units
P_FORMER_OFFICIAL = 0.015  # of firms: a former official joins, not a supplier of his old units


def plant_confounders(world: World, rng: np.random.Generator) -> None:
    _agents(world, rng)
    _groups(world, rng)
    _family_owners(world, rng)
    _relative_owned(world, rng)
    _former_officials(world, rng)


def _agents(world: World, rng: np.random.Generator) -> None:
    """Registration agents: many unrelated small firms at one business-centre address/phone."""
    e = world.enterprises
    small = (e["capital"] < 2_000_000).to_numpy() & (e["ownership"] == "private").to_numpy()
    for column, share, make in (
        ("address", P_BUSINESS_CENTRE, _centre_addresses),
        ("phone", P_AGENT_PHONE, _agent_phones),
    ):
        chosen = np.flatnonzero(small & (rng.random(len(e)) < share))
        region = e["region"].to_numpy()[chosen]
        # About 25 clients per agent: agent k of its region, k drawn uniformly.
        per_region = np.bincount(region, minlength=len(world.regions))
        n_agents = np.maximum(1, np.ceil(per_region / CLIENTS_PER_AGENT)).astype("int64")
        agent = np.floor(rng.random(len(chosen)) * n_agents[region]).astype("int64")
        first_agent = np.cumsum(n_agents) - n_agents
        values = make(world, rng, np.repeat(np.arange(len(n_agents)), n_agents))
        e.loc[chosen, column] = values[first_agent[region] + agent]
        e.loc[chosen, "kind"] = "agent_address" if column == "address" else "agent_phone"
    world.enterprises = e


def _centre_addresses(world: World, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    base = street_addresses(world, rng, region)
    base = np.array([a.split("号")[0] + "号" for a in base], dtype=object)
    centre = np.asarray(BUSINESS_CENTRES)[rng.integers(0, len(BUSINESS_CENTRES), len(region))]
    room = rng.integers(201, 2200, len(region)).astype(str)
    return join_text(base, centre, room, "室")


def agent_phones(world: World, region: np.ndarray, salt: int) -> np.ndarray:
    """Mobile numbers of registration agents (a number range no firm's own phone uses)."""
    number = distinct_numbers(np.arange(len(region)), 100_000_000, 900_000_000, salt)
    return join_text("18", number)


def _agent_phones(world: World, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    return agent_phones(world, region, salt=world.config.seed % 997)


def _groups(world: World, rng: np.random.Generator) -> None:
    """Business groups: one boss owns 2-4 private firms of a region (legitimately)."""
    e = world.enterprises
    eligible = np.flatnonzero(
        (e["ownership"] == "private").to_numpy() & (rng.random(len(e)) < P_GROUP)
    )
    region = e["region"].to_numpy()[eligible]
    order = np.lexsort((rng.random(len(eligible)), region))
    eligible, region = eligible[order], region[order]
    size = rng.integers(2, 5, len(eligible))
    # Consecutive firms of a region form a group: group id = running count of group starts.
    rank = random_rank(rng, region) if len(eligible) else np.array([], dtype="int64")
    group = region * 10_000 + rank // np.maximum(size, 2)
    frame = pd.DataFrame({"firm": eligible, "group": group})
    frame["leader"] = frame.groupby("group")["firm"].transform("first")
    members = frame[frame["firm"] != frame["leader"]]
    when = e["registered"].to_numpy()[members["firm"].to_numpy()] + 1
    boss = main_person(
        world,
        members["leader"].to_numpy(),
        np.maximum(when, e["registered"].to_numpy()[members["leader"].to_numpy()] + 1),
    )
    _take_over_main_person(world, members["firm"].to_numpy(), boss)
    world.enterprises.loc[members["firm"].to_numpy(), "kind"] = "group"
    world.enterprises.loc[np.unique(members["leader"].to_numpy()), "kind"] = "group"


def _take_over_main_person(world: World, firms: np.ndarray, persons: np.ndarray) -> None:
    """From registration, `persons` hold every role the firm's first main person held."""
    ok = persons >= 0
    firms, persons = firms[ok], persons[ok]
    registered = world.enterprises["registered"].to_numpy()[firms]
    first = main_person(world, firms, registered + 1)
    roles = world.roles
    key = pd.DataFrame({"enterprise": firms, "person": first, "new": persons})
    rows = roles.reset_index(names="row").merge(key, on=["enterprise", "person"])
    world.roles.loc[rows["row"].to_numpy(), "person"] = rows["new"].to_numpy()


def _family_owners(world: World, rng: np.random.Generator) -> None:
    """Honest family businesses: owners of different firms who are siblings or spouses."""
    roles = world.roles
    owners = np.unique(roles.loc[roles["role"] == "shareholder", "person"].to_numpy())
    chosen = owners[rng.random(len(owners)) < P_FAMILY_OWNERS]
    chosen = rng.permutation(chosen)
    half = len(chosen) // 2
    relation = np.where(
        rng.random(half) < 0.6, "sibling", np.where(rng.random(half) < 0.5, "spouse", "in_law")
    )
    world.append(
        "relations",
        pd.DataFrame(
            {
                "person": chosen[:half],
                "related": chosen[half : 2 * half],
                "relation": relation,
                "source": relation_sources(rng, relation),
            }
        ),
    )


def _relative_owned(world: World, rng: np.random.Generator) -> None:
    """Officials' adult relatives who own an honest firm that never sells to their units."""
    e = world.enterprises
    free = np.flatnonzero(
        (e["kind"] == "honest").to_numpy() & (e["ownership"] == "private").to_numpy()
    )
    k = round(P_RELATIVE_OWNED * len(e))
    firms = free[top_k_weighted(rng, np.ones(len(free)), k)]
    kin = adult_relatives(world, birth_before=year_of(np.array([world.today]))[0] - 24)
    region_of_official = official_region(world, kin["person"].to_numpy())
    picks = pick_in_region(rng, region_of_official, e["region"].to_numpy()[firms])
    ok = picks >= 0
    firms, picks = firms[ok], picks[ok]
    relative = kin["related"].to_numpy()[picks]
    official = kin["person"].to_numpy()[picks]
    _take_over_main_person(world, firms, relative)
    world.enterprises.loc[firms, "kind"] = "relative_owned"
    _abstain(world, firms, official)
    _confounders(
        world, "relative_owned", firms, official, world.enterprises["registered"].to_numpy()[firms]
    )


def _abstain(world: World, firms: np.ndarray, officials: np.ndarray) -> None:
    units = official_units(world)
    pairs = pd.DataFrame({"enterprise": firms, "person": officials}).merge(units, on="person")
    world.append("abstentions", pairs[["enterprise", "unit"]].astype("int64"))


def _former_officials(world: World, rng: np.random.Generator) -> None:
    """Former officials who become directors or managers of firms that never sell to their old
    units (an honest second career)."""
    gone = leavers(world)
    gone = gone[gone["rank"] != "staff"].reset_index(drop=True)
    k = min(len(gone), round(P_FORMER_OFFICIAL * len(world.enterprises)))
    gone = gone.iloc[top_k_weighted(rng, np.ones(len(gone)), k)].reset_index(drop=True)
    joined = np.floor(gone["left"].to_numpy() + rng.uniform(30, 3 * YEAR, len(gone)))
    keep = joined < world.today - 1
    gone, joined = gone[keep].reset_index(drop=True), joined[keep]
    e = world.enterprises
    candidates = np.flatnonzero((e["kind"] == "honest").to_numpy())
    firm_region = e["region"].to_numpy()[candidates]
    pick = pick_in_region(rng, firm_region, gone["region"].to_numpy())
    ok = pick >= 0
    firms = candidates[pick[ok]]
    gone, joined = gone[ok], joined[ok]
    joined = np.maximum(joined, e["registered"].to_numpy()[firms] + 30)
    fine = joined < world.today
    firms, gone, joined = firms[fine], gone[fine], joined[fine]
    role = np.where(rng.random(len(firms)) < 0.55, "director", "manager")
    world.append(
        "roles", role_rows(firms, gone["person"].to_numpy(), "director", joined).assign(role=role)
    )
    world.enterprises.loc[firms, "kind"] = "former_official"
    _abstain(world, firms, gone["person"].to_numpy())
    _confounders(world, "former_official", firms, gone["person"].to_numpy(), joined)


def _confounders(
    world: World, kind: str, firms: np.ndarray, persons: np.ndarray, day: np.ndarray
) -> None:
    world.append(
        "confounders",
        pd.DataFrame({"kind": kind, "enterprise": firms, "person": persons, "day": day}),
    )
