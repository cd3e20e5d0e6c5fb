"""Where runtime state lives.

Everything a run writes (service database, MLflow store, reports, models, the demo world) goes
under one directory, HUOYAN_HOME (default ./var), so that two homes never interfere and tests
can run side by side. HUOYAN_DATABASE_URL and MLFLOW_TRACKING_URI override their parts.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUOYAN_", extra="ignore")

    home: Path = Path("var")
    database_url_override: str | None = Field(
        default=None, validation_alias=AliasChoices("HUOYAN_DATABASE_URL")
    )
    mlflow_tracking_uri_override: str | None = Field(
        default=None, validation_alias=AliasChoices("MLFLOW_TRACKING_URI")
    )

    # Memory the feature engine may use before it spills to disk (DuckDB syntax, e.g. "6GB");
    # None = the engine's default (80 % of the machine).
    engine_memory: str | None = None

    @cached_property
    def root(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def database_url(self) -> str:
        return self.database_url_override or f"sqlite:///{self.root / 'huoyan.db'}"

    @property
    def mlflow_tracking_uri(self) -> str:
        return self.mlflow_tracking_uri_override or f"sqlite:///{self.root / 'mlflow.db'}"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    def ensure(self) -> Settings:
        """Create the home directory tree (idempotent)."""
        for directory in (self.root, self.reports_dir, self.models_dir):
            directory.mkdir(parents=True, exist_ok=True)
        return self


def get_settings() -> Settings:
    """Read the environment afresh each call, so a test can point HUOYAN_HOME elsewhere."""
    return Settings()
