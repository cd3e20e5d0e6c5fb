"""Temporal validation in the triage manner: train on the past, test on the future.

A split at date S:
- trains on label rows with as_of < S whose label was known before S (label window closed);
  the latest `calibration_share` of them (by as_of) are held back to calibrate the scores,
  the trees see the earlier rest — calibration is always fitted on a later slice;
- tests on the cohort of all entities in scope at S, scored with features as of S, against the
  labels of matters raised in the test window [S, S + test_months).

Splits are anchored on the last labelled month, so the latest split has a full test window,
and step back every `step_months` while at least `min_train_months` of history precede them.
E.g. labels raised 2023-02 .. 2026-03, test_months 6, step_months 6, min_train_months 18:
splits on 2025-10-01 (tests 2025-10 .. 2026-03), 2025-04-01 and 2024-10-01; 2024-04-01 would
leave 14 months of history, too few. They are returned oldest first, so "moving forward".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from pydantic import BaseModel


class SplitParams(BaseModel, frozen=True):
    min_train_months: int = 18
    test_months: int = 6
    step_months: int = 3
    calibration_share: float = 0.25
    max_splits: int = 3  # the latest ones
    period_months: int = 1  # the grid label as_of dates are snapped to (3 for quarters)


@dataclass(frozen=True)
class TemporalSplit:
    split_on: pd.Timestamp  # S: the as-of date of the test cohort
    test_until: pd.Timestamp  # end (exclusive) of the test label window
    calibration_share: float = 0.25

    @property
    def name(self) -> str:
        return f"split-{self.split_on.date().isoformat()}"

    def trainable(self, labels: pd.DataFrame) -> pd.DataFrame:
        """Rows known before the split: features and labels both dated before S."""
        return labels[(labels["as_of"] < self.split_on) & (labels["known_on"] < self.split_on)]

    def calibrate_from(self, labels: pd.DataFrame) -> pd.Timestamp:
        """The as-of date from which trainable rows calibrate rather than fit trees."""
        # E.g. 200 trainable rows, share 0.25: the 151st as_of in date order; rows of that
        # month and later (at least 50) calibrate, the earlier ones fit the trees.
        as_of = self.trainable(labels)["as_of"].sort_values(ignore_index=True)
        if as_of.empty:
            return self.split_on
        position = min(len(as_of) - 1, int(len(as_of) * (1 - self.calibration_share)))
        return as_of.iloc[position]

    def tree_rows(self, labels: pd.DataFrame) -> pd.DataFrame:
        rows = self.trainable(labels)
        return rows[rows["as_of"] < self.calibrate_from(labels)]

    def calibration_rows(self, labels: pd.DataFrame) -> pd.DataFrame:
        rows = self.trainable(labels)
        return rows[rows["as_of"] >= self.calibrate_from(labels)]

    def test_labels(self, labels: pd.DataFrame) -> pd.DataFrame:
        """Labels of matters raised in the test window, whenever they were decided."""
        window = (labels["as_of"] >= self.split_on) & (labels["as_of"] < self.test_until)
        return labels[window]


def _months(day: pd.Timestamp, months: int) -> pd.Timestamp:
    return day + pd.DateOffset(months=months)


def temporal_splits(labels: pd.DataFrame, params: SplitParams | None = None) -> list[TemporalSplit]:
    params = params or SplitParams()
    if labels.empty:
        return []
    earliest = _months(labels["as_of"].min(), params.min_train_months)
    # On the labels' grid, so that a split's cohort date is also a label date (one feature
    # build serves both): the last period's end, minus the test window.
    split_on = _months(labels["as_of"].max(), params.period_months - params.test_months)
    splits: list[TemporalSplit] = []
    while split_on >= earliest and len(splits) < params.max_splits:
        split = TemporalSplit(
            split_on=split_on,
            test_until=_months(split_on, params.test_months),
            calibration_share=params.calibration_share,
        )
        if not split.test_labels(labels).empty:
            splits.append(split)
        split_on = _months(split_on, -params.step_months)
    return splits[::-1]


def as_dates(splits: list[TemporalSplit]) -> list[dt.date]:
    return [s.split_on.date() for s in splits]
