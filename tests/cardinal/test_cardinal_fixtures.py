"""Cardinal's own test suite: every fixture pair must be reproduced exactly.

The settings come from the fixture's name, as Cardinal's build.rs derives them: `R024` = the
indicator's defaults, `R003-threshold-10` = threshold 10, `R003-procurement_methods-open+selective`
= `open|selective`, `R003-procurement_method_details-x-5-y-10` = the map {x: 5, y: 10}; plus the
global settings every fixture runs with (NPC has no price comparison, EXC is excluded).

The fixtures are read where they are kept, `../shared/golden/cardinal` beside the checkout
(MIT, LICENSE there); a missing directory fails the suite rather than skipping it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from huoyan.cli import main
from tests.cardinal.conftest import GLOBAL_SETTINGS, IndicatorsCommand
from tests.paths import CARDINAL_FIXTURES

FIXTURES = CARDINAL_FIXTURES
NAMES = sorted(path.stem for path in FIXTURES.glob("*.jsonl"))


def settings_for(name: str) -> str:
    """The INI text of a fixture's settings (Cardinal's build.rs, written as a settings file)."""
    code, *parts = name.replace("+", "|").split("-")
    lines = [GLOBAL_SETTINGS, f"[{code}]"]
    if len(parts) == 2:
        lines.append(f"{parts[0]} = {parts[1]}")
    elif len(parts) > 2:
        setting, *pairs = parts
        lines.append(f"[{code}.{setting}]")
        lines += [f"{key} = {value}" for key, value in zip(pairs[::2], pairs[1::2], strict=True)]
    return "\n".join(lines) + "\n"


def leaf_types(output: dict[str, Any]) -> dict[tuple[str, str, str], type]:
    """(group, id, code) -> type of the value, so that 0 and 0.0 are told apart."""
    return {
        (group, key, code): type(value)
        for group, results in output.items()
        for key, values in results.items()
        for code, value in values.items()
    }


def test_fixtures_are_present() -> None:
    assert len(NAMES) >= 15, f"Cardinal's fixtures not found in {FIXTURES}"
    for name in NAMES:
        assert (FIXTURES / f"{name}.expected").is_file(), name


def test_settings_follow_the_fixture_name() -> None:
    assert "[R024]\n" in settings_for("R024")
    assert "threshold = 10" in settings_for("R003-threshold-10")
    assert "procurement_methods = open|selective" in settings_for(
        "R003-procurement_methods-open+selective"
    )
    map_settings = settings_for("R003-procurement_method_details-x-5-y-10")
    assert "[R003.procurement_method_details]\nx = 5\ny = 10\n" in map_settings
    assert settings_for("R038-tenderer").endswith("[R038]\n")


@pytest.mark.parametrize("name", NAMES)
def test_reproduces_cardinal(name: str, indicators: IndicatorsCommand) -> None:
    output = indicators(settings_for(name), FIXTURES / f"{name}.jsonl")
    expected = json.loads((FIXTURES / f"{name}.expected").read_text(encoding="utf-8"))
    assert "Meta" in output
    del output["Meta"]
    assert output == expected
    assert leaf_types(output) == leaf_types(expected)


# Meta: the quartiles and fences fitted over the whole input, rounded to 4 decimals.

EXPECTED_META = {
    "R024": {"R024": {"q1": 66.6667, "q3": 100.0, "lower_fence": 16.6667}},
    "R058": {"R058": {"q1": 0.0, "q3": 33.3333, "upper_fence": 83.3333}},
    "R025": {"R025": {"q1": 0.9333, "q3": 1.0, "upper_fence": 1.0, "lower_fence": 0.8333}},
    "R038": {
        "R038": {
            "Buyer_q1": 0.5,
            "Buyer_q3": 0.5,
            "Buyer_upper_fence": 0.5,
            "ProcuringEntity_q1": 0.5,
            "ProcuringEntity_q3": 0.5,
            "ProcuringEntity_upper_fence": 0.5,
        }
    },
    "R048-minimum_contracting_processes-1": {
        "R048": {"q1": 1.0, "q3": 1.3333, "upper_fence": 1.8333}
    },
    "R003": {},  # nothing fitted
}


@pytest.mark.parametrize("name", sorted(EXPECTED_META))
def test_meta_carries_the_fitted_fences(name: str, indicators: IndicatorsCommand) -> None:
    output = indicators(settings_for(name), FIXTURES / f"{name}.jsonl")
    assert output["Meta"] == EXPECTED_META[name]


def test_meta_carries_a_set_threshold_instead_of_quartiles(
    indicators: IndicatorsCommand,
) -> None:
    settings = GLOBAL_SETTINGS + "[R024]\nthreshold = 0.5\n[R058]\nthreshold = 50\n"
    output = indicators(settings, FIXTURES / "R024.jsonl")
    assert output["Meta"] == {"R024": {"lower_fence": 0.5}, "R058": {"upper_fence": 50.0}}
    # ratios are 0 (F, repeat tenderers) and 100 (1-6, accept)
    assert {ocid for ocid, v in output["OCID"].items() if "R024" in v} == {"F", "repeat tenderers"}
    assert {ocid for ocid, v in output["OCID"].items() if "R058" in v} == {
        "1", "2", "3", "4", "5", "6", "accept"
    }


def test_meta_is_null_when_there_is_nothing_to_fit(indicators: IndicatorsCommand) -> None:
    output = indicators("[R024]\n", [{"ocid": "no bids"}])
    assert output == {"Meta": {"R024": {"q1": None, "q3": None, "lower_fence": None}}}


# The command itself: --out, standard input, no settings, bad settings.


def test_out_writes_the_file_and_stdin_is_read(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    ini.write_text(settings_for("R018"), encoding="utf-8")
    out = tmp_path / "results.json"
    stdin = (FIXTURES / "R018.jsonl").read_bytes()
    result = CliRunner().invoke(
        main, ["indicators", "-", "--settings", str(ini), "--out", str(out)], input=stdin
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == {"OCID": {"open": {"R018": 1.0}, "selective": {"R018": 1.0}}, "Meta": {}}


def test_runs_as_a_separate_process(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    ini.write_text(settings_for("R035"), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "huoyan", "indicators", str(FIXTURES / "R035.jsonl"),
         "--settings", str(ini)],
        capture_output=True, check=True, text=True,
    )
    output = json.loads(completed.stdout)
    del output["Meta"]
    assert output == json.loads((FIXTURES / "R035.expected").read_text(encoding="utf-8"))
    assert '"R035":2.0' in completed.stdout  # written as a float, as Cardinal writes it


def test_without_settings_no_indicator_runs_as_in_cardinal() -> None:
    result = CliRunner().invoke(main, ["indicators", str(FIXTURES / "R018.jsonl")])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"Meta": {}}
    assert "no indicator enabled" in result.stderr


def test_bad_settings_fail_with_the_section_and_key(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    ini.write_text("[R024]\nthreshold = high\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["indicators", str(FIXTURES / "R024.jsonl"), "--settings", str(ini)]
    )
    assert result.exit_code == 2
    assert "[R024] threshold: expected a finite number, got 'high' (line 2)" in result.stderr
