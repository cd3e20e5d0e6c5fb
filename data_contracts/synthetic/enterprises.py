"""Enterprises and who owns and runs them (enterprise_roles): attributes drawn as a registry
would show them, roles from registration, and the hand-overs of roles (a new legal
representative, a shareholding sold) that schemes and confounders build on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.people import new_persons
from data_contracts.synthetic.sampling import distinct_numbers, take_or_missing
from data_contracts.synthetic.timeline import YEAR, day_of, year_of
from data_contracts.synthetic.vocab import (
    BUILDINGS,
    DIVISIONS,
    PLACE_FIRST,
    PLACE_SECOND,
    RELATED_DIVISIONS,
    ROAD_SUFFIXES,
    SECTOR_DIVISIONS,
    TRADE_NAME_CHARS,
)
from data_contracts.synthetic.world import World

EARLIEST_REGISTRATION = day_of("1985-01-01")
OWNERSHIP_SHARES = {
    "private": 0.78,
    "state": 0.08,
    "mixed": 0.07,
    "collective": 0.04,
    "foreign": 0.03,
}
MEDIAN_CAPITAL = 2_000_000.0
FIRM_COLUMNS = (
    "name",
    "region",
    "registered",
    "deregistered",
    "capital",
    "ownership",
    "division",
    "division2",
    "address",
    "phone",
    "activity",
    "efficiency",
    "kind",
    "scheme",
)


# --- attributes ------------------------------------------------------------------------------


def division_demand(world: World) -> pd.Series:
    """Expected share of tenders per division, from what the units' sectors buy."""
    weights = world.units.groupby("sector")["weight"].sum()
    demand: dict[str, float] = {}
    for sector, weight in weights.items():
        mix = SECTOR_DIVISIONS[sector]
        total = sum(mix.values())
        for code, w in mix.items():
            demand[code] = demand.get(code, 0.0) + weight * w / total
    series = pd.Series(demand)
    return series / series.sum()


