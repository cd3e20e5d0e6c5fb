"""`huoyan rules`: validate, backtest, publish, list, show and retire rule cards.

    $ huoyan rules validate rules/
    ok SM-001 tender high: Sole bidder on an open tender
    SM-007 (rules/sm-007.yaml): rule.filter names an unknown column 'wins_365' of the enterprise feature table (did you mean 'wins_365d'?)
    Error: 1 invalid card(s)
    $ huoyan rules backtest rules/sm-003.yaml SM-001 --data var/demo/world --months 12
    $ huoyan rules backtest --published --data var/demo/world    # the whole library
    $ huoyan rules publish rules/ --note "first library"
    published SM-001 v1
    unchanged SM-003 v2
    $ huoyan rules list
    SM-001  v1  published  tender  high  Sole bidder  backtest 0.62 PASS  12 hits 2026-10-01
    $ huoyan rules show SM-001
    $ huoyan rules retire SM-001 --reason "replaced by SM-011"
    retired SM-001 v2

A PATH argument that exists is read as card file(s) (a directory: its *.yaml cards); any
other argument of `backtest` is the id of a rule in the library. Publishing a directory
publishes its cards whose status is not draft or retired; a file is published whatever its
status says. All cards are validated before anything is written, and all are written in one
transaction.

Exit status: 0 success; 1 any error (an invalid card, a card failing its backtest
expectations, an unknown rule id, retiring a retired rule: a message on stderr); 2 a usage
error (an unknown option, a missing argument, a malformed date; click's own).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from rulebook.backtest import BacktestResult
    from rulebook.card import RuleCard

BAR_WIDTH = 30  # characters of the longest month bar
QUEUE_SHOWN = 10  # queue additions listed by id
TITLE_WIDTH = 48
DAYS_SHOWN = 30  # ranked days listed by `show`


def _default_actor() -> str:
    return os.environ.get("USER") or "cli"


actor_option = click.option("--actor", default=_default_actor, show_default="$USER or cli",
                            help="Who does it, for the versions and the audit log.")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _progress(message: str) -> None:
    click.echo(f"[rules] {message}", err=True)


@contextmanager
def _database() -> Iterator[Session]:
    """A transaction on the service database (migrated first); library errors as messages."""
    from rulebook.card import CardError
    from rulebook.store import RuleNotFound, RuleStateError
    from serving.db import migrate, transaction

    migrate()
    try:
        with transaction() as session:
            yield session
    except (RuleNotFound, RuleStateError, CardError) as error:
        raise click.ClickException(str(error)) from None


def _read(paths: list[Path]) -> list[tuple[Path, RuleCard]]:
    """The cards of `paths` (maybe none), or every problem and exit 1."""
    from rulebook.card import CardError
    from rulebook.library import read_cards

    try:
        return read_cards(paths)
    except CardError as error:
        raise click.ClickException(f"invalid cards, nothing done:\n{error}") from None


@click.group("rules", help="The rule library: supervision models as cards (rules/*.yaml).")
def rules() -> None:
    pass


# --- validate ------------------------------------------------------------------------------


@rules.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Parse and check cards (default: the shipped rules/ directory); exit 1 on any error."""
    from rulebook.library import SHIPPED, scan_cards

    sources = paths or (SHIPPED,)
    scan = scan_cards(sources)
    for _path, card in scan.cards:
        click.echo(f"ok {card.id} {card.entity_type} {card.severity}: {card.title}")
    for error in scan.errors:
        click.echo(error, err=True)
    if scan.errors:
        raise click.ClickException(f"{len(scan.errors)} invalid card(s)")
    if not scan.cards:
        raise click.ClickException(f"no cards (*.yaml) in {', '.join(map(str, sources))}")


# --- list and show -------------------------------------------------------------------------


def _share(part: float | None) -> str:
    return "n/a" if part is None else f"{part:.2f}"


def _backtest_brief(backtest: dict[str, Any] | None) -> str:
    """"backtest 0.62 PASS": the latest backtest's precision and verdict."""
    if backtest is None:
        return "no backtest"
    return f"backtest {_share(backtest['precision'])} {'PASS' if backtest['passed'] else 'FAIL'}"


def _latest_hits(card: RuleCard, days: dict[str, dt.date], counts: dict) -> str:
    day = days.get(card.entity_type)
    if day is None:
        return "not ranked yet"
    return f"{counts.get((card.id, day), 0)} hits {day}"


@rules.command("list")
@click.option("--status", type=click.Choice(["published", "retired", "all"]), default="all",
              show_default=True)
