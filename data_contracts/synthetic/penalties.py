"""Administrative penalties on enterprises, issued by the regulators of the firm's region:
safety and quality for builders, environment for waste firms, food safety for caterers...
Firms found guilty in a procurement case are often also penalised for it afterwards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.sampling import random_member
from data_contracts.synthetic.timeline import MONTH, YEAR
from data_contracts.synthetic.vocab import PENALTY_KINDS
from data_contracts.synthetic.world import World

BASE_RATE = 0.015  # penalties per firm and year
DIVISION_RATE = {"45": 3.0, "90": 2.5, "15": 2.0, "09": 2.0, "50": 1.5, "33": 1.3}
HISTORY_YEARS = 3.0  # penalties are known from this long before the procurement period
P_MISCONDUCT = 0.05  # honest penalties for procurement misconduct (false documents...)
P_PENALISED_AFTER_CASE = 0.5


def build_penalties(world: World, rng: np.random.Generator) -> None:
    e = world.enterprises
    lo = np.maximum(e["registered"].to_numpy(), world.start - HISTORY_YEARS * YEAR)
    hi = e["deregistered"].fillna(world.today).to_numpy()
    years = np.maximum(hi - lo, 0) / YEAR
    division = e["division"].to_numpy()
    rate = BASE_RATE * pd.Series(division).map(DIVISION_RATE).fillna(1.0).to_numpy()
    rate = rate * (e["capital"].to_numpy() / 2e6) ** 0.15
    count = rng.poisson(rate * years)
    firm = np.repeat(np.arange(len(e)), count)
    day = np.floor(lo[firm] + rng.random(len(firm)) * (hi[firm] - lo[firm]))
    kind = np.empty(len(firm), dtype=object)
    for code, kinds in PENALTY_KINDS.items():
        rows = division[firm] == code
        kind[rows] = np.asarray(kinds, dtype=object)[rng.integers(0, len(kinds), rows.sum())]
    kind = np.where(rng.random(len(firm)) < P_MISCONDUCT, "procurement_misconduct", kind)
    world.penalties = _issued(world, rng, firm, day, kind)


def penalise_confirmed(world: World, rng: np.random.Generator) -> None:
    """Half of the firms a closed case confirmed get a procurement-misconduct penalty."""
    cases = world.cases
    hit = cases[(cases["entity_type"] == "enterprise") & (cases["outcome"] == "confirmed")]
    hit = hit[rng.random(len(hit)) < P_PENALISED_AFTER_CASE]
    day = np.floor(hit["closed"].to_numpy() + rng.uniform(0, 2, len(hit)) * MONTH)
    firm = hit["entity"].to_numpy().astype("int64")
    gone = world.enterprises["deregistered"].to_numpy()[firm]
    ok = (day <= world.today) & ~(day > gone)
    extra = _issued(
        world, rng, firm[ok], day[ok], np.full(ok.sum(), "procurement_misconduct", dtype=object)
    )
    world.penalties = pd.concat([world.penalties, extra], ignore_index=True)


def _issued(
    world: World, rng: np.random.Generator, firm: np.ndarray, day: np.ndarray, kind: np.ndarray
) -> pd.DataFrame:
    """Penalty rows with an issuer: a regulator of that kind in the firm's region, else the
    region's market regulator, else any regulator of the kind."""
    units = world.units
    pairs = [
        (u, k)
        for u, kinds in zip(units.index, units["regulates"], strict=True)
        for k in kinds.split(",")
        if k
    ]
    reg_unit = np.array([u for u, _ in pairs], dtype="int64")
    reg_kind = np.array([k for _, k in pairs], dtype=object)
    reg_region = units["region"].to_numpy()[reg_unit]
    region = world.enterprises["region"].to_numpy()[firm]
    wanted = pd.Series(region).astype(str).to_numpy() + "|" + kind.astype(str)
    keys = pd.Series(reg_region).astype(str).to_numpy() + "|" + reg_kind.astype(str)
    issuer = random_member(rng, keys, reg_unit, wanted).astype("int64")
    market = random_member(
        rng, keys, reg_unit, pd.Series(region).astype(str).to_numpy() + "|product_quality"
    )
    issuer = np.where(issuer < 0, market.astype("int64"), issuer)
    anywhere = random_member(rng, reg_kind, reg_unit, kind).astype("int64")
    issuer = np.where(issuer < 0, anywhere, issuer)
    amount = np.round(rng.lognormal(np.log(20_000), 1.0, len(firm)), -2)
    frame = pd.DataFrame(
        {
            "enterprise": firm,
            "unit": issuer,
            "day": day,
            "kind": kind,
            "amount": np.maximum(amount, 500.0),
        }
    )
    return frame[frame["unit"] >= 0].reset_index(drop=True)
