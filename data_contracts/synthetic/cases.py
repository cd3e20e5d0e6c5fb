"""cases, the labels: what investigations concluded, selective as real ones are.

Only some scheme instances were ever investigated (by scheme: config.investigation_rate);
a case is opened 3-18 months after the scheme started and closed 2-16 months later, mostly
confirmed; a case not closed by today is open (no outcome). Investigators also look at
innocents that look suspicious (incumbents, single-bid tenders in thin markets, firms at agent
addresses, officials with relatives in business, former officials in business, purchases just
below the threshold, honest cost overruns) and mostly dismiss them. Routine spot checks of
randomly drawn officials and enterprises (spot_checks.py) add the only labels not chosen by
suspicion. No case is opened in the
last `unlabelled_months` months, so recent schemes are unlabelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.schemes.base import head_at
from data_contracts.synthetic.spot_checks import spot_check_files
from data_contracts.synthetic.tenders import DIVISION, threshold_of
from data_contracts.synthetic.timeline import MONTH
from data_contracts.synthetic.world import World

OUTCOMES_OF_SCHEMES = (("confirmed", "inconclusive", "dismissed"), (0.72, 0.18, 0.10))
OUTCOMES_OF_INNOCENTS = (("dismissed", "inconclusive", "confirmed"), (0.80, 0.17, 0.03))
P_ENTITY_CLEARED = 0.1  # in a confirmed case, a named firm or tender is cleared anyway
P_TENDER_NAMED = 0.8
INNOCENT_FILES_PER_SCHEME_FILE = 0.75
THIN_MARKET = 0.75  # divisions with competition below this have many honest single bids
COLUMNS = ["file", "entity_type", "entity", "opened", "scheme", "innocent"]


def build_cases(
    world: World, rng: np.random.Generator, spot_rng: np.random.Generator | None = None
) -> None:
    """Investigations (`rng`), then routine spot checks on their own stream (`spot_rng`), so
    that the share of spot checks never shifts the investigations' draws."""
    cutoff = world.today - world.config.unlabelled_months * MONTH
    real = _scheme_files(world, rng, cutoff)
    n_real = real["file"].nunique()
    innocent = _innocent_files(
        world, rng, cutoff, max(3, round(INNOCENT_FILES_PER_SCHEME_FILE * n_real))
    )
    innocent["file"] += n_real
    cases = _outcomes(world, rng, pd.concat([real, innocent], ignore_index=True))
    cases["spot"] = False
    if spot_rng is not None and world.config.spot_checks > 0:
        spot = spot_check_files(world, spot_rng, cutoff)
        spot["file"] += int(cases["file"].max()) + 1 if len(cases) else 0
        spot = _outcomes(world, spot_rng, spot).assign(spot=True)
        cases = pd.concat([cases, spot], ignore_index=True)
    world.cases = cases.sort_values(
        ["opened", "file", "entity_type", "entity"], kind="stable"
    ).reset_index(drop=True)


def _scheme_files(world: World, rng: np.random.Generator, cutoff: float) -> pd.DataFrame:
    """One file per investigated instance, naming its officials, firms and earlier tenders."""
    s = world.schemes
    rate = s["scheme"].map(world.config.investigation_rate).to_numpy()
    # Opened 3-18 months into the scheme, and not before its first tender raised eyebrows.
    m = world.members
    first_tender = m[m["entity_type"] == "tender"].groupby("scheme_id")["first"].min()
    first_tender = first_tender.reindex(s["scheme_id"]).to_numpy()
    opened = np.floor(
        np.maximum(
            s["started"].to_numpy() + rng.uniform(3, 18, len(s)) * MONTH,
            first_tender + rng.uniform(1, 6, len(s)) * MONTH,
        )
    )
    chosen = (rng.random(len(s)) < rate) & (opened <= cutoff)
    files = pd.DataFrame({"scheme_id": s["scheme_id"].to_numpy()[chosen], "opened": opened[chosen]})
    files["file"] = np.arange(len(files))
    named = world.members.merge(files, on="scheme_id")
    tender = (named["entity_type"] == "tender").to_numpy()
    # Investigators name the tenders they had seen by then, most of them.
    keep = ~tender | (
        (named["first"].to_numpy() <= named["opened"].to_numpy())
        & (rng.random(len(named)) < P_TENDER_NAMED)
    )
    named = named[keep].drop_duplicates(["file", "entity_type", "entity"])
    return named.assign(innocent=False)[COLUMNS]


