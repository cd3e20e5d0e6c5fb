"""The input contract of `shared/contract/INPUT.md`, as data.

This module is the one executable statement of the contract: the pandera schemas
(`schemas.py`), the strict parser (`parsing.py`) and the cross-table checks (`integrity.py`) are
all derived from the TABLES below, so a column is declared once. The contract may only be made
stricter here, never looser; the stricter rules are marked "(stricter)".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CONTRACT_VERSION = "1.0"

ColumnType = Literal["str", "int", "float", "bool", "date", "timestamp", "enum"]

LEVELS = ("province", "city", "county", "township", "village")
GENDERS = ("f", "m")
RANKS = ("leading", "department", "section", "staff")
RELATIONS = ("spouse", "parent", "child", "sibling", "in_law", "other_relative", "associate")
OWNERSHIPS = ("state", "private", "collective", "foreign", "mixed")
ROLES = ("legal_representative", "shareholder", "director", "supervisor", "manager")
METHODS = ("open", "selective", "limited", "direct")
TENDER_STATUSES = ("planned", "active", "complete", "cancelled", "unsuccessful")
BID_STATUSES = ("valid", "disqualified", "withdrawn")
ENTITY_TYPES = ("official", "enterprise", "tender")
OUTCOMES = ("confirmed", "dismissed", "inconclusive")

DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool  # "req": present, no nulls. Otherwise "opt": may be absent or null.
    unique: bool = False
    enum: tuple[str, ...] | None = None
    references: str | None = None  # "table.column" this foreign key must resolve to
    minimum: float | None = None  # inclusive bounds (stricter where INPUT.md is silent)
    maximum: float | None = None


@dataclass(frozen=True)
class Interval:
    """Two date columns of one row where the second may not come before the first."""

    start: str
    end: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    optional: bool = False  # the whole table may be missing
    key: str | None = None
    period: str | None = None  # the date column the summary reports a range of
    intervals: tuple[Interval, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _money(name: str, required: bool = False) -> Column:
    return Column(name, "float", required, minimum=0.0)  # (stricter) no negative money


TABLES: tuple[Table, ...] = (
    Table(
        "units",
        (
            Column("unit_id", "str", True, unique=True),
            Column("name", "str", True),
            Column("region", "str", True),
            Column("level", "enum", True, enum=LEVELS),
            Column("sector", "str", True),
        ),
        key="unit_id",
    ),
    Table(
        "persons",
        (
            Column("person_id", "str", True, unique=True),
            Column("name", "str", True),
            Column("birth_year", "int", False, minimum=1900, maximum=2100),
            Column("gender", "enum", False, enum=GENDERS),
        ),
        key="person_id",
    ),
    Table(
        "officials",
        (
            Column("post_id", "str", True, unique=True),
            Column("person_id", "str", True, references="persons.person_id"),
            Column("unit_id", "str", True, references="units.unit_id"),
            Column("position", "str", True),
            Column("rank", "enum", True, enum=RANKS),
            Column("is_unit_head", "bool", True),
            Column("start_date", "date", True),
            Column("end_date", "date", False),
        ),
        key="post_id",
        period="start_date",
        intervals=(Interval("start_date", "end_date"),),
    ),
    Table(
        "relations",
        (
            Column("person_id", "str", True, references="persons.person_id"),
            Column("related_person_id", "str", True, references="persons.person_id"),
            Column("relation", "enum", True, enum=RELATIONS),
            Column("source", "str", False),
        ),
        optional=True,
    ),
    Table(
        "enterprises",
        (
            Column("enterprise_id", "str", True, unique=True),
            Column("name", "str", True),
            Column("region", "str", True),
            Column("registered_on", "date", True),
            Column("deregistered_on", "date", False),
            _money("registered_capital"),
            Column("ownership", "enum", True, enum=OWNERSHIPS),
            Column("industry", "str", True),
            Column("address", "str", False),
            Column("phone", "str", False),
        ),
        key="enterprise_id",
        period="registered_on",
        intervals=(Interval("registered_on", "deregistered_on"),),
    ),
    Table(
        "enterprise_roles",
        (
            Column("enterprise_id", "str", True, references="enterprises.enterprise_id"),
            Column("person_id", "str", True, references="persons.person_id"),
            Column("role", "enum", True, enum=ROLES),
            Column("share", "float", False, minimum=0.0, maximum=1.0),
            Column("start_date", "date", True),
            Column("end_date", "date", False),
        ),
        period="start_date",
        intervals=(Interval("start_date", "end_date"),),
    ),
    Table(
        "tenders",
        (
            Column("tender_id", "str", True, unique=True),
            Column("unit_id", "str", True, references="units.unit_id"),
            Column("title", "str", True),
            Column("category", "str", True),
            Column("method", "enum", True, enum=METHODS),
            _money("estimated_value"),
            Column("currency", "str", False),
            Column("published_on", "date", False),
            Column("deadline", "date", False),
            Column("awarded_on", "date", False),
            Column("status", "enum", True, enum=TENDER_STATUSES),
        ),
        key="tender_id",
        period="published_on",
        intervals=(Interval("published_on", "deadline"),),
    ),
    Table(
        "bids",
        (
            Column("bid_id", "str", True, unique=True),
            Column("tender_id", "str", True, references="tenders.tender_id"),
            Column("enterprise_id", "str", True, references="enterprises.enterprise_id"),
            _money("amount"),
            Column("submitted_at", "timestamp", False),
            Column("status", "enum", True, enum=BID_STATUSES),
        ),
        key="bid_id",
        period="submitted_at",
    ),
    Table(
        "contracts",
        (
            Column("contract_id", "str", True, unique=True),
            Column("tender_id", "str", True, references="tenders.tender_id"),
            Column("enterprise_id", "str", True, references="enterprises.enterprise_id"),
            _money("amount", required=True),
            Column("signed_on", "date", True),
            _money("final_amount"),
            Column("amendments", "int", False, minimum=0),
            Column("completed_on", "date", False),
        ),
        key="contract_id",
        period="signed_on",
        intervals=(Interval("signed_on", "completed_on"),),
    ),
    Table(
        "penalties",
        (
            Column("penalty_id", "str", True, unique=True),
            Column("enterprise_id", "str", True, references="enterprises.enterprise_id"),
            Column("unit_id", "str", True, references="units.unit_id"),
            Column("date", "date", True),
            Column("kind", "str", True),
            _money("amount"),
        ),
        optional=True,
        key="penalty_id",
        period="date",
    ),
    Table(
        "cases",
        (
            Column("case_id", "str", True, unique=True),
            Column("entity_type", "enum", True, enum=ENTITY_TYPES),
            # entity_id resolves to persons, enterprises or tenders by entity_type (integrity.py)
            Column("entity_id", "str", True),
            Column("opened_on", "date", True),
            Column("closed_on", "date", False),
            Column("outcome", "enum", False, enum=OUTCOMES),
            Column("scheme", "str", False),
        ),
        optional=True,
        key="case_id",
        period="opened_on",
        intervals=(Interval("opened_on", "closed_on"),),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(TABLES_BY_NAME)
OPTIONAL_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.optional)

# cases.entity_id resolves against the table of its entity type.
CASE_ENTITY_TARGETS: dict[str, str] = {
    "official": "persons.person_id",
    "enterprise": "enterprises.enterprise_id",
    "tender": "tenders.tender_id",
}

# "B is A's parent" mirrors to "A is B's child"; the other relations are symmetric.
MIRRORED_RELATION: dict[str, str] = {"parent": "child", "child": "parent"}
