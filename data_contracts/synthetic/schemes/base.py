"""What every scheme does: pick the people and firms involved, take over some tenders, bend
their bidding, and record the instance and its members as ground truth.

A scheme never writes bids itself: it sets override columns on the tenders it takes over
(tenders.OVERRIDES: the favourite who must win, how many outsiders bid, how often they are
disqualified, the winning price range) and bidding.py plays them out with the honest stream.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.registry import relation_sources
from data_contracts.synthetic.sampling import pick_in_region, take_or_missing
from data_contracts.synthetic.tenders import awardable, draw_divisions, schedule, threshold_of
from data_contracts.synthetic.timeline import YEAR
from data_contracts.synthetic.vocab import DIVISION_CODES
from data_contracts.synthetic.world import World

FAVOURITE_KINDS = ("honest", "group", "agent_address", "agent_phone")
AWARD_LEAD = 75  # days from a procedure's start to its award, at most (open: ~20 + 30 + 14)


def head_posts(world: World) -> pd.DataFrame:
    """Unit-head posts in office during the period; `until` = the last day a procedure can
    start and still be awarded while he is in post (end or today, less AWARD_LEAD)."""
    posts = world.posts
    heads = posts[posts["is_head"].to_numpy()]
    until = heads["end"].fillna(world.today + AWARD_LEAD) - AWARD_LEAD
    heads = heads.assign(post=heads.index, until=until)
    return heads[(heads["until"] >= world.start)].reset_index(drop=True)


def head_at(world: World, units: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The person heading each unit on each day (-1 if the seat was vacant)."""
    heads = world.posts[world.posts["is_head"].to_numpy()]
    left = pd.DataFrame({"unit": units, "at": days, "ask": np.arange(len(units))}).sort_values("at")
    right = pd.DataFrame(
        {
            "unit": heads["unit"].to_numpy(),
            "at": heads["start"].to_numpy(),
            "person": heads["person"].to_numpy(),
            "until": heads["end"].fillna(np.inf).to_numpy(),
        }
    ).sort_values("at")
    found = pd.merge_asof(left, right, on="at", by="unit", direction="backward")
    found = found[found["until"] >= found["at"]]
    out = np.full(len(units), -1, dtype="int64")
    out[found["ask"].to_numpy()] = found["person"].to_numpy()
    return out


