"""Runtime state stays under HUOYAN_HOME; the command line lists every sub-command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from huoyan.cli import COMMANDS
from huoyan.settings import Settings


def test_everything_lives_under_the_home(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HUOYAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HUOYAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    settings = Settings().ensure()
    root = (tmp_path / "home").resolve()
    assert settings.database_url == f"sqlite:///{root / 'huoyan.db'}"
    assert settings.mlflow_tracking_uri == f"sqlite:///{root / 'mlflow.db'}"
    assert settings.reports_dir.is_dir() and settings.models_dir.parent == root


def test_overrides_replace_their_part_only(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HUOYAN_HOME", str(tmp_path))
    monkeypatch.setenv("HUOYAN_DATABASE_URL", "postgresql+psycopg://127.0.0.1:5432/test")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////elsewhere/mlflow.db")
    settings = Settings()
    assert settings.database_url.startswith("postgresql")
    assert settings.mlflow_tracking_uri == "sqlite:////elsewhere/mlflow.db"
    assert settings.reports_dir == tmp_path.resolve() / "reports"


def test_every_sub_command_loads_and_has_help() -> None:
    for name in COMMANDS:
        done = subprocess.run(
            [sys.executable, "-m", "huoyan", name, "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0, f"{name}: {done.stderr}"
        assert "Usage: " in done.stdout


def test_top_level_help_names_the_commands() -> None:
    done = subprocess.run([sys.executable, "-m", "huoyan", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert all(name in done.stdout for name in COMMANDS)


def test_runtime_state_is_git_ignored() -> None:
    ignored = (Path(__file__).resolve().parents[1] / ".gitignore").read_text().split()
    assert "var/" in ignored and ".venv/" in ignored
