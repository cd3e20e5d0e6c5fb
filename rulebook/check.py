"""Static checks of a card against the data it names, before anything runs.

A filter must parse as one boolean SQL expression over the entity type's feature columns; a
query must parse as one SELECT over the contract tables (as the as-of view shows them), name
only columns they have, and return `entity_id`. Every problem is a CardError naming the card,
the part of the rule and what is wrong, e.g.

    SM-007 (rules/sm-007.yaml): rule.filter names an unknown column 'wins_365' of the
    enterprise feature table (did you mean 'wins_365d'?)
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError
from sqlglot.optimizer.qualify import qualify

from data_contracts.contract import TABLES
from features.catalog import registry
from features.registry import Registry
from rulebook.card import FEATURES_TABLE, CardError, RuleCard

DIALECT = "duckdb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # sqlglot underlines the bad token for terminals
AS_OF = "as_of"  # the placeholder `:as_of`
# Not in the as-of view: cases are labels (a rule reading them would learn the answers), and a
# tender's status is stated at delivery, not as of the date (features/asof.py).
HIDDEN = {"cases": None, "tenders": ("status",)}
SQL_TYPES = {"str": "VARCHAR", "enum": "VARCHAR", "int": "BIGINT", "float": "DOUBLE",
             "bool": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"}


def contract_schema() -> dict[str, dict[str, str]]:
    """The contract tables as a rule's query sees them (the as-of view)."""
    schema = {}
    for table in TABLES:
        if table.name in HIDDEN and HIDDEN[table.name] is None:
            continue
        hidden = HIDDEN.get(table.name) or ()
        schema[table.name] = {c.name: SQL_TYPES[c.type] for c in table.columns
                              if c.name not in hidden}
    return schema


def _plain(error: Exception) -> str:
    return ANSI.sub("", str(error))


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _label(card: RuleCard, where: str | None) -> str:
    return f"{card.id} ({where})" if where else card.id


def parse_filter(text: str) -> exp.Expression:
    expression = sqlglot.parse_one(text, read=DIALECT)
    if isinstance(expression, exp.Query):
        raise ParseError("a filter is an expression (e.g. wins_365d >= 3), not a query")
    return expression


def filter_columns(card: RuleCard) -> list[str]:
    if not card.rule.filter:
        return []
    return sorted({c.name for c in parse_filter(card.rule.filter).find_all(exp.Column)})


def parse_query(text: str) -> exp.Query:
    statements = [s for s in sqlglot.parse(text, read=DIALECT) if s is not None]
    if len(statements) != 1:
        raise ParseError(f"one SELECT statement expected, found {len(statements)}")
    query = statements[0]
    if not isinstance(query, exp.Query):
        raise ParseError(f"only a SELECT may run, not {query.key.upper()}")
    return query


def query_tables(query: exp.Query) -> set[str]:
    """The tables a query reads, not counting its own CTEs."""
    own = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    return {t.name for t in query.find_all(exp.Table) if t.name not in own}


def _check_filter(card: RuleCard, names: Registry, where: str) -> None:
    try:
        parse_filter(card.rule.filter)
    except ParseError as error:
        raise CardError(f"{where}: rule.filter does not parse: {_plain(error)}") from None
    known = names.names(card.entity_type)
    for column in filter_columns(card):
        if column not in known:
            raise CardError(f"{where}: rule.filter names an unknown column {column!r} of the "
                            f"{card.entity_type} feature table{_suggest(column, known)}")


def _schema_with_features(card: RuleCard, names: Registry) -> dict[str, dict[str, str]]:
    schema = contract_schema()
    schema[FEATURES_TABLE] = {"entity_id": "VARCHAR",
                              **{n: "DOUBLE" for n in names.names(card.entity_type)}}
    return schema


def _check_query(card: RuleCard, names: Registry, where: str) -> None:
    try:
        query = parse_query(card.rule.sql)
    except ParseError as error:
        raise CardError(f"{where}: rule.sql does not parse: {_plain(error)}") from None
    schema = _schema_with_features(card, names)
    for table in sorted(query_tables(query)):
        if table == "cases":
            raise CardError(f"{where}: rule.sql reads 'cases': cases are the labels, a rule "
                            "may not read them")
        if table not in schema:
            raise CardError(f"{where}: rule.sql reads an unknown table {table!r}"
                            f"{_suggest(table, list(schema))}; known: {', '.join(schema)}")
        if table not in card.tables:
            raise CardError(f"{where}: rule.sql reads {table!r}, which the card's tables "
                            f"({', '.join(card.tables)}) do not list")
    try:
        qualified = qualify(bind_as_of(query, dt.date(2000, 1, 1)), schema=schema,
                            dialect=DIALECT, validate_qualify_columns=True)
    except OptimizeError as error:
        raise CardError(f"{where}: rule.sql: {_column_message(str(error), schema)}") from None
    if "entity_id" not in qualified.named_selects:
        raise CardError(f"{where}: rule.sql must return a column named entity_id (the "
                        f"{card.entity_type}'s id); it returns {', '.join(qualified.named_selects)}")


def _column_message(message: str, schema: dict[str, dict[str, str]]) -> str:
    if message.startswith("Unknown column"):
        name = message.split(":", 1)[-1].strip()
        columns = sorted({c for table in schema.values() for c in table})
        hidden = [f"{t}.{c}" for t, cs in HIDDEN.items() if cs for c in cs if c == name]
        why = (f"; {hidden[0]} is not known as of a date and is left out of the as-of view"
               if hidden else _suggest(name, columns))
        return f"names an unknown column {name!r}{why}"
    return message


def bind_as_of(query: exp.Expression, as_of: dt.date) -> exp.Expression:
    """The query with `:as_of` replaced by the date literal."""
    literal = exp.cast(exp.Literal.string(as_of.isoformat()), "date")

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name == AS_OF:
            return literal.copy()
        return node

    return query.copy().transform(replace)


def check(card: RuleCard, where: str | None = None, names: Registry | None = None) -> RuleCard:
    """The card, if it can run; else CardError. `where` is its file, for the message."""
    names = names or registry()
    label = _label(card, where)
    if "cases" in card.tables:
        raise CardError(f"{label}: tables names 'cases': cases are the labels, a rule may not "
                        "read them (its backtest would be judged by what it read)")
    unknown = [t for t in card.tables if t != FEATURES_TABLE and t not in contract_schema()]
    if unknown:
        raise CardError(f"{label}: tables names {unknown[0]!r}, which is neither a contract "
                        f"table nor {FEATURES_TABLE!r}")
    if card.rule.filter:
        _check_filter(card, names, label)
    if card.rule.sql:
        _check_query(card, names, label)
    return card
