"""Tenders: buyer, category, estimated value, procedure by value, and the calendar of each
procedure (publication, submission deadline, award). Statuses are settled after bidding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.sampling import choose_by_group, round_significant
from data_contracts.synthetic.timeline import draw_days, weekday_shift
from data_contracts.synthetic.vocab import DIVISIONS, SECTOR_DIVISIONS, THRESHOLDS
from data_contracts.synthetic.world import World

DIVISION = {d.code: d for d in DIVISIONS}
# Estimated values scale with the buyer's level: a provincial hospital buys bigger than a clinic.
LEVEL_VALUE = {"province": 2.5, "city": 1.5, "county": 1.0, "township": 0.5, "village": 0.35}
# Legal minimum days between publication and submission deadline.
MIN_PERIOD = {"open": 20, "selective": 10, "limited": 3}
PERIOD_SCALE = {"open": 5.0, "selective": 3.0, "limited": 2.0}  # gamma(2, scale) days on top
P_URGENT = 0.08  # honest urgent procedures run at the legal minimum
PLANNED_HORIZON = 45  # tenders whose process starts within this many days after today: planned
# Procedure mix by value relative to the threshold: (upper bound of value/threshold, weights
# of open, selective, limited, direct). Above the threshold a purchase is tendered openly.
METHOD_MIX = (
    (0.05, (0.10, 0.08, 0.37, 0.45)),
    (0.3, (0.25, 0.20, 0.35, 0.20)),
    (1.0, (0.45, 0.25, 0.22, 0.08)),
    (np.inf, (0.85, 0.12, 0.03, 0.0)),
)
METHOD_NAMES = ("open", "selective", "limited", "direct")
OVERRIDES = {  # scheme overrides of a tender's bidding (defaults = honest)
    "instance": -1,
    "favourite": -1,
    "ring": -1,
    "others": -1,
    "disqualify": 0.0,
    "disqualify_all": False,
    "win_lo": np.nan,
    "win_hi": np.nan,
    "inflate": False,
}


def threshold_of(division: np.ndarray) -> np.ndarray:
    kinds = pd.Series(division).map({d.code: d.kind for d in DIVISIONS})
    return kinds.map(THRESHOLDS).to_numpy(dtype="float64")


def methods_by_value(
    rng: np.random.Generator, value: np.ndarray, division: np.ndarray
) -> np.ndarray:
    ratio = value / threshold_of(division)
    band = np.searchsorted([b for b, _ in METHOD_MIX], ratio, side="right")
    band = np.minimum(band, len(METHOD_MIX) - 1)
    options = {i: (METHOD_NAMES, w) for i, (_, w) in enumerate(METHOD_MIX)}
    return choose_by_group(rng, band, options).astype(object)


def schedule(
    rng: np.random.Generator, method: np.ndarray, ref: np.ndarray, short: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(published, deadline, awarded) for a procedure starting on day `ref`.

    Open procedures run 20 + ~10 days (urgent/short ones at the legal minimum), then ~two weeks
    of evaluation; a direct award has no publication: it is awarded on `ref`.
    """
    n = len(ref)
    minimum = pd.Series(method).map(MIN_PERIOD).to_numpy(dtype="float64")
    scale = pd.Series(method).map(PERIOD_SCALE).to_numpy(dtype="float64")
    extra = np.where(
        short,
        (rng.random(n) < 0.4).astype(float),
        np.round(rng.gamma(2.0, np.nan_to_num(scale, nan=1.0))),
    )
    direct = method == "direct"
    published = np.where(direct, np.nan, ref)
    deadline = weekday_shift(published + minimum + extra)
    limited = method == "limited"
    decision = 1 + np.round(
        np.where(limited, rng.lognormal(np.log(4), 0.5, n), rng.lognormal(np.log(12), 0.6, n))
    )
    awarded = np.where(direct, ref, weekday_shift(deadline + decision))
    return published, deadline, awarded


def tender_rows(
    rng: np.random.Generator,
    unit: np.ndarray,
    division: np.ndarray,
    category: np.ndarray,
    value: np.ndarray,
    ref: np.ndarray,
    method: np.ndarray,
    short: np.ndarray,
) -> pd.DataFrame:
    published, deadline, awarded = schedule(rng, method, ref, short)
    frame = pd.DataFrame(
        {
            "unit": unit,
            "division": division,
            "category": category,
            "value": value,
            "method": method,
            "ref": ref,
            "short": short,
            "published": published,
            "deadline": deadline,
            "awarded": awarded,
            "status": "",
        }
    )
    for column, default in OVERRIDES.items():
        frame[column] = default
    return frame


def draw_divisions(rng: np.random.Generator, sectors: np.ndarray) -> np.ndarray:
    options = {s: (tuple(mix), tuple(mix.values())) for s, mix in SECTOR_DIVISIONS.items()}
    return choose_by_group(rng, sectors, options)


def draw_categories(rng: np.random.Generator, division: np.ndarray) -> np.ndarray:
    # The first categories of a division are the common ones: weights 1, 1/2, 1/3, ...
    options = {
        d.code: (
            tuple(c for c, _ in d.categories),
            tuple(1.0 / (i + 1) for i in range(len(d.categories))),
        )
        for d in DIVISIONS
    }
    return choose_by_group(rng, division, options)


def draw_values(rng: np.random.Generator, division: np.ndarray, level: np.ndarray) -> np.ndarray:
    median = pd.Series(division).map({d.code: d.median_value for d in DIVISIONS}).to_numpy()
    sigma = pd.Series(division).map({d.code: d.value_sigma for d in DIVISIONS}).to_numpy()
    scale = pd.Series(level).map(LEVEL_VALUE).to_numpy()
    return round_significant(rng.lognormal(np.log(median * scale), sigma), 3)


def build_tenders(world: World, rng: np.random.Generator, n: int) -> None:
    """The honest tender stream of the whole period (schemes later take some over)."""
    units = world.units
    unit = rng.choice(len(units), n, p=(units["weight"] / units["weight"].sum()).to_numpy())
    division = draw_divisions(rng, units["sector"].to_numpy()[unit])
    value = draw_values(rng, division, units["level"].to_numpy()[unit])
    ref = draw_days(rng, n, world.start, world.today + PLANNED_HORIZON)
    method = methods_by_value(rng, value, division)
    short = rng.random(n) < P_URGENT
    world.append(
        "tenders",
        tender_rows(rng, unit, division, draw_categories(rng, division), value, ref, method, short),
    )


def awardable(world: World) -> np.ndarray:
    """Tenders a scheme can take over: not yet claimed and awarded a month before today."""
    t = world.tenders
    return (
        (t["instance"].to_numpy() < 0)
        & (t["awarded"].to_numpy() <= world.today - 30)
        & (t["ref"].to_numpy() <= world.today)
    )


def expected_contracts(world: World) -> int:
    """Tenders awarded (as scheduled) a month before today: nearly all will have a contract."""
    t = world.tenders
    return int(((t["awarded"] <= world.today - 30) & (t["ref"] <= world.today)).sum())
