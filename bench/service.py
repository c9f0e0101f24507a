"""Service benchmark: feed requests per second on loopback beside a bare endpoint's, and
solve-job latency, over HTTP.

Starts the real service (`scrutiny serve --workers N`: uvicorn as the service runs it, with its
limits) on a fresh SQLite database in a temporary directory, uploads Bromley, runs SOLVES solve
jobs one after another (polling every 10 ms) and publishes the last plan, and makes a personal
feed token for the programme's first person. Then it starts the floor beside it (`bench.bare`:
a bare Starlette endpoint answering the very bytes the service answered at the same addresses,
served by uvicorn the same way) and load-tests four answers with `wrk` (2 threads, C
connections, S seconds each, after a short warm-up of both): the personal feed cached
(If-None-Match: its ETag, answered 304) and cold (200 with the body), and the first body's public
feed the same two ways; each on the service and on the bare endpoint, one after the other, for R
rounds. The table gives each answer's medians and the service's share of the bare endpoint's
rate (the median of the rounds' ratios: each round's two runs are next to each other in time).
For scale, the bare endpoint also runs under uvicorn's own defaults (the httptools parser, which
`scrutiny serve` does not run: it takes request heads of any size), on the cached personal feed.

A single request before each run checks the status is the one measured; a run with any
non-2xx/3xx answer or socket error is marked and makes the exit status 1, as does a worker that
died. Prints the solve latency (request to "done" seen by the client) beside the job's own solve
seconds, and how idle the machine was just before the load (other work skews the numbers). The
servers are always stopped. Timing is measured here, never asserted in tests.

Target (issue 23): a cached personal feed at half the bare endpoint's rate or more.

Run with `python -m bench.service [--workers N] [--seconds S] [--connections C] [--rounds R]`;
needs `wrk` (installed with apt-get when missing and run as root).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.bare import answers_file, captured
from bench.feeds_vs_bare import Compared, Feed, compare, report
from bench.load import THREADS, Failed, ensure_wrk, idle
from bench.serving import ROOT, Client, Server

__all__ = ["Client", "Server", "main"]  # bench.web_pages runs the service with these

BROMLEY = ROOT / "data" / "bromley-ecf-2017-18.yaml"
SOLVES = 5
TIME_LIMIT = 30.0
POLL = 0.010  # seconds between job polls


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


def print_solves(solves: list[Solve]) -> None:
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


def publish(client: Client, pid: str, plan: int, person: str) -> str:
    """Publish `plan` and give `person` a feed address; returns its token."""
    revision = client.expect(200, "GET", f"/programmes/{pid}").headers["etag"]
    client.expect(
        201, "POST", f"/programmes/{pid}/plans/{plan}/publish", headers={"If-Match": revision}
    )
    answer = client.expect(
        201,
        "POST",
        f"/programmes/{pid}/feed-tokens",
        body=json.dumps({"subject": person}).encode(),
        headers={"Content-Type": "application/json"},
    )
    token: str = answer.json()["token"]
    return token


def capture(client: Client, path: str) -> dict[str, Any]:
    """The service's two answers at `path` (200, and 304 to its ETag), for the bare endpoint."""
    full = client.expect(200, "GET", path, auth=False)
    etag = full.headers["etag"]
    cached = client.expect(304, "GET", path, headers={"If-None-Match": etag}, auth=False)
    return captured(path, etag, cached.headers, full.headers, full.body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.service",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (default 1)")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per wrk run (5)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each answer (3)")
    parser.add_argument("--solves", type=int, default=SOLVES, help=f"solve jobs ({SOLVES})")
    args = parser.parse_args(argv)
    if args.connections < THREADS or min(args.workers, args.seconds, args.solves, args.rounds) < 1:
        parser.error(
            f"need --connections >= {THREADS}, --workers, --seconds, --solves, --rounds >= 1"
        )
    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        running = [Server(Path(tmp), args.workers)]
        try:
            results, sizes, quiet = run(Path(tmp), running, args)
        finally:
            for server in running:
                server.stop()
    if report(results, sizes, quiet, args.rounds):
        print(
            "some runs had non-2xx/3xx answers or socket errors: their numbers are not of the "
            "answer meant",
            file=sys.stderr,
        )
        return 1
    return 0


def run(
    tmp: Path, running: list[Server], args: argparse.Namespace
) -> tuple[list[Compared], dict[str, int], float]:
    """Solve and publish on the service (`running[0]`), start the bare endpoints (added to
    `running`, to be stopped), and load them all: the results, the feeds' sizes, and how idle
    the machine was before."""
    source = BROMLEY.read_text()
    data = yaml.safe_load(source)
    person, body = data["people"][0]["id"], data["bodies"][0]["id"]
    server = running[0]
    client = Client(server.port, server.token)
    server.wait()
    print(
        f"Service on {platform.machine()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}, scrutiny serve --workers {args.workers}, SQLite; "
        f"wrk {THREADS} threads, {args.connections} connections, {args.seconds} s per run",
        flush=True,
    )
    print("server: " + " ".join(server.command[1:]), flush=True)
    headers = {"Content-Type": "application/yaml"}
    uploaded = client.expect(201, "POST", "/programmes", body=source.encode(), headers=headers)
    pid = uploaded.json()["id"]
    solves = [solve_job(client, pid) for _ in range(args.solves)]
    print_solves(solves)

    token = publish(client, pid, solves[-1].plan, person)
    personal = f"/programmes/{pid}/feeds/private/{token}.ics"
    public = f"/programmes/{pid}/feeds/public/{body}.ics"
    answers = [capture(client, personal), capture(client, public)]
    sizes = {
        "personal": len(base64.b64decode(answers[0]["body"])),
        "public": len(base64.b64decode(answers[1]["body"])),
    }
    answers_file(tmp / "answers.json", answers)
    command = [sys.executable, "-m", "bench.bare", str(tmp / "answers.json"), str(args.workers)]
    for name in ("scrutiny", "uvicorn"):  # as scrutiny serve serves; uvicorn's defaults
        running.append(Server(tmp, args.workers, [*command, name], personal, name))
        running[-1].wait()
        print("bare: " + " ".join(running[-1].command[1:]), flush=True)

    feeds = [
        Feed(f"personal ({person}) cached", personal, answers[0]["etag"]),
        Feed(f"personal ({person}) cold", personal, None),
        Feed(f"public ({body}) cached", public, answers[1]["etag"]),
        Feed(f"public ({body}) cold", public, None),
    ]
    quiet = idle()
    service, bare, plain = ((s, Client(s.port, s.token)) for s in running)
    results = compare(service, bare, plain, feeds, args)
    for each in running:
        each.check()
    return results, sizes, quiet


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Failed as err:
        raise SystemExit(f"bench.service: {err}") from None
