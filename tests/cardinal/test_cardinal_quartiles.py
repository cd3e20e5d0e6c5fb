"""Hyndman-Fan type 8 quantiles and fences, as Cardinal (statrs) computes them."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from features.ocds.quartiles import (
    lower_fence,
    lower_quartile,
    percentile,
    quantile,
    round_for_meta,
    round_half_away_from_zero,
    upper_fence,
    upper_quartile,
)


def test_statrs_own_examples() -> None:
    data = [-1.0, 5.0, 0.0, -3.0, 10.0, -0.5, 4.0, 0.2, 1.0, 6.0]
    assert quantile(data, 0.0) == -3.0
    assert quantile(data, 1.0) == 10.0
    assert quantile(data, 0.5) == pytest.approx(3.0 / 5.0, abs=1e-15)
    assert quantile(data, 0.2) == pytest.approx(-4.0 / 5.0, abs=1e-15)
    assert quantile(data, 0.7) == 137.0 / 30.0
    assert quantile(data, 0.01) == -3.0
    assert quantile(data, 0.99) == 10.0
    assert quantile(data, 0.52) == pytest.approx(287.0 / 375.0, abs=1e-15)


def test_r024_fixture_ratios() -> None:
    ratios = [0.0, 0.0] + [100.0] * 7
    q1, q3 = lower_quartile(ratios), upper_quartile(ratios)
    assert (q1, q3) == (pytest.approx(200 / 3), 100.0)
    assert lower_fence(q1, q3) == pytest.approx(50 / 3)
    assert upper_fence(q1, q3) == pytest.approx(150.0)


def test_edge_cases() -> None:
    assert math.isnan(quantile([], 0.25))
    assert math.isnan(quantile([1.0], 1.5))
    assert math.isnan(quantile([1.0, math.nan], 0.5))
    assert quantile([7.0], 0.25) == quantile([7.0], 0.75) == 7.0
    assert percentile([1.0] * 9 + [10.0], 75) == 1.0


@pytest.mark.parametrize("seed", range(200))
def test_agrees_with_numpy_median_unbiased(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.choice([0.0, 0.5, 1.0, rng.uniform(0, 100)]) for _ in range(rng.randint(1, 40))]
    for tau in (0.25, 0.5, 0.75, rng.random()):
        expected = float(np.quantile(values, tau, method="median_unbiased"))
        assert quantile(values, tau) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_fences_are_fused_multiply_add_rounded_once() -> None:
    # Cardinal's (q3 - q1).mul_add(1.5, q3) rounds once; rounding twice would be off by an ulp.
    q1, q3 = 0.029, 0.251
    assert (q3 - q1) * 1.5 + q3 == 0.5840000000000001
    assert upper_fence(q1, q3) == 0.584
    q1, q3 = 0.438, 0.934
    assert (q3 - q1) * -1.5 + q1 == -0.3060000000000001
    assert lower_fence(q1, q3) == -0.30600000000000005


def test_meta_rounding_is_rusts() -> None:
    assert round_half_away_from_zero(2.5) == 3.0  # Python's round() gives 2
    assert round_half_away_from_zero(-2.5) == -3.0
    assert round_half_away_from_zero(0.49999999999999994) == 0.0
    assert round_for_meta(200 / 3) == 66.6667
    assert round_for_meta(50 / 3) == 16.6667
    assert math.isnan(round_for_meta(math.nan))
