"""Bids and awards: who bids on each tender, at what price and when, which bids are valid, who
wins, and the status each tender ends up in at the world's "today".

Honest bidders are drawn from the suppliers of the tender's division, mostly local, among
firms registered a month before; incumbents bid at their buyers; the tenders schemes took
over get their favourite, their ring's cover bids, fewer outsiders and the disqualifications
the scheme needs (tenders.OVERRIDES).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_contracts.synthetic.tenders import DIVISION
from data_contracts.synthetic.vocab import DIVISION_CODES
from data_contracts.synthetic.world import World

BASE_BIDDERS = {"open": 14.0, "selective": 8.0, "limited": 4.5, "direct": 1.0}
MAX_BIDDERS = 25
P_LOCAL = 0.75  # a bidder comes from the buyer's region
P_DISQUALIFIED, P_WITHDRAWN, P_LATE = 0.05, 0.02, 0.003
P_CANCELLED = 0.03
P_LOWEST_WINS = 0.85  # else the second lowest wins on quality points
P_RETENDER = 0.25  # an open tender with a single valid bid is declared unsuccessful
P_INCUMBENCY = 0.25  # of busy (unit, division) markets: served by an incumbent
P_INCUMBENT_BIDS = 0.85
INCUMBENT_CAPITAL = 5_000_000.0  # incumbents are big firms
INCUMBENT_DISCOUNT = 0.96  # scale and know-how: incumbents bid ~4% lower
DAY = 86_400.0
DEADLINE_SECOND = 1.5 * 3600  # 09:30 Beijing time = 01:30 UTC
SPAN = 100_000.0  # day numbers stay below this, so key * SPAN + day sorts by key, then day
# Bid sources, most binding first (a firm both favourite and drawn honestly bids as favourite).
FAVOURITE, COVER, INCUMBENT, HONEST = 0, 1, 2, 3
VALID, DISQUALIFIED, WITHDRAWN = 0, 1, 2
STATUS_NAMES = ("valid", "disqualified", "withdrawn")


@dataclass(frozen=True)
class Pools:
    """Firms grouped by a key, sorted by registration day, with cumulative draw weights."""

    composite: np.ndarray
    firm: np.ndarray
    cum: np.ndarray

    @classmethod
    def build(
        cls, keys: np.ndarray, firms: np.ndarray, weights: np.ndarray, registered: np.ndarray
    ) -> Pools:
        order = np.lexsort((registered, keys))
        composite = keys[order].astype("float64") * SPAN + registered[order]
        return cls(composite, firms[order], np.cumsum(weights[order]))

    def draw(
        self, rng: np.random.Generator, keys: np.ndarray, registered_by: np.ndarray
    ) -> np.ndarray:
        """A firm per request, ~ weight among the key's firms registered by the day (-1: none)."""
        base_key = keys.astype("float64") * SPAN
        lo = np.searchsorted(self.composite, base_key, "left")
        hi = np.searchsorted(self.composite, base_key + registered_by, "right")
        cum = np.r_[0.0, self.cum]
        bottom, top = cum[lo], cum[hi]
        target = bottom + rng.random(len(keys)) * (top - bottom)
        pick = np.clip(np.searchsorted(self.cum, target, "right"), lo, np.maximum(hi - 1, lo))
        return np.where(
            (hi > lo) & (top > bottom), self.firm[np.minimum(pick, len(self.firm) - 1)], -1
        )


def _division_index(codes: np.ndarray) -> np.ndarray:
    return (
        pd.Series(codes)
        .map({c: i for i, c in enumerate(DIVISION_CODES)})
        .to_numpy()
        .astype("int64")
    )


def supplier_pools(world: World, weight: np.ndarray) -> Pools:
    """Pools keyed (division, region) and (division, anywhere); secondary lines weigh 0.3."""
    e = world.enterprises
    n_regions = len(world.regions)
    active = np.flatnonzero(weight > 0)
    second = active[(e["division2"].to_numpy()[active] != "")]
    firms = np.r_[active, second]
    division = np.r_[
        _division_index(e["division"].to_numpy()[active]),
        _division_index(e["division2"].to_numpy()[second]),
    ]
    w = np.r_[weight[active], 0.3 * weight[second]]
    region = e["region"].to_numpy()[firms]
    registered = e["registered"].to_numpy()[firms]
    keys = np.r_[division * (n_regions + 1) + region, division * (n_regions + 1) + n_regions]
    return Pools.build(keys, np.r_[firms, firms], np.r_[w, w], np.r_[registered, registered])