def windows(
    rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, months: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """A window of `months` length placed at random inside [lo, hi] (shorter if hi - lo is)."""
    length = rng.uniform(*months, len(lo)) * YEAR / 12
    room = np.maximum(hi - lo - length, 0)
    start = np.floor(lo + rng.random(len(lo)) * room)
    return start, np.minimum(start + length, hi)


def candidates(
    world: World,
    wanted: pd.DataFrame,
    methods: tuple[str, ...] | None = None,
    on: tuple[str, ...] = ("unit",),
) -> pd.DataFrame:
    """Unclaimed awardable tenders matching each instance's `on` columns within [lo, hi]."""
    t = world.tenders
    free = t[awardable(world)]
    if methods is not None:
        free = free[free["method"].isin(methods).to_numpy()]
    free = free[["unit", "division", "method", "ref", "value"]].reset_index(names="tender")
    joined = wanted[["inst", "lo", "hi", *on]].merge(free, on=list(on))
    return joined[(joined["ref"] >= joined["lo"]) & (joined["ref"] <= joined["hi"])]


def take(
    rng: np.random.Generator, found: pd.DataFrame, k: np.ndarray, by_value: bool = False
) -> pd.DataFrame:
    """Up to k[inst] tenders per instance (random, or the largest), each tender at most once."""
    if found.empty:
        return found.assign(rank=[])
    found = found.sample(frac=1.0, random_state=rng.integers(2**31)).drop_duplicates("tender")
    key = (
        -found["value"].to_numpy() * rng.uniform(0.8, 1.2, len(found))
        if by_value
        else rng.random(len(found))
    )
    order = np.lexsort((key, found["inst"].to_numpy()))
    found = found.iloc[order]
    found = found.assign(rank=found.groupby("inst").cumcount().to_numpy())
    return found[found["rank"].to_numpy() < k[found["inst"].to_numpy()]].reset_index(drop=True)


def busiest_division(rng: np.random.Generator, found: pd.DataFrame) -> pd.DataFrame:
    """Keep, per instance, the candidates of the division with most of them (ties at random):
    the favoured firm's line of business is what the unit buys most in the window."""
    counts = found.groupby(["inst", "division"]).size().rename("n").reset_index()
    counts["key"] = counts["n"] + rng.random(len(counts))
    best = counts.sort_values(["inst", "key"], ascending=[True, False]).drop_duplicates("inst")
    return found.merge(best[["inst", "division"]], on=["inst", "division"])


def enough(captured: pd.DataFrame, n_instances: int, minimum: int) -> np.ndarray:
    """Instances that took over at least `minimum` tenders."""
    counts = np.bincount(captured["inst"].to_numpy(), minlength=n_instances)
    return counts >= minimum


def unit_divisions(world: World, rng: np.random.Generator, units: np.ndarray) -> np.ndarray:
    """A division each unit buys, drawn from what its sector buys."""
    return draw_divisions(rng, world.units["sector"].to_numpy()[units])


def pick_favourites(
    world: World,
    rng: np.random.Generator,
    region: np.ndarray,
    division: np.ndarray,
    registered_before: float,
) -> np.ndarray:
    """A distinct established firm per request, of the division, in the region if possible."""
    e = world.enterprises
    ok = (
        e["kind"].isin(FAVOURITE_KINDS).to_numpy()
        & (e["scheme"] == "").to_numpy()
        & (e["registered"].to_numpy() <= registered_before)
        & (e["activity"].to_numpy() > 0)
    )
    firms = np.flatnonzero(ok)
    div_index = {code: i for i, code in enumerate(DIVISION_CODES)}
    firm_div = pd.Series(e["division"].to_numpy()[firms]).map(div_index).to_numpy()
    want_div = pd.Series(division).map(div_index).to_numpy()
    n_div = len(DIVISION_CODES)
    local = pick_in_region(
        rng, e["region"].to_numpy()[firms] * n_div + firm_div, region * n_div + want_div
    )
    out = take_or_missing(firms, local)
    missing = np.flatnonzero(out < 0)
    if len(missing):  # no free firm of the division in the region: any region
        taken = np.isin(firms, out)
        rest = firms[~taken]
        anywhere = pick_in_region(rng, firm_div[~taken], want_div[missing])
        out[missing] = take_or_missing(rest, anywhere)
    return out


def link_persons(
    world: World,
    rng: np.random.Generator,
    person: np.ndarray,
    related: np.ndarray,
    relations: tuple[str, ...],
    p: tuple[float, ...],
) -> None:
    """Relations rows person -> related with a relation drawn from `relations`."""
    relation = np.asarray(relations, dtype=object)[rng.choice(len(relations), len(person), p=p)]
    world.append(
        "relations",
        pd.DataFrame(
            {
                "person": person,
                "related": related,
                "relation": relation,
                "source": relation_sources(rng, relation),
            }
        ),
    )


def set_overrides(world: World, tenders: np.ndarray, **columns) -> None:
    for column, values in columns.items():
        world.tenders.loc[tenders, column] = values


def register(
    world: World,
    scheme: str,
    instances: pd.DataFrame,
    tenders: pd.DataFrame,
    officials: pd.DataFrame,
    enterprises: pd.DataFrame,
) -> np.ndarray:
    """Record instances (columns unit, detail, prepared) and their members as ground truth.

    `tenders`, `officials`, `enterprises` have columns inst (row of `instances`), entity, role.
    Returns the global scheme ids of the instances; the tenders are marked as taken over.
    """
    ids = world.next_scheme_ids(len(instances))
    world.append(
        "schemes",
        pd.DataFrame(
            {
                "scheme_id": ids,
                "scheme": scheme,
                "unit": instances["unit"].to_numpy(),
                "prepared": instances["prepared"].to_numpy() if "prepared" in instances else np.nan,
                "detail": instances["detail"].to_numpy(),
            }
        ),
    )
    parts = []
    for entity_type, frame in (
        ("official", officials),
        ("enterprise", enterprises),
        ("tender", tenders),
    ):
        parts.append(
            pd.DataFrame(
                {
                    "scheme_id": ids[frame["inst"].to_numpy()],
                    "scheme": scheme,
                    "entity_type": entity_type,
                    "entity": frame["entity"].to_numpy(),
                    "role": frame["role"].to_numpy(),
                    "first": np.nan,
                    "last": np.nan,
                }
            )
        )
    world.append("members", pd.concat(parts, ignore_index=True))
    world.tenders.loc[tenders["entity"].to_numpy(), "instance"] = ids[tenders["inst"].to_numpy()]
    involved = enterprises["entity"].to_numpy()
    world.enterprises.loc[involved, "scheme"] = scheme
    return ids


def redirect_below_threshold(
    world: World, rng: np.random.Generator, tenders: np.ndarray, p: float
) -> None:
    """Steer purchases below the threshold to a limited or direct procedure (re-scheduled).

    Small ones (under 30% of the threshold) go direct, the rest limited; e.g. a 240,000 CNY
    goods purchase (24% of 1,000,000) becomes a direct award without publication.
    """
    t = world.tenders
    ratio = t.loc[tenders, "value"].to_numpy() / threshold_of(t.loc[tenders, "division"].to_numpy())
    steer = (ratio < 1.0) & (rng.random(len(tenders)) < p)
    method = np.where(ratio[steer] < 0.3, "direct", "limited").astype(object)
    reschedule(world, rng, tenders[steer], method, short=np.zeros(steer.sum(), dtype=bool))


def reschedule(
    world: World,
    rng: np.random.Generator,
    tenders: np.ndarray,
    method: np.ndarray,
    short: np.ndarray,
) -> None:
    """A new procedure for taken-over tenders, never awarded later than first scheduled: a
    shorter or simpler procedure is decided sooner (and the tender stays awarded by today)."""
    t = world.tenders
    published, deadline, awarded = schedule(rng, method, t.loc[tenders, "ref"].to_numpy(), short)
    before = t.loc[tenders, "awarded"].to_numpy()
    awarded = np.where(
        np.isnan(deadline), awarded, np.maximum(deadline + 1, np.minimum(awarded, before))
    )
    t.loc[tenders, "method"] = method
    t.loc[tenders, "short"] = short
    t.loc[tenders, "published"] = published
    t.loc[tenders, "deadline"] = deadline
    t.loc[tenders, "awarded"] = awarded


def others_by_method(rng: np.random.Generator, method: np.ndarray, most: int) -> np.ndarray:
    """Outsiders bidding beside a favourite: up to `most` (open/selective), one (limited), none
    (direct)."""
    cap = np.select([method == "direct", method == "limited"], [0, 1], most)
    return np.floor(rng.random(len(method)) * (cap + 1)).astype("int64")


def keep_instances(captured: pd.DataFrame, ok: np.ndarray) -> pd.DataFrame:
    """The captures of instances `ok` (sorted positions), renumbered 0..len(ok)-1."""
    kept = captured[captured["inst"].isin(ok)]
    return kept.assign(inst=np.searchsorted(ok, kept["inst"].to_numpy()))


def within_budget(captured: pd.DataFrame, n_instances: int, budget: int) -> np.ndarray:
    """Instances, in order, whose tenders add up to at most `budget` (at least one)."""
    counts = np.bincount(captured["inst"].to_numpy(), minlength=n_instances)
    total = np.cumsum(counts)
    return np.flatnonzero((total <= budget) | (np.arange(n_instances) == 0) & (counts > 0))


def favoured_at_units(
    world: World,
    rng: np.random.Generator,
    n: int,
    months: tuple[float, float],
    k_range: tuple[int, int],
    methods: tuple[str, ...] | None = None,
    allowed: tuple[str, ...] | None = None,
    latest: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """n candidate instances of a unit head favouring one established firm in one division
    during a window of his tenure: (instances, captured tenders, favourite per instance).
    Instances that found fewer than two tenders or no firm are dropped."""
    heads = head_posts(world)
    heads = heads.iloc[rng.integers(0, len(heads), n)].reset_index(drop=True)
    latest = world.today - 30 if latest is None else latest
    lo, hi = windows(
        rng,
        np.maximum(heads["start"].to_numpy(), world.start),
        np.minimum(heads["until"].to_numpy(), latest),
        months,
    )
    units = heads["unit"].to_numpy()
    wanted = pd.DataFrame({"inst": np.arange(n), "unit": units, "lo": lo, "hi": hi})
    found = candidates(world, wanted, methods)
    if allowed is not None:
        found = found[found["division"].isin(allowed).to_numpy()]
    captured = take(rng, busiest_division(rng, found), rng.integers(k_range[0], k_range[1] + 1, n))
    ok = np.flatnonzero(enough(captured, n, 2))
    division = captured.drop_duplicates("inst").set_index("inst")["division"].reindex(ok).to_numpy()
    favourite = pick_favourites(
        world, rng, world.units["region"].to_numpy()[units[ok]], division, world.start - YEAR
    )
    found_firm = favourite >= 0
    ok, favourite, division = ok[found_firm], favourite[found_firm], division[found_firm]
    instances = (
        wanted.iloc[ok]
        .reset_index(drop=True)
        .assign(official=heads["person"].to_numpy()[ok], division=division)
    )
    return instances, keep_instances(captured, ok), favourite


def plant_favoured(
    world: World,
    rng: np.random.Generator,
    scheme: str,
    target: int,
    mean_k: float,
    draw,
    bend,
    detail: str,
) -> None:
    """Rounds of `draw(n)` -> (instances, captured, favourite) until `target` tenders are taken
    over; `bend(tenders, favourite_per_tender)` sets the overrides; each round is registered."""
    taken = 0
    for _ in range(5):
        deficit = target - taken
        if deficit < 2:
            break
        instances, captured, favourite = draw(int(np.ceil(deficit / mean_k * 1.4)) + 1)
        if instances.empty:
            continue
        ok = within_budget(captured, len(instances), deficit)
        instances, captured, favourite = (
            instances.iloc[ok].reset_index(drop=True),
            keep_instances(captured, ok),
            favourite[ok],
        )
        tenders = captured["tender"].to_numpy()
        bend(tenders, favourite[captured["inst"].to_numpy()])
        everyone = np.arange(len(instances))
        register(
            world,
            scheme,
            instances.assign(detail=[detail.format(d) for d in instances["division"]]),
            tenders=pd.DataFrame({"inst": captured["inst"], "entity": tenders, "role": "award"}),
            officials=pd.DataFrame(
                {"inst": everyone, "entity": instances["official"], "role": "unit_head"}
            ),
            enterprises=pd.DataFrame({"inst": everyone, "entity": favourite, "role": "favourite"}),
        )
        taken += len(tenders)
