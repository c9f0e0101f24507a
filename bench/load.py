"""Loading an address with `wrk` and reading what it printed: requests per second, latency
percentiles, totals and errors; and how idle the machine was before (other work skews them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

THREADS = 2  # wrk threads
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
SIZES = {"B": 1.0, "KB": 1024.0, "MB": 1024.0**2, "GB": 1024.0**3, "TB": 1024.0**4}


class Failed(Exception):
    """The service did not answer as the benchmark needs: its numbers would mean nothing."""


@dataclass
class Load:
    name: str
    expected: int
    rps: float = 0.0
    percentiles: dict[str, float] = field(default_factory=dict)  # "50" -> milliseconds
    requests: int = 0
    read_bytes: float = 0.0
    bad: int = 0  # non-2xx/3xx answers
    socket_errors: int = 0
    cpu: float = 0.0  # the server's CPU seconds per second of the run (cores used)
    output: str = ""

    def ms(self, pct: str) -> str:
        """A latency percentile, formatted for the table."""
        value = self.percentiles.get(pct)
        return f"{value:>7.2f}" if value is not None else f"{'-':>7}"


def parse_wrk(load: Load, output: str) -> Load:
    """wrk's Requests/sec, latency distribution, totals and errors."""
    load.output = output
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise Failed(f"wrk printed no Requests/sec:\n{output}")
    load.rps = float(found[1])
    for pct, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M):
        load.percentiles[pct] = float(value) * UNITS[unit]
    total = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read", output)
    if total:
        load.requests = int(total[1])
        load.read_bytes = float(total[2]) * SIZES[total[3]]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    load.bad = int(bad[1]) if bad else 0
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    load.socket_errors = sum(map(int, errors.groups())) if errors else 0
    return load


def wrk(
    url: str,
    etag: str | None,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
) -> str:
    """What wrk prints for `seconds` of load on `url` (with If-None-Match: `etag`, if given,
    and `headers`: a bearer token, a session cookie)."""
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if etag is not None:
        command += ["-H", f"If-None-Match: {etag}"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failed(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def ensure_wrk() -> str:
    """wrk's path; installed with apt-get when missing (as root), or a clear message."""
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk", flush=True)
        done = subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, text=True, check=False
        )
        found = shutil.which("wrk")
        if found:
            return found
        print(done.stdout[-2000:] + done.stderr[-2000:], file=sys.stderr)
    raise SystemExit(
        "bench.service needs the load generator wrk and could not install it: "
        "run `apt-get install wrk` (Debian/Ubuntu) or put wrk on PATH, then try again"
    )


def idle(seconds: float = 1.0) -> float:
    """The share of the machine's CPU time that was idle over `seconds`."""

    def sample() -> tuple[int, int]:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # idle + iowait

    total, spare = sample()
    time.sleep(seconds)
    total2, spare2 = sample()
    return (spare2 - spare) / max(1, total2 - total)
