"""Labels from `cases`: what earlier reviews concluded, dated when the matter was raised.

confirmed = 1, dismissed = 0. Inconclusive and still-open cases, and entities no case names,
are unlabelled — never negatives: nobody looked, or nobody could tell.

Each label row carries two dates:
- `as_of`: when its features are taken — the start of the period in which the matter was
  raised (`opened_on` floored to `snap`, a month by default), never later than the raising;
- `known_on`: when the label became known (`closed_on`); a split may train on a label only if
  it was known before the split.

E.g. a case opened 2024-05-17, closed 2024-11-02, confirmed, gives as_of 2024-05-01,
known_on 2024-11-02, label 1: usable to train a model split on 2025-01-01, not one split on
2024-07-01 (its outcome was still unknown then).
"""

from __future__ import annotations

import pandas as pd

OUTCOME_LABELS = {"confirmed": 1, "dismissed": 0}
LABEL_COLUMNS = ["entity_type", "entity_id", "as_of", "known_on", "label", "scheme"]


def label_rows(cases: pd.DataFrame | None, snap: str = "MS") -> pd.DataFrame:
    """One row per (entity, as_of) with a decided label; several cases of one entity raised in
    the same period collapse into one row, confirmed if any was, known when the last closed."""
    if cases is None or cases.empty:
        return pd.DataFrame(columns=LABEL_COLUMNS)
    decided = cases[cases["outcome"].isin(list(OUTCOME_LABELS))].copy()
    decided["label"] = decided["outcome"].map(OUTCOME_LABELS).astype(int)
    decided["as_of"] = decided["opened_on"].dt.to_period(snap[0]).dt.start_time
    decided["known_on"] = decided["closed_on"].fillna(decided["opened_on"])
    decided["scheme"] = decided["scheme"].astype(object).where(decided["label"] == 1)
    rows = decided.groupby(["entity_type", "entity_id", "as_of"], as_index=False).agg(
        known_on=("known_on", "max"), label=("label", "max"), scheme=("scheme", "first")
    )
    return rows[LABEL_COLUMNS].sort_values(["as_of", "entity_type", "entity_id"], ignore_index=True)