def list_rules(status: str) -> None:
    """The library's rules (current versions), with their latest backtest and hits."""
    from rulebook import store

    with _database() as session:
        cards = store.library(session)
        backtests = store.latest_backtests(session)
        days = store.ranked_days(session)
        counts = {(c["rule_id"], c["as_of"]): c["hits"] for c in store.hit_counts(session)}
    if not cards:
        click.echo("no rules published: huoyan rules publish rules/")
        return
    shown = [c for c in cards if status in ("all", c.status)]
    if not shown:
        click.echo(f"no {status} rules ({len(cards)} in the library: huoyan rules list)")
    for card in shown:
        title = card.title if len(card.title) <= TITLE_WIDTH else card.title[:TITLE_WIDTH - 1] + "…"
        click.echo(f"{card.id:<10} v{card.version:<3} {card.status:<9} {card.entity_type:<10} "
                   f"{card.severity:<6} {title:<{TITLE_WIDTH}}  "
                   f"{_backtest_brief(backtests.get(card.id))}  {_latest_hits(card, days, counts)}")


def _version_line(version: dict[str, Any]) -> str:
    when = version["changed_at"].strftime("%Y-%m-%d %H:%M UTC")
    note = f": {version['note']}" if version["note"] else ""
    return f"  v{version['version']} {version['status']:<9} {when} by {version['changed_by']}{note}"


def _day_counts(session: Session, card: RuleCard) -> list[tuple[dt.date, int]]:
    """Hits per ranked day of the card's type, days without a hit included (last DAYS_SHOWN)."""
    from sqlalchemy import select

    from rulebook import store
    from serving.models import RankingRun

    counts = {c["as_of"]: c["hits"] for c in store.hit_counts(session, card.id)}
    ranked = session.scalars(select(RankingRun.as_of)
                             .where(RankingRun.entity_type == card.entity_type))
    days = sorted(set(ranked) | set(counts))[-DAYS_SHOWN:]
    return [(day, counts.get(day, 0)) for day in days]


def _backtest_summary(backtest: dict[str, Any]) -> str:
    run_at = backtest["run_at"].strftime("%Y-%m-%d %H:%M UTC")
    verdict = "PASS" if backtest["passed"] else f"FAIL ({'; '.join(backtest['problems'])})"
    return (f"v{backtest['version']} {backtest['start']} .. {backtest['end']}, run {run_at} by "
            f"{backtest['run_by']}: {backtest['hit_entities']} hit entities, precision "
            f"{_share(backtest['precision'])}, {verdict}")


@rules.command("show")
@click.argument("rule_id")
def show(rule_id: str) -> None:
    """A rule's card (YAML), versions, latest backtest and hits per ranked day."""
    from rulebook import store

    with _database() as session:
        card = store.get(session, rule_id)
        history = store.versions(session, rule_id)
        backtest = store.latest_backtests(session).get(rule_id)
        days = _day_counts(session, card)
    click.echo(card.to_yaml().rstrip())
    click.echo("\nversions:")
    for version in history:
        click.echo(_version_line(version))
    click.echo("\nlatest backtest:")
    click.echo(f"  {_backtest_summary(backtest)}" if backtest else "  none (huoyan rules backtest)")
    click.echo("\nhits per ranked day:")
    for day, hits in days:
        click.echo(f"  {day}  {hits}")
    if not days:
        click.echo("  none yet (hits are written by huoyan rank)")


# --- backtest ------------------------------------------------------------------------------


def _library_cards(ids: list[str], every_published: bool) -> list[RuleCard]:
    """The library's rules of `ids`, then (with `every_published`) every other published one."""
    from rulebook import store

    if not ids and not every_published:
        return []
    with _database() as session:
        cards = [store.get(session, rule_id) for rule_id in ids]
        if every_published:
            cards += [c for c in store.published(session) if c.id not in ids]
    return cards


def _backtest_cards(targets: tuple[str, ...], every_published: bool) -> list[RuleCard]:
    """Draft cards from the arguments that are paths, then library rules: the other arguments'
    and (with `every_published`) every published one."""
    import re

    from rulebook.card import RULE_ID

    paths = [Path(t) for t in targets if Path(t).exists()]
    ids = [t for t in targets if not Path(t).exists()]
    for target in ids:
        if not re.match(RULE_ID, target):
            raise click.ClickException(f"{target}: neither an existing file or directory nor a "
                                       "rule id (e.g. SM-001)")
    drafts = [card for _path, card in _read(paths)] if paths else []
    cards = drafts + _library_cards(ids, every_published)
    if not cards:
        raise click.ClickException("no rules published: huoyan rules publish rules/"
                                   if every_published and not targets
                                   else f"no cards (*.yaml) in {', '.join(targets)}")
    seen = [c.id for c in cards]
    twice = sorted({i for i in seen if seen.count(i) > 1})
    if twice:
        raise click.ClickException(f"{', '.join(twice)} named twice: backtest one card per id")
    return cards


def _end_date(value: str) -> dt.date:
    from huoyan.arguments import as_of_date

    try:
        return as_of_date(value)
    except click.BadParameter:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD",
                                 param_hint="--end") from None


