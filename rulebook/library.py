"""Card files: reading a set of YAML cards, checking each, and reporting every problem at once.

A directory stands for its `*.yaml` / `*.yml` files (not its sub-directories), sorted by name;
a file stands for itself. Every card is parsed and checked (`rulebook.check.check`), and the
problems of all files are gathered, so one run of `huoyan rules validate` lists them all:

    >>> read_cards([Path("rules")])
    [(PosixPath('rules/sm-001.yaml'), RuleCard(id='SM-001', ...)), ...]
    >>> read_cards([Path("rules"), Path("drafts/sm-001-v2.yaml")])
    CardError: SM-001 is the id of two cards: rules/sm-001.yaml and drafts/sm-001-v2.yaml
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rulebook.card import CardError, RuleCard, read_card
from rulebook.check import check

SHIPPED = Path(__file__).resolve().parents[1] / "rules"
SUFFIXES = (".yaml", ".yml")


@dataclass
class Scan:
    """The cards that passed, in file order, and one message per problem."""

    cards: list[tuple[Path, RuleCard]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def card_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The card files `paths` stand for (each once: `rules/ rules/sm-001.yaml` is no
    duplicate id), and the paths that do not exist."""
    files, missing = {}, []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found = [path]
        else:
            missing.append(f"{path}: no such file or directory")
            continue
        for file in found:
            files.setdefault(file.resolve(), file)
    return list(files.values()), missing


def scan_cards(paths: Iterable[Path]) -> Scan:
    """Every card of `paths`, parsed and checked; problems collected, never raised."""
    from features.catalog import registry

    files, missing = card_files(paths)
    scan, names, first_file = Scan(errors=missing), registry(), {}
    for path in files:
        try:
            card = check(read_card(path), str(path), names)
        except CardError as error:
            scan.errors.append(str(error))
            continue
        if card.id in first_file:
            scan.errors.append(f"{card.id} is the id of two cards: {first_file[card.id]} and "
                               f"{path}")
            continue
        first_file[card.id] = path
        scan.cards.append((path, card))
    return scan


def read_cards(paths: Iterable[Path]) -> list[tuple[Path, RuleCard]]:
    """(file, card) of every card of `paths`; one CardError listing every problem, if any."""
    scan = scan_cards(paths)
    if scan.errors:
        raise CardError("\n".join(scan.errors))
    return scan.cards
