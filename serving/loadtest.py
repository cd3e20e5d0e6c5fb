"""An open-loop load generator: requests at a fixed rate, latency from when each was due.

Closed-loop tools (send, wait, send) slow down with the server and so hide its queueing; here
request i is due at t0 + i / rate whatever happened before, and its latency is measured from
that due time, so a stalled server shows up in the p99 (no coordinated omission). E.g. 200
requests/s for 20 s: 4,000 requests; if the server stalls 100 ms once, the ~20 requests due
meanwhile all carry that wait.

Run from its own process (`python -m serving.loadtest ...`), never inside the server's.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass

import click
import httpx


@dataclass(frozen=True)
class Target:
    method: str  # GET or POST
    path: str
    body: dict | None = None


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self, label: str) -> str:
        return (f"{label:<28} {self.requests:>7,} req {self.per_second:>7.1f} req/s  "
                f"p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  max {self.max_ms:6.1f} ms  "
                f"errors {self.errors}")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _run(base_url: str, token: str, targets: list[Target], rate: float,
               seconds: float, concurrency: int) -> LoadResult:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)

    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits,
                                 timeout=10.0) as client:
        start = time.perf_counter()

        async def one(i: int) -> None:
            nonlocal errors
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            target = targets[i % len(targets)]
            try:
                response = await client.request(target.method, target.path, json=target.body)
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - due) * 1000)
            errors += not ok

        await asyncio.gather(*(one(i) for i in range(total)))
        elapsed = time.perf_counter() - start
    return LoadResult(total, errors, elapsed, percentile(latencies, 0.50),
                      percentile(latencies, 0.99), max(latencies, default=float("nan")))


def run_load(base_url: str, token: str, targets: list[Target], rate: float = 200,
             seconds: float = 20, concurrency: int = 64) -> LoadResult:
    return asyncio.run(_run(base_url, token, targets, rate, seconds, concurrency))


def warm_up(base_url: str, token: str, targets: list[Target], n: int = 200) -> None:
    """A few hundred requests first, so caches and connection pools are what is measured."""
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        for i in range(n):
            target = targets[i % len(targets)]
            client.request(target.method, target.path, json=target.body)


@click.command()
@click.option("--url", default="http://127.0.0.1:8000", show_default=True)
@click.option("--token", required=True)
@click.option("--targets", "targets_file", required=True, type=click.File(),
              help='JSON list of {"method", "path", "body"} requests, used round robin.')
@click.option("--rate", default=200.0, show_default=True, help="Requests per second.")
@click.option("--seconds", default=20.0, show_default=True)
def main(url: str, token: str, targets_file, rate: float, seconds: float) -> None:
    targets = [Target(**t) for t in json.load(targets_file)]
    warm_up(url, token, targets)
    result = run_load(url, token, targets, rate, seconds)
    click.echo(result.line(f"{statistics.mode(t.method for t in targets)} x{len(targets)}"))


if __name__ == "__main__":
    main()
