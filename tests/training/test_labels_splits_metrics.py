"""Labels, temporal splits and metrics: the pure pieces of training, on hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from training.labels import label_rows
from training.metrics import at_k, random_at_k, red_flag_score, truth_precision_at_k
from training.model import Calibrator, fit_calibrator
from training.splits import SplitParams, temporal_splits


def cases(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["entity_type", "entity_id", "opened_on", "closed_on",
                                        "outcome", "scheme"])
    for column in ("opened_on", "closed_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_labels_are_decided_cases_only_dated_when_raised() -> None:
    labels = label_rows(cases([
        ("enterprise", "E1", "2024-05-17", "2024-11-02", "confirmed", "bid_rigging"),
        ("enterprise", "E2", "2024-05-20", "2024-09-01", "dismissed", "bid_rigging"),
        ("enterprise", "E3", "2024-06-01", "2024-12-01", "inconclusive", None),
        ("enterprise", "E4", "2024-06-01", None, None, None),  # still open
        ("official", "P1", "2024-05-02", "2024-07-01", "dismissed", None),
        ("official", "P1", "2024-05-30", "2025-01-15", "confirmed", "conflict_of_interest"),
    ]))
    assert set(labels.entity_id) == {"E1", "E2", "P1"}  # inconclusive and open: unlabelled
    e1 = labels.set_index("entity_id").loc["E1"]
    assert e1.as_of == pd.Timestamp("2024-05-01") and e1.known_on == pd.Timestamp("2024-11-02")
    p1 = labels.set_index("entity_id").loc["P1"]  # two cases in one month collapse
    assert p1.label == 1 and p1.known_on == pd.Timestamp("2025-01-15")
    assert label_rows(cases([("tender", "T1", "2024-05-17", "2024-06-01", "confirmed", None)]),
                      "QS").as_of.iloc[0] == pd.Timestamp("2024-04-01")


def test_no_training_row_knows_anything_after_its_split() -> None:
    rng = np.random.default_rng(0)
    opened = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 1000, 600), unit="D")
    frame = cases([("tender", f"T{i}", o, o + pd.Timedelta(days=int(d)),
                    "confirmed" if i % 3 else "dismissed", None)
                   for i, (o, d) in enumerate(zip(opened, rng.integers(10, 400, 600)))])
    labels = label_rows(frame)
    splits = temporal_splits(labels, SplitParams(min_train_months=12))
    assert len(splits) == 3 and splits == sorted(splits, key=lambda s: s.split_on)
    for split in splits:
        for part in (split.tree_rows(labels), split.calibration_rows(labels)):
            assert (part.as_of < split.split_on).all() and (part.known_on < split.split_on).all()
        assert split.tree_rows(labels).as_of.max() < split.calibration_rows(labels).as_of.min()
        test = split.test_labels(labels)
        assert (test.as_of >= split.split_on).all() and (test.as_of < split.test_until).all()
    # a label raised before the split but decided after it is not trained on
    late = labels[(labels.as_of < splits[-1].split_on) & (labels.known_on >= splits[-1].split_on)]
    assert not late.empty and late.index.intersection(splits[-1].trainable(labels).index).empty


def test_precision_at_k_counts_only_labelled_rows() -> None:
    # The module's worked example: 12 labelled in the top 100, 9 confirmed, 30 confirmed in all.
    index = [f"E{i:04d}" for i in range(1000)]
    labels = pd.Series(np.nan, index=index)
    labels.iloc[:9] = 1
    labels.iloc[9:12] = 0
    labels.iloc[500:521] = 1
    scores = pd.Series(np.linspace(1, 0, 1000), index=index)
    assert at_k(labels, scores, 100) == pytest.approx(
        {"precision_at_k": 0.75, "labelled_at_k": 12, "recall_at_k": 0.30})
    assert random_at_k(labels, 100)["precision_at_k"] == pytest.approx(30 / 33)
    involved = pd.Series(0.0, index=index)
    involved.iloc[[0, 5, 150]] = 1
    assert truth_precision_at_k(involved, scores, 100) == pytest.approx(0.02)


def test_ties_are_broken_by_id_and_red_flags_average_what_applies() -> None:
    scores = pd.Series([0.5, 0.5, 0.9], index=["B", "A", "C"])
    labels = pd.Series([1.0, 0.0, np.nan], index=["B", "A", "C"])
    assert at_k(labels, scores, 2)["precision_at_k"] == 0.0  # C then A (A before B on a tie)
    flags = pd.DataFrame({"f1": [1.0, 0.0, np.nan], "f2": [1.0, np.nan, np.nan]})
    assert red_flag_score(flags, ["f1", "f2"]).tolist() == [1.0, 0.0, 0.0]


def test_calibrators_are_plain_numbers_that_round_trip() -> None:
    rng = np.random.default_rng(1)
    raw = rng.normal(size=300)
    labels = (rng.random(300) < 1 / (1 + np.exp(-2 * raw))).astype(int)
    iso = fit_calibrator(raw, labels)
    platt = fit_calibrator(raw[:100], labels[:100])
    assert (iso.kind, platt.kind) == ("isotonic", "platt")
    for calibrator in (iso, platt):
        again = Calibrator.from_json(calibrator.to_json())
        probabilities = again(np.array([-3.0, 0.0, 3.0]))
        assert np.all(np.diff(probabilities) >= 0) and np.all((0 <= probabilities) & (probabilities <= 1))
    assert platt.params["a"] > 0  # more raw score, more risk
    assert fit_calibrator(raw[:5], np.ones(5, dtype=int)).kind == "identity"


def test_calibration_never_turns_the_ranking_upside_down() -> None:
    raw = np.linspace(-2, 2, 40)
    against = (raw < 0).astype(int)  # a calibration slice where the trees ran backwards
    calibrated = fit_calibrator(raw, against)(raw)
    assert (np.diff(calibrated) >= 0).all()
    follows = fit_calibrator(raw, (raw > 0).astype(int))
    assert follows.kind == "platt" and (np.diff(follows(raw)) > 0).all()