def _innocent_files(world: World, rng: np.random.Generator, cutoff: float, n: int) -> pd.DataFrame:
    """Files on innocents who look suspicious, spread over the kinds of suspicion."""
    pools = [
        pool
        for pool in (
            _incumbents(world),
            _thin_single_bids(world),
            _agent_firms(world),
            _official_ties(world),
            _near_threshold(world),
            _overruns(world),
            _random_tenders(world, rng),
        )
        if not pool.empty
    ]
    involved = world.members[["entity_type", "entity"]].drop_duplicates().assign(member=True)
    parts, next_file = [], 0
    quota = rng.multinomial(n, np.full(len(pools), 1.0 / len(pools)))
    for pool, k in zip(pools, quota, strict=True):
        pool = pool.merge(involved, on=["entity_type", "entity"], how="left")
        tainted = pool.loc[pool["member"].notna(), "file"].unique()  # a file naming a member
        pool = pool[~pool["file"].isin(tainted)]
        files = pool["file"].unique()
        picked = rng.choice(files, min(k, len(files)), replace=False) if len(files) else files
        mine = pool[pool["file"].isin(picked)].copy()
        mine["opened"] = np.floor(
            mine.groupby("file")["day"].transform("max").to_numpy()
            + rng.uniform(1, 12, len(mine)) * MONTH
        )
        mine["opened"] = mine.groupby("file")["opened"].transform("min")
        mine = mine[mine["opened"] <= cutoff]
        mine["file"] = next_file + pd.factorize(mine["file"])[0]
        next_file = int(mine["file"].max()) + 1 if len(mine) else next_file
        parts.append(mine)
    files = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return files.assign(innocent=True)[COLUMNS]


def _file(
    entity_type: str, entity: np.ndarray, day: np.ndarray, scheme: str, file: np.ndarray
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": file,
            "entity_type": entity_type,
            "entity": np.asarray(entity, dtype="int64"),
            "day": day,
            "scheme": scheme,
        }
    )


def _won(world: World) -> pd.DataFrame:
    """Awarded tenders with their supplier and award day."""
    c = world.contracts
    t = world.tenders
    return pd.DataFrame(
        {
            "tender": c["tender"],
            "enterprise": c["enterprise"],
            "unit": t["unit"].to_numpy()[c["tender"]],
            "division": t["division"].to_numpy()[c["tender"]],
            "day": t["awarded"].to_numpy()[c["tender"]],
        }
    )


def _incumbents(world: World) -> pd.DataFrame:
    """A big supplier who wins again and again at one buyer: suspected of collusion."""
    won = _won(world).merge(
        world.incumbents[["unit", "division", "enterprise"]], on=["unit", "division", "enterprise"]
    )
    won = won.sort_values("day", kind="stable").groupby(["unit", "enterprise"]).tail(2)
    file = won.groupby(["unit", "enterprise"]).ngroup().to_numpy()
    return pd.concat(
        [
            _file("enterprise", won["enterprise"], won["day"], "bid_rigging", file),
            _file("tender", won["tender"], won["day"], "bid_rigging", file),
        ],
        ignore_index=True,
    )


def _thin_single_bids(world: World) -> pd.DataFrame:
    """A single-bid award in a division with few suppliers: suspected to be tailored."""
    won = _won(world)
    bids = np.bincount(world.bids["tender"], minlength=len(world.tenders))
    competition = won["division"].map({c: d.competition for c, d in DIVISION.items()})
    won = won[
        (bids[won["tender"]] == 1)
        & (competition < THIN_MARKET).to_numpy()
        & (world.tenders["method"].to_numpy()[won["tender"]] != "direct")
    ].reset_index(drop=True)
    file = np.arange(len(won))
    return pd.concat(
        [
            _file("tender", won["tender"], won["day"], "tailored_tender", file),
            _file("enterprise", won["enterprise"], won["day"], "tailored_tender", file),
        ],
        ignore_index=True,
    )


