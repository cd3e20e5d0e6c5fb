"""`huoyan indicators FILE.jsonl [--settings FILE.ini] [--out FILE.json]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from features.ocds.run import run
from features.ocds.settings import Settings, SettingsError, load_settings


def dump_json(output: dict[str, Any]) -> str:
    """Compact, like Cardinal's serde_json::to_string (floats keep their .0)."""
    return json.dumps(output, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _read_settings(path: Path | None) -> Settings:
    if path is None:
        return Settings()
    try:
        return load_settings(path)
    except SettingsError as error:
        raise click.BadParameter(f"{path}: {error}", param_hint="'--settings'") from None


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Cardinal's INI settings file; an indicator runs only if its section is present.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the JSON here instead of to standard output.",
)
def indicators(file: Path, settings_path: Path | None, out: Path | None) -> None:
    """Compute OCDS red flags (Cardinal-compatible) from FILE, one compiled release per line.

    FILE may be - for standard input. The output is Cardinal's JSON: {"OCID": {ocid: {code:
    value}}, "Buyer": ..., "ProcuringEntity": ..., "Tenderer": ...}, groups without results
    left out, plus "Meta" with the quartiles and fences fitted over the whole input (rounded
    to 4 decimals, as Cardinal does).

    Indicators: R003 R018 R024 R025 R028 R030 R035 R036 R038 R044 R048 R055 R058, each enabled
    by its [R0xx] section in the settings file, as in Cardinal.
    """
    settings = _read_settings(settings_path)
    if not settings.enabled_codes():
        click.echo(
            "warning: no indicator enabled; add sections such as [R024] to a --settings file",
            err=True,
        )
    if settings.price_comparison_procurement_methods and (
        settings.no_price_comparison_procurement_methods
    ):
        click.echo(
            "warning: no_price_comparison_procurement_methods has no effect if "
            "price_comparison_procurement_methods is set",
            err=True,
        )
    if str(file) == "-":
        output = run(sys.stdin.buffer, settings)
    else:
        try:
            with file.open("rb") as stream:
                output = run(stream, settings)
        except OSError as error:
            raise click.BadParameter(str(error), param_hint="'FILE'") from None
    text = dump_json(output) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.FileError(str(out), hint=error.strerror) from None
