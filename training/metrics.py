"""Evaluation at review capacity k: what a supervision room would see if it reviewed the top k.

The cohort is every entity in scope at a split date, scored; `label` is 1 (confirmed), 0
(dismissed) or NaN (nobody decided) for matters raised in the test window. Following triage:
- precision@k = confirmed / labelled among the top k (unlabelled rows are not negatives);
- labelled@k = how many of the top k carry a label at all (how much the estimate rests on);
- recall@k = confirmed in the top k / confirmed in the whole cohort;
- PR-AUC (average precision) and the Brier score over the labelled rows.
E.g. a top 100 holding 12 labelled rows, 9 of them confirmed, out of 30 confirmed in the
cohort: precision@100 = 0.75, labelled@100 = 12, recall@100 = 0.30.

Against the generator's ground truth every entity has a label (involved or not), so there
precision@k is simply the share of the top k that were really involved.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss


def top_k(scores: pd.Series, k: int) -> pd.Index:
    """Index of the k highest scores; ties broken by index (the entity id), so ranks are stable."""
    ordered = scores.rename("score").to_frame().assign(_id=scores.index).sort_values(
        ["score", "_id"], ascending=[False, True]
    )
    return ordered.index[:k]


def at_k(labels: pd.Series, scores: pd.Series, k: int) -> dict[str, float]:
    top = labels.loc[top_k(scores, k)]
    labelled = int(top.notna().sum())
    confirmed = int((top == 1).sum())
    all_confirmed = int((labels == 1).sum())
    return {
        "precision_at_k": confirmed / labelled if labelled else float("nan"),
        "labelled_at_k": float(labelled),
        "recall_at_k": confirmed / all_confirmed if all_confirmed else float("nan"),
    }


def labelled_scores(labels: pd.Series, ranking: pd.Series, probability: pd.Series) -> dict[str, float]:
    """PR-AUC of the ranking and Brier score of the probabilities, over the labelled rows."""
    known = labels.notna()
    y = labels[known].astype(int)
    if y.nunique() < 2:
        return {"pr_auc": float("nan"), "brier": float("nan")}
    return {"pr_auc": float(average_precision_score(y, ranking[known])),
            "brier": float(brier_score_loss(y, probability[known].clip(0, 1)))}


def random_at_k(labels: pd.Series, k: int) -> dict[str, float]:
    """What a random top k gives in expectation (no sampling noise in the comparison)."""
    n = len(labels)
    labelled_rate = labels.notna().mean() if n else float("nan")
    confirmed = (labels == 1).sum()
    return {
        "precision_at_k": confirmed / labels.notna().sum() if labels.notna().any() else float("nan"),
        "labelled_at_k": float(min(k, n) * labelled_rate),
        "recall_at_k": min(k, n) / n if n and confirmed else float("nan"),
    }


def truth_precision_at_k(involved: pd.Series, scores: pd.Series, k: int) -> float:
    """Share of the top k that were really involved in a planted scheme."""
    return float(involved.loc[top_k(scores, k)].mean())


def evaluate(
    labels: pd.Series, ranking: pd.Series, k: int, probability: pd.Series | None = None
) -> dict[str, float]:
    """Metrics of a scorer: `ranking` orders the cohort (a model's raw score: an isotonic
    calibration has steps, whose ties would be broken by id); `probability` is what the Brier
    score judges (the ranking itself where it is already one)."""
    probability = ranking if probability is None else probability
    return {**at_k(labels, ranking, k), **labelled_scores(labels, ranking, probability)}


def red_flag_score(features: pd.DataFrame, red_flags: list[str]) -> pd.Series:
    """The classic corruption-risk index: the mean of the binary red flags that apply
    (a flag that does not apply to an entity, NaN, is left out of its mean)."""
    if not red_flags:
        return pd.Series(0.0, index=features.index)
    return features[red_flags].mean(axis=1, skipna=True).fillna(0.0)


def mean_of(rows: list[dict[str, float]]) -> dict[str, float]:
    """Column means over the defined values (NaN where a metric was never defined)."""
    return pd.DataFrame(rows).mean(skipna=True).astype(float).to_dict()
