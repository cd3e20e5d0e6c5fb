"""The ranking's frames (pure): order, change since the previous ranking, the output contract.

Worked example, one entity type, scores from a model whose calibration is a step function:

    entity_id  raw    score         ordered by raw (desc), then id:   rank
    T3         1.20   0.40                                             1
    T1         0.90   0.40          (same calibrated score, lower raw)  2
    T2         0.90   0.40          (same raw as T1: the id decides)    3
    T4        -2.00   0.01                                             4

`with_previous` adds previous_score / previous_rank / previous_level from the latest earlier
ranking (null for an entity that was not in it); `output_frame` keeps the contract's columns
in the contract's order, and OUTPUT_SCHEMA checks them, with the contract's promises across
rows: ranks 1..n without ties per type, a level that never rises as the rank falls, one model
version per type.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pandera.pandas as pa

from serving.ranking.levels import NONE, ORDER, severity

ENTITY_TYPES = ("official", "enterprise", "tender")
OUTPUT_COLUMNS = ["as_of", "entity_type", "entity_id", "score", "rank", "level",
                  "model_version", "reasons", "rules"]


def rank_entities(entity_ids: pd.Series | np.ndarray, raw: np.ndarray,
                  score: np.ndarray) -> pd.DataFrame:
    """entity_id, raw, score, rank: ordered by raw score (descending), ties by entity id."""
    ids = np.asarray(entity_ids, dtype=object)
    order = np.lexsort((ids, -np.asarray(raw, dtype="float64")))
    return pd.DataFrame({
        "entity_id": ids[order],
        "raw": np.asarray(raw, dtype="float64")[order],
        "score": np.clip(np.asarray(score, dtype="float64")[order], 0.0, 1.0),
        "rank": np.arange(1, len(ids) + 1, dtype="int64"),
    })


def with_previous(ranked: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """`ranked` plus previous_score / previous_rank / previous_level (null when absent).

    `previous`: entity_id, score, rank, level of the latest earlier ranking, or None.
    """
    if previous is None or previous.empty:
        return ranked.assign(previous_score=np.nan, previous_rank=pd.array([pd.NA] * len(ranked), "Int64"),
                             previous_level=pd.Series([None] * len(ranked), dtype=object))
    renamed = previous[["entity_id", "score", "rank", "level"]].rename(
        columns={"score": "previous_score", "rank": "previous_rank", "level": "previous_level"})
    out = ranked.merge(renamed, on="entity_id", how="left", validate="one_to_one")
    return out.astype({"previous_rank": "Int64"})


def plain_json(values: dict[str, object]) -> str:
    """JSON of a feature row: NaN and infinities become null, numpy numbers plain numbers."""
    def clean(v: object) -> object:
        if isinstance(v, (float, np.floating)):
            return None if not math.isfinite(float(v)) else float(v)
        if isinstance(v, np.integer):
            return int(v)
        return v
    return json.dumps({k: clean(v) for k, v in values.items()}, ensure_ascii=False)


def features_json(frame: pd.DataFrame) -> list[str]:
    """One JSON dict feature -> value per row of a feature frame (entity_id left out)."""
    columns = [c for c in frame.columns if c != "entity_id"]
    values = frame[columns].to_numpy(dtype="float64")
    return [plain_json(dict(zip(columns, row, strict=True))) for row in values]


def output_frame(as_of: dt.date, entity_type: str, ranked: pd.DataFrame,
                 model_version: str) -> pd.DataFrame:
    """The contract's columns, in order, for one entity type (ranked: entity_id, score, rank,
    level, reasons, rules)."""
    out = pd.DataFrame({
        "as_of": pd.Timestamp(as_of),
        "entity_type": entity_type,
        "entity_id": ranked["entity_id"].astype(str).to_numpy(),
        "score": ranked["score"].astype("float64").to_numpy(),
        "rank": ranked["rank"].astype("int64").to_numpy(),
        "level": ranked["level"].astype(str).to_numpy(),
        "model_version": model_version,
        "reasons": ranked["reasons"].to_numpy(),
        "rules": ranked["rules"].to_numpy(),
    })
    return out[OUTPUT_COLUMNS]


def _ranks_without_ties(frame: pd.DataFrame) -> bool:
    for _, group in frame.groupby("entity_type", sort=False):
        if not np.array_equal(np.sort(group["rank"].to_numpy()), np.arange(1, len(group) + 1)):
            return False
    return True


def _levels_monotone(frame: pd.DataFrame) -> bool:
    ordered = frame.sort_values(["entity_type", "rank"])
    sev = ordered["level"].map(severity).to_numpy()
    same_type = ordered["entity_type"].to_numpy()[1:] == ordered["entity_type"].to_numpy()[:-1]
    return not np.any((np.diff(sev) > 0) & same_type)


def _json_list(text: str) -> bool:
    try:
        return isinstance(json.loads(text), list)
    except (TypeError, ValueError):
        return False


def _json_lists(texts: pd.Series) -> pd.Series:
    """_json_list of each text; "[]" (most rows: not flagged, no rule hit) without parsing."""
    empty = (texts == "[]").to_numpy(dtype=bool, na_value=False)
    out = np.ones(len(texts), dtype=bool)
    out[~empty] = [_json_list(text) for text in texts[~empty]]
    return pd.Series(out, index=texts.index)


OUTPUT_SCHEMA = pa.DataFrameSchema(
    {
        "as_of": pa.Column("datetime64[ns]"),
        "entity_type": pa.Column(str, pa.Check.isin(ENTITY_TYPES)),
        "entity_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "score": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
        "rank": pa.Column("int64", pa.Check.ge(1)),
        "level": pa.Column(str, pa.Check.isin(ORDER)),
        "model_version": pa.Column(str, pa.Check.str_matches(r"^huoyan-[a-z]+/\d+$")),
        "reasons": pa.Column(str, pa.Check(_json_lists, element_wise=False,
                                           name="json list")),
        "rules": pa.Column(str, pa.Check(_json_lists, element_wise=False,
                                         name="json list")),
    },
    checks=[
        pa.Check(_ranks_without_ties, name="ranks 1..n without ties per entity type"),
        pa.Check(_levels_monotone, name="level never rises as the rank falls"),
        pa.Check(lambda f: bool((f.groupby("entity_type")["model_version"].nunique() <= 1).all()),
                 name="one model version per entity type"),
        pa.Check(lambda f: not f.duplicated(["entity_type", "entity_id"]).any(),
                 name="one row per entity"),
    ],
    strict=True,
    ordered=True,
    coerce=False,
    name="ranking export",
)


def flagged_mask(levels: pd.Series) -> pd.Series:
    return levels != NONE
