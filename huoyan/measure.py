"""`python -m huoyan.measure CMD ...`: run a command, then print its wall time and peak memory.

Benchmarks use it instead of GNU time, which a fresh machine need not have.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time


def main() -> None:
    started = time.perf_counter()
    code = subprocess.run(sys.argv[1:], check=False).returncode
    wall = time.perf_counter() - started
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2  # KiB on Linux
    print(f"wall time: {wall:.1f} s, peak memory: {peak_gb:.2f} GB", file=sys.stderr)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
