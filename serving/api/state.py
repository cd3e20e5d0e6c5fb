"""What the service builds once per process, at startup: settings, service configuration
(users, levels, reason codes), the database session factory, the feature registry and the
champion models (loaded from MLflow once, then cached)."""

from __future__ import annotations

import fcntl
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from huoyan.settings import Settings
from serving.config import ServingConfig, load_config
from serving.db import checkpoint_in_background, engine, is_sqlite

if TYPE_CHECKING:
    from features.registry import Registry
    from training.model import RiskModel
    from training.tracking import Registered

log = logging.getLogger(__name__)
ENTITY_TYPES = ("official", "enterprise", "tender")


@dataclass
class Champion:
    model: RiskModel
    registered: Registered


@dataclass
class ChampionModels:
    """The champion of each entity type, loaded from MLflow on first use and kept; `refresh`
    (the service calls it every CHAMPION_CHECK_SECONDS) asks the registry where the champion
    alias points and loads a version that changed, so a promotion reaches the running service
    within a minute, no restart. Requests keep the model they started with."""

    tracking_uri: str
    _loaded: dict[str, Champion | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, entity_type: str) -> Champion | None:
        if entity_type not in self._loaded:
            with self._lock:
                if entity_type not in self._loaded:
                    self._loaded[entity_type] = self._load(entity_type)
        return self._loaded[entity_type]

    def _store_missing(self) -> bool:
        """A SQLite store that does not exist has no champion; opening it would create it
        (and two workers creating one at once collide)."""
        prefix = "sqlite:///"
        return self.tracking_uri.startswith(prefix) and not Path(
            self.tracking_uri.removeprefix(prefix)).exists()

    def _load(self, entity_type: str) -> Champion | None:
        if self._store_missing():
            return None
        import mlflow

        from training import tracking

        mlflow.set_tracking_uri(self.tracking_uri)
        try:
            found = tracking.champion(entity_type)
        except Exception:  # an unreachable store must not stop the service
            log.exception("loading the %s champion failed", entity_type)
            return None
        return Champion(*found) if found else None

    def refresh(self) -> list[str]:
        """Reload each loaded type whose champion alias moved; the labels now served."""
        if self._store_missing():
            return []
        import mlflow

        from training import tracking

        mlflow.set_tracking_uri(self.tracking_uri)
        changed = []
        for entity_type in ENTITY_TYPES:
            current = self._loaded.get(entity_type)
            version = tracking.champion_version(entity_type)
            if version is None or (current is not None and current.registered.version == version):
                continue
            loaded = self._load(entity_type)  # outside the lock: requests go on meanwhile
            if loaded is not None:
                self._loaded[entity_type] = loaded
                changed.append(loaded.registered.label)
                log.info("now serving %s", loaded.registered.label)
        return changed

    def preload(self) -> None:
        for entity_type in ENTITY_TYPES:
            self.get(entity_type)

    def versions(self) -> dict[str, str | None]:
        """The label of each champion loaded so far (None: none registered or not loaded)."""
        return {t: (c.registered.label if (c := self._loaded.get(t)) else None)
                for t in ENTITY_TYPES}


class WriteGate:
    """On SQLite, one writing request at a time across the service's worker processes.

    Each dossier read writes an audit entry. Left to SQLite, a writer that finds the file
    locked sleeps in its busy handler (1, 2, 5, 10 ... 100 ms, whenever the lock frees), which
    ruins the p99 of the reads. Here writers queue on a thread lock within the process and a
    file lock (flock) between processes, and the kernel wakes the next one the moment the
    lock is released. PostgreSQL has row locks and its own queue, so there the gate is open.
    """

    def __init__(self, database_url: str) -> None:
        self._lock: threading.Lock | None = None
        self._file = None
        if is_sqlite(database_url):
            self._lock = threading.Lock()
            database = make_url(database_url).database
            if database and database != ":memory:":
                self._file = open(f"{database}.write-lock", "a+b")  # noqa: SIM115 - process-long

    def __enter__(self) -> None:
        if self._lock is not None:
            self._lock.acquire()
            if self._file is not None:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)

    def __exit__(self, *_exc: object) -> None:
        if self._lock is not None:
            if self._file is not None:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._lock.release()


@dataclass
class ServiceState:
    settings: Settings
    config: ServingConfig
    sessions: sessionmaker[Session]
    registry: Registry
    champions: ChampionModels
    write_gate: WriteGate


def build_state(settings: Settings, preload_models: bool) -> ServiceState:
    from features.catalog import registry

    settings = settings.ensure()
    database = engine(settings)
    checkpoint_in_background(database)  # the sealer checkpoints, not the requests
    state = ServiceState(
        settings=settings,
        config=load_config(settings),
        sessions=sessionmaker(database, expire_on_commit=False),
        registry=registry(),
        champions=ChampionModels(settings.mlflow_tracking_uri),
        write_gate=WriteGate(settings.database_url),
    )
    if preload_models:
        state.champions.preload()
    return state