def market_keys(
    world: World, division: np.ndarray, region: np.ndarray, local: np.ndarray
) -> np.ndarray:
    n_regions = len(world.regions)
    return _division_index(division) * (n_regions + 1) + np.where(local, region, n_regions)


# --- the state of each tender at "today" ------------------------------------------------------


def _calendar_state(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Which tenders are planned, cancelled, still open, or have their bids opened by today."""
    t = world.tenders
    today = world.today
    planned = t["ref"].to_numpy() > today
    direct = (t["method"] == "direct").to_numpy()
    deadline = t["deadline"].to_numpy()
    claimed = t["instance"].to_numpy() >= 0
    cancel_day = np.floor(
        t["ref"].to_numpy() + rng.random(len(t)) * (t["awarded"].to_numpy() - t["ref"].to_numpy())
    )
    cancelled = (
        ~planned & ~direct & ~claimed & (rng.random(len(t)) < P_CANCELLED) & (cancel_day <= today)
    )
    opened = ~planned & np.where(direct, t["awarded"].to_numpy() <= today, deadline <= today)
    opened &= ~cancelled | (cancel_day > deadline)  # cancelled after the bids were opened
    return pd.DataFrame(
        {"planned": planned, "cancelled": cancelled, "opened": opened, "cancel_day": cancel_day}
    )


def _bidder_counts(world: World, rng: np.random.Generator, opened: np.ndarray) -> np.ndarray:
    """Honest bidders per tender: more for open procedures and competitive divisions."""
    t = world.tenders
    method = t["method"].to_numpy()
    base = pd.Series(method).map(BASE_BIDDERS).to_numpy()
    competition = (
        pd.Series(t["division"].to_numpy())
        .map({c: d.competition for c, d in DIVISION.items()})
        .to_numpy()
    )
    lam = base * competition * rng.lognormal(0, 0.25, len(t))
    n = np.minimum(1 + rng.poisson(np.maximum(lam - 1, 0)), MAX_BIDDERS)
    n = np.where(method == "direct", 1, n)
    others = t["others"].to_numpy()
    n = np.where(others >= 0, others, n)
    return np.where(opened, n, 0)


# --- who bids -----------------------------------------------------------------------------------


def _bid_frame(tender: np.ndarray, enterprise: np.ndarray, source: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tender": np.asarray(tender, dtype="int64"),
            "enterprise": np.asarray(enterprise, dtype="int64"),
            "source": np.full(len(tender), source, dtype="int8"),
        }
    )


def _honest_bids(
    world: World, rng: np.random.Generator, pools: Pools, counts: np.ndarray
) -> pd.DataFrame:
    t = world.tenders
    tender = np.repeat(np.arange(len(t)), counts)
    division = t["division"].to_numpy()[tender]
    region = world.units["region"].to_numpy()[t["unit"].to_numpy()[tender]]
    registered_by = t["ref"].to_numpy()[tender] - 30
    local = rng.random(len(tender)) < P_LOCAL
    firm = pools.draw(rng, market_keys(world, division, region, local), registered_by)
    retry = (firm < 0) & local  # nobody local yet: look further afield
    firm[retry] = pools.draw(
        rng, market_keys(world, division[retry], region[retry], ~local[retry]), registered_by[retry]
    )
    found = firm >= 0
    return _without_abstentions(world, _bid_frame(tender[found], firm[found], HONEST))


def _without_abstentions(world: World, bids: pd.DataFrame) -> pd.DataFrame:
    """Officials' relatives and former officials keep their firms away from the officials' units."""
    if world.abstentions.empty:
        return bids
    n_units = len(world.units)
    unit = world.tenders["unit"].to_numpy()[bids["tender"].to_numpy()]
    pairs = bids["enterprise"].to_numpy() * n_units + unit
    away = world.abstentions["enterprise"].to_numpy().astype("int64") * n_units + world.abstentions[
        "unit"
    ].to_numpy().astype("int64")
    return bids[~np.isin(pairs, away)]


def choose_incumbents(world: World, rng: np.random.Generator) -> None:
    """A quarter of busy (unit, division) markets have an incumbent: a big, old firm of the
    region, often state-owned, that serves the buyer year after year (legitimately)."""
    t = world.tenders
    volume = t.groupby(["unit", "division"]).size().rename("n").reset_index()
    busy = volume[(volume["n"] >= 6) & (rng.random(len(volume)) < P_INCUMBENCY)].reset_index(
        drop=True
    )
    e = world.enterprises
    honest = (
        e["kind"].isin(["honest", "group"]).to_numpy()
        & (e["scheme"] == "").to_numpy()
        & (e["capital"].to_numpy() >= INCUMBENT_CAPITAL)
    )
    state = np.where(e["ownership"].to_numpy() == "state", 3.0, 1.0)
    weight = np.where(honest, (e["capital"].to_numpy() / 1e6) ** 0.8 * state, 0.0)
    pools = supplier_pools(world, weight)
    region = world.units["region"].to_numpy()[busy["unit"].to_numpy()]
    keys = market_keys(world, busy["division"].to_numpy(), region, np.ones(len(busy), dtype=bool))
    firm = pools.draw(rng, keys, np.full(len(busy), world.start - 5 * 365.25))
    world.incumbents = busy.assign(enterprise=firm)[firm >= 0].reset_index(drop=True)


def _incumbent_bids(world: World, rng: np.random.Generator, opened: np.ndarray) -> pd.DataFrame:
    t = world.tenders
    tenders = pd.DataFrame({"tender": np.flatnonzero(opened & (t["instance"].to_numpy() < 0))})
    tenders["unit"] = t["unit"].to_numpy()[tenders["tender"]]
    tenders["division"] = t["division"].to_numpy()[tenders["tender"]]
    bids = tenders.merge(
        world.incumbents[["unit", "division", "enterprise"]], on=["unit", "division"]
    )
    bids = bids[rng.random(len(bids)) < P_INCUMBENT_BIDS]
    return _without_abstentions(world, _bid_frame(bids["tender"], bids["enterprise"], INCUMBENT))


def _scheme_bids(world: World, rng: np.random.Generator, opened: np.ndarray) -> pd.DataFrame:
    """The favourite of every taken-over tender, and its ring's cover bids."""
    t = world.tenders
    fav = np.flatnonzero(opened & (t["favourite"].to_numpy() >= 0))
    favourite = t["favourite"].to_numpy()[fav]
    rigged = pd.DataFrame({"tender": fav, "ring": t["ring"].to_numpy()[fav], "winner": favourite})
    covers = rigged[rigged["ring"] >= 0].merge(world.rings.astype("int64"), on="ring")
    covers = covers[covers["enterprise"] != covers["winner"]]
    # Most members turn up each time; the first cover always does.
    first = (covers.groupby("tender").cumcount() == 0).to_numpy()
    covers = covers[first | (rng.random(len(covers)) < 0.85)]
    return pd.concat(
        [
            _bid_frame(fav, favourite, FAVOURITE),
            _bid_frame(covers["tender"], covers["enterprise"], COVER),
        ],
        ignore_index=True,
    )


def _combined(world: World, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One bid per (tender, firm), the most binding source kept; a direct award has one offer."""
    bids = pd.concat(parts, ignore_index=True)
    tender, firm, source = (bids[c].to_numpy() for c in ("tender", "enterprise", "source"))
    order = np.lexsort((source, firm, tender))
    tender, firm = tender[order], firm[order]
    first_pair = np.r_[True, (tender[1:] != tender[:-1]) | (firm[1:] != firm[:-1])]
    bids = bids.iloc[order[first_pair]]
    bids = bids.iloc[np.lexsort((bids["source"].to_numpy(), bids["tender"].to_numpy()))]
    tender = bids["tender"].to_numpy()
    first_of_tender = np.r_[True, tender[1:] != tender[:-1]]
    direct = (world.tenders["method"] == "direct").to_numpy()[tender]
    return bids[~direct | first_of_tender].reset_index(drop=True)


# --- prices, times, validity ------------------------------------------------------------------


def _per_tender(
    n_tenders: int, tender: np.ndarray, mask: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """The value of each tender's (single) masked bid, for every bid of the tender (NaN if none)."""
    out = np.full(n_tenders, np.nan)
    out[tender[mask]] = values[mask]
    return out[tender]


def _amounts(world: World, rng: np.random.Generator, bids: pd.DataFrame) -> np.ndarray:
    """Honest: estimate x firm efficiency x lognormal, cheaper with more bidders.

    E.g. 8 bidders: median factor 0.985 * exp(-0.012 * 8) = 0.895, so a 1,000,000 CNY estimate
    draws bids around 895,000 +- 7%. A favourite bids win_lo..win_hi of the estimate; covers
    1-6% above the favourite.
    """
    t = world.tenders
    tender = bids["tender"].to_numpy()
    source = bids["source"].to_numpy()
    value = t["value"].to_numpy()[tender]
    n_bids = np.bincount(tender, minlength=len(t))[tender]
    eff = world.enterprises["efficiency"].to_numpy()[bids["enterprise"].to_numpy()]
    mu = np.log(0.985) - 0.012 * np.minimum(n_bids, 10)
    amount = value * eff * np.exp(rng.normal(mu, 0.07))
    amount = np.where(source == INCUMBENT, amount * INCUMBENT_DISCOUNT, amount)
    single = (t["method"] == "direct").to_numpy()[tender]
    amount = np.where(single, value * rng.uniform(0.93, 1.0, len(bids)), amount)
    lo, hi = t["win_lo"].to_numpy()[tender], t["win_hi"].to_numpy()[tender]
    favourite = source == FAVOURITE
    amount = np.round(
        np.where(favourite, value * (lo + rng.random(len(bids)) * (hi - lo)), amount), 2
    )
    fav_amount = _per_tender(len(t), tender, favourite, amount)
    cover = source == COVER
    amount = np.where(cover, np.round(fav_amount * rng.uniform(1.01, 1.06, len(bids)), 2), amount)
    return _identical_covers(rng, tender, cover, amount)


def _identical_covers(
    rng: np.random.Generator, tender: np.ndarray, cover: np.ndarray, amount: np.ndarray
) -> np.ndarray:
    """In ~15% of rigged tenders two cover bids carry the very same price (one copied file)."""
    rows = np.flatnonzero(cover)
    nth = pd.Series(tender[rows]).groupby(tender[rows]).cumcount().to_numpy()
    rigged = np.unique(tender[rows])
    copied = set(rigged[rng.random(len(rigged)) < 0.15])
    first_of = pd.Series(rows[nth == 0], index=tender[rows[nth == 0]])
    target = rows[(nth == 1) & np.isin(tender[rows], list(copied))]
    amount = amount.copy()
    amount[target] = amount[first_of.reindex(tender[target]).to_numpy()]
    return amount


def _submission_times(world: World, rng: np.random.Generator, bids: pd.DataFrame) -> np.ndarray:
    """Seconds since the epoch (UTC): hours or days before a 09:30 deadline; direct offers a few
    days before the award; a ring files its bids within minutes of each other."""
    t = world.tenders
    tender = bids["tender"].to_numpy()
    source = bids["source"].to_numpy()
    n = len(bids)
    deadline = t["deadline"].to_numpy()[tender] * DAY + DEADLINE_SECOND
    published = t["published"].to_numpy()[tender] * DAY + 3600 * 2
    at = np.maximum(deadline - rng.exponential(40 * 3600, n), published + rng.uniform(0, 3600, n))
    direct = (t["method"] == "direct").to_numpy()[tender]
    offer = (
        t["awarded"].to_numpy()[tender] * DAY
        - rng.uniform(1, 6, n) * DAY
        + rng.uniform(1, 9, n) * 3600
    )
    at = np.where(direct, offer, at)
    ringed = t["ring"].to_numpy()[tender] >= 0
    fav_at = _per_tender(len(t), tender, source == FAVOURITE, at)
    at = np.where(ringed & (source == COVER), fav_at - rng.uniform(120, 2400, n), at)
    late = ~direct & (source == HONEST) & (rng.random(n) < P_LATE)
    at = np.where(late, deadline + rng.uniform(60, 3600, n), at)
    return np.floor(at)


def _statuses(world: World, rng: np.random.Generator, bids: pd.DataFrame) -> np.ndarray:
    """Status codes (VALID, DISQUALIFIED, WITHDRAWN): honest slips, late bids, and the
    disqualifications schemes arrange for outsiders cheaper than their favourite."""
    t = world.tenders
    tender = bids["tender"].to_numpy()
    source = bids["source"].to_numpy()
    u = rng.random(len(bids))
    status = np.where(
        u < P_DISQUALIFIED,
        DISQUALIFIED,
        np.where(u < P_DISQUALIFIED + P_WITHDRAWN, WITHDRAWN, VALID),
    )
    late = bids["submitted"].to_numpy() > t["deadline"].to_numpy()[tender] * DAY + DEADLINE_SECOND
    status = np.where(late, DISQUALIFIED, status)
    status = np.where(
        (source == FAVOURITE) | ((source == COVER) & (status == DISQUALIFIED)), VALID, status
    )
    outsider = (source >= INCUMBENT) & (t["favourite"].to_numpy()[tender] >= 0)
    amount = bids["amount"].to_numpy()
    cheaper = amount < _per_tender(len(t), tender, source == FAVOURITE, amount)
    knocked = outsider & (
        t["disqualify_all"].to_numpy(dtype=bool)[tender]
        | (cheaper & (rng.random(len(bids)) < t["disqualify"].to_numpy()[tender]))
    )
    return np.where(knocked, DISQUALIFIED, status).astype("int8")


def _winners(world: World, rng: np.random.Generator, bids: pd.DataFrame) -> pd.Series:
    """Winning bid row per tender: the favourite, else the lowest valid bid (sometimes the
    second lowest, on quality points)."""
    status, source = bids["status_code"].to_numpy(), bids["source"].to_numpy()
    tender = bids["tender"].to_numpy()
    has_favourite = np.zeros(len(world.tenders), dtype=bool)
    has_favourite[tender[source == FAVOURITE]] = True
    fav_rows = np.flatnonzero((status == VALID) & (source == FAVOURITE))
    rest = np.flatnonzero((status == VALID) & ~has_favourite[tender])
    rest = rest[np.lexsort((bids["amount"].to_numpy()[rest], tender[rest]))]
    t_rest = tender[rest]
    starts = np.r_[True, t_rest[1:] != t_rest[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(rest)), 0))
    rank = np.arange(len(rest)) - group_start
    n_valid = np.bincount(t_rest, minlength=len(world.tenders))[t_rest]
    second = (rng.random(len(world.tenders)) > P_LOWEST_WINS)[t_rest] & (n_valid >= 2)
    chosen = rest[rank == np.where(second, 1, 0)]
    rows = np.r_[fav_rows, chosen]
    return pd.Series(rows, index=tender[rows]).sort_index()


# --- putting it together ------------------------------------------------------------------------


def build_bids(world: World, rng: np.random.Generator, say: Callable[[str], None]) -> pd.Series:
    """Write world.bids and settle tender statuses; returns the winning bid row per tender."""
    state = _calendar_state(world, rng)
    opened = state["opened"].to_numpy()
    choose_incumbents(world, rng)
    pools = supplier_pools(world, world.enterprises["activity"].to_numpy())
    parts = [
        _scheme_bids(world, rng, opened),
        _incumbent_bids(world, rng, opened),
        _honest_bids(world, rng, pools, _bidder_counts(world, rng, opened)),
    ]
    bids = _combined(world, parts)
    say(f"  {len(bids):,} bidders drawn")
    bids["amount"] = _amounts(world, rng, bids)
    bids["submitted"] = _submission_times(world, rng, bids)
    bids["status_code"] = _statuses(world, rng, bids)
    bids.loc[rng.random(len(bids)) < 0.005, "submitted"] = np.nan  # the platform lost a few times
    winners = _winners(world, rng, bids)
    bids["status"] = np.asarray(STATUS_NAMES, dtype=object)[bids["status_code"].to_numpy()]
    world.bids = bids
    return _settle(world, rng, state, winners)


def _settle(
    world: World, rng: np.random.Generator, state: pd.DataFrame, winners: pd.Series
) -> pd.Series:
    """Final statuses; unsuccessful tenders lose their winner. Awarded = has a winner by today."""
    t = world.tenders
    n = len(t)
    has_winner = np.zeros(n, dtype=bool)
    has_winner[winners.index.to_numpy()] = True
    bids = world.bids
    valid_count = np.bincount(
        bids["tender"].to_numpy()[bids["status_code"].to_numpy() == VALID], minlength=n
    )
    retender = (
        (t["method"] == "open").to_numpy()
        & (valid_count == 1)
        & (t["instance"].to_numpy() < 0)
        & (rng.random(n) < P_RETENDER)
    )
    decided = t["awarded"].to_numpy() <= world.today
    opened = state["opened"].to_numpy()
    cancelled = state["cancelled"].to_numpy()
    awarded = opened & has_winner & ~retender & decided & ~cancelled
    unsuccessful = opened & decided & ~awarded & ~cancelled
    t["status"] = np.select(
        [state["planned"].to_numpy(), cancelled, unsuccessful, awarded],
        ["planned", "cancelled", "unsuccessful", "awarded"],
        "active",
    )
    t["awarded"] = np.where(awarded, t["awarded"], np.nan)
    t.loc[state["planned"].to_numpy(), ["published", "deadline"]] = np.nan
    return winners[awarded[winners.index.to_numpy()]]
