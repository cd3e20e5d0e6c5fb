"""`make bench-serving`, the API half: dossier reads and what-if scoring under load.

In a home of its own ($HUOYAN_HOME/bench/serving): the demo world (40,000 tenders, seed 7),
trained and ranked once (kept for later runs), then `huoyan serve --workers 2` in its own
process (on SQLite the service runs one worker whatever is asked: serving/api/command.py) and the open-loop load generator (serving/loadtest.py) in this one, on loopback.
Dossier reads cycle over the flagged entities of every type (each read also records an audit
entry, as in production); what-if scoring posts the feature values of ranked entities.
Goal: dossier reads p99 under 20 ms at 200 requests/s.

`--database-url postgresql+psycopg://...` runs the same against PostgreSQL: the database is
created if missing and the ranking written into it once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import click
import httpx

from huoyan.settings import get_settings
from serving.loadtest import Target, run_load, warm_up

PORT = 8765
AS_OF = "2026-10-01"
TOKEN = "bench-admin"


def _environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "HUOYAN_HOME": str(home)}
    env.pop("MLFLOW_TRACKING_URI", None)
    env.pop("HUOYAN_DATABASE_URL", None)
    if database_url:
        env["HUOYAN_DATABASE_URL"] = database_url
    return env


def _huoyan(home: Path, *args: str, database_url: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "huoyan", *args],
                   env=_environment(home, database_url), check=True)


def _create_database(url: str) -> None:
    """A PostgreSQL database of the benchmark's own, made from the server's `postgres` one."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": target.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def prepare(home: Path, database_url: str | None = None) -> None:
    """World and champions, made once; the ranking once per database."""
    world = home / "world"
    if not (home / "trained").exists():
        _huoyan(home, "generate", "--out", str(world), "--seed", "7", "--tenders", "40000",
                "--quiet")
        _huoyan(home, "train", "--data", str(world), "--search-seconds", "2")
        (home / "trained").touch()
    if database_url and database_url.startswith("postgresql"):
        _create_database(database_url)
    marker = home / f"ranked-{'postgresql' if database_url else 'sqlite'}"
    if not marker.exists():
        _huoyan(home, "rank", "--data", str(world), "--as-of", AS_OF, database_url=database_url)
        marker.touch()
    (home / "users.yaml").write_text(
        f"users:\n  - {{name: bench, roles: [admin], token: {TOKEN}}}\n", encoding="utf-8")


def serve(home: Path, database_url: str | None = None) -> subprocess.Popen:
    env = _environment(home, database_url)
    server = subprocess.Popen(
        [sys.executable, "-m", "huoyan", "serve", "--port", str(PORT), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the service did not come up within 120 s")


def targets(base: str) -> tuple[list[Target], list[Target]]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    dossiers, scorings = [], []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for entity_type in ("official", "enterprise", "tender"):
            page = client.get("/api/v1/rankings", params={"entity_type": entity_type,
                                                          "limit": 300}).json()
            for row in page["rows"]:
                path = f"/api/v1/entities/{entity_type}/{row['entity_id']}"
                dossiers.append(Target("GET", path))
            for row in page["rows"][:50]:
                dossier = client.get(f"/api/v1/entities/{entity_type}/{row['entity_id']}").json()
                values = (dossier.get("features") or {}).get("values", [])
                features = {f["name"]: f["value"] for f in values}
                if features:
                    scorings.append(Target("POST", f"/api/v1/score/{entity_type}",
                                           {"features": features}))
    return dossiers, scorings


@click.command()
@click.option("--database-url", default=None,
              help="the service database (default: the benchmark home's SQLite file)")
def main(database_url: str | None) -> None:
    home = get_settings().root / "bench" / "serving"
    home.mkdir(parents=True, exist_ok=True)
    prepare(home, database_url)
    server = serve(home, database_url)
    base = f"http://127.0.0.1:{PORT}"
    backend = "PostgreSQL" if database_url else "SQLite"
    try:
        dossiers, scorings = targets(base)
        workers = 2 if database_url else 1
        print(f"{len(dossiers)} dossiers and {len(scorings)} what-if bodies, uvicorn {workers} "
              f"worker{'s' if workers > 1 else ''}, {backend}", flush=True)
        for label, chosen, rate in (("dossier reads @200/s", dossiers, 200),
                                    ("what-if scoring @100/s", scorings, 100)):
            warm_up(base, TOKEN, chosen)
            print(run_load(base, TOKEN, chosen, rate=rate, seconds=20).line(label), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({"home": str(home), "backend": backend}))


if __name__ == "__main__":
    main()
