"""`make bench-dashboard`: how long each dashboard page takes on the demo-sized world.

In the API benchmark's home ($HUOYAN_HOME/bench/serving: the 40,000-tender world, trained and
ranked once), `huoyan serve` in its own process; each page is fetched 50 times in a row by a
signed-in supervisor (dossiers: the top 50 of each type), and the median and 95th percentile
of the server's answer time are printed. Goal: every page under 300 ms.
"""

from __future__ import annotations

import statistics
import time

import httpx

from huoyan.settings import get_settings
from serving.api_benchmark import PORT, TOKEN, prepare, serve

ROUNDS = 50


def timed(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"{path}: {answer.status_code}")
    return elapsed


def main() -> None:
    home = get_settings().root / "bench" / "serving"
    home.mkdir(parents=True, exist_ok=True)
    prepare(home)
    server = serve(home)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client:
            client.post("/login", data={"token": TOKEN})
            ids = client.get("/api/v1/rankings", params={"limit": ROUNDS, "entity_type": "tender"},
                             headers={"Authorization": f"Bearer {TOKEN}"}).json()["rows"]
            pages = {
                "ranking (officials)": ["/ranking?entity_type=official"] * ROUNDS,
                "ranking (tenders, red)": ["/ranking?entity_type=tender&level=red"] * ROUNDS,
                "dossier (tenders)": [f"/entities/tender/{r['entity_id']}" for r in ids],
                "review queue": ["/queue"] * ROUNDS,
                "monitoring": ["/monitoring"] * ROUNDS,
                "models": ["/models"] * ROUNDS,
            }
            print(f"{'page':<24} {'median ms':>10} {'p95 ms':>8}  ({ROUNDS} fetches each)")
            for label, paths in pages.items():
                times = sorted(timed(client, path) for path in paths)
                p95 = times[int(0.95 * (len(times) - 1))]
                print(f"{label:<24} {statistics.median(times):>10.1f} {p95:>8.1f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
