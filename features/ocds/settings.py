"""Cardinal's settings file (INI), parsed into typed settings.

The format is Cardinal's (docs/cli/settings.md, `ocdscardinal init`):

    ; top-level keys come before any section
    currency = USD
    no_price_comparison_procurement_methods = Random Selection
    [exclusions]
    ; values joined by |
    procurement_method_details = Random Selection|Framework
    ; a section enables its indicator
    [R003]
    threshold = 15
    ; a map setting (this section alone would also enable R003)
    [R003.procurement_method_details]
    emergency = 10

An indicator runs only if its section is present, even empty (Cardinal's `add_indicators!`
checks `settings.R0xx.is_some()`); with no settings file no indicator runs. Defaults are
Cardinal's. Lines starting with ; or # are comments (no inline comments); a value may be
quoted. Cardinal's `prepare` sections (defaults, redactions, ...) are accepted and ignored,
so one file serves both commands.

Stricter than Cardinal, so that mistakes surface: a repeated section or key, and a non-finite
number, are errors (Cardinal silently keeps the last one, or accepts `nan`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

TOP_LEVEL = ""  # the pseudo-section of keys before the first [section]


class SettingsError(ValueError):
    """A bad settings file; the message names the section and the key."""

    def __init__(self, section: str, key: str | None, problem: str, line: int | None = None):
        self.section, self.key, self.problem, self.line = section, key, problem, line
        where = "top level" if section == TOP_LEVEL else f"[{section}]"
        if key is not None:
            where += f" {key}"
        at = f" (line {line})" if line is not None else ""
        super().__init__(f"{where}: {problem}{at}")


# Typed settings, one class per indicator section. Defaults are Cardinal's.


@dataclass(frozen=True)
class R003Settings:
    threshold: int = 15  # days
    procurement_methods: frozenset[str] = frozenset()  # empty: every method
    procurement_method_details: Mapping[str, int] = field(default_factory=dict)  # overrides


@dataclass(frozen=True)
class R018Settings:
    procurement_methods: frozenset[str] = frozenset({"open", "selective"})


@dataclass(frozen=True)
class RatioThresholdSettings:
    """R024 and R058: a fixed fence instead of the fitted one."""

    threshold: float | None = None


@dataclass(frozen=True)
class R025Settings:
    percentile: int = 75
    threshold: float | None = None  # ratio


@dataclass(frozen=True)
class NoSettings:
    """R028, R030, R036, R044: nothing to configure."""


@dataclass(frozen=True)
class R035Settings:
    threshold: int = 1  # count; Cardinal raises 0 to 1


@dataclass(frozen=True)
class R038Settings:
    threshold: float | None = None  # ratio
    minimum_submitted_bids: int = 2
    minimum_contracting_processes: int = 2  # compared with submitted bids, as in Cardinal


@dataclass(frozen=True)
class R048Settings:
    digits: int = 2
    threshold: int | None = None
    minimum_contracting_processes: int = 20


@dataclass(frozen=True)
class R055Settings:
    threshold: float  # the open-tender threshold, in the main currency; required


@dataclass(frozen=True)
class Settings:
    currency: str | None = None
    no_price_comparison_procurement_methods: frozenset[str] = frozenset()
    price_comparison_procurement_methods: frozenset[str] = frozenset()
    excluded_procurement_method_details: frozenset[str] = frozenset()
    R003: R003Settings | None = None
    R018: R018Settings | None = None
    R024: RatioThresholdSettings | None = None
    R025: R025Settings | None = None
    R028: NoSettings | None = None
    R030: NoSettings | None = None
    R035: R035Settings | None = None
    R036: NoSettings | None = None
    R038: R038Settings | None = None
    R044: NoSettings | None = None
    R048: R048Settings | None = None
    R055: R055Settings | None = None
    R058: RatioThresholdSettings | None = None

    def enabled_codes(self) -> list[str]:
        return [f.name for f in fields(self) if f.name.startswith("R") and getattr(self, f.name)]


# Value converters: raw text -> typed value, or ValueError with the reason.

_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)


def parse_pipe_separated(value: str) -> frozenset[str]:
    """`a|b` -> {a, b}; like Rust's `split_terminator('|')`, "" is the empty set."""
    parts = value.split("|")
    if parts[-1] == "":
        parts.pop()
    return frozenset(parts)


def _integer(value: str) -> int:
    if not _INTEGER.fullmatch(value):
        raise ValueError(f"expected an integer, got {value!r}")
    return int(value)


def _unsigned(value: str) -> int:
    number = _integer(value)
    if number < 0:
        raise ValueError(f"expected a non-negative integer, got {value!r}")
    return number


