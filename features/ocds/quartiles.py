"""Quantiles and Tukey fences, computed exactly as Cardinal computes them.

Quantiles are Hyndman-Fan type 8, the definition of numpy's `method="median_unbiased"` and of
statrs's `Data::quantile`, which Cardinal uses (statrs src/statistics/slice_statistics.rs):

    h = (n + 1/3) * tau + 1/3;  Q = x[floor(h)-1] + (h - floor(h)) * (x[floor(h)] - x[floor(h)-1])

clamped to the minimum and maximum. This module repeats statrs's arithmetic step by step, not
numpy's (numpy interpolates from the upper neighbour when the weight is >= 0.5), so that a fence
and a value on it compare as in Cardinal, to the last bit. The fences are `(q3 - q1).mul_add(..)`
in Cardinal: a fused multiply-add, rounded once, emulated here with exact rationals.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Collection
from fractions import Fraction

_ONE_THIRD = 1.0 / 3.0
_FENCE_FACTOR = 1.5


def _within_4_ulps_of_one(tau: float) -> bool:
    """approx's `ulps_eq!(tau, 1.0)` as statrs uses it (epsilon = f64::EPSILON, 4 ulps)."""
    if abs(tau - 1.0) <= 2.220446049250313e-16:
        return True
    bits = struct.unpack("<q", struct.pack("<d", tau))[0]
    one = struct.unpack("<q", struct.pack("<d", 1.0))[0]
    return abs(bits - one) <= 4


def quantile(values: Collection[float], tau: float) -> float:
    """Hyndman-Fan type 8 quantile; NaN for no values, tau outside [0, 1] or NaN values."""
    if not 0.0 <= tau <= 1.0 or not values or any(math.isnan(v) for v in values):
        return math.nan
    data = sorted(values)
    h = (float(len(data)) + _ONE_THIRD) * tau + _ONE_THIRD
    whole = int(h)  # `h as i64` truncates
    if whole <= 0 or tau == 0.0:
        return data[0]
    if whole >= len(data) or _within_4_ulps_of_one(tau):
        return data[-1]
    below, above = data[whole - 1], data[whole]
    return below + (h - whole) * (above - below)


def lower_quartile(values: Collection[float]) -> float:
    return quantile(values, 0.25)


def upper_quartile(values: Collection[float]) -> float:
    return quantile(values, 0.75)


def percentile(values: Collection[float], p: int) -> float:
    return quantile(values, p / 100.0)


def _fused_multiply_add(x: float, y: float, z: float) -> float:
    """x * y + z rounded once, like Rust's `f64::mul_add` (Python 3.11 has no math.fma)."""
    if not all(math.isfinite(v) for v in (x, y, z)):
        return x * y + z  # inf and NaN propagate alike either way
    exact = Fraction(x) * Fraction(y) + Fraction(z)
    try:
        return float(exact)  # correctly rounded
    except OverflowError:
        return math.copysign(math.inf, exact)


def lower_fence(q1: float, q3: float) -> float:
    """Q1 - 1.5 IQR."""
    return _fused_multiply_add(q3 - q1, -_FENCE_FACTOR, q1)


def upper_fence(q1: float, q3: float) -> float:
    """Q3 + 1.5 IQR."""
    return _fused_multiply_add(q3 - q1, _FENCE_FACTOR, q3)


def round_half_away_from_zero(value: float) -> float:
    """Rust's `f64::round` (Python's round() rounds half to even)."""
    if not math.isfinite(value):
        return value
    whole = float(math.trunc(value))
    if abs(value - whole) >= 0.5:
        whole += math.copysign(1.0, value)
    return math.copysign(whole, value)  # -0.3 rounds to -0.0, as in Rust


def round_for_meta(value: float) -> float:
    """Meta values are rounded to 4 decimals, as Cardinal serializes them."""
    return round_half_away_from_zero(value * 10_000.0) / 10_000.0
