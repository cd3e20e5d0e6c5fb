"""`huoyan monitor --as-of DATE`: every monitor for a ranked day, stored and reported.

    $ huoyan monitor --as-of 2026-10-01
    [monitor] official: drift done (5,986 entities, huoyan-official/1)
    ...
    [monitor] 2 alerts; report: var/reports/monitoring/2026-10-01/index.html
    [alert] fairness: official region 320500: flag rate 2.9x the reference ...

Exit status, for schedulers: 0 no alert, 1 at least one alert, 2 the monitors could not run
(no ranking snapshot for the day, unreadable data).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

EXIT_ALERT, EXIT_ERROR = 1, 2


class MonitorError(click.ClickException):
    exit_code = EXIT_ERROR


def _echo(message: str) -> None:
    click.echo(f"[monitor] {message}", err=True)


def _dataset(data_dir: Path):  # noqa: ANN202 - a Dataset
    from huoyan.arguments import load_or_exit

    try:
        return load_or_exit(data_dir)
    except SystemExit:
        raise SystemExit(EXIT_ERROR) from None


@click.command()
@click.option("--as-of", "as_of", required=True, help="The ranked day to monitor, YYYY-MM-DD.")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Data directory for the groups (default: the one the day's ranking read).")
def monitor(as_of: str, data_dir: Path | None) -> None:
    """Drift, fairness, sparsity and review coverage for the day; results stored, one HTML
    report written; exit 1 when an alert fires."""
    from huoyan.arguments import as_of_date
    from huoyan.settings import get_settings
    from monitoring import job, report, store
    from monitoring.alerts import load_monitoring_config
    from serving.db import migrate, sessions, transaction
    from serving.ranking import snapshot

    day = as_of_date(as_of)
    settings = get_settings().ensure()
    try:
        manifest = snapshot.manifest(day, settings)
    except snapshot.NoSnapshot as missing:
        raise MonitorError(str(missing)) from None
    dataset = _dataset(data_dir or Path(manifest["data"]))
    migrate()
    config, now = load_monitoring_config(settings), dt.datetime.now(dt.UTC)
    directory = report.report_dir(settings.reports_dir, day)
    with sessions()() as session:
        outcome = job.run(day, dataset=dataset, session=session, config=config,
                          report_dir=directory, now=now, settings=settings, progress=_echo)
    path = report.write(outcome, directory)
    with transaction() as session:
        store.replace_run(session, as_of=day, results=outcome.results, report=str(path), now=now)
    alerts = outcome.alerts
    _echo(f"{len(alerts) or 'no'} alert{'' if len(alerts) == 1 else 's'}; report: {path}")
    for alert in alerts:
        click.echo(f"[alert] {alert.monitor}: {alert.message}", err=True)
    if alerts:
        raise SystemExit(EXIT_ALERT)
