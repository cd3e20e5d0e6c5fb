"""revolving_door: an official leaves the service and within 0-24 months becomes legal
representative, director or owner of a firm (an existing one or his own new one), which then
wins at his former unit.

Population: officials above staff rank who left the service during the period or the two
years before it; the share is the share of them who go through the revolving door.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.enterprises import (
    active_role_rows,
    add_firms,
    draw_firms,
    replace_holder,
    role_rows,
)
from data_contracts.synthetic.registry import leavers
from data_contracts.synthetic.sampling import top_k_weighted
from data_contracts.synthetic.schemes.base import (
    busiest_division,
    candidates,
    enough,
    keep_instances,
    others_by_method,
    pick_favourites,
    register,
    set_overrides,
    take,
)
from data_contracts.synthetic.timeline import MONTH, YEAR
from data_contracts.synthetic.world import World

SCHEME = "revolving_door"
P_OWN_FIRM = 0.5  # founds a firm; otherwise joins an existing one
JOIN_ROLES, P_JOIN_ROLES = ("legal_representative", "director", "shareholder"), (0.4, 0.4, 0.2)


def population(world: World) -> pd.DataFrame:
    gone = leavers(world)
    in_window = (gone["left"] >= world.start - 2 * YEAR) & (gone["left"] <= world.today - 6 * MONTH)
    has_roles = gone["person"].isin(world.roles["person"])
    return gone[in_window & (gone["rank"] != "staff") & ~has_roles].reset_index(drop=True)


def plant(world: World, rng: np.random.Generator) -> None:
    gone = population(world)
    wanted_n = round(world.config.shares.revolving_door * len(gone))
    if wanted_n == 0:
        return
    gone = gone.iloc[top_k_weighted(rng, np.ones(len(gone)), min(len(gone), 3 * wanted_n))]
    gone = gone.reset_index(drop=True)
    n = len(gone)
    joined = np.floor(gone["left"].to_numpy() + rng.uniform(0, 24, n) * MONTH)
    own = rng.random(n) < P_OWN_FIRM
    founded = np.where(own, joined + np.floor(rng.uniform(0, 60, n)), np.nan)
    lo = np.fmax(joined, founded) + 30
    hi = np.minimum(joined + 24 * MONTH, world.today - 30)
    wanted = pd.DataFrame({"inst": np.arange(n), "unit": gone["unit"], "lo": lo, "hi": hi})
    found = busiest_division(rng, candidates(world, wanted))
    captured = take(rng, found, rng.integers(2, 7, n))
    ok = np.flatnonzero(enough(captured, n, 2))[:wanted_n]
    if len(ok) == 0:
        return
    captured = keep_instances(captured, ok)
    gone, joined, own, founded = (
        gone.iloc[ok].reset_index(drop=True),
        joined[ok],
        own[ok],
        founded[ok],
    )
    division = captured.drop_duplicates("inst").sort_values("inst")["division"].to_numpy()
    firm = _firms(world, rng, gone, joined, own, founded, division)
    tenders = captured["tender"].to_numpy()
    set_overrides(
        world,
        tenders,
        favourite=firm[captured["inst"].to_numpy()],
        others=others_by_method(rng, world.tenders.loc[tenders, "method"].to_numpy(), 3),
        disqualify=0.5,
        win_lo=0.95,
        win_hi=1.02,
    )
    everyone = np.arange(len(gone))
    instances = pd.DataFrame(
        {
            "unit": gone["unit"].to_numpy(),
            "prepared": joined,
            "detail": [
                f"former {r}-rank official {'founds' if o else 'joins'} a supplier (division {d})"
                for r, o, d in zip(gone["rank"], own, division, strict=True)
            ],
        }
    )
    register(
        world,
        SCHEME,
        instances,
        tenders=pd.DataFrame({"inst": captured["inst"], "entity": tenders, "role": "award"}),
        officials=pd.DataFrame(
            {"inst": everyone, "entity": gone["person"], "role": "former_official"}
        ),
        enterprises=pd.DataFrame(
            {"inst": everyone, "entity": firm, "role": "former_officials_firm"}
        ),
    )


def _firms(
    world: World,
    rng: np.random.Generator,
    gone: pd.DataFrame,
    joined: np.ndarray,
    own: np.ndarray,
    founded: np.ndarray,
    division: np.ndarray,
) -> np.ndarray:
    n = len(gone)
    person = gone["person"].to_numpy()
    region = gone["region"].to_numpy()
    firm = np.full(n, -1, dtype="int64")
    join = np.flatnonzero(~own)
    if len(join):
        picked = pick_favourites(world, rng, region[join], division[join], world.start - 3 * YEAR)
        role = np.asarray(JOIN_ROLES, dtype=object)[
            rng.choice(len(JOIN_ROLES), len(join), p=P_JOIN_ROLES)
        ]
        for name in JOIN_ROLES:  # one of three roles: take over the seat, or sit on the board
            mine = (role == name) & (picked >= 0)
            if name == "director":
                firm[join[mine]] = picked[mine]
                world.append(
                    "roles",
                    role_rows(picked[mine], person[join[mine]], "director", joined[join[mine]]),
                )
                continue
            rows = active_role_rows(world, np.maximum(picked[mine], 0), name, joined[join[mine]])
            held = rows >= 0
            replace_holder(world, rows[held], person[join[mine]][held], joined[join[mine]][held])
            firm[join[mine][held]] = picked[mine][held]
    new = np.flatnonzero(firm < 0)  # founders, and joiners who found no seat to take
    registered = np.where(np.isnan(founded[new]), joined[new], founded[new])
    firms = draw_firms(
        world,
        rng,
        division[new],
        region[new],
        registered=registered,
        ownership=np.full(len(new), "private", dtype=object),
    )
    firm[new] = add_firms(world, rng, firms, owner=person[new])
    return firm
