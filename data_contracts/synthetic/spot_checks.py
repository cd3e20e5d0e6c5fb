"""Routine spot checks: cases opened at random, not because anything looked suspicious.

Supervision bodies check a share of officials' reports on personal matters each year, drawn at
random, and market regulators inspect randomly drawn enterprises ("double random"). Those
files are the only labels not chosen by suspicion: mostly dismissed, they tell a model what
the unremarkable majority looks like, and the few confirmed ones are schemes nobody had
suspected.

A check of an entity on day D finds a scheme if the entity took part in one that left traces
during the year before D (the ground truth's own notion of "involved"), and then concludes like
an investigation of a real scheme (mostly confirmed); otherwise like one of an innocent.
E.g. 4,000 officials in post over 3.25 labelled years at 5% a year: ~650 checks; if 4% of them
are involved, ~26 find a scheme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.timeline import YEAR
from data_contracts.synthetic.world import World

SPOT_CHECK = "spot_check"  # the `scheme` of a check that found nothing
INVOLVED_LOOKBACK_DAYS = 365


def spot_check_files(world: World, rng: np.random.Generator, cutoff: float) -> pd.DataFrame:
    """Files (one entity each) in the cases builder's layout: file, entity_type, entity,
    opened, scheme, innocent."""
    rate = world.config.spot_checks
    posts = world.posts
    firms = world.enterprises
    parts = [
        _checks(rng, "official", posts["person"], posts["start"], posts["end"], world, cutoff, rate),
        _checks(rng, "enterprise", pd.Series(firms.index), firms["registered"],
                firms["deregistered"], world, cutoff, rate),
    ]
    files = pd.concat(parts, ignore_index=True)
    files = _found(world, files)
    files["file"] = np.arange(len(files))
    return files[["file", "entity_type", "entity", "opened", "scheme", "innocent"]]


def _checks(
    rng: np.random.Generator, entity_type: str, entity: pd.Series, start: pd.Series,
    end: pd.Series, world: World, cutoff: float, rate: float,
) -> pd.DataFrame:
    """`rate` checks a year per active entity: spells drawn by their active days in the
    labelled period, a day drawn uniformly within the spell."""
    lo = np.maximum(start.to_numpy(dtype="float64"), world.start)
    hi = np.minimum(end.fillna(np.inf).to_numpy(dtype="float64"), cutoff)
    days = np.clip(hi - lo, 0, None)
    n = rng.poisson(rate * days.sum() / YEAR) if days.sum() else 0
    if n == 0:
        return pd.DataFrame(columns=["entity_type", "entity", "opened"])
    spell = rng.choice(len(days), n, p=days / days.sum())
    opened = np.floor(lo[spell] + rng.random(n) * days[spell])
    return pd.DataFrame(
        {"entity_type": entity_type, "entity": entity.to_numpy()[spell].astype("int64"),
         "opened": opened}
    ).drop_duplicates(["entity_type", "entity"])  # one check per entity is enough


def _found(world: World, files: pd.DataFrame) -> pd.DataFrame:
    """The scheme each check finds, if any (the earliest-started one the entity is in)."""
    m = world.members[["entity_type", "entity", "scheme", "first", "last"]]
    pairs = files.reset_index(names="check").merge(m, on=["entity_type", "entity"], how="left")
    live = (pairs["first"] < pairs["opened"]) & (
        pairs["last"] >= pairs["opened"] - INVOLVED_LOOKBACK_DAYS
    )
    found = pairs[live].sort_values("first", kind="stable").drop_duplicates("check")
    scheme = found.set_index("check")["scheme"].reindex(files.index)
    return files.assign(scheme=scheme.fillna(SPOT_CHECK), innocent=scheme.isna().to_numpy())
