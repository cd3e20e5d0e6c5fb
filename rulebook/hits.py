"""Which entities a card hits at an as-of date, and the hits as model features.

A card runs against exactly what the features see: the contract tables through the as-of view
(features/asof.py, so nothing after the date leaks in) and the entity type's feature table at
that date. The feature table is also the scope: an entity out of scope at the date is never a
hit. E.g. the card "winner younger than six months" at 2026-07-01 returns the tenders in scope
then whose winner was registered under 183 days before the award, and nothing awarded later.

The query is the card's SQL with its table names pointed at the as-of view:

    WITH __asof_tenders AS (<the as-of view of tenders, compiled by Ibis>), ...,
         __hits AS (<the card's query, `tenders` read as __asof_tenders, :as_of bound>)
    SELECT entity_id, min(evidence) FROM __hits
    WHERE entity_id IN (SELECT entity_id FROM __rule_features WHERE <filter>) GROUP BY entity_id

Rule hits are model features too: `rule_sm_001` is 1.0 where SM-001 hit the entity, else 0.0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import ibis
import pandas as pd
import pyarrow as pa
from sqlglot import exp

from features.asof import as_of_view
from features.backend import Tables
from features.registry import Feature, Registry
from rulebook.card import FEATURES_TABLE, HIT_COLUMNS, RuleCard
from rulebook.check import DIALECT, bind_as_of, contract_schema, filter_columns, parse_query, query_tables

FEATURE_VIEW = "__rule_features"
EVIDENCE_CHARS = 300


def feature_name(rule_id: str) -> str:
    """SM-001 -> rule_sm_001."""
    return "rule_" + rule_id.lower().replace("-", "_")


def rule_features(cards: Iterable[RuleCard]) -> list[Feature]:
    """The registry entries of the cards' hit features (a hit never lowers the risk)."""
    return [Feature(feature_name(c.id), c.entity_type, f"rule {c.id} fired: {c.title}", "flag",
                    f"rule {c.id} fired: {c.title}", monotone=1, source=c.id,
                    missing=f"rule {c.id} was not evaluated") for c in cards]


def with_rule_features(registry: Registry, cards: Iterable[RuleCard]) -> Registry:
    extended = Registry(registry)
    for feature in rule_features(cards):
        extended.add(feature)
    return extended


def _pointed(query: exp.Query, as_of: dt.date) -> tuple[str, set[str]]:
    """The card's query in DuckDB SQL, contract tables renamed to their as-of views, and the
    contract tables it reads."""
    contract = set(contract_schema())
    read = query_tables(query) & contract

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and not node.args.get("db"):
            if node.name in read:
                return exp.table_(f"__asof_{node.name}", alias=node.alias or node.name)
            if node.name == FEATURES_TABLE:
                return exp.table_(FEATURE_VIEW, alias=node.alias or FEATURES_TABLE)
        return node

    bound = bind_as_of(query, as_of).transform(rename)
    return bound.sql(dialect=DIALECT), read


def card_sql(card: RuleCard, view: Tables, as_of: dt.date) -> str:
    """The one statement that evaluates `card` (see the module docstring)."""
    where = f"({card.rule.filter})" if card.rule.filter else "TRUE"
    scope = f"SELECT entity_id FROM {FEATURE_VIEW} WHERE {where}"
    if not card.rule.sql:
        return f"SELECT entity_id, CAST(NULL AS VARCHAR) AS evidence FROM ({scope})"
    query = parse_query(card.rule.sql)
    body, read = _pointed(query, as_of)
    views = [f"__asof_{name} AS ({ibis.to_sql(getattr(view, name), dialect=DIALECT)})"
             for name in sorted(read)]
    evidence = "evidence" if "evidence" in query.named_selects else "NULL"
    return (f"WITH {', '.join([*views, f'__hits AS ({body})'])} "
            f"SELECT CAST(entity_id AS VARCHAR) AS entity_id, "
            f"CAST(min({evidence}) AS VARCHAR) AS evidence FROM __hits "
            f"WHERE CAST(entity_id AS VARCHAR) IN ({scope}) GROUP BY 1")


def _run(con: ibis.BaseBackend, sql: str) -> pa.Table:
    # The one engine-specific call: Ibis 12's con.sql() fails on DuckDB 2.0 (it fetches the
    # schema with a removed method), so the statement runs on DuckDB's own connection.
    return con.con.sql(sql).to_arrow_table()


