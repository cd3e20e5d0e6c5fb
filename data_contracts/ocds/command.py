"""`huoyan import-ocds FILE --out DIR`: OCDS compiled releases (JSON Lines) -> contract tables.

The output directory holds one file per table plus `import-summary.json` (not a table file: the
loader only reads `*.parquet` / `*.csv`), written together and atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from data_contracts.contract import LEVELS
from data_contracts.io import SUFFIXES, atomic_directory, write_tables
from data_contracts.ocds.importer import ImportResult, import_releases
from data_contracts.ocds.mapping import MappingOptions
from data_contracts.ocds.reader import Malformed, open_lines, parse_lines
from data_contracts.ocds.summary import render

SUMMARY_FILE = "import-summary.json"
MALFORMED_SHOWN = 20  # malformed lines echoed one by one; the summary counts all of them


@click.command("import-ocds")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to (re)write with the tables and import-summary.json.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True
)
@click.option(
    "--unit-level",
    type=click.Choice(LEVELS),
    default="city",
    show_default=True,
    help="units.level for every buyer: OCDS has no government level.",
)
@click.option(
    "--unit-sector",
    default="other",
    show_default=True,
    help="units.sector for every buyer: OCDS has no sector.",
)
def import_ocds(file: Path, out_dir: Path, fmt: str, unit_level: str, unit_sector: str) -> None:
    """Import OCDS compiled releases (one JSON object per line, plain or gzip) as contract tables.

    Malformed lines are reported and skipped; what could not be mapped, which OCDS fields were
    missing and which placeholders filled required columns is summarised on stderr and in
    DIR/import-summary.json. Fails only if the file is missing or no release could be read.
    """
    _check_replaceable(out_dir, file)
    options = MappingOptions(unit_level=unit_level, unit_sector=unit_sector)
    shown = 0

    def report_malformed(item: Malformed) -> None:
        nonlocal shown
        shown += 1
        if shown <= MALFORMED_SHOWN:
            click.echo(f"{file}:{item.line}: skipped, {item.reason}: {item.detail}", err=True)

    result = import_releases(parse_lines(open_lines(file)), options, report_malformed)
    summary = {"input": str(file), "format": fmt, **result.summary}
    for line in render(summary):
        click.echo(line, err=True)
    if result.releases_read == 0:
        raise click.ClickException(f"{file}: no release could be read; {out_dir} left unchanged")
    _write(result, summary, out_dir, fmt)
    click.echo(f"wrote {out_dir} ({fmt}) and {SUMMARY_FILE}", err=True)


def _check_replaceable(out_dir: Path, source: Path) -> None:
    """The output directory is replaced as a whole: refuse one holding anything but our output.

    This keeps `--out .` or `--out ~/data` (a typo) from deleting unrelated files, the input
    file among them.
    """
    if out_dir.resolve() in source.resolve().parents:
        raise click.UsageError(f"--out {out_dir} contains the input file; choose another directory")
    if not out_dir.is_dir():
        return
    foreign = sorted(
        path.name
        for path in out_dir.iterdir()
        if path.name != SUMMARY_FILE and path.suffix.lower() not in SUFFIXES
    )
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise click.UsageError(
            f"--out {out_dir} holds files that are not tables ({shown}); "
            "it would be replaced as a whole, so choose an empty or new directory"
        )


def _write(result: ImportResult, summary: dict, out_dir: Path, fmt: str) -> None:
    # write_tables replaces the staging directory it is given; the summary joins the tables
    # there so that both appear in out_dir in the same rename.
    with atomic_directory(out_dir) as staging:
        write_tables(result.frames, staging, fmt)
        text = json.dumps(summary, indent=2, ensure_ascii=False, default=str)
        (staging / SUMMARY_FILE).write_text(text + "\n", encoding="utf-8")
