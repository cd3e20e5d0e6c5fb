"""The dossier's directory (pure pandas): who each ranked entity is, and whom a flagged one is
linked to, as known before the as-of date (the same "strictly before D" rule as
features/asof.py: posts and roles started before D, tenders published (or, for direct awards,
awarded) before D, bids once the tender's deadline (else its award) passed, contracts signed
before D).

`directory(dataset, "official", ids, D)` gives one row per id: entity_id, name, is_person,
region, details (JSON). E.g. an official:

    P1  王芳  True  320100  {"unit_id": "U1", "unit": "建设局", "sector": "construction",
                             "position": "副局长",
                             "rank": "department", "is_unit_head": false, "in_post": true}

`links(dataset, "enterprise", flagged, D)` gives the edges of the network picture, one row per
edge: entity_id, linked_type (official, enterprise, tender, unit, person), linked_id,
linked_name, linked_is_person, relation, weight. E.g. enterprise E1 (flagged) owned 60 % by P7,
winning 3 contracts at U2 and bidding with E9 on 4 tenders:

    E1  person      P7  张伟    True   shareholder     0.6
    E1  unit        U2  交通局  False  contracts won   3
    E1  enterprise  E9  某公司  False  co-bidder       4

Everything is merges on the frames restricted to the ids asked for; no loop over rows.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from data_contracts.loader import Dataset
from data_contracts.membership import isin

LINK_COLUMNS = ["entity_id", "linked_type", "linked_id", "linked_name", "linked_is_person",
                "relation", "weight"]
DIRECTORY_COLUMNS = ["entity_id", "name", "is_person", "region", "details"]
CO_BIDDERS = 10
OWNER_ROLES = ("legal_representative", "shareholder", "director")


def _day(as_of: dt.date) -> pd.Timestamp:
    return pd.Timestamp(as_of)


def _json_values(column: pd.Series) -> np.ndarray:
    """The JSON text of each value of a column (as `json.dumps` writes it), "null" for NA."""
    present = column.notna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(column):
        column = column.dt.strftime("%Y-%m-%d")
    values = column.astype(object).to_numpy()
    out = np.full(len(values), "null", dtype=object)
    if pd.api.types.is_float_dtype(column.dtype):
        # Floats one by one: a table of distinct values would merge 0.0 and -0.0.
        out[present] = [json.dumps(float(v)) for v in values[present]]
        return out
    # Text, booleans, whole numbers: each distinct value is encoded once.
    codes, uniques = pd.factorize(values[present])
    encoded = np.array([json.dumps(u, ensure_ascii=False, default=str) for u in uniques] + ["null"],
                       dtype=object)
    out[present] = encoded[codes]
    return out


def _json_records(frame: pd.DataFrame) -> list[str]:
    """One JSON object per row; NaN/NaT -> null, timestamps -> YYYY-MM-DD.

    The same text as `json.dumps(row, ensure_ascii=False, default=str)` of each row, built
    column by column (a million rows: seconds, not a minute of per-row dicts)."""
    if frame.empty:
        return []
    parts = []
    for i, column in enumerate(frame.columns):
        key = json.dumps(str(column), ensure_ascii=False)
        parts.append(("{" if i == 0 else ", ") + key + ": ")
        parts.append(_json_values(frame[column]))
    text = pd.Series(parts[1], dtype=object).radd(parts[0])
    for part in parts[2:]:
        text = text + part if isinstance(part, str) else text + pd.Series(part, dtype=object)
    return (text + "}").tolist()


def _ids(ids: pd.Series | list[str] | np.ndarray) -> pd.Series:
    return pd.Series(pd.unique(np.asarray(ids, dtype=object)), dtype=object, name="entity_id")


# --- point-in-time views (pandas) ---------------------------------------------------------

def known_posts(dataset: Dataset, as_of: dt.date) -> pd.DataFrame:
    d = _day(as_of)
    posts = dataset.officials[dataset.officials["start_date"] < d].copy()
    posts.loc[~(posts["end_date"] < d), "end_date"] = pd.NaT
    return posts


def known_roles(dataset: Dataset, as_of: dt.date) -> pd.DataFrame:
    d = _day(as_of)
    roles = dataset.enterprise_roles[dataset.enterprise_roles["start_date"] < d].copy()
    roles.loc[~(roles["end_date"] < d), "end_date"] = pd.NaT
    return roles


def known_tenders(dataset: Dataset, as_of: dt.date) -> pd.DataFrame:
    d, t = _day(as_of), dataset.tenders
    known = (t["published_on"] < d) | (t["published_on"].isna() & (t["awarded_on"] < d))
    return t[known.fillna(False)]


def known_bids(dataset: Dataset, as_of: dt.date, bids: pd.DataFrame | None = None) -> pd.DataFrame:
    """The known rows of `bids` (default: all bids; else some rows of them, in their order)."""
    d, t = _day(as_of), dataset.tenders
    known = (t["published_on"] < d) | (t["published_on"].isna() & (t["awarded_on"] < d))
    opened = t["deadline"].fillna(t["awarded_on"]) < d
    bids = dataset.bids if bids is None else bids
    return bids[isin(bids["tender_id"], t.loc[(known & opened).fillna(False), "tender_id"])]


def known_contracts(dataset: Dataset, as_of: dt.date) -> pd.DataFrame:
    c = dataset.contracts
    return c[(c["signed_on"] < _day(as_of)).fillna(False)]


# --- directory --------------------------------------------------------------------------

def _latest_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Each person's current post (a head post first), else his latest one."""
    ranked = posts.assign(in_post=posts["end_date"].isna())
    ranked = ranked.sort_values(["person_id", "in_post", "is_unit_head", "start_date"],
                                ascending=[True, False, False, False])
    return ranked.drop_duplicates("person_id")


