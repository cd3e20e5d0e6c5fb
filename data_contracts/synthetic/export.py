"""The world as contract tables: string ids, datetime columns, the contract's column names.

Ids carry no information about how a row was made: persons and enterprises get random
distinct numbers, tenders are numbered by date, bids by tender, so a scheme's rows (added
later in generation) are not recognisable by id or row order. Every id comes with an integer
key that sorts like the id, so tables are ordered by id without sorting strings; id columns
are pyarrow-backed strings (millions of them cost no Python objects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data_contracts.contract import DEFAULT_CURRENCY
from data_contracts.synthetic.timeline import as_datetime, as_utc_timestamps, year_of
from data_contracts.synthetic.vocab import DIVISIONS
from data_contracts.synthetic.world import World

TITLE_SUFFIX = {"works": "项目", "goods": "采购项目", "services": "采购项目"}
P_BIRTH_YEAR_UNKNOWN = 0.03  # of non-officials: registries often lack it
P_GENDER_UNKNOWN = 0.01
STRING = pd.StringDtype("pyarrow")


@dataclass(frozen=True)
class Ids:
    """String ids by internal position, and integer keys that sort like them."""

    text: pd.Series
    key: np.ndarray

    def at(self, positions: np.ndarray) -> pd.Series:
        return pd.Series(self.text.array.take(np.asarray(positions, dtype="int64")))


def _digits(numbers: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(np.asarray(numbers, dtype="int64")).cast(pa.string()), width, "0")


def _strings(*parts) -> pd.Series:
    """Concatenate arrow arrays and literal prefixes element-wise into a string Series."""
    joined = pc.binary_join_element_wise(*parts, "")
    return pd.Series(pd.arrays.ArrowStringArray(joined))


def _random_numbers(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """n distinct random numbers of exactly `width` digits."""
    low = 10 ** (width - 1)
    return low + rng.choice(9 * low, n, replace=False)


def _rank(*keys: np.ndarray) -> np.ndarray:
    """Position 0.. of each row in the order of `keys` (last key sorts first)."""
    order = np.lexsort(keys)
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    return rank


def _per_year(prefix: str, day: np.ndarray, tiebreak: np.ndarray, width: int) -> Ids:
    """E.g. T20240000123: the 123rd of the year by date; ids sort like (date, tiebreak)."""
    year = year_of(day)
    rank = _rank(tiebreak, day)
    first_of_year = pd.Series(rank).groupby(year).transform("min").to_numpy()
    text = _strings(
        prefix, pa.array(year).cast(pa.string()), _digits(rank - first_of_year + 1, width)
    )
    return Ids(text, rank)


def _sequence(prefix: str, rank: np.ndarray, width: int) -> Ids:
    return Ids(_strings(prefix, _digits(rank + 1, width)), rank)


def referenced_persons(world: World) -> np.ndarray:
    """Persons named by a post, a relation or a role (others were replaced while building)."""
    used = np.zeros(len(world.persons), dtype=bool)
    for column in (
        world.posts["person"],
        world.relations["person"],
        world.relations["related"],
        world.roles["person"],
    ):
        used[column.to_numpy().astype("int64")] = True
    return used


def make_ids(world: World, rng: np.random.Generator) -> dict[str, Ids]:
    units = world.units
    region = units["region_code"].to_numpy().astype("int64")
    unit_seq = _rank(units["name"].to_numpy().astype(str), region)
    person = _random_numbers(rng, len(world.persons), 9)
    e = world.enterprises
    firm_region = world.regions["code"].to_numpy().astype("int64")[e["region"].to_numpy()]
    firm = _random_numbers(rng, len(e), 10)
    t = world.tenders
    return {
        "units": Ids(
            _strings("U", pa.array(region).cast(pa.string()), _digits(unit_seq, 5)),
            region * 100_000 + unit_seq,
        ),
        "persons": Ids(_strings("P", _digits(person, 9)), person),
        # Like a unified social credit code: 91 + region + 10 digits.
        "enterprises": Ids(
            _strings("91", pa.array(firm_region).cast(pa.string()), _digits(firm, 10)),
            firm_region * 10**10 + firm,
        ),
        "tenders": _per_year("T", t["ref"].to_numpy(), rng.random(len(t)), 7),
    }


def export_tables(
    world: World,
    rng: np.random.Generator,
    say: Callable[[str], None],
) -> tuple[dict[str, pd.DataFrame], dict[str, Ids]]:
    ids = make_ids(world, rng)
    makers = {
        "units": _units,
        "persons": lambda w, i: _persons(w, i, rng),
        "officials": _officials,
        "relations": _relations,
        "enterprises": _enterprises,
        "enterprise_roles": _roles,
        "tenders": _tenders,
        "bids": _bids,
        "contracts": _contracts,
        "penalties": lambda w, i: _penalties(w, i, rng),
        "cases": _cases,
    }
    tables = {}
    for name, make in makers.items():
        tables[name] = make(world, ids)
        say(f"  {name}: {len(tables[name]):,} rows")
    return tables, ids


def _ordered(columns: dict[str, object], *keys: np.ndarray) -> pd.DataFrame:
    """A frame of `columns` ordered by `keys` (last key first), with a fresh index."""
    frame = pd.DataFrame(columns)
    return frame.take(np.lexsort(keys)).reset_index(drop=True)


def _objects(values) -> np.ndarray:
    return np.asarray(values).astype(object)


def _units(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    u = world.units
    return _ordered(
        {
            "unit_id": ids["units"].text,
            "name": _objects(u["name"]),
            "region": _objects(u["region_code"]),
            "level": _objects(u["level"]),
            "sector": _objects(u["sector"]),
        },
        ids["units"].key,
    )


def _persons(world: World, ids: dict[str, Ids], rng: np.random.Generator) -> pd.DataFrame:
    p = world.persons
    keep = referenced_persons(world)
    official = (p["kind"] == "official").to_numpy()
    birth = np.where(
        ~official & (rng.random(len(p)) < P_BIRTH_YEAR_UNKNOWN), np.nan, p["birth_year"].to_numpy()
    )
    gender = np.where(
        ~official & (rng.random(len(p)) < P_GENDER_UNKNOWN), None, p["gender"].to_numpy()
    )
    frame = _ordered(
        {
            "person_id": ids["persons"].text,
            "name": _objects(p["name"]),
            "birth_year": pd.array(birth, dtype="Int64"),
            "gender": gender.astype(object),
            "keep": keep,
        },
        ids["persons"].key,
    )
    return frame[frame.pop("keep").to_numpy()].reset_index(drop=True)


def _officials(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    posts = world.posts
    unit = posts["unit"].to_numpy()
    post = _sequence("PO", _rank(posts["start"].to_numpy(), ids["units"].key[unit]), 8)
    return _ordered(
        {
            "post_id": post.text,
            "person_id": ids["persons"].at(posts["person"]),
            "unit_id": ids["units"].at(unit),
            "position": _objects(posts["position"]),
            "rank": _objects(posts["rank"]),
            "is_unit_head": posts["is_head"].to_numpy(dtype=bool),
            "start_date": as_datetime(posts["start"]),
            "end_date": as_datetime(posts["end"]),
        },
        post.key,
    )


def _relations(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    r = world.relations
    person, related = (
        r["person"].to_numpy().astype("int64"),
        r["related"].to_numpy().astype("int64"),
    )
    return _ordered(
        {
            "person_id": ids["persons"].at(person),
            "related_person_id": ids["persons"].at(related),
            "relation": _objects(r["relation"]),
            "source": _objects(r["source"]),
        },
        r["relation"].to_numpy().astype(str),
        ids["persons"].key[related],
        ids["persons"].key[person],
    )


def _enterprises(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    e = world.enterprises
    return _ordered(
        {
            "enterprise_id": ids["enterprises"].text,
            "name": _objects(e["name"]),
            "region": _objects(world.regions["code"].to_numpy()[e["region"].to_numpy()]),
            "registered_on": as_datetime(e["registered"]),
            "deregistered_on": as_datetime(e["deregistered"]),
            "registered_capital": e["capital"].to_numpy(dtype="float64"),
            "ownership": _objects(e["ownership"]),
            "industry": _objects(e["division"]),
            "address": _objects(e["address"]),
            "phone": _objects(e["phone"]),
        },
        ids["enterprises"].key,
    )


def _roles(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    r = world.roles
    firm, person = (
        r["enterprise"].to_numpy().astype("int64"),
        r["person"].to_numpy().astype("int64"),
    )
    return _ordered(
        {
            "enterprise_id": ids["enterprises"].at(firm),
            "person_id": ids["persons"].at(person),
            "role": _objects(r["role"]),
            "share": r["share"].to_numpy(dtype="float64"),
            "start_date": as_datetime(r["start"]),
            "end_date": as_datetime(r["end"]),
        },
        ids["persons"].key[person],
        r["role"].to_numpy().astype(str),
        r["start"].to_numpy(),
        ids["enterprises"].key[firm],
    )


def _titles(world: World) -> np.ndarray:
    """南京市第一人民医院 + 2024年 + 医学影像设备 + 采购项目."""
    t = world.tenders
    items = {code: name for d in DIVISIONS for code, name in d.categories}
    suffix = {d.code: TITLE_SUFFIX[d.kind] for d in DIVISIONS}
    unit_name = pa.array(world.units["name"].to_numpy().astype(str)).take(
        pa.array(t["unit"].to_numpy())
    )
    year = pa.array(year_of(t["ref"].to_numpy())).cast(pa.string())
    item = pa.array(t["category"].map(items).to_numpy().astype(str))
    tail = pa.array(t["division"].map(suffix).to_numpy().astype(str))
    return _strings(unit_name, year, "年", item, tail)


def _tenders(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    t = world.tenders
    return _ordered(
        {
            "tender_id": ids["tenders"].text,
            "unit_id": ids["units"].at(t["unit"]),
            "title": _titles(world),
            "category": _objects(t["category"]),
            "method": _objects(t["method"]),
            "estimated_value": t["value"].to_numpy(dtype="float64"),
            "currency": DEFAULT_CURRENCY,
            "published_on": as_datetime(t["published"]),
            "deadline": as_datetime(t["deadline"]),
            "awarded_on": as_datetime(t["awarded"]),
            "status": _objects(t["status"]),
        },
        ids["tenders"].key,
    )


def _bids(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    b = world.bids
    tender = b["tender"].to_numpy()
    bid = _sequence(
        "B", _rank(b["submitted"].fillna(np.inf).to_numpy(), ids["tenders"].key[tender]), 10
    )
    return _ordered(
        {
            "bid_id": bid.text,
            "tender_id": ids["tenders"].at(tender),
            "enterprise_id": ids["enterprises"].at(b["enterprise"]),
            "amount": b["amount"].to_numpy(dtype="float64"),
            "submitted_at": as_utc_timestamps(b["submitted"]),
            "status": _objects(b["status"]),
        },
        bid.key,
    )


def _contracts(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    c = world.contracts
    contract = _per_year("C", c["signed"].to_numpy(), ids["tenders"].key[c["tender"].to_numpy()], 6)
    return _ordered(
        {
            "contract_id": contract.text,
            "tender_id": ids["tenders"].at(c["tender"]),
            "enterprise_id": ids["enterprises"].at(c["enterprise"]),
            "amount": c["amount"].to_numpy(dtype="float64"),
            "signed_on": as_datetime(c["signed"]),
            "final_amount": c["final"].to_numpy(dtype="float64"),
            "amendments": pd.array(c["amendments"].to_numpy(), dtype="Int64"),
            "completed_on": as_datetime(c["completed"]),
        },
        contract.key,
    )


def _penalties(world: World, ids: dict[str, Ids], rng: np.random.Generator) -> pd.DataFrame:
    p = world.penalties
    penalty = _per_year("X", p["day"].to_numpy(), rng.random(len(p)), 6)
    return _ordered(
        {
            "penalty_id": penalty.text,
            "enterprise_id": ids["enterprises"].at(p["enterprise"].to_numpy()),
            "unit_id": ids["units"].at(p["unit"].to_numpy()),
            "date": as_datetime(p["day"]),
            "kind": _objects(p["kind"]),
            "amount": p["amount"].to_numpy(dtype="float64"),
        },
        penalty.key,
    )


def entity_ids(ids: dict[str, Ids], entity_type: np.ndarray, entity: np.ndarray) -> pd.Series:
    """The string id of a person (official), enterprise or tender by entity type."""
    entity = np.asarray(entity, dtype="int64")
    out = pd.Series(pd.array([None] * len(entity), dtype=STRING))
    for kind, table in (
        ("official", "persons"),
        ("enterprise", "enterprises"),
        ("tender", "tenders"),
    ):
        rows = np.flatnonzero(entity_type == kind)
        out.iloc[rows] = ids[table].at(entity[rows]).to_numpy()
    return out


def _cases(world: World, ids: dict[str, Ids]) -> pd.DataFrame:
    c = world.cases
    files = c.drop_duplicates("file")
    # Two dockets: investigations (JW2024000123) and routine spot checks (CC2024000045).
    texts, keys = [], []
    for prefix, docket in (("JW", ~files["spot"]), ("CC", files["spot"])):
        chosen = files[docket.to_numpy(dtype=bool)]
        numbered = _per_year(prefix, chosen["opened"].to_numpy(), chosen["file"].to_numpy(), 5)
        texts.append(pd.Series(numbered.text.to_numpy(), index=chosen["file"].to_numpy()))
        offset = sum(len(k) for k in keys)  # spot checks list after the investigations
        keys.append(pd.Series(numbered.key + offset, index=chosen["file"].to_numpy()))
    file_text = pd.concat(texts)
    file_key = pd.concat(keys).reindex(c["file"]).to_numpy()
    within = c.groupby("file").cumcount().to_numpy() + 1
    case_id = _strings(
        pa.array(file_text.reindex(c["file"]).to_numpy().astype(str)), "-", _digits(within, 3)
    )
    kind = c["entity_type"].to_numpy()
    return _ordered(
        {
            "case_id": case_id,
            "entity_type": _objects(kind),
            "entity_id": entity_ids(ids, kind, c["entity"]),
            "opened_on": as_datetime(c["opened"]),
            "closed_on": as_datetime(c["closed"]),
            "outcome": c["outcome"].to_numpy(dtype=object),
            "scheme": _objects(c["scheme"]),
        },
        within,
        file_key,
    )
