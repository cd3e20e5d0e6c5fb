"""The groups fairness and sparsity reports compare: who each ranked entity is, by region, unit,
rank, ownership... and, for officials, by the protected attributes gender and age band (those
two are for these reports only, never a model feature).

`group_frame(dataset, "official", ids, D)` gives one row per id, indexed by entity_id, every
value a string, a missing one "unknown". The unit is that of the official's current post as
known strictly before D (started before D and not ended before D; a head post first, then the
latest start), else of his latest post; the age band is D's year minus the birth year. E.g.
with D = 2026-07-01, P1 born 1990, in post at U1 (a city health bureau in 320100) since 2020
after a post at U7 that ended in 2019:

    entity_id  region  unit_level  sector  official_rank  gender  age_band
    P1         320100  city        health  section        f       35-44

Pure pandas merges on the ids asked for; no loop over rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data_contracts.loader import Dataset

UNKNOWN = "unknown"
PROTECTED_COLUMNS: tuple[str, ...] = ("gender", "age_band")
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "official": ("region", "unit_level", "sector", "official_rank", "gender", "age_band"),
    "enterprise": ("region", "ownership", "industry"),
    "tender": ("region", "unit_level", "sector", "method"),
}
AGE_BANDS = ("<35", "35-44", "45-54", "55+")
AGE_EDGES = (35, 45, 55)  # lower bounds of the bands after the first


def protected(columns: list[str] | tuple[str, ...]) -> list[str]:
    """The protected attributes among `columns` (labelled as such in every report)."""
    return [c for c in columns if c in PROTECTED_COLUMNS]


def age_band(birth_year: pd.Series, as_of: dt.date) -> pd.Series:
    """"<35", "35-44", "45-54", "55+" from the age reached in the as-of year; "unknown" if null."""
    age = as_of.year - pd.to_numeric(birth_year, errors="coerce").astype("float64")
    band_index = np.searchsorted(np.asarray(AGE_EDGES, dtype=float), age.to_numpy(), side="right")
    bands = np.asarray(AGE_BANDS, dtype=object)[np.minimum(band_index, len(AGE_BANDS) - 1)]
    return pd.Series(np.where(age.isna(), UNKNOWN, bands), index=birth_year.index, dtype=object)


def _ids(ids) -> pd.DataFrame:
    return pd.DataFrame({"entity_id": pd.unique(pd.Series(list(ids), dtype=object))})


def _current_or_latest_posts(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> pd.DataFrame:
    """One post per person as known strictly before `as_of` (the rule of
    serving/ranking/entities.py): a current post (a head post first, then the latest start),
    else the latest post."""
    day = pd.Timestamp(as_of)
    posts = dataset.officials
    posts = posts[(posts["start_date"] < day).fillna(False) & posts["person_id"].isin(ids)]
    posts = posts.assign(in_post=~(posts["end_date"] < day).fillna(False))
    posts = posts.sort_values(["person_id", "in_post", "is_unit_head", "start_date"],
                              ascending=[True, False, False, False])
    return posts.drop_duplicates("person_id")


def _units(dataset: Dataset) -> pd.DataFrame:
    return dataset.units[["unit_id", "region", "level", "sector"]].rename(
        columns={"level": "unit_level"})


def _officials(dataset: Dataset, ids: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    posts = _current_or_latest_posts(dataset, ids["entity_id"], as_of)
    frame = (ids.merge(posts[["person_id", "unit_id", "rank"]].rename(
                 columns={"person_id": "entity_id", "rank": "official_rank"}),
                 on="entity_id", how="left")
             .merge(_units(dataset), on="unit_id", how="left")
             .merge(dataset.persons[["person_id", "gender", "birth_year"]].rename(
                 columns={"person_id": "entity_id"}), on="entity_id", how="left"))
    return frame.assign(age_band=age_band(frame["birth_year"], as_of))


def _enterprises(dataset: Dataset, ids: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    firms = dataset.enterprises[["enterprise_id", "region", "ownership", "industry"]]
    return ids.merge(firms.rename(columns={"enterprise_id": "entity_id"}), on="entity_id",
                     how="left")


def _tenders(dataset: Dataset, ids: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    tenders = dataset.tenders[["tender_id", "unit_id", "method"]]
    return (ids.merge(tenders.rename(columns={"tender_id": "entity_id"}), on="entity_id",
                      how="left")
            .merge(_units(dataset), on="unit_id", how="left"))


BUILDERS = {"official": _officials, "enterprise": _enterprises, "tender": _tenders}


def group_frame(dataset: Dataset, entity_type: str, ids, as_of: dt.date) -> pd.DataFrame:
    """The group columns (GROUP_COLUMNS[entity_type]) of each id, indexed by entity_id; every
    value a string, "unknown" where the tables do not say (or the id is not in them)."""
    if entity_type not in BUILDERS:
        raise ValueError(f"unknown entity type {entity_type!r}")
    columns = list(GROUP_COLUMNS[entity_type])
    frame = BUILDERS[entity_type](dataset, _ids(ids), as_of)
    values = frame[columns].astype(object)
    values = values.where(values.notna(), UNKNOWN).astype(str)
    values.index = pd.Index(frame["entity_id"].astype(str), name="entity_id")
    return values
