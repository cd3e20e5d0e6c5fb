"""Vectorised random draws used across the generator."""

from __future__ import annotations

import numpy as np


def stage_rng(seed: int, stage: str) -> np.random.Generator:
    """An independent stream per stage: changing one stage never shifts another's draws."""
    key = [ord(c) for c in stage]
    return np.random.default_rng([seed, *key])


def top_k_weighted(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of k items drawn without replacement with probability ~ weight (Gumbel top-k)."""
    weights = np.asarray(weights, dtype="float64")
    keys = np.where(weights > 0, np.log(np.maximum(weights, 1e-300)), -np.inf)
    keys = keys + rng.gumbel(size=len(weights))
    k = max(0, min(k, int((weights > 0).sum())))
    return np.argsort(-keys, kind="stable")[:k]


def choose_by_group(
    rng: np.random.Generator, groups: np.ndarray, options: dict, default: object = None
) -> np.ndarray:
    """For each row draw from options[group] = (values, weights); one loop per distinct group."""
    out = np.empty(len(groups), dtype=object)
    out[:] = default
    for group, (values, weights) in options.items():
        rows = np.flatnonzero(groups == group)
        if len(rows):
            p = np.asarray(weights, dtype="float64")
            out[rows] = np.asarray(values, dtype=object)[
                rng.choice(len(values), len(rows), p=p / p.sum())
            ]
    return out


def random_rank(rng: np.random.Generator, keys: np.ndarray) -> np.ndarray:
    """Random order within groups: position (0..) of each row inside its group `keys`."""
    jitter = rng.random(len(keys))
    order = np.lexsort((jitter, keys))
    rank = np.empty(len(keys), dtype="int64")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    rank[order] = np.arange(len(keys)) - group_start
    return rank


def round_significant(values: np.ndarray, digits: int = 3) -> np.ndarray:
    """Budgets are round numbers: 1,234,567 -> 1,230,000 with 3 significant digits."""
    values = np.asarray(values, dtype="float64")
    scale = 10.0 ** (np.floor(np.log10(np.maximum(values, 1.0))) - digits + 1)
    return np.round(values / scale) * scale


def distinct_numbers(positions: np.ndarray, low: int, span: int, salt: int) -> np.ndarray:
    """Distinct integers in [low, low + span), one per distinct position (an affine permutation
    modulo a prime), e.g. phone numbers: no two firms share one by accident.

    With p the largest prime below span and 0 < a < p, i -> (a i + salt) mod p is one-to-one on
    0..p-1; a ~ 0.618 p spreads neighbouring positions far apart (no 1800000007).
    """
    prime = _prime_below(span)
    a = int(prime * 0.6180339887)
    return low + (a * np.asarray(positions, dtype="int64") + salt * 7919) % prime


def _prime_below(n: int) -> int:
    candidate = n - 1 if n % 2 == 0 else n - 2
    while candidate > 2:
        if all(candidate % d for d in range(3, int(candidate**0.5) + 1, 2)):
            return candidate
        candidate -= 2
    return 2


def random_member(
    rng: np.random.Generator,
    keys: np.ndarray,
    values: np.ndarray,
    wanted: np.ndarray,
    missing: object = -1,
) -> np.ndarray:
    """For each wanted key, a random value among the rows with that key (`missing` if none),
    drawn with replacement: e.g. an issuing authority of the right kind in a firm's region."""
    order = np.argsort(keys, kind="stable")
    keys, values = np.asarray(keys)[order], np.asarray(values)[order]
    lo, hi = np.searchsorted(keys, wanted, "left"), np.searchsorted(keys, wanted, "right")
    pick = lo + np.floor(rng.random(len(wanted)) * (hi - lo)).astype("int64")
    if not len(values):
        return np.full(len(wanted), missing, dtype=object)
    found = values[np.minimum(pick, len(values) - 1)]
    return np.where(hi > lo, found, missing)


def pick_in_region(
    rng: np.random.Generator, candidate_region: np.ndarray, wanted: np.ndarray
) -> np.ndarray:
    """For each wanted region, a distinct random candidate of that region (-1 if none left)."""
    order = np.lexsort((rng.random(len(candidate_region)), candidate_region))
    sorted_region = candidate_region[order]
    lo = np.searchsorted(sorted_region, wanted, "left")
    hi = np.searchsorted(sorted_region, wanted, "right")
    nth = random_rank(rng, wanted)  # the n-th request of a region takes the n-th candidate
    return take_or_missing(order, np.where(lo + nth < hi, lo + nth, -1))


def take_or_missing(values: np.ndarray, positions: np.ndarray, missing: int = -1) -> np.ndarray:
    """values[positions] where a position is >= 0, `missing` where it is -1."""
    positions = np.asarray(positions, dtype="int64")
    if len(values) == 0:
        return np.full(len(positions), missing, dtype="int64")
    return np.where(positions >= 0, np.asarray(values)[np.maximum(positions, 0)], missing)
