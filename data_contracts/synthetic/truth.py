"""Ground truth beside the data: which scheme instances exist and who was involved when.

Tender members are involved from publication (or the direct award) to the award; for price
inflation until the contract was completed. An instance runs from its first preparation
(a shell's registration, a former official joining his firm) or first tender to its last, and
its officials and enterprises are involved over that whole span.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from data_contracts.io import atomic_directory
from data_contracts.synthetic.config import GENERATOR_VERSION, SCHEMES
from data_contracts.synthetic.export import Ids, entity_ids
from data_contracts.synthetic.timeline import as_datetime
from data_contracts.synthetic.world import World


def settle_spans(world: World) -> None:
    """Fill members' first/last and the instances' started/ended from the final tenders."""
    m = world.members
    t = world.tenders
    is_tender = (m["entity_type"] == "tender").to_numpy()
    tender = m["entity"].to_numpy()[is_tender].astype("int64")
    first = t["published"].fillna(t["awarded"]).to_numpy()[tender]
    last = t["awarded"].to_numpy()[tender]
    completed = world.contracts.set_index("tender")["completed"].reindex(tender).to_numpy()
    inflated = (m["scheme"].to_numpy()[is_tender] == "price_inflation") & ~np.isnan(completed)
    last = np.where(inflated, completed, last)
    first = np.where(np.isnan(first), t["ref"].to_numpy()[tender], first)
    last = np.where(np.isnan(last), first, last)
    m.loc[is_tender, "first"] = first
    m.loc[is_tender, "last"] = last
    spans = m[is_tender].groupby("scheme_id").agg(started=("first", "min"), ended=("last", "max"))
    s = world.schemes.set_index("scheme_id")
    s["started"] = np.fmin(spans["started"].reindex(s.index).to_numpy(), s["prepared"].to_numpy())
    s["ended"] = spans["ended"].reindex(s.index).to_numpy()
    world.schemes = s.reset_index()
    whole = s.reindex(m.loc[~is_tender, "scheme_id"].to_numpy())
    m.loc[~is_tender, "first"] = whole["started"].to_numpy()
    m.loc[~is_tender, "last"] = whole["ended"].to_numpy()


def truth_tables(world: World, ids: dict[str, Ids]) -> dict[str, pd.DataFrame]:
    """schemes and members with the exported string ids."""
    s = world.schemes
    scheme_ids = np.array([f"S{i:06d}" for i in range(len(s))], dtype=object)
    schemes = pd.DataFrame(
        {
            "scheme_id": scheme_ids[s["scheme_id"].to_numpy().astype("int64")],
            "scheme": s["scheme"].to_numpy(dtype=object),
            "unit_id": ids["units"].at(s["unit"].to_numpy()).to_numpy(dtype=object),
            "started_on": as_datetime(s["started"]),
            "ended_on": as_datetime(s["ended"]),
            "detail": s["detail"].to_numpy(dtype=object),
        }
    )
    m = world.members
    kind = m["entity_type"].to_numpy()
    members = pd.DataFrame(
        {
            "scheme_id": scheme_ids[m["scheme_id"].to_numpy().astype("int64")],
            "scheme": m["scheme"].to_numpy(dtype=object),
            "entity_type": kind.astype(object),
            "entity_id": entity_ids(ids, kind, m["entity"]).to_numpy(dtype=object),
            "role": m["role"].to_numpy(dtype=object),
            "first_on": as_datetime(m["first"]),
            "last_on": as_datetime(m["last"]),
        }
    )
    members = members.sort_values(["scheme_id", "entity_type", "entity_id"], kind="stable")
    return {"schemes": schemes, "members": members.reset_index(drop=True)}


def world_summary(world: World, tables: dict[str, pd.DataFrame]) -> dict:
    m = world.members
    per_scheme = {}
    for scheme in SCHEMES:
        mine = m[m["scheme"] == scheme]
        per_scheme[scheme] = {
            "instances": int((world.schemes["scheme"] == scheme).sum()),
            **{
                f"{kind}s": int(mine.loc[mine["entity_type"] == kind, "entity"].nunique())
                for kind in ("official", "enterprise", "tender")
            },
        }
    cases = tables.get("cases")
    outcomes = {} if cases is None else cases["outcome"].fillna("open").value_counts().sort_index()
    return {
        "generator_version": GENERATOR_VERSION,
        "seed": world.config.seed,
        "parameters": json.loads(world.config.model_dump_json()),
        "today": str(world.config.end),
        "counts": {name: int(len(frame)) for name, frame in tables.items()},
        "schemes": per_scheme,
        "case_outcomes": {k: int(v) for k, v in dict(outcomes).items()},
    }


def write_truth(directory: Path, truth: dict[str, pd.DataFrame], summary: dict) -> Path:
    with atomic_directory(Path(directory)) as staging:
        for name, frame in truth.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / "world.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return Path(directory)
