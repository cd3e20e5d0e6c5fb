"""conflict_of_interest: a relative (or associate) of a unit head owns and legally represents
an enterprise that keeps winning at the head's unit during his tenure, often through limited
or direct procedures or with few, disqualified competitors, at prices close to the estimate.

Population: unit heads in office during the period (head posts); the share is the share of
head posts whose holder runs such an arrangement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.enterprises import (
    active_role_rows,
    add_firms,
    draw_firms,
    replace_holder,
)
from data_contracts.synthetic.people import new_persons
from data_contracts.synthetic.registry import adult_relatives
from data_contracts.synthetic.sampling import top_k_weighted
from data_contracts.synthetic.schemes.base import (
    busiest_division,
    candidates,
    enough,
    head_posts,
    keep_instances,
    link_persons,
    others_by_method,
    pick_favourites,
    redirect_below_threshold,
    register,
    set_overrides,
    take,
)
from data_contracts.synthetic.timeline import MONTH, YEAR, year_of
from data_contracts.synthetic.world import World

SCHEME = "conflict_of_interest"
P_EXISTING_FIRM = 0.3  # the relative takes over an existing firm rather than founding one
P_NEW_ASSOCIATE = 0.15  # the front is an associate not yet among the declared relations


def plant(world: World, rng: np.random.Generator) -> None:
    heads = head_posts(world)
    wanted_n = round(world.config.shares.conflict_of_interest * len(heads))
    if wanted_n == 0:
        return
    heads = heads.iloc[top_k_weighted(rng, np.ones(len(heads)), min(len(heads), 3 * wanted_n))]
    heads = heads.reset_index(drop=True)
    lo = np.maximum(heads["start"].to_numpy(), world.start) + rng.uniform(1, 12, len(heads)) * MONTH
    hi = np.minimum(heads["until"].to_numpy(), world.today - 30)
    wanted = pd.DataFrame(
        {
            "inst": np.arange(len(heads)),
            "unit": heads["unit"].to_numpy(),
            "lo": np.floor(lo),
            "hi": hi,
        }
    )
    found = busiest_division(rng, candidates(world, wanted))
    captured = take(rng, found, rng.integers(2, 13, len(heads)))
    ok = np.flatnonzero(enough(captured, len(heads), 2))[:wanted_n]
    if len(ok) == 0:
        return
    heads, wanted = heads.iloc[ok].reset_index(drop=True), wanted.iloc[ok].reset_index(drop=True)
    captured = keep_instances(captured, ok)
    wanted = wanted.assign(
        division=captured.drop_duplicates("inst").sort_values("inst")["division"].to_numpy()
    )
    first_win = captured.groupby("inst")["ref"].min().to_numpy()
    official = heads["person"].to_numpy()
    relative = _fronts(world, rng, official, first_win)
    firm = _relative_firms(world, rng, relative, wanted, first_win)
    tenders = captured["tender"].to_numpy()
    redirect_below_threshold(world, rng, tenders, p=0.6)
    set_overrides(
        world,
        tenders,
        favourite=firm[captured["inst"].to_numpy()],
        others=others_by_method(rng, world.tenders.loc[tenders, "method"].to_numpy(), 2),
        disqualify=0.7,
        win_lo=0.96,
        win_hi=1.01,
    )
    instances = pd.DataFrame(
        {
            "unit": heads["unit"].to_numpy(),
            "detail": [
                f"the head's relative owns the supplier (division {d})" for d in wanted["division"]
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
            {"inst": np.arange(len(heads)), "entity": firm, "role": "relative_firm"}
        ),
    )


def _fronts(
    world: World, rng: np.random.Generator, official: np.ndarray, first_win: np.ndarray
) -> np.ndarray:
    """An adult declared relative of each official, else a new associate linked to him."""
    kin = adult_relatives(world, birth_before=int(year_of(np.array([world.start]))[0]) - 22)
    kin = kin.sample(frac=1.0, random_state=rng.integers(2**31)).drop_duplicates("person")
    by_official = kin.set_index("person")["related"]
    front = by_official.reindex(official).fillna(-1).to_numpy().astype("int64")
    front[rng.random(len(front)) < P_NEW_ASSOCIATE] = -1
    new = np.flatnonzero(front < 0)
    births = year_of(first_win[new]) - rng.integers(28, 60, len(new))
    people = new_persons(rng, births, 0.7, "associate")
    front[new] = world.append("persons", people)
    link_persons(
        world,
        rng,
        official[new],
        front[new],
        ("associate", "other_relative", "in_law"),
        (0.5, 0.3, 0.2),
    )
    return front


def _relative_firms(
    world: World,
    rng: np.random.Generator,
    front: np.ndarray,
    wanted: pd.DataFrame,
    first_win: np.ndarray,
) -> np.ndarray:
    """The firm the front holds: an existing one taken over, or one founded before the wins."""
    n = len(front)
    region = world.units["region"].to_numpy()[wanted["unit"].to_numpy()]
    division = wanted["division"].to_numpy()
    firm = np.full(n, -1, dtype="int64")
    existing = np.flatnonzero(rng.random(n) < P_EXISTING_FIRM)
    if len(existing):
        when = np.floor(first_win[existing] - rng.uniform(1, 12, len(existing)) * MONTH)
        picked = pick_favourites(
            world, rng, region[existing], division[existing], world.start - 2 * YEAR
        )
        rows = active_role_rows(world, np.maximum(picked, 0), "shareholder", when)
        fine = (picked >= 0) & (rows >= 0)
        replace_holder(world, rows[fine], front[existing[fine]], when[fine])
        firm[existing[fine]] = picked[fine]
    new = np.flatnonzero(firm < 0)
    registered = np.floor(first_win[new] - rng.uniform(0.3, 6.0, len(new)) * YEAR)
    firms = draw_firms(
        world,
        rng,
        division[new],
        region[new],
        registered=registered,
        ownership=np.full(len(new), "private", dtype=object),
    )
    firm[new] = add_firms(world, rng, firms, owner=front[new])
    return firm
