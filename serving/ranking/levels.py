"""Warning levels from a ranking: threshold and daily capacity per level (pure).

Walking the ranking from the top, an entity takes the highest level whose threshold its
calibrated score reaches and whose capacity is not used up yet; else the next one down; else
"none". A level that one entity skipped (capacity used up) stays used up, and an entity that
misses a level's threshold can only fall lower, so the level never rises as the rank falls.

Worked example, levels red (0.6, 2), orange (0.3, 2), yellow (0.1, 2), scores by rank:

    rank   1     2     3     4     5     6     7     8
    score  0.90  0.70  0.65  0.40  0.35  0.20  0.12  0.05
    level  red   red   orange orange yellow yellow none none

Rank 3 reaches red's threshold but red's two places are taken, so it is orange; rank 5 reaches
orange's threshold but orange is full, so it is yellow; rank 7 (0.12) reaches yellow's
threshold but yellow is full with ranks 5 and 6, so it gets none; rank 8 is below every
threshold.

The ranking is ordered by the model's raw score, and the calibrated score normally falls with
it; a calibration that is not increasing (e.g. a Platt fit with a negative slope on too few
labels) could break that. So the walk reads each entity's score as the lowest score at or
above its rank (the running minimum): an entity is never levelled above one ranked higher, a
level's threshold is still reached by the entity's own score, and on ordered scores nothing
changes. E.g. scores 0.9, 0.05, 0.7 read 0.9, 0.05, 0.05: red, none, none.

On those non-increasing scores each level's flags form one contiguous block of ranks, which is
how `assign_levels` computes them without a loop over entities: level i starts where level i-1
ended and takes at most `capacity` of the following entities whose score reaches its threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from serving.config import LEVELS, LevelRule

NONE = "none"
ORDER = (*LEVELS, NONE)  # highest first
SEVERITY = {level: len(ORDER) - 1 - i for i, level in enumerate(ORDER)}  # red 3 .. none 0


def assign_levels(scores: Sequence[float] | np.ndarray, rules: Mapping[str, LevelRule],
                  levels: Sequence[str] = LEVELS) -> np.ndarray:
    """The level of each entity, `scores` given in rank order (rank 1 first).

    Returns an array of level names ("red", ..., "none") aligned with `scores`.
    """
    values = np.minimum.accumulate(np.asarray(scores, dtype="float64")) if len(scores) else (
        np.zeros(0))
    out = np.full(len(values), NONE, dtype=object)
    start = 0
    for level in levels:
        rule = rules[level]
        # Entities from `start` on whose score reaches the threshold form a prefix (sorted).
        reaching = int(np.count_nonzero(values[start:] >= rule.threshold))
        taken = min(reaching, rule.capacity)
        out[start:start + taken] = level
        start += taken
    return out


def severity(level: str) -> int:
    """red 3, orange 2, yellow 1, none 0: comparable levels."""
    return SEVERITY[level]
