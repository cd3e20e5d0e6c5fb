"""Dates inside the generator are float day numbers since 1970-01-01 (NaN = no date): cheap to
add, compare and draw in bulk; they become datetime64 only when the tables are exported.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

YEAR = 365.25
MONTH = YEAR / 12
EPOCH = date(1970, 1, 1)

# Relative volume of procurement by calendar month: a slow start around the Spring Festival and
# the year-end spending rush (budgets lapse on 31 December).
MONTH_WEIGHTS = np.array([0.7, 0.55, 0.9, 1.0, 1.0, 1.1, 1.0, 0.9, 1.1, 0.85, 1.35, 1.75])
WEEKDAY_WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.08, 0.04])  # Monday first


def day_of(value: date | str) -> float:
    return float((pd.Timestamp(value).date() - EPOCH).days)


def as_datetime(days: np.ndarray | pd.Series) -> pd.Series:
    """Day numbers as datetime64[ns] at midnight (NaN -> NaT)."""
    values = np.asarray(days, dtype="float64")
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = ~np.isnan(values)
    out[known] = np.floor(values[known]).astype("int64").astype("datetime64[D]")
    return pd.Series(out)


def as_utc_timestamps(seconds: np.ndarray | pd.Series) -> pd.Series:
    """Seconds since the epoch as tz-aware UTC datetimes (NaN -> NaT)."""
    values = np.asarray(seconds, dtype="float64")
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = ~np.isnan(values)
    out[known] = np.floor(values[known]).astype("int64").astype("datetime64[s]")
    return pd.Series(out).dt.tz_localize("UTC")


def calendar(lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """Every day in [lo, hi] and its procurement weight (month x weekday x a slow growth)."""
    days = np.arange(lo, hi + 1)
    stamps = pd.to_datetime(days, unit="D")
    weights = MONTH_WEIGHTS[stamps.month - 1] * WEEKDAY_WEIGHTS[stamps.dayofweek]
    weights = weights * 1.03 ** ((days - lo) / YEAR)  # budgets grow ~3% a year
    return days, weights / weights.sum()


def draw_days(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    days, weights = calendar(lo, hi)
    return rng.choice(days, size=n, p=weights)


def year_of(days: np.ndarray) -> np.ndarray:
    return pd.to_datetime(np.asarray(days), unit="D").year.to_numpy()


def weekday_shift(days: np.ndarray) -> np.ndarray:
    """Move weekend days to the following Monday (deadlines and awards fall on working days)."""
    weekday = (np.floor(np.nan_to_num(days)).astype("int64") + 3) % 7  # 1970-01-01: Thursday (3)
    shift = np.select([weekday == 5, weekday == 6], [2, 1], 0)
    return np.where(np.isnan(days), np.nan, days + shift)
