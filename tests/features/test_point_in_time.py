"""Leakage: a feature at D uses only facts known before D.

The test adds to the world rows dated on or after D (tenders with their bids and contracts,
enterprises, roles, posts, penalties), and gives existing rows later events (posts and roles
ending, contracts completing with a doubled final amount, open tenders awarded), then requires
every feature of every entity at D to be unchanged.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_contracts.contract import TABLES_BY_NAME
from data_contracts.loader import Dataset, load_frames
from features.backend import load
from features.build import build_features
from tests.features.conftest import AS_OF, World

SAMPLE = 300


def _dated_columns(name: str) -> list[str]:
    return [c.name for c in TABLES_BY_NAME[name].columns if c.type in ("date", "timestamp")]


def _offset_to(frame: pd.DataFrame, name: str, day: pd.Timestamp) -> pd.Timedelta:
    """How far to move rows in time so that their earliest date falls on `day`."""
    earliest = min(frame[c].min() for c in _dated_columns(name) if frame[c].notna().any())
    return day - earliest.normalize()


def _shifted_after(frame: pd.DataFrame, name: str, day: pd.Timestamp,
                   offset: pd.Timedelta | None = None) -> pd.DataFrame:
    """The rows moved in time (order kept) so that none is dated before `day`."""
    offset = _offset_to(frame, name, day) if offset is None else offset
    return frame.assign(**{c: frame[c] + offset for c in _dated_columns(name)})


def _renamed(frame: pd.DataFrame, columns: list[str], prefix: str = "FUT-") -> pd.DataFrame:
    return frame.assign(**{c: prefix + frame[c].astype(str) for c in columns})


def future_world(data: Dataset, as_of: dt.date) -> dict[str, pd.DataFrame]:
    day = pd.Timestamp(as_of)
    tables = {name: frame.copy() for name, frame in data.tables().items()}
    tenders = tables["tenders"].sample(SAMPLE, random_state=1)
    offset = _offset_to(tenders, "tenders", day)  # one offset keeps bids and awards in step
    sampled = tables["bids"].tender_id.isin(tenders.tender_id)
    bids = _shifted_after(tables["bids"][sampled], "bids", day, offset)
    awarded = tables["contracts"].tender_id.isin(tenders.tender_id)
    contracts = _shifted_after(tables["contracts"][awarded], "contracts", day, offset)
    firms = _renamed(_shifted_after(
        tables["enterprises"].sample(SAMPLE, random_state=2), "enterprises", day
    ), ["enterprise_id"])
    roles = _shifted_after(tables["enterprise_roles"].sample(SAMPLE, random_state=3),
                           "enterprise_roles", day).assign(role="director", share=float("nan"))
    posts = _renamed(_shifted_after(tables["officials"].sample(SAMPLE // 3, random_state=4),
                                    "officials", day), ["post_id"])
    added = {
        "tenders": _renamed(_shifted_after(tenders, "tenders", day, offset), ["tender_id"]),
        "bids": _renamed(bids, ["bid_id", "tender_id"]),
        "contracts": _renamed(contracts, ["contract_id", "tender_id"]),
        "enterprises": firms,
        "enterprise_roles": roles,
        "officials": posts,
    }
    if "penalties" in tables:
        added["penalties"] = _renamed(_shifted_after(
            tables["penalties"].sample(min(SAMPLE, len(tables["penalties"])), random_state=5),
            "penalties", day), ["penalty_id"])
    for name, rows in added.items():
        tables[name] = pd.concat([tables[name], rows], ignore_index=True)
    _later_events_of_existing_rows(tables, day)
    return tables


def _later_events_of_existing_rows(tables: dict[str, pd.DataFrame], day: pd.Timestamp) -> None:
    later = day + pd.Timedelta(days=20)
    posts = tables["officials"]
    open_posts = posts.end_date.isna() & (posts.start_date < day)
    posts.loc[open_posts, "end_date"] = later
    roles = tables["enterprise_roles"]
    roles.loc[roles.end_date.isna() & (roles.start_date < day), "end_date"] = later
    contracts = tables["contracts"]
    running = contracts.completed_on.isna() & (contracts.signed_on < day)
    contracts.loc[running, "completed_on"] = later
    contracts.loc[running, "final_amount"] = contracts.loc[running, "amount"] * 2
    contracts.loc[running, "amendments"] = 5
    tenders = tables["tenders"]
    unawarded = tenders.awarded_on.isna() & (tenders.published_on < day)
    tenders.loc[unawarded, "awarded_on"] = later


def test_facts_after_the_as_of_date_change_no_feature(world: World) -> None:
    future = load_frames(future_world(world.dataset, AS_OF), source="world + future")
    assert len(future.tenders) == len(world.dataset.tenders) + SAMPLE
    rebuilt = build_features(load(future), AS_OF)
    for entity_type, table in world.features.items():
        pd.testing.assert_frame_equal(
            rebuilt[entity_type].frame, table.frame, obj=f"{entity_type} features at {AS_OF}"
        )


def test_the_test_can_see_a_change_before_the_as_of_date(world: World) -> None:
    # The same additions one year earlier must change features, or the test above proves nothing.
    earlier = AS_OF - dt.timedelta(days=365)
    future = load_frames(future_world(world.dataset, earlier), source="world + earlier rows")
    rebuilt = build_features(load(future), AS_OF)["tender"].frame
    assert not rebuilt.equals(world.features["tender"].frame)
