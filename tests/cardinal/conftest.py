"""Helpers for running `huoyan indicators` the way a user does, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from huoyan.cli import main

GLOBAL_SETTINGS = """\
no_price_comparison_procurement_methods = NPC

[exclusions]
procurement_method_details = EXC
"""


def write_releases(path: Path, releases: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in releases), encoding="utf-8")
    return path


class IndicatorsCommand:
    """Runs `huoyan indicators` with an INI text and releases (or a JSONL path)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __call__(self, settings: str, releases: list[dict[str, Any]] | Path) -> dict[str, Any]:
        if isinstance(releases, list):
            releases = write_releases(self.directory / "input.jsonl", releases)
        ini = self.directory / "settings.ini"
        ini.write_text(settings, encoding="utf-8")
        result = CliRunner().invoke(main, ["indicators", str(releases), "--settings", str(ini)])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def indicators(tmp_path: Path) -> IndicatorsCommand:
    return IndicatorsCommand(tmp_path)
