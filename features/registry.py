"""The one registry of features: what each column means, to models and to reviewers.

Every feature column a pipeline produces is declared here by the module that computes it, with
its entity type, a description, a unit, and a sentence template for reviewers. Explanations
turn a model's contribution into a reason with the template, e.g. the enterprise feature
`top_buyer_share_365d` = 0.78 with template
"won {top_buyer_wins_365d:.0f} of its {wins_365d:.0f} contracts at one buyer" reads
"won 7 of its 9 contracts at one buyer" for a row where those two columns are 7 and 9.

`monotone` is +1 where more of the signal must never lower the risk score (declared to LightGBM
as a monotone constraint), 0 where the relation may go either way. `red_flag` marks what the
classic corruption-risk index averages (training's red-flag baseline): the binary red flags of
tenders and enterprises, and for officials the rate of a tender red flag at his unit during his
tenure (that flag averaged over the unit's tenders), so an official's index is his unit's.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

EntityType = Literal["official", "enterprise", "tender"]
ENTITY_TYPES: tuple[EntityType, ...] = ("official", "enterprise", "tender")
Unit = Literal["flag", "count", "share", "ratio", "days", "CNY", "years", "rank"]

REGISTRY_VERSION = "1"


@dataclass(frozen=True)
class Feature:
    name: str
    entity_type: EntityType
    description: str
    unit: Unit
    template: str  # str.format template over the entity's feature row; {value} is this feature
    monotone: Literal[-1, 0, 1] = 0
    red_flag: bool = False
    source: str = ""  # methodology reference, e.g. "R003" (OCDS red flags) or "CRI"
    # What a null of this feature means, where it means something ("holds no post now");
    # without it a null reads "<description>: unknown".
    missing: str = ""

    def fields(self) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(self.template) if f}

    def sentence(self, row: Mapping[str, object]) -> str:
        """The template filled from one entity's features; "unknown" where a value is missing."""
        values = {"value": row.get(self.name), **row}
        if self.missing and _missing(values["value"]):
            return self.missing
        if any(_missing(values.get(f)) for f in self.fields()):
            return f"{self.description}: unknown"
        return self.template.format_map(values)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class Registry:
    """Features by name. Names are unique across entity types, so the features of all three
    types fit one wide table without a column meaning two things."""

    def __init__(self, features: Iterable[Feature] = ()) -> None:
        self._features: dict[str, Feature] = {}
        for declared in features:
            self.add(declared)

    def add(self, declared: Feature) -> None:
        known = self._features.get(declared.name)
        if known is not None and known != declared:
            raise ValueError(f"feature {declared.name!r} declared twice, differently")
        self._features[declared.name] = declared

    def of(self, entity_type: EntityType) -> list[Feature]:
        return [f for f in self._features.values() if f.entity_type == entity_type]

    def get(self, name: str) -> Feature:
        return self._features[name]

    def names(self, entity_type: EntityType) -> list[str]:
        return [f.name for f in self.of(entity_type)]

    def __iter__(self) -> Iterator[Feature]:
        return iter(self._features.values())

    def __len__(self) -> int:
        return len(self._features)