def _officials(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> pd.DataFrame:
    posts = known_posts(dataset, as_of)
    posts = _latest_posts(posts[posts["person_id"].isin(ids)])
    units = dataset.units[["unit_id", "name", "region", "sector"]].rename(columns={"name": "unit"})
    frame = (ids.to_frame().merge(dataset.persons[["person_id", "name"]],
                                  left_on="entity_id", right_on="person_id", how="left")
             .merge(posts[["person_id", "unit_id", "position", "rank", "is_unit_head",
                           "start_date", "in_post"]], on="person_id", how="left")
             .merge(units, on="unit_id", how="left"))
    details = frame[["unit_id", "unit", "sector", "position", "rank", "is_unit_head", "in_post"]]
    return frame.assign(is_person=True, details=_json_records(details))


def _enterprises(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> pd.DataFrame:
    firms = dataset.enterprises.rename(columns={"enterprise_id": "entity_id"})
    frame = ids.to_frame().merge(firms, on="entity_id", how="left")
    frame.loc[~(frame["deregistered_on"] < _day(as_of)), "deregistered_on"] = pd.NaT
    details = frame[["registered_on", "deregistered_on", "ownership", "industry",
                     "registered_capital"]]
    return frame.assign(is_person=False, details=_json_records(details))


def _tenders(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> pd.DataFrame:
    tenders = dataset.tenders.rename(columns={"tender_id": "entity_id", "title": "name"})
    units = dataset.units[["unit_id", "name", "region", "sector"]].rename(columns={"name": "buyer"})
    frame = ids.to_frame().merge(tenders, on="entity_id", how="left").merge(units, on="unit_id",
                                                                            how="left")
    frame.loc[~(frame["awarded_on"] < _day(as_of)), "awarded_on"] = pd.NaT
    details = frame[["method", "estimated_value", "currency", "category", "unit_id", "buyer",
                     "sector", "published_on", "awarded_on"]].rename(columns={"unit_id": "buyer_id"})
    return frame.assign(is_person=False, details=_json_records(details))


DIRECTORY = {"official": _officials, "enterprise": _enterprises, "tender": _tenders}


def directory(dataset: Dataset, entity_type: str, ids, as_of: dt.date) -> pd.DataFrame:
    """entity_id, name, is_person, region, details (JSON) of each id."""
    frame = DIRECTORY[entity_type](dataset, _ids(ids), as_of)
    frame["name"] = frame["name"].astype(object).where(frame["name"].notna(), frame["entity_id"])
    frame["name"] = frame["name"].astype(str).str.slice(0, 256)
    frame["region"] = frame["region"].astype(object).where(frame["region"].notna(), None)
    return frame[DIRECTORY_COLUMNS].reset_index(drop=True)


# --- links ------------------------------------------------------------------------------

def _edges(frame: pd.DataFrame, linked_type: str, is_person: bool, relation,
           weight=None) -> pd.DataFrame:
    out = pd.DataFrame({
        "entity_id": frame["entity_id"].astype(object).to_numpy(),
        "linked_type": linked_type,
        "linked_id": frame["linked_id"].astype(object).to_numpy(),
        "linked_name": frame["linked_name"].astype(object).to_numpy(),
        "linked_is_person": is_person,
        "relation": relation if isinstance(relation, str) else relation.astype(str).to_numpy(),
        "weight": (np.nan if weight is None else pd.to_numeric(weight).astype("float64").to_numpy()),
    })
    return out


def _names(frame: pd.DataFrame, table: pd.DataFrame, key: str) -> pd.DataFrame:
    """Add linked_name from `table` (key, name) on linked_id."""
    names = table[[key, "name"]].rename(columns={key: "linked_id", "name": "linked_name"})
    return frame.merge(names, on="linked_id", how="left")


def _official_links(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> list[pd.DataFrame]:
    posts = known_posts(dataset, as_of)
    posts = posts[posts["person_id"].isin(ids)].rename(
        columns={"person_id": "entity_id", "unit_id": "linked_id"})
    posts = _names(posts, dataset.units, "unit_id")
    span = (posts["start_date"].dt.strftime("%Y-%m-%d") + ".."
            + posts["end_date"].dt.strftime("%Y-%m-%d").fillna(""))
    edges = [_edges(posts, "unit", False, "post: " + posts["position"].astype(str) + " " + span)]

    relations = dataset.relations
    kin = pd.DataFrame(columns=["entity_id", "linked_id", "relation"])
    if relations is not None:
        kin = relations[relations["person_id"].isin(ids)].rename(
            columns={"person_id": "entity_id", "related_person_id": "linked_id"})
        kin = kin.drop_duplicates(["entity_id", "linked_id", "relation"])
        edges.append(_edges(_names(kin, dataset.persons, "person_id"), "person", True,
                            kin["relation"]))
    # Enterprises where the official himself or one of his relatives holds a role.
    holders = pd.concat([
        pd.DataFrame({"entity_id": ids, "holder": ids, "relation": "self"}),
        kin[["entity_id", "linked_id", "relation"]].rename(columns={"linked_id": "holder"}),
    ], ignore_index=True)
    roles = known_roles(dataset, as_of)
    held = holders.merge(roles[["person_id", "enterprise_id", "role"]],
                         left_on="holder", right_on="person_id")
    held = held.rename(columns={"enterprise_id": "linked_id"})
    held = _names(held, dataset.enterprises, "enterprise_id")
    held = held.drop_duplicates(["entity_id", "linked_id", "relation", "role"])
    how = np.where(held["relation"] == "self", held["role"].astype(str),
                   held["relation"].astype(str) + " is " + held["role"].astype(str))
    edges.append(_edges(held, "enterprise", False, pd.Series(how, index=held.index)))
    return edges


def _enterprise_links(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> list[pd.DataFrame]:
    roles = known_roles(dataset, as_of)
    roles = roles[roles["enterprise_id"].isin(ids) & roles["role"].isin(OWNER_ROLES)]
    roles = roles.rename(columns={"enterprise_id": "entity_id", "person_id": "linked_id"})
    roles = _names(roles.drop_duplicates(["entity_id", "linked_id", "role"]), dataset.persons,
                   "person_id")
    edges = [_edges(roles, "person", True, roles["role"], roles["share"])]

    contracts = known_contracts(dataset, as_of)
    won = contracts[contracts["enterprise_id"].isin(ids)].merge(
        dataset.tenders[["tender_id", "unit_id"]], on="tender_id")
    won = (won.groupby(["enterprise_id", "unit_id"], observed=True).size()
           .rename("weight").reset_index()
           .rename(columns={"enterprise_id": "entity_id", "unit_id": "linked_id"}))
    won = _names(won, dataset.units, "unit_id")
    edges.append(_edges(won, "unit", False, "contracts won at", won["weight"]))

    # Only the bids in the tenders the ids bid in can pair with theirs: those first.
    everyone = dataset.bids
    theirs = everyone.loc[everyone["enterprise_id"].isin(ids), "tender_id"]
    bids = known_bids(dataset, as_of, everyone[isin(everyone["tender_id"], theirs)])
    bids = bids[["tender_id", "enterprise_id"]].drop_duplicates()
    own = bids[bids["enterprise_id"].isin(ids)].rename(columns={"enterprise_id": "entity_id"})
    pairs = own.merge(bids.rename(columns={"enterprise_id": "linked_id"}), on="tender_id")
    pairs = pairs[pairs["entity_id"] != pairs["linked_id"]]
    shared = (pairs.groupby(["entity_id", "linked_id"], observed=True).size()
              .rename("weight").reset_index()
              .sort_values(["entity_id", "weight", "linked_id"], ascending=[True, False, True])
              .groupby("entity_id", observed=True).head(CO_BIDDERS))
    shared = _names(shared, dataset.enterprises, "enterprise_id")
    edges.append(_edges(shared, "enterprise", False, "co-bidder", shared["weight"]))
    return edges


def _tender_links(dataset: Dataset, ids: pd.Series, as_of: dt.date) -> list[pd.DataFrame]:
    tenders = known_tenders(dataset, as_of)
    tenders = tenders[tenders["tender_id"].isin(ids)].rename(
        columns={"tender_id": "entity_id", "unit_id": "linked_id"})
    buyer = _names(tenders[["entity_id", "linked_id", "estimated_value"]], dataset.units,
                   "unit_id")
    edges = [_edges(buyer, "unit", False, "buyer", buyer["estimated_value"])]

    bids = known_bids(dataset, as_of, dataset.bids[dataset.bids["tender_id"].isin(ids)])
    bids = bids.rename(
        columns={"tender_id": "entity_id", "enterprise_id": "linked_id"})
    bids = _names(bids, dataset.enterprises, "enterprise_id")
    relation = np.where(bids["status"] == "valid", "bidder", "bidder (" + bids["status"].astype(str) + ")")
    edges.append(_edges(bids, "enterprise", False, pd.Series(relation, index=bids.index),
                        bids["amount"]))

    contracts = known_contracts(dataset, as_of)
    won = contracts[contracts["tender_id"].isin(ids)].rename(
        columns={"tender_id": "entity_id", "enterprise_id": "linked_id"})
    won = _names(won, dataset.enterprises, "enterprise_id")
    edges.append(_edges(won, "enterprise", False, "winner", won["amount"]))
    return edges


LINKS = {"official": _official_links, "enterprise": _enterprise_links, "tender": _tender_links}


def links(dataset: Dataset, entity_type: str, ids, as_of: dt.date) -> pd.DataFrame:
    """The network edges of each id (LINK_COLUMNS), names filled with the id when unknown."""
    parts = [p for p in LINKS[entity_type](dataset, _ids(ids), as_of) if len(p)]
    if not parts:
        return pd.DataFrame(columns=LINK_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["linked_name"] = (out["linked_name"].where(out["linked_name"].notna(), out["linked_id"])
                          .astype(str).str.slice(0, 256))
    out["relation"] = out["relation"].astype(str).str.slice(0, 64)
    return out[LINK_COLUMNS]