def _number(value: str) -> float:
    if not _DECIMAL.fullmatch(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def _text(value: str) -> str:
    return value


_Converter = Callable[[str], Any]

_TOP_LEVEL_KEYS: dict[str, _Converter] = {
    "currency": _text,
    "no_price_comparison_procurement_methods": parse_pipe_separated,
    "price_comparison_procurement_methods": parse_pipe_separated,
}

# Indicator sections: section -> (settings class, key -> converter).
_INDICATOR_SECTIONS: dict[str, tuple[type, dict[str, _Converter]]] = {
    "R003": (R003Settings, {"threshold": _integer, "procurement_methods": parse_pipe_separated}),
    "R018": (R018Settings, {"procurement_methods": parse_pipe_separated}),
    "R024": (RatioThresholdSettings, {"threshold": _number}),
    "R025": (R025Settings, {"percentile": _unsigned, "threshold": _number}),
    "R028": (NoSettings, {}),
    "R030": (NoSettings, {}),
    "R035": (R035Settings, {"threshold": _unsigned}),
    "R036": (NoSettings, {}),
    "R038": (
        R038Settings,
        {
            "threshold": _number,
            "minimum_submitted_bids": _unsigned,
            "minimum_contracting_processes": _unsigned,
        },
    ),
    "R044": (NoSettings, {}),
    "R048": (
        R048Settings,
        {"digits": _unsigned, "threshold": _unsigned, "minimum_contracting_processes": _unsigned},
    ),
    "R055": (R055Settings, {"threshold": _number}),
    "R058": (RatioThresholdSettings, {"threshold": _number}),
}

# Map sections: "<indicator>.<setting>", any key, every value converted alike.
_MAP_SECTIONS: dict[str, _Converter] = {"R003.procurement_method_details": _integer}

# Cardinal's `prepare` command reads the same file: accepted, unused here. None = any key.
_PREPARE_SECTIONS: dict[str, frozenset[str] | None] = {
    "defaults": frozenset(
        {"currency", "item_classification_scheme", "bid_status", "award_status", "party_roles"}
    ),
    "redactions": frozenset({"amount", "organization_id"}),
    "corrections": frozenset({"award_status_by_contract_status"}),
    "modifications": frozenset(
        {
            "move_auctions",
            "prefix_buyer_or_procuring_entity_id",
            "prefix_tenderer_or_supplier_id",
            "split_procurement_method_details",
        }
    ),
    "codelists.bid_status": None,
    "codelists.award_status": None,
}

_SECTIONS = ["exclusions", *_INDICATOR_SECTIONS, *_MAP_SECTIONS, *_PREPARE_SECTIONS]


# The INI layer: text -> {section: Section}.

_Entries = dict[str, tuple[str, int]]  # key -> (value, line number)


@dataclass
class Section:
    line: int | None  # of its [header]; None for the top level
    entries: _Entries = field(default_factory=dict)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_ini(text: str) -> dict[str, Section]:
    """Sections in file order; the top level is ''."""
    sections: dict[str, Section] = {TOP_LEVEL: Section(None)}
    section = TOP_LEVEL
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            if not line.endswith("]") or not line[1:-1].strip():
                raise SettingsError(section, None, f"malformed section header {line!r}", number)
            section = line[1:-1].strip()
            if section in sections:
                raise SettingsError(section, None, "section appears twice", number)
            sections[section] = Section(number)
            continue
        separator = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        if separator <= 0:
            raise SettingsError(section, None, f"expected 'key = value', got {line!r}", number)
        key = line[:separator].strip()
        if key in sections[section].entries:
            raise SettingsError(section, key, "set twice", number)
        sections[section].entries[key] = (_unquote(line[separator + 1 :].strip()), number)
    return sections


# The typed layer.


def _convert(section: str, key: str, entry: tuple[str, int], converter: _Converter) -> Any:
    value, line = entry
    try:
        return converter(value)
    except ValueError as error:
        raise SettingsError(section, key, str(error), line) from None


def _check_keys(section: str, entries: _Entries, known: frozenset[str] | set[str]) -> None:
    for key, (_, line) in entries.items():
        if key not in known:
            expected = ", ".join(sorted(known)) if known else "no keys"
            raise SettingsError(section, key, f"unknown setting (expected {expected})", line)


def _check_section_name(name: str, section: Section) -> None:
    if name in _SECTIONS or name == TOP_LEVEL:
        return
    hint = next((f"; did you mean [{s}]?" for s in _SECTIONS if s.lower() == name.lower()), "")
    raise SettingsError(name, None, f"unknown section{hint}", section.line)


def _indicator_settings(code: str, sections: dict[str, Section]) -> Any:
    map_sections = {name: c for name, c in _MAP_SECTIONS.items() if name.split(".")[0] == code}
    if code not in sections and not any(name in sections for name in map_sections):
        return None  # disabled
    settings_class, converters = _INDICATOR_SECTIONS[code]
    entries = sections[code].entries if code in sections else {}
    _check_keys(code, entries, set(converters))
    values = {key: _convert(code, key, entry, converters[key]) for key, entry in entries.items()}
    for name, converter in map_sections.items():
        if name in sections:
            values[name.split(".", 1)[1]] = {
                key: _convert(name, key, entry, converter)
                for key, entry in sections[name].entries.items()
            }
    for setting in fields(settings_class):
        has_default = setting.default is not MISSING or setting.default_factory is not MISSING
        if not has_default and setting.name not in values:
            raise SettingsError(code, setting.name, "required")
    return settings_class(**values)


def parse_settings(text: str) -> Settings:
    sections = parse_ini(text)
    for name, section in sections.items():
        _check_section_name(name, section)
    for name, known in _PREPARE_SECTIONS.items():
        if known is not None and name in sections:
            _check_keys(name, sections[name].entries, known)

    top = sections[TOP_LEVEL].entries
    _check_keys(TOP_LEVEL, top, set(_TOP_LEVEL_KEYS))
    values: dict[str, Any] = {
        key: _convert(TOP_LEVEL, key, entry, _TOP_LEVEL_KEYS[key]) for key, entry in top.items()
    }
    exclusions = sections["exclusions"].entries if "exclusions" in sections else {}
    _check_keys("exclusions", exclusions, {"procurement_method_details"})
    if "procurement_method_details" in exclusions:
        values["excluded_procurement_method_details"] = _convert(
            "exclusions",
            "procurement_method_details",
            exclusions["procurement_method_details"],
            parse_pipe_separated,
        )
    for code in _INDICATOR_SECTIONS:
        values[code] = _indicator_settings(code, sections)
    return Settings(**values)


def load_settings(path: Path) -> Settings:
    return parse_settings(path.read_text(encoding="utf-8"))