def _agent_firms(world: World) -> pd.DataFrame:
    """A young small firm at an agent's address or phone winning contracts: a shell?"""
    won = _won(world)
    e = world.enterprises
    kind = e["kind"].to_numpy()[won["enterprise"]]
    won = (
        won[np.isin(kind, ["agent_address", "agent_phone"])]
        .sort_values("day")
        .drop_duplicates("enterprise")
    )
    file = np.arange(len(won))
    return pd.concat(
        [
            _file("enterprise", won["enterprise"], won["day"], "shell_company", file),
            _file("tender", won["tender"], won["day"], "shell_company", file),
        ],
        ignore_index=True,
    )


def _official_ties(world: World) -> pd.DataFrame:
    """An official whose relative owns a firm, or a former official in business."""
    c = world.confounders.reset_index(drop=True)
    scheme = np.where(c["kind"] == "relative_owned", "conflict_of_interest", "revolving_door")
    day = np.maximum(c["day"].to_numpy(), world.start)
    file = np.arange(len(c))
    parts = []
    for entity_type, column in (("official", "person"), ("enterprise", "enterprise")):
        frame = _file(entity_type, c[column], day, "", file)
        frame["scheme"] = scheme
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _near_threshold(world: World) -> pd.DataFrame:
    """Direct or limited purchases at 85-100% of the threshold: a split? Names the unit head."""
    won = _won(world)
    t = world.tenders
    ratio = t["value"].to_numpy()[won["tender"]] / threshold_of(won["division"].to_numpy())
    method = t["method"].to_numpy()[won["tender"]]
    won = won[(ratio >= 0.85) & (ratio < 1.0) & np.isin(method, ["direct", "limited"])].reset_index(
        drop=True
    )
    head = head_at(world, won["unit"].to_numpy(), won["day"].to_numpy())
    file = np.arange(len(won))
    named = head >= 0
    return pd.concat(
        [
            _file("tender", won["tender"], won["day"], "split_purchase", file),
            _file("official", head[named], won["day"][named], "split_purchase", file[named]),
        ],
        ignore_index=True,
    )


def _overruns(world: World) -> pd.DataFrame:
    """A contract finished 15%+ above its signed amount: inflated?"""
    c = world.contracts
    over = c[(c["final"] > 1.15 * c["amount"]).to_numpy()].reset_index(drop=True)
    file = np.arange(len(over))
    day = over["completed"].to_numpy()
    return pd.concat(
        [
            _file("tender", over["tender"], day, "price_inflation", file),
            _file("enterprise", over["enterprise"], day, "price_inflation", file),
        ],
        ignore_index=True,
    )


def _random_tenders(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Routine audits: any awarded tender, for any suspicion."""
    won = _won(world)
    won = won.iloc[rng.permutation(len(won))[: max(50, len(won) // 100)]].reset_index(drop=True)
    schemes = np.array(
        ["bid_rigging", "tailored_tender", "price_inflation", "conflict_of_interest"]
    )
    frame = _file("tender", won["tender"], won["day"], "", np.arange(len(won)))
    frame["scheme"] = schemes[rng.integers(0, len(schemes), len(frame))]
    return frame


def _outcomes(world: World, rng: np.random.Generator, cases: pd.DataFrame) -> pd.DataFrame:
    """Closing dates and outcomes per file; some entities of confirmed files are cleared."""
    files = cases.drop_duplicates("file")[["file", "opened", "innocent"]].reset_index(drop=True)
    n = len(files)
    closed = np.floor(files["opened"].to_numpy() + rng.uniform(2, 16, n) * MONTH)
    real_values, real_p = OUTCOMES_OF_SCHEMES
    innocent_values, innocent_p = OUTCOMES_OF_INNOCENTS
    outcome = np.where(
        files["innocent"].to_numpy(),
        np.asarray(innocent_values)[rng.choice(3, n, p=innocent_p)],
        np.asarray(real_values)[rng.choice(3, n, p=real_p)],
    ).astype(object)
    still_open = closed > world.today
    files["closed"] = np.where(still_open, np.nan, closed)
    files["outcome"] = np.where(still_open, None, outcome)
    cases = cases.drop(columns=["opened", "innocent"]).merge(files, on="file")
    cleared = (
        (cases["outcome"] == "confirmed").to_numpy()
        & (cases["entity_type"] != "official").to_numpy()
        & (rng.random(len(cases)) < P_ENTITY_CLEARED)
    )
    cases.loc[cleared, "outcome"] = np.where(
        rng.random(cleared.sum()) < 0.5, "dismissed", "inconclusive"
    )
    return cases