def _bar(hits: int, most: int) -> str:
    return "█" * round(BAR_WIDTH * hits / most) if most else ""


def _report(result: BacktestResult) -> list[str]:
    period = f"{result.start} .. {result.end}"
    lines = [f"{result.rule_id} v{result.version} {result.entity_type}  {period}"]
    most = max((m["hits"] for m in result.months), default=0)
    for month in result.months:
        lines.append(f"  {month['month']}  {_bar(month['hits'], most):<{BAR_WIDTH}} "
                     f"{month['hits']:>6} ({month['new']} new)")
    decided = result.confirmed + result.dismissed
    lines += [
        f"  hit entities     {result.hit_entities}",
        (f"  precision        {_share(result.precision)} (confirmed {result.confirmed} of "
         f"{decided} decided; {result.inconclusive} inconclusive, {result.unlabelled} unlabelled)"),
    ]
    if result.truth_precision is not None:
        lines.append(f"  truth precision  {_share(result.truth_precision)}")
    lines.append(f"  model overlap    {_share(result.model_overlap)} "
                 f"({result.model_flagged} also flagged by the champion model)")
    first = ", ".join(result.queue_additions[:QUEUE_SHOWN])
    more = " ..." if len(result.queue_additions) > QUEUE_SHOWN else ""
    lines.append(f"  queue additions  {len(result.queue_additions)}"
                 f"{': ' + first + more if first else ''}")
    lines.append("  PASS" if result.passed else f"  FAIL: {'; '.join(result.problems)}")
    return lines


@rules.command("backtest")
@click.argument("targets", nargs=-1, metavar="[RULE_ID|PATH]...")
@click.option("--published", "every_published", is_flag=True,
              help="Every published rule of the library too.")
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The data directory to replay.")
@click.option("--end", help="The last as-of date, YYYY-MM-DD (default: the data's last month).")
@click.option("--months", default=12, show_default=True, type=click.IntRange(min=1),
              help="How many months back from --end.")
@actor_option
def backtest(targets: tuple[str, ...], every_published: bool, data_dir: Path, end: str | None,
             months: int, actor: str) -> None:
    """Replay cards over history: hits per month, precision against the review labels, overlap
    with the model, what it would add to today's queue; exit 1 if a card misses its
    `expected`. Results are stored for `list` and `show`."""
    from rulebook import store
    from rulebook.backtest import run_backtest

    if not targets and not every_published:
        raise click.UsageError("name cards (files, directories, rule ids) or give --published")
    last = _end_date(end) if end else None
    cards = _backtest_cards(targets, every_published)
    results = run_backtest(data_dir, cards, end=last, months=months, progress=_progress)
    now = _now()
    with _database() as session:
        for result in results:
            store.save_backtest(session, result, actor=actor, now=now)
    for result in results:
        click.echo("\n".join(_report(result)) + "\n")
    failed = [r.rule_id for r in results if not r.passed]
    if failed:
        whose = "its" if len(failed) == 1 else "their"
        raise click.ClickException(f"{', '.join(failed)} failed {whose} expectations")


# --- publish and retire --------------------------------------------------------------------


def _publishable(paths: tuple[Path, ...]) -> list[RuleCard]:
    """A file's card whatever its status; a directory's cards that are not draft or retired."""
    named = {p.resolve() for p in paths if p.is_file()}
    return [card for path, card in _read(list(paths))
            if path.resolve() in named or card.status not in ("draft", "retired")]


def _current_version(session: Session, rule_id: str) -> int | None:
    from rulebook import store

    try:
        return store.get(session, rule_id).version
    except store.RuleNotFound:
        return None


@rules.command("publish")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@actor_option
@click.option("--note", default="", help="Why, for the versions and the audit log.")
def publish(paths: tuple[Path, ...], actor: str, note: str) -> None:
    """Publish cards into the library (validated first; all or nothing): each changed card is
    a new version."""
    from rulebook import store

    cards = _publishable(paths)
    if not cards:
        click.echo("nothing to publish: no cards, or every card is a draft or retired (a file "
                   "named on its own is published whatever its status)")
        return
    lines, now = [], _now()
    with _database() as session:
        for card in cards:
            before = _current_version(session, card.id)
            stored = store.publish(session, card, actor=actor, now=now, note=note)
            word = "unchanged" if stored.version == before else "published"
            lines.append(f"{word} {stored.id} v{stored.version}")
    click.echo("\n".join(lines))


@rules.command("retire")
@click.argument("rule_id")
@click.option("--reason", required=True, help="Why it is retired (kept with the version).")
@actor_option
def retire(rule_id: str, reason: str, actor: str) -> None:
    """Retire a rule: it stops running; its versions and hits stay."""
    from rulebook import store

    with _database() as session:
        stored = store.retire(session, rule_id, actor=actor, reason=reason, now=_now())
    click.echo(f"retired {stored.id} v{stored.version}")
