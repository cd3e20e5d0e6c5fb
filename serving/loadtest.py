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


class Connection:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams. A generic client (httpx)
    spends about a millisecond of CPU per request; on a 2-core machine that is CPU taken from
    the server under test, so the load generator speaks the few bytes itself."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        return cls(*await asyncio.open_connection(host, port))

    async def request(self, raw: bytes) -> int:
        """Send one request, read its whole answer; the status code."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def request_bytes(host: str, port: int, token: str, target: Target) -> bytes:
    body = json.dumps(target.body).encode() if target.body is not None else b""
    lines = [f"{target.method} {target.path} HTTP/1.1", f"Host: {host}:{port}",
             f"Authorization: Bearer {token}", f"Content-Length: {len(body)}"]
    if target.body is not None:
        lines.append("Content-Type: application/json")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _run(base_url: str, token: str, targets: list[Target], rate: float,
               seconds: float, concurrency: int) -> LoadResult:
    url = httpx.URL(base_url)
    host, port = url.host, url.port or 80
    requests = [request_bytes(host, port, token, t) for t in targets]
    idle: list[Connection] = []
    slots = asyncio.Semaphore(concurrency)  # at most this many requests in flight
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    start = time.perf_counter()

    async def send(raw: bytes) -> bool:
        """On a kept-alive connection if one is idle; a connection the server closed while
        idle (uvicorn's keep-alive timeout) is replaced once, as any HTTP client does."""
        reused = bool(idle)
        connection = idle.pop() if reused else await Connection.open(host, port)
        try:
            ok = await connection.request(raw) < 400
        except asyncio.IncompleteReadError as closed:
            connection.close()
            if reused and not closed.partial:
                return await send(raw) if idle else await send_fresh(raw)
            return False
        except (OSError, ValueError):
            connection.close()
            return False
        idle.append(connection)
        return ok

    async def send_fresh(raw: bytes) -> bool:
        idle.append(await Connection.open(host, port))
        return await send(raw)

    async def one(i: int) -> None:
        nonlocal errors
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        async with slots:
            ok = await send(requests[i % len(requests)])
        latencies.append((time.perf_counter() - due) * 1000)
        errors += not ok

    await asyncio.gather(*(one(i) for i in range(total)))
    elapsed = time.perf_counter() - start
    for connection in idle:
        connection.close()
    return LoadResult(total, errors, elapsed, percentile(latencies, 0.50),
                      percentile(latencies, 0.99), max(latencies, default=float("nan")))


def run_load(base_url: str, token: str, targets: list[Target], rate: float = 200,
             seconds: float = 20, concurrency: int = 64) -> LoadResult:
    import uvloop  # uvicorn's event loop, installed with uvicorn[standard]

    return uvloop.run(_run(base_url, token, targets, rate, seconds, concurrency))


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