def _register_features(con: ibis.BaseBackend, features: pd.DataFrame, columns: set[str]) -> None:
    # NaN must reach the engine as NULL: DuckDB orders NaN above every number, so a missing
    # `coi_awards` would pass `coi_awards >= 1`.
    kept = ["entity_id", *sorted(columns & set(features.columns))]
    table = pa.Table.from_pandas(features[kept], preserve_index=False)
    con.create_table(FEATURE_VIEW, table, temp=True, overwrite=True)


def evaluate(tables: Tables, as_of: dt.date, entity_type: str, features: pd.DataFrame,
             cards: Sequence[RuleCard]) -> pd.DataFrame:
    """The hits (HIT_COLUMNS) of the `entity_type` cards among `features`' entities at
    `as_of`; `features` is that type's feature table at that date."""
    cards = [c for c in cards if c.entity_type == entity_type]
    if not cards or features.empty:
        return pd.DataFrame(columns=HIT_COLUMNS)
    con = tables.tenders.get_backend()
    view = as_of_view(tables, as_of)
    needed = {column for card in cards for column in _feature_columns(card)}
    _register_features(con, features, needed)
    frames = []
    for card in cards:
        hit = _run(con, card_sql(card, view, as_of)).to_pandas()
        frames.append(hit.assign(rule_id=card.id, version=card.version, entity_type=entity_type))
    hits = pd.concat(frames, ignore_index=True)
    hits["evidence"] = hits["evidence"].str.slice(0, EVIDENCE_CHARS)
    return hits[HIT_COLUMNS].sort_values(["rule_id", "entity_id"], ignore_index=True)


def evaluate_sets(tables: Tables, as_of: dt.date, entity_type: str, features: pd.DataFrame,
                  card_sets: Sequence[Sequence[RuleCard]]) -> list[pd.DataFrame]:
    """The hits of each set of cards, a card in several sets evaluated once (e.g. the
    published cards and a model's own copies, mostly the same)."""
    unique: dict[tuple[str, str], RuleCard] = {}
    for cards in card_sets:
        for card in cards:
            if card.entity_type == entity_type:
                unique.setdefault((card.id, card.content_hash()), card)
    found: dict[tuple[str, str], pd.DataFrame] = {}
    while unique:  # batches of distinct ids: hits are told apart by rule id
        batch = {}
        for key in list(unique):
            if key[0] not in {k[0] for k in batch}:
                batch[key] = unique.pop(key)
        hits = evaluate(tables, as_of, entity_type, features, list(batch.values()))
        found.update({key: hits[hits["rule_id"] == key[0]] for key in batch})
    empty = pd.DataFrame(columns=HIT_COLUMNS)
    return [pd.concat([empty, *(found[(c.id, c.content_hash())] for c in cards
                                if c.entity_type == entity_type)], ignore_index=True)
            for cards in card_sets]


def _feature_columns(card: RuleCard) -> set[str]:
    columns = set(filter_columns(card))
    if card.rule.sql:
        query = parse_query(card.rule.sql)
        if FEATURES_TABLE in query_tables(query):  # the query reads feature columns itself
            columns |= {c.name for c in query.find_all(exp.Column)}
    return columns


def add_hit_features(features: pd.DataFrame, hits: pd.DataFrame,
                     cards: Iterable[RuleCard]) -> pd.DataFrame:
    """`features` with one 0/1 column per card (rule_<id>), aligned on entity_id."""
    columns = {}
    for card in cards:
        hit_ids = hits.loc[hits["rule_id"] == card.id, "entity_id"]
        columns[feature_name(card.id)] = features["entity_id"].isin(hit_ids).astype("float64")
    return features.assign(**columns) if columns else features


def ids_by_entity(hits: pd.DataFrame) -> pd.Series:
    """rule ids per entity_id, sorted: entity -> ["SM-001", "SM-007"]."""
    if hits.empty:
        return pd.Series(dtype=object)
    return hits.groupby("entity_id")["rule_id"].agg(lambda ids: sorted(set(ids)))




def model_features(tables: Tables, as_of: dt.date, features: pd.DataFrame,
                   model) -> pd.DataFrame:  # noqa: ANN001 - a training.model.RiskModel
    """`features` (one type's table at `as_of`, with entity_id) plus the hit columns of the
    cards `model` was trained with, evaluated with its own copies of them: what it reads."""
    cards = tuple(getattr(model, "rules", ()))
    found = evaluate(tables, as_of, model.entity_type, features, cards)
    return add_hit_features(features, found, cards)
