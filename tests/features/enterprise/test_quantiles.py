"""The engine's type 8 quantiles and Tukey fences (the R025/R038/R048 fences) against the
reference implementation that reproduces Cardinal (`features.ocds.quartiles`)."""

from __future__ import annotations

import math
import random

import ibis
import pandas as pd
import pytest

from features.enterprise.common import fences, quantiles8
from features.ocds.quartiles import lower_fence, quantile, upper_fence

TAUS = {"t0": 0.0, "t10": 0.1, "q1": 0.25, "median": 0.5, "q3": 0.75, "t90": 0.9, "t100": 1.0}


@pytest.fixture(scope="module")
def con() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 7, 10, 41])
def test_quantiles_and_fences_match_the_reference(con: ibis.BaseBackend, n: int) -> None:
    rng = random.Random(n)
    values = [rng.choice([0.0, 0.25, 1.0, round(rng.random(), 3)]) for _ in range(n)]
    frame = pd.DataFrame({"v": pd.Series([*values, None], dtype="float64")})  # nulls ignored
    table = con.create_table(f"v{n}", frame, overwrite=True)
    got = con.execute(quantiles8(table, "v", **TAUS)).iloc[0]
    fence = con.execute(fences(table, "v")).iloc[0]
    for name, tau in TAUS.items():
        expected = quantile(values, tau)
        if math.isnan(expected):
            assert pd.isna(got[name])
        else:
            assert got[name] == pytest.approx(expected, abs=1e-12), (name, tau)
    if n:
        q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
        assert fence.lower == pytest.approx(lower_fence(q1, q3), abs=1e-12)
        assert fence.upper == pytest.approx(upper_fence(q1, q3), abs=1e-12)
