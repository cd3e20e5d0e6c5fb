"""Explanations: per-entity reasons from LightGBM's contributions, and global SHAP plots.

A reason is one feature's contribution to an entity's raw score (log-odds; identical to shap's
TreeExplainer values), told with the registry's sentence template, e.g.
{"feature": "top_buyer_share_365d", "value": 0.78, "contribution": 0.21,
 "text": "won 7 of its 9 contracts at one buyer"}. Reasons are ordered by the size of the
contribution, strongest first; reasons that lower the score are kept too (a reviewer should
see what speaks for the entity as well as against it).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from features.registry import Registry

REASONS_PER_ENTITY = 5


def _plain(value: object) -> object:
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), 6)
    return value


def reasons(
    contributions: pd.DataFrame, features: pd.DataFrame, registry: Registry,
    top: int = REASONS_PER_ENTITY,
) -> list[list[dict[str, object]]]:
    """The strongest `top` reasons of each row (rows aligned between the two frames)."""
    names = [c for c in contributions.columns if c != "bias"]
    values = contributions[names].to_numpy()
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :top]
    rows = features.reset_index(drop=True)
    explained = []
    for i, columns in enumerate(order):
        row = rows.iloc[i].to_dict()
        explained.append([
            {
                "feature": names[j],
                "value": _plain(row.get(names[j])),
                "contribution": round(float(values[i, j]), 4),
                "text": registry.get(names[j]).sentence(row),
            }
            for j in columns
            if values[i, j] != 0.0
        ])
    return explained


def reason_line(reason: dict[str, object]) -> str:
    """One reason as reviewers read it: "won 7 of its 9 contracts at one buyer: +0.21"."""
    return f"{reason['text']}: {reason['contribution']:+.2f}"


def shap_plots(
    contributions: pd.DataFrame, features: pd.DataFrame, directory: Path, title: str,
    dependence_top: int = 3,
) -> list[Path]:
    """A SHAP summary (beeswarm) plot and dependence plots of the strongest features, as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import shap

    directory.mkdir(parents=True, exist_ok=True)
    names = [c for c in contributions.columns if c != "bias"]
    values = contributions[names].to_numpy()
    x = features[names].astype("float64")
    shap.summary_plot(values, x, show=False, max_display=15, plot_size=(9, 7))
    plt.title(title)
    summary = directory / "shap_summary.png"
    plt.savefig(summary, dpi=110, bbox_inches="tight")
    plt.close("all")
    written = [summary]
    strongest = np.argsort(-np.abs(values).mean(axis=0))[:dependence_top]
    for j in strongest:
        shap.dependence_plot(int(j), values, x, show=False, interaction_index=None)
        plt.title(f"{title}: {names[j]}")
        path = directory / f"shap_dependence_{names[j]}.png"
        plt.savefig(path, dpi=110, bbox_inches="tight")
        plt.close("all")
        written.append(path)
    return written