def street_addresses(world: World, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    """Province + city + county + road + number, e.g. 江苏省南京市江宁区龙溪路88号."""
    places = world.places
    counties = places[places["level"] == "county"]
    by_region = counties.groupby("region")["name"].agg(list)
    regions = world.regions
    n = len(region)
    pick = rng.random(n)
    county = _county_names(by_region, regions, region, pick)
    road = np.char.add(
        np.char.add(
            np.asarray(PLACE_FIRST)[rng.integers(0, len(PLACE_FIRST), n)],
            np.asarray(PLACE_SECOND)[rng.integers(0, len(PLACE_SECOND), n)],
        ),
        np.asarray(ROAD_SUFFIXES)[rng.integers(0, len(ROAD_SUFFIXES), n)],
    )
    number = rng.integers(1, 999, n).astype(str)
    building = np.where(
        rng.random(n) < 0.4,
        join_text(
            np.asarray(TRADE_NAME_CHARS)[rng.integers(0, len(TRADE_NAME_CHARS), n)],
            np.asarray(PLACE_SECOND)[rng.integers(0, len(PLACE_SECOND), n)],
            np.asarray(BUILDINGS)[rng.integers(0, len(BUILDINGS), n)],
            rng.integers(101, 2800, n),
            "室",
        ),
        "",
    )
    province = regions["province"].to_numpy()[region].astype(str)
    return join_text(province, county, road, number, "号", building)


def _county_names(
    by_region: pd.Series, regions: pd.DataFrame, region: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """A county of each row's region (its city's name if the region has none)."""
    names = np.concatenate(
        [np.asarray(by_region.get(r, [regions.at[r, "city"]]), dtype=object) for r in regions.index]
    )
    counts = np.array([len(by_region.get(r, [None])) for r in regions.index])
    offsets = np.cumsum(counts) - counts
    return names[offsets[region] + np.floor(u * counts[region]).astype("int64")].astype(str)


def join_text(*parts) -> np.ndarray:
    out = np.asarray(parts[0]).astype(str)
    for part in parts[1:]:
        out = np.char.add(out, np.asarray(part).astype(str))
    return out.astype(object)


def _phones(world: World, region: np.ndarray, positions: np.ndarray, salt: int) -> np.ndarray:
    """Distinct numbers: a landline with the city's area code or a mobile, by position."""
    number = distinct_numbers(positions, 20_000_000, 70_000_000, salt)
    mobile = positions % 2 == 1
    area = world.regions["area"].to_numpy()[region].astype(str)
    landline = join_text(area, "-", number)
    cell = join_text("13", (number % 10).astype(str), number.astype(str))
    return np.where(mobile, cell, landline).astype(object)


def _names(world: World, rng: np.random.Generator, frame: pd.DataFrame) -> np.ndarray:
    """E.g. 南京鑫华建设工程有限公司; a state firm: 南京市鑫华建工集团有限公司."""
    n = len(frame)
    city = world.regions["city"].to_numpy()[frame["region"].to_numpy()].astype(str)
    short = np.char.replace(city, "市", "")
    chars = np.asarray(TRADE_NAME_CHARS)
    trade = np.char.add(
        chars[rng.integers(0, len(chars), n)], chars[rng.integers(0, len(chars), n)]
    )
    words = {d.code: d.firm_words for d in DIVISIONS}
    division = frame["division"].to_numpy()
    word = np.empty(n, dtype=object)
    for code, options in words.items():
        rows = division == code
        word[rows] = np.asarray(options, dtype=object)[rng.integers(0, len(options), rows.sum())]
    big = frame["capital"].to_numpy() > 50_000_000
    suffix = np.where(
        big & (rng.random(n) < 0.5),
        "股份有限公司",
        np.where(rng.random(n) < 0.8, "有限公司", "有限责任公司"),
    )
    private_name = join_text(short, trade, word, suffix)
    state_name = join_text(city, trade, word, "集团有限公司")
    return np.where(frame["ownership"].to_numpy() == "state", state_name, private_name)


def draw_firms(
    world: World,
    rng: np.random.Generator,
    division: np.ndarray,
    region: np.ndarray,
    registered: np.ndarray | None = None,
    ownership: np.ndarray | None = None,
    capital: np.ndarray | None = None,
) -> pd.DataFrame:
    """Enterprise rows with honest attributes; callers may fix registration, ownership, capital."""
    n = len(division)
    if n == 0:
        return pd.DataFrame({column: [] for column in FIRM_COLUMNS})
    if ownership is None:
        kinds, shares = zip(*OWNERSHIP_SHARES.items(), strict=True)
        ownership = np.asarray(kinds, dtype=object)[rng.choice(len(kinds), n, p=shares)]
    state = np.isin(ownership, ["state", "collective"])
    if registered is None:
        age = rng.lognormal(np.log(9.0), 0.8, n) * np.where(state, 1.8, 1.0)
        registered = np.floor(world.today - age * YEAR)
        # The registry starts in 1985: the oldest firms spread over its first decade.
        too_old = registered < EARLIEST_REGISTRATION
        registered[too_old] = np.floor(
            EARLIEST_REGISTRATION + rng.uniform(0, 10 * YEAR, too_old.sum())
        )
    if capital is None:
        factor = np.select([ownership == "state", ownership == "foreign"], [8.0, 3.0], 1.0)
        capital = np.round(rng.lognormal(np.log(MEDIAN_CAPITAL), 1.3, n) * factor, -4)
        floor = np.where(ownership == "state", 5_000_000.0, 10_000.0)  # a state group is never tiny
        capital = np.maximum(capital, floor)
    related = _related(rng, division)
    frame = pd.DataFrame(
        {
            "name": "",
            "region": np.asarray(region, dtype="int64"),
            "registered": registered,
            "deregistered": np.nan,
            "capital": capital,
            "ownership": ownership,
            "division": np.asarray(division, dtype=object),
            "division2": np.where(rng.random(n) < 0.35, related, ""),
            "address": street_addresses(world, rng, np.asarray(region, dtype="int64")),
            "phone": "",
            "activity": rng.lognormal(0, 1.0, n)
            * (capital / MEDIAN_CAPITAL) ** 0.25
            * np.where(state, 1.5, 1.0),
            "efficiency": np.exp(rng.normal(0, 0.035, n)) * (capital / MEDIAN_CAPITAL) ** -0.01,
            "kind": "honest",
            "scheme": "",
        }
    )
    frame["name"] = _names(world, rng, frame)
    return frame


def _related(rng: np.random.Generator, division: np.ndarray) -> np.ndarray:
    out = np.empty(len(division), dtype=object)
    u = rng.random(len(division))
    for code, options in RELATED_DIVISIONS.items():
        rows = division == code
        out[rows] = np.asarray(options, dtype=object)[np.floor(u[rows] * len(options)).astype(int)]
    return out


# --- owners and managers ---------------------------------------------------------------------


def _owner_persons(world: World, rng: np.random.Generator, registered: np.ndarray) -> np.ndarray:
    """New owner/manager persons, adults when their firm was registered."""
    birth = np.minimum(rng.integers(1955, 1996, len(registered)), year_of(registered) - 22)
    people = new_persons(rng, np.maximum(birth, 1935), 0.72, "owner")
    return world.append("persons", people)


def add_firms(
    world: World,
    rng: np.random.Generator,
    firms: pd.DataFrame,
    owner: np.ndarray | None = None,
) -> np.ndarray:
    """Append firms with their roles; `owner` (a person per firm, -1 = new) becomes legal
    representative and largest shareholder. Returns the firms' positions."""
    if firms.empty:
        return np.array([], dtype="int64")
    positions = world.append("enterprises", firms[list(FIRM_COLUMNS)])
    world.enterprises.loc[positions, "phone"] = _phones(
        world, firms["region"].to_numpy(), positions, salt=world.config.seed % 9973
    )
    roles = _roles(world, rng, positions, owner)
    world.append("roles", roles)
    return positions


def _roles(
    world: World, rng: np.random.Generator, firms: np.ndarray, owner: np.ndarray | None
) -> pd.DataFrame:
    e = world.enterprises.loc[firms]
    n = len(firms)
    ownership = e["ownership"].to_numpy()
    registered = e["registered"].to_numpy()
    capital = e["capital"].to_numpy()
    # Shareholders who are natural persons: none for state firms; partial for mixed/foreign.
    n_holders = rng.choice([1, 2, 3, 4], n, p=[0.4, 0.35, 0.15, 0.1])
    n_holders = np.where(np.isin(ownership, ["state"]), 0, n_holders)
    held = np.where(
        np.isin(ownership, ["mixed", "foreign", "collective"]), rng.uniform(0.3, 0.9, n), 1.0
    )
    holder_firm = np.repeat(np.arange(n), n_holders)
    raw = rng.gamma(1.5, 1.0, len(holder_firm))
    total = np.bincount(holder_firm, raw, minlength=n)
    # Shares of one firm sum to `held` at most: floor to 4 decimals, e.g. 0.33339 -> 0.3333.
    share = np.floor(raw / total[holder_firm] * held[holder_firm] * 1e4) / 1e4
    share = np.maximum(share, 0.0001)
    order = np.lexsort((-share, holder_firm))
    holder_firm, share = holder_firm[order], share[order]
    largest = np.r_[True, holder_firm[1:] != holder_firm[:-1]]
    holder_person = _owner_persons(world, rng, registered[holder_firm])
    if owner is not None:
        fixed = owner[holder_firm] >= 0
        holder_person = np.where(largest & fixed, owner[holder_firm], holder_person)
    # The legal representative is usually the largest shareholder.
    rep_is_holder = (rng.random(n) < 0.7) & (n_holders > 0)
    main_holder = np.full(n, -1, dtype="int64")
    main_holder[holder_firm[largest]] = holder_person[largest]
    rep = np.where(rep_is_holder, main_holder, -1)
    if owner is not None:
        rep = np.where(owner >= 0, owner, rep)
    new_rep = rep < 0
    rep[new_rep] = _owner_persons(world, rng, registered[new_rep])
    parts = [
        role_rows(firms[holder_firm], holder_person, "shareholder", registered[holder_firm], share),
        role_rows(firms, rep, "legal_representative", registered),
    ]
    n_directors = np.where(capital >= 5_000_000, rng.integers(1, 4, n), 0)
    director_firm = np.repeat(np.arange(n), n_directors)
    parts.append(
        role_rows(
            firms[director_firm],
            _owner_persons(world, rng, registered[director_firm]),
            "director",
            registered[director_firm],
        )
    )
    supervised = np.flatnonzero((capital >= 1_000_000) & (rng.random(n) < 0.5))
    parts.append(
        role_rows(
            firms[supervised],
            _owner_persons(world, rng, registered[supervised]),
            "supervisor",
            registered[supervised],
        )
    )
    managed = np.flatnonzero(rng.random(n) < 0.6)
    manager = np.where(rng.random(len(managed)) < 0.5, rep[managed], -1)
    manager[manager < 0] = _owner_persons(world, rng, registered[managed][manager < 0])
    parts.append(role_rows(firms[managed], manager, "manager", registered[managed]))
    return pd.concat(parts, ignore_index=True)


def role_rows(firm, person, role: str, start, share=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "enterprise": np.asarray(firm, dtype="int64"),
            "person": np.asarray(person, dtype="int64"),
            "role": role,
            "share": np.nan if share is None else share,
            "start": np.asarray(start, dtype="float64"),
            "end": np.nan,
        }
    )


def change_legal_representatives(
    world: World, rng: np.random.Generator, share: float = 0.15
) -> None:
    """Some firms changed their legal representative once: a new person from a later date."""
    roles = world.roles
    reps = roles.index[
        (roles["role"] == "legal_representative").to_numpy() & roles["end"].isna().to_numpy()
    ]
    reps = reps[rng.random(len(reps)) < share]
    start = roles.loc[reps, "start"].to_numpy()
    room = world.today - 30 - (start + YEAR)
    reps, start, room = reps[room > 0], start[room > 0], room[room > 0]
    when = np.floor(start + YEAR + rng.random(len(reps)) * room)
    persons = _owner_persons(world, rng, when)
    replace_holder(world, reps, persons, when)


def replace_holder(
    world: World, rows: np.ndarray, persons: np.ndarray, when: np.ndarray
) -> np.ndarray:
    """Hand the roles in `rows` over to `persons` from `when` (a same-share transfer).

    The old row ends the day before; the new row keeps the role, share and the old end.
    E.g. a 0.6 shareholding from 2015-03-02, handed over on 2021-07-01: the old holder's row
    ends 2021-06-30 and the new holder's 0.6 runs from 2021-07-01, so shares never exceed 1.
    """
    roles = world.roles
    new = roles.loc[rows].copy()
    new["person"] = persons
    new["start"] = when
    roles.loc[rows, "end"] = when - 1
    return world.append("roles", new.reset_index(drop=True))


def active_role_rows(world: World, firms: np.ndarray, role: str, when: np.ndarray) -> np.ndarray:
    """Per (firm, date): the row of that role held at the date (largest share), -1 if none."""
    roles = world.roles
    candidates = roles[(roles["role"] == role).to_numpy()]
    ask = pd.DataFrame({"enterprise": firms, "when": when, "ask": np.arange(len(firms))})
    joined = ask.merge(candidates.reset_index(names="row"), on="enterprise")
    active = (joined["start"] < joined["when"]) & ~(joined["end"] < joined["when"])
    joined = joined[active].sort_values(["ask", "share"], ascending=[True, False], kind="stable")
    first = joined.drop_duplicates("ask")
    out = np.full(len(firms), -1, dtype="int64")
    out[first["ask"].to_numpy()] = first["row"].to_numpy()
    return out


def main_person(world: World, firms: np.ndarray, when: np.ndarray) -> np.ndarray:
    """The largest shareholder at a date, else the legal representative (-1 if neither)."""
    holder = active_role_rows(world, firms, "shareholder", when)
    rep = active_role_rows(world, firms, "legal_representative", when)
    row = np.where(holder >= 0, holder, rep)
    persons = world.roles["person"].to_numpy()
    return take_or_missing(persons, row)


# --- the honest population -------------------------------------------------------------------


def build_enterprises(world: World, rng: np.random.Generator) -> None:
    """The honest population: firms by division (as demand and competition need them) and
    region (as buyers spend), with owners and managers; some later change legal representative."""
    n = world.config.n_enterprises
    demand = division_demand(world)
    competition = pd.Series({d.code: d.competition for d in DIVISIONS})
    # Firms per division ~ bids it attracts: tenders x competition (few medical-equipment firms).
    p_division = (demand * competition.reindex(demand.index)).fillna(0)
    p_division /= p_division.sum()
    division = np.asarray(p_division.index, dtype=object)[
        rng.choice(len(p_division), n, p=p_division.to_numpy())
    ]
    region_weight = (
        world.units.groupby("region")["weight"].sum().reindex(world.regions.index).fillna(0)
    )
    region = rng.choice(len(region_weight), n, p=(region_weight / region_weight.sum()).to_numpy())
    add_firms(world, rng, draw_firms(world, rng, division, region))
    change_legal_representatives(world, rng)
