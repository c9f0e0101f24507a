"""Service benchmark: feed requests per second on loopback, and solve-job latency, over HTTP.

Starts the real service (`scrutiny serve --workers N`: uvicorn as the service runs it, with its
limits) on a fresh SQLite database in a temporary directory, uploads Bromley, runs SOLVES solve
jobs one after another (polling every 10 ms) and publishes the last plan, makes a personal feed
token for the programme's first person, then load-tests four feeds with `wrk`
(2 threads, C connections, S seconds each, after a short warm-up): the personal feed cached
(If-None-Match: its ETag, answered 304) and cold (200 with the body), and the first body's public
feed the same two ways. A single request before each run checks the status is the one measured;
a run with any non-2xx/3xx answer or socket error is marked and makes the exit status 1, as does
a worker that died. Prints the solve latency (request to "done" seen by the client) beside the
job's own solve seconds; a table of requests per second and latency percentiles; and how idle the
machine was just before (other work on the machine skews the numbers). The server is always
stopped. Timing is measured here, never asserted in tests.

Target (issue): a cached personal feed at 2,000 requests/s or more on a 2-core machine.

Run with `python -m bench.service [--workers N] [--seconds S] [--connections C]`; needs `wrk`
(installed with apt-get when missing and run as root).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent
BROMLEY = ROOT / "data" / "bromley-ecf-2017-18.yaml"
SOLVES = 5
TIME_LIMIT = 30.0
POLL = 0.010  # seconds between job polls
THREADS = 2  # wrk threads
WARM_UP = 2  # seconds of load before the measured runs
TARGET = 2000.0  # requests/s for the cached personal feed


class Failed(Exception):
    """The service did not answer as the benchmark needs: its numbers would mean nothing."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One keep-alive HTTP/1.1 connection to the service."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.auth = {"Authorization": f"Bearer {token}"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Answer:
        sent = {**(self.auth if auth else {}), **(headers or {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                return Answer(
                    response.status, {k.lower(): v for k, v in response.getheaders()}, data
                )
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()  # the server closed a kept-alive connection: open a new one
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def expect(self, status: int, method: str, path: str, **kwargs: Any) -> Answer:
        answer = self.request(method, path, **kwargs)
        if answer.status != status:
            raise Failed(f"{method} {path}: {answer.status}, not {status}: {answer.body[:300]!r}")
        return answer

    def close(self) -> None:
        self.conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """`scrutiny serve` as a subprocess, on its own database."""

    def __init__(self, directory: Path, workers: int) -> None:
        self.workers = workers
        self.port = free_port()
        self.token = secrets.token_urlsafe(32)
        self.log = directory / "server.log"
        database = f"sqlite:///{directory / 'bench.db'}"
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "SCRUTINY_CLERK_TOKEN": self.token,
        }
        command = [
            sys.executable, "-m", "scheduler.cli", "serve",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
        ]  # fmt: skip
        self.command = command
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait(self, timeout: float = 60) -> None:
        """Until GET /programmes answers 200 and every worker is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failed(f"the server exited ({self.process.returncode}):\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/programmes")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise Failed(f"the server did not answer within {timeout:.0f} s:\n{self.tail()}")
        while self.alive() < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        self.check()

    def pids(self) -> list[int]:
        """uvicorn's process and its workers."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [self.process.pid, *map(int, found.stdout.split())]

    def cpu_seconds(self) -> float:
        """CPU seconds (user and system) the server's processes have used so far."""
        ticks = 0
        for pid in self.pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(stat[11]) + int(stat[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def alive(self) -> int:
        """Worker processes running (uvicorn's own process when there is one worker)."""
        if self.workers == 1:
            return int(self.process.poll() is None)
        count = 0
        for pid in self.pids()[1:]:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            count += stat[0] != "Z" and b"spawn_main" in command
        return count

    def check(self) -> None:
        """Every worker still runs and none has logged a traceback."""
        alive = self.alive()
        if alive < self.workers or "Traceback" in self.log.read_text(errors="replace"):
            raise Failed(f"{alive} of {self.workers} workers running; the log:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        """SIGTERM (uvicorn stops its workers), then SIGKILL to the group it started, if need be."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind
        self.process.wait()


@dataclass
class Solve:
    latency: float  # POST to "done" seen by the client
    elapsed: float  # the job's own elapsed_seconds (the solver's)
    plan: int
    objective: float | None
    polls: int


def solve_job(client: Client, pid: str) -> Solve:
    started = time.perf_counter()
    answer = client.expect(
        202,
        "POST",
        f"/programmes/{pid}/jobs",
        body=json.dumps({"time_limit": TIME_LIMIT}).encode(),
        headers={"Content-Type": "application/json"},
    )
    location = answer.headers["location"]
    polls = 0
    deadline = time.monotonic() + TIME_LIMIT * 10 + 60
    while time.monotonic() < deadline:
        job = client.expect(200, "GET", location).json()
        polls += 1
        if job["state"] not in ("queued", "running"):
            latency = time.perf_counter() - started
            if job["state"] != "done":
                raise Failed(f"job {location} ended {job['state']}: {job['message']}")
            return Solve(latency, job["elapsed_seconds"], job["plan"], job["objective"], polls)
        time.sleep(POLL)
    raise Failed(f"job {location} did not finish")


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


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
SIZES = {"B": 1.0, "KB": 1024.0, "MB": 1024.0**2, "GB": 1024.0**3, "TB": 1024.0**4}


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


def wrk(url: str, etag: str | None, seconds: int, connections: int) -> str:
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if etag is not None:
        command += ["-H", f"If-None-Match: {etag}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failed(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def measure(
    server: Server,
    client: Client,
    name: str,
    path: str,
    etag: str | None,
    seconds: int,
    connections: int,
) -> Load:
    """Check one request answers as expected, then load the address with wrk."""
    expected = 304 if etag is not None else 200
    headers = {"If-None-Match": etag} if etag is not None else {}
    answer = client.expect(expected, "GET", path, headers=headers, auth=False)
    if expected == 200 and not answer.body.startswith(b"BEGIN:VCALENDAR"):
        raise Failed(f"GET {path}: 200 without a calendar: {answer.body[:100]!r}")
    if expected == 304 and answer.body:
        raise Failed(f"GET {path}: 304 with a body of {len(answer.body)} bytes")
    url = f"http://127.0.0.1:{client.port}{path}"
    cpu, started = server.cpu_seconds(), time.perf_counter()
    output = wrk(url, etag, seconds, connections)
    cpu = (server.cpu_seconds() - cpu) / (time.perf_counter() - started)
    return parse_wrk(Load(name, expected, cpu=cpu), output)


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


def _ms(load: Load, pct: str) -> str:
    value = load.percentiles.get(pct)
    return f"{value:>7.2f}" if value is not None else f"{'-':>7}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.service",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (default 1)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--solves", type=int, default=SOLVES, help=f"solve jobs ({SOLVES})")
    args = parser.parse_args(argv)
    if args.connections < THREADS or args.workers < 1 or args.seconds < 1 or args.solves < 1:
        parser.error(f"need --connections >= {THREADS}, --workers, --seconds, --solves >= 1")
    ensure_wrk()
    source = BROMLEY.read_text()
    data = yaml.safe_load(source)
    person, body = data["people"][0]["id"], data["bodies"][0]["id"]

    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        server = Server(Path(tmp), args.workers)
        client = Client(server.port, server.token)
        try:
            server.wait()
            print(
                f"Service on {platform.machine()} ({os.cpu_count()} cores), Python "
                f"{platform.python_version()}, scrutiny serve --workers {args.workers}, SQLite; "
                f"wrk {THREADS} threads, {args.connections} connections, {args.seconds} s per "
                "run",
                flush=True,
            )
            print("server: " + " ".join(server.command[1:]), flush=True)
            summary = client.expect(
                201,
                "POST",
                "/programmes",
                body=source.encode(),
                headers={"Content-Type": "application/yaml"},
            ).json()
            pid = summary["id"]

            solves = []
            for _ in range(args.solves):
                solves.append(solve_job(client, pid))
            print(
                f"\nBromley solve jobs (time limit {TIME_LIMIT:.0f} s, polled every "
                f"{POLL * 1000:.0f} ms), {len(solves)} one after another"
            )
            print(
                f"{'run':>4} {'latency s':>10} {'job elapsed s':>14} {'overhead s':>11} "
                f"{'polls':>6} {'plan':>5} {'objective':>10}"
            )
            for n, s in enumerate(solves, 1):
                print(
                    f"{n:>4} {s.latency:>10.3f} {s.elapsed:>14.3f} "
                    f"{s.latency - s.elapsed:>11.3f} {s.polls:>6} {s.plan:>5} "
                    f"{s.objective if s.objective is not None else '-':>10}"
                )
            latency = statistics.median(s.latency for s in solves)
            elapsed = statistics.median(s.elapsed for s in solves)
            print(f"{'med':>4} {latency:>10.3f} {elapsed:>14.3f} {latency - elapsed:>11.3f}")

            revision = client.expect(200, "GET", f"/programmes/{pid}").headers["etag"]
            client.expect(
                201,
                "POST",
                f"/programmes/{pid}/plans/{solves[-1].plan}/publish",
                headers={"If-Match": revision},
            )
            token = client.expect(
                201,
                "POST",
                f"/programmes/{pid}/feed-tokens",
                body=json.dumps({"subject": person}).encode(),
                headers={"Content-Type": "application/json"},
            ).json()["token"]
            personal = f"/programmes/{pid}/feeds/private/{token}.ics"
            public = f"/programmes/{pid}/feeds/public/{body}.ics"
            tags, sizes = {}, {}
            for path in (personal, public):
                answer = client.expect(200, "GET", path, auth=False)
                tags[path], sizes[path] = answer.headers["etag"], len(answer.body)

            runs = [
                (f"personal ({person}) cached", personal, tags[personal]),
                (f"personal ({person}) cold", personal, None),
                (f"public ({body}) cached", public, tags[public]),
                (f"public ({body}) cold", public, None),
            ]
            quiet = idle()
            wrk(
                f"http://127.0.0.1:{server.port}{personal}",
                tags[personal],
                WARM_UP,
                args.connections,
            )
            loads = [
                measure(server, client, name, path, etag, args.seconds, args.connections)
                for name, path, etag in runs
            ]
            server.check()
        finally:
            client.close()
            server.stop()

    print(
        f"\nFeeds under load (personal feed {sizes[personal]:,} bytes, public "
        f"{sizes[public]:,} bytes; latency in ms); the machine was {quiet:.0%} idle just "
        "before"
    )
    print(
        f"{'feed':<30} {'status':>6} {'req/s':>9} {'p50':>7} {'p75':>7} {'p90':>7} "
        f"{'p99':>7} {'requests':>9} {'MB read':>8} {'srv cores':>9} {'CPU ms/req':>10} "
        f"{'non-2xx/3xx':>11} {'sock err':>8}"
    )
    failed = False
    for load in loads:
        failed |= bool(load.bad or load.socket_errors)
        print(
            f"{load.name:<30} {load.expected:>6} {load.rps:>9,.0f} {_ms(load, '50')} "
            f"{_ms(load, '75')} {_ms(load, '90')} {_ms(load, '99')} {load.requests:>9,} "
            f"{load.read_bytes / 2**20:>8.1f} {load.cpu:>9.2f} "
            f"{load.cpu / load.rps * 1000 if load.rps else 0:>10.2f} "
            f"{load.bad:>11} {load.socket_errors:>8}"
        )
    cached = loads[0].rps
    verdict = "meets" if cached >= TARGET else "is below"
    print(f"cached personal feed: {cached:,.0f} requests/s {verdict} the target of {TARGET:,.0f}")
    if failed:
        print(
            "some runs had non-2xx/3xx answers or socket errors: their numbers are not of the "
            "answer meant",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Failed as err:
        raise SystemExit(f"bench.service: {err}") from None
