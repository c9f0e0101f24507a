"""The job queue (issue 26): how many queued solves one and two `scrutiny worker` processes get
through, and how soon a clerk's stop ends a worker's solve with a checked plan.

The service runs in this process (its app through FastAPI's test client, as the tests run it),
with an API token as SCRUTINY_CLERK_TOKEN; on PostgreSQL the solves go through the queue to
worker processes started as `python -m scheduler.cli worker --dead-after 10` (DATABASE_URL set
to the database), each solving one job at a time. Every programme is the synthetic 10x council
(`bench.generate.generate(10)`), one copy per job under an id of its own (one active job per
programme is the rule).

1. Throughput. Eight programmes uploaded, a solve of each asked for (time limit T, 5 s unless
   told): (a) on SQLite, run by the web process itself one after another (its runner: one
   thread); on PostgreSQL, all eight queued first, then (b) one worker, (c) two, started. Every
   job is polled in turn every `POLL` seconds until all eight have ended. "wall": from the
   moment a runner could start (the first request on SQLite, the workers' start on PostgreSQL)
   until all eight were read ended; "first start": from that moment until a job was first read
   running (on PostgreSQL, the workers' own start-up); "span": from then until the last was read
   ended, what solves per minute are counted over; "sum job s": the jobs' own seconds
   (`elapsed_seconds`) added up; "vs 1 worker": one worker's span over this row's. (The jobs'
   rows keep `finished` in whole seconds: too coarse to time a solve of seconds by.) Each plan
   is fetched and checked by `scheduler.check` (any breach, or a job not done, is a failure).
   Each database is new.
2. Stop. One worker; N times (5 unless told): a solve with time limit 600 s asked for, polled
   until it runs and has found a plan (`solutions` > 0), then `POST /jobs/{id}/stop` (202), and
   the job polled every `STOP_POLL` seconds until it reads "stopped". Timed: the stop request's
   answer; from sending it to reading "stopped" (the client's clock); from sending it to the
   worker's log line "job ended" (its `at`, written once the job's end is committed: the
   service's side, on the same machine's clock); and, as the row has it, `stop_asked` to
   `finished` (whole seconds both). Each plan is fetched, checked by `scheduler.check`, and must
   say it was stopped (`STOPPED_EARLY`).
3. Side by side, in the same run: the clerk's hand method (`scheduler.solver.first_fit`) on one
   10x programme (the median of three runs, its plan checked), and the floor of the service, a
   bare endpoint: `GET /health` (which reads `SELECT 1`), the median of `HEALTH` requests on each
   service after its solves.

PostgreSQL: the server at SCRUTINY_TEST_POSTGRES when set (a new database on it for each part,
dropped after); else a throwaway cluster started here as `.ci/run` starts one (initdb in a
temporary directory, as the `postgres` user when run as root, on a free loopback port, fsync
off), stopped and removed at the end. Without PostgreSQL only the SQLite part runs, and says so.
Workers are killed, and the cluster stopped, however the run ends. Other work skews the numbers
(solves are CPU-bound): printed for each part are how idle the machine was just before, and
"other work, cores": the CPU the whole machine used meanwhile (/proc/stat) less this process's
and its workers', over the seconds (PostgreSQL's own processes count as other work; they answer
the polls). Exit status 1 when a job ends other than as expected. Timing is measured here,
never asserted in tests.

Run with `make bench`, or `python -m bench.queue [--time-limit T] [--stops N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from api.app import create_app
from api.job_run import ACTIVE
from api.settings import Settings
from api.tables import Job
from bench.generate import generate, to_yaml
from bench.hand_method import cells, markdown_table
from bench.load import Failed, idle
from bench.postgres import fresh_database, postgres_server
from bench.run import machine
from bench.serving import ROOT
from scheduler.check import check
from scheduler.plan.model import STOPPED_EARLY, Plan
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.first_fit import first_fit

TOKEN = "bench-clerk-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SOLVES = 8
TIME_LIMIT = 5.0
STOPS = 5
LONG = 600.0  # a stopped solve's time limit: the stop, not the clock, ends it
DEAD_AFTER = "10"  # the workers' --dead-after, as the tests start them
POLL = 0.1  # seconds between polls of a job while solves run (the client shares the cores)
STOP_POLL = 0.01  # seconds between polls once a stop is asked
HEALTH = 50
HANDS = 3


@dataclass
class Council:
    """One copy of the 10x council: its id, its file, and the programme it validates to."""

    pid: str
    text: str
    programme: Programme


def councils(count: int) -> list[Council]:
    data = generate(10)
    copies = [dict(data, id=f"{data['id']}-{n}") for n in range(count)]
    return [Council(c["id"], to_yaml(c), parse_programme(to_yaml(c), "10x.yaml")) for c in copies]


@dataclass
class Throughput:
    """One runner's solves: the jobs as they ended, when, and who ran them."""

    name: str
    quiet: float  # the machine's idle share just before
    beside: float  # cores other work used meanwhile (`Beside`)
    wall: float  # a runner could start -> every job read ended
    first: float  # a runner could start -> the first job read running
    span: float  # the first job read running -> the last read ended
    jobs: list[dict[str, Any]]
    runners: list[int] = field(default_factory=list)  # jobs each runner took, most first
    health_ms: float = 0.0
    failures: list[str] = field(default_factory=list)

    def row(self, one_worker: float | None) -> list[str]:
        return cells(
            THROUGHPUT,
            {
                "runs them": self.name,
                "idle before": self.quiet,
                "other work, cores": self.beside,
                "done": sum(j["state"] == "done" for j in self.jobs),
                "wall s": self.wall,
                "first start s": self.first,
                "span s": self.span,
                "solves/min": len(self.jobs) / self.span * 60,
                "sum job s": sum(j["elapsed_seconds"] for j in self.jobs),
                "jobs per runner": "+".join(map(str, self.runners)),
                "vs 1 worker": one_worker / self.span if one_worker else None,
            },
        )


THROUGHPUT = (
    ("runs them", "{}"), ("idle before", "{:.0%}"), ("other work, cores", "{:.2f}"),
    ("done", "{}"), ("wall s", "{:.1f}"), ("first start s", "{:.1f}"), ("span s", "{:.1f}"),
    ("solves/min", "{:.1f}"), ("sum job s", "{:.1f}"), ("jobs per runner", "{}"),
    ("vs 1 worker", "{:.2f}"),
)  # fmt: skip


@dataclass
class Stop:
    """One stopped solve."""

    solutions: int  # found when the stop was asked
    answered: float  # the stop request's answer, seconds
    seen: float  # stop sent -> "stopped" read by the client
    logged: float  # stop sent -> the worker's log line "job ended"
    whole: float  # stop asked -> finished, in the job's row (whole seconds)
    job: dict[str, Any]
    breaches: int
    marked: bool  # the plan says it was stopped

    def row(self, n: int) -> list[str]:
        return cells(
            STOPPED,
            {
                "run": n,
                "solutions at stop": self.solutions,
                "stop answered ms": self.answered * 1000,
                "stop to read stopped s": self.seen,
                "stop to job ended (log) s": self.logged,
                "row: stop_asked to finished s": self.whole,
                "job s": self.job["elapsed_seconds"],
                "state": self.job["state"],
                "breaches": self.breaches,
                "plan says stopped": self.marked,
            },
        )


STOPPED = (
    ("run", "{}"), ("solutions at stop", "{}"), ("stop answered ms", "{:.1f}"),
    ("stop to read stopped s", "{:.3f}"), ("stop to job ended (log) s", "{:.3f}"),
    ("row: stop_asked to finished s", "{:.0f}"), ("job s", "{:.1f}"), ("state", "{}"),
    ("breaches", "{}"), ("plan says stopped", "{}"),
)  # fmt: skip


def until(what: str, seconds: float, pause: float, ready: Callable[[], Any]) -> Any:
    """`ready()`'s value once true, asked every `pause` seconds; Failed after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        time.sleep(pause)
    raise Failed(f"waited {seconds:.0f} s for {what}")


@contextmanager
def service(url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=url, clerk_token=TOKEN), announce=False)
    with TestClient(app) as client:
        yield client


def expect(client: TestClient, status: int, method: str, path: str, **kwargs: Any) -> Any:
    """The answer's JSON; Failed unless its status is `status`."""
    headers = {**AUTH, **kwargs.pop("headers", {})}
    answer = client.request(method, path, headers=headers, **kwargs)
    if answer.status_code != status:
        raise Failed(f"{method} {path}: {answer.status_code}, not {status}: {answer.text[:300]}")
    return answer.json()


def upload(client: TestClient, council: Council) -> None:
    yaml = {"Content-Type": "application/yaml"}
    expect(client, 201, "POST", "/programmes", content=council.text.encode(), headers=yaml)


def submit(client: TestClient, pid: str, limit: float) -> str:
    job = expect(client, 202, "POST", f"/programmes/{pid}/jobs", json={"time_limit": limit})
    return str(job["id"])


def job_of(client: TestClient, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = expect(client, 200, "GET", f"/jobs/{job_id}")
    return job


def watch(client: TestClient, ids: list[str], seconds: float) -> tuple[list[dict[str, Any]], float]:
    """Every job polled in turn, every `POLL` seconds, until all have ended (Failed after
    `seconds`): the jobs as they ended, and when (`time.monotonic`) one was first read running
    (or ended)."""
    deadline, first = time.monotonic() + seconds, None
    found: dict[str, dict[str, Any]] = {}
    while len(found) < len(ids):
        if time.monotonic() > deadline:
            raise Failed(f"waited {seconds:.0f} s for {len(ids) - len(found)} jobs to end")
        for job_id in (i for i in ids if i not in found):
            job = job_of(client, job_id)
            if job["state"] != "queued" and first is None:
                first = time.monotonic()
            if job["state"] not in ACTIVE:
                found[job_id] = job
        time.sleep(POLL)
    assert first is not None
    return [found[i] for i in ids], first


def breaches(client: TestClient, council: Council, job: dict[str, Any]) -> tuple[int, Plan]:
    """The number of hard rules job's plan breaks, checked here too, and the plan."""
    answer = client.get(f"/programmes/{council.pid}/plans/{job['plan']}", headers=AUTH)
    if answer.status_code != 200:
        raise Failed(f"plan {job['plan']} of {council.pid}: {answer.status_code}")
    plan = Plan.model_validate_json(answer.content)
    return len(check(council.programme, plan)), plan


def health(client: TestClient) -> float:
    """The median milliseconds of `GET /health` (the bare endpoint), after one not counted."""
    times = []
    for _ in range(HEALTH + 1):
        started = time.perf_counter()
        expect(client, 200, "GET", "/health")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def rows(url: str) -> dict[str, Job]:
    """The jobs' rows, as the service keeps them."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return {job.id: job for job in session.scalars(select(Job))}
    finally:
        engine.dispose()


class Workers:
    """`scrutiny worker` processes on a database, each logging to a file; all killed on exit."""

    def __init__(self, url: str, logs: Path) -> None:
        self.url, self.logs = url, logs
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        for process, _log in self.started:
            if process.poll() is None:
                process.kill()
            process.wait()

    def start(self) -> None:
        path = self.logs / f"worker-{secrets.token_hex(4)}.log"
        with path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "scheduler.cli", "worker", "--dead-after", DEAD_AFTER],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": self.url},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.started.append((process, path))

    def check(self) -> None:
        for process, log in self.started:
            if process.poll() is not None:
                raise Failed(f"a worker exited ({process.returncode}):\n{log.read_text()[-2000:]}")

    def cpu(self) -> float:
        """The CPU seconds the workers still running have used."""
        seconds = 0
        for process, _log in self.started:
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{process.pid}/stat").read_text()
                seconds += sum(map(int, stat.rsplit(")", 1)[1].split()[11:13]))  # utime, stime
        return seconds / os.sysconf("SC_CLK_TCK")

    def ended(self, job_id: str) -> float | None:
        """When (`time.time`) a worker logged that job `job_id` ended; None if none has."""
        for _process, log in self.started:
            for line in log.read_text().splitlines():
                said = json.loads(line) if line.startswith("{") else {}
                if said.get("event") == "job ended" and said.get("job") == job_id:
                    return dt.datetime.fromisoformat(said["at"]).timestamp()
        return None


class Beside:
    """From now: the CPU other work on the machine uses, beside this process and its workers
    (PostgreSQL's own processes count as other work: small, they answer the polls)."""

    def __init__(self, workers: Workers) -> None:
        self.workers = workers
        self.started, self.machine, self.ours = time.monotonic(), _busy(), self._ours()

    def _ours(self) -> float:
        mine = os.times()
        return mine.user + mine.system + self.workers.cpu()

    def cores(self) -> float:
        """The cores other work has used on average since."""
        others = _busy() - self.machine - (self._ours() - self.ours)
        return max(0.0, others) / (time.monotonic() - self.started)


def _busy() -> float:
    """The CPU seconds the whole machine has been busy since it started."""
    ticks = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


def throughput(
    name: str, url: str, workers: int, limit: float, solves: list[Council], logs: Path
) -> Throughput:
    """`solves` solved on the database at `url`: by its web process (no `workers`), or queued
    first and then taken by that many worker processes."""
    quiet = idle()
    with service(url) as client, Workers(url, logs) as started:
        for council in solves:
            upload(client, council)
        queued = [submit(client, c.pid, limit) for c in solves] if workers else []
        beside, began = Beside(started), time.monotonic()
        for _ in range(workers):
            started.start()
        ids = queued or [submit(client, c.pid, limit) for c in solves]  # SQLite: each runs at once
        wait = limit * 4 * len(solves) + 120  # the wall clock stops a solve at 4 times its limit
        jobs, first = watch(client, ids, wait)
        wall = time.monotonic() - began
        started.check()
        result = Throughput(
            name, quiet, beside.cores(), wall, first - began, began + wall - first, jobs
        )
        result.health_ms = health(client)
        for council, job in zip(solves, jobs, strict=True):
            if job["state"] != "done":
                result.failures.append(f"{name}: {council.pid} ended {job['state']}")
            elif (broken := breaches(client, council, job)[0]) != 0:
                result.failures.append(f"{name}: {council.pid}'s plan breaks {broken} rules")
    taken: dict[str, int] = {}
    for kept in rows(url).values():
        taken[kept.runner] = taken.get(kept.runner, 0) + 1
    result.runners = sorted(taken.values(), reverse=True)
    return result


def stops(url: str, runs: int, council: Council, logs: Path) -> tuple[list[Stop], float, float]:
    """`runs` long solves on one worker, each stopped once it has a plan; how idle the machine
    was before, and the cores other work used meanwhile."""
    quiet = idle()
    with service(url) as client, Workers(url, logs) as worker:
        upload(client, council)
        worker.start()
        beside = Beside(worker)
        done = [stop(client, worker, url, council) for _ in range(runs)]
        return done, quiet, beside.cores()


def stop(client: TestClient, worker: Workers, url: str, council: Council) -> Stop:
    """One long solve, stopped once it runs and has a plan."""
    job_id = submit(client, council.pid, LONG)
    running = until(
        f"job {job_id} to find a plan",
        240,
        POLL,
        lambda: (job := job_of(client, job_id))["state"] == "running" and job["solutions"] and job,
    )
    sent, asked = time.time(), time.perf_counter()
    expect(client, 202, "POST", f"/jobs/{job_id}/stop")
    answered = time.perf_counter() - asked
    job = until(
        f"job {job_id} to end",
        120,
        STOP_POLL,
        lambda: (job := job_of(client, job_id))["state"] not in ACTIVE and job,
    )
    seen = time.perf_counter() - asked
    worker.check()
    logged = until(f"job {job_id}'s end logged", 10, STOP_POLL, lambda: worker.ended(job_id))
    row = rows(url)[job_id]
    assert row.stop_asked is not None and row.finished is not None
    broken, plan = breaches(client, council, job) if job["plan"] else (-1, None)
    return Stop(
        solutions=running["solutions"],
        answered=answered,
        seen=seen,
        logged=logged - sent,
        whole=(row.finished - row.stop_asked).total_seconds(),
        job=job,
        breaches=broken,
        marked=plan is not None and STOPPED_EARLY in plan.explanation,
    )


def stop_failures(done: list[Stop]) -> list[str]:
    return [
        f"stop {n}: ended {s.job['state']}, {s.breaches} breaches, plan says stopped: {s.marked}"
        for n, s in enumerate(done, 1)
        if s.job["state"] != "stopped" or s.breaches != 0 or not s.marked
    ]


def hand_method(council: Council) -> float:
    """The clerk's hand method on the programme: the median seconds of `HANDS` runs, its plan
    checked (Failed when it breaks a rule)."""
    times = []
    for _ in range(HANDS):
        started = time.perf_counter()
        plan = first_fit(council.programme)
        times.append(time.perf_counter() - started)
    if not plan.status.found or check(council.programme, plan):
        raise Failed("the hand method's plan of the 10x council breaks a rule")
    return statistics.median(times)


FLOOR = (("measured", "{}"), ("times", "{}"), ("median ms", "{:,.1f}"))


def report(runs: list[Throughput], hand: float, limit: float) -> None:
    """Parts 1 and 3: the throughput table, and the hand method and bare endpoint beside it."""
    print(f"\n## Eight solves of the 10x council, time limit {limit:g} s each\n")
    one = next((r.span for r in runs if r.name == ONE), None)
    print(markdown_table(THROUGHPUT, [r.row(one) for r in runs]))
    two = next((r.span for r in runs if r.name == TWO), None)
    if one and two:
        print(f"\nTwo workers get through them {one / two:.2f} times as fast as one (span).")
    print("\n## Side by side, in the same run\n")
    floor = [
        {"measured": "hand method (first_fit), one 10x programme", "times": HANDS,
         "median ms": hand * 1000},
        *({"measured": f"GET /health, the service of: {r.name}", "times": HEALTH,
           "median ms": r.health_ms} for r in runs),
    ]  # fmt: skip
    print(markdown_table(FLOOR, [cells(FLOOR, row) for row in floor]))


def report_stops(done: list[Stop], quiet: float, beside: float) -> None:
    print(
        f"\n## A clerk's stop, one worker, {len(done)} solves asked for {LONG:.0f} s each "
        f"(the machine {quiet:.0%} idle before; other work used {beside:.2f} cores meanwhile)\n"
    )
    print(markdown_table(STOPPED, [s.row(n) for n, s in enumerate(done, 1)]))
    for name, values in (
        ("stop to read stopped", [s.seen for s in done]),
        ("stop to job ended (log)", [s.logged for s in done]),
    ):
        print(
            f"\n{name}: median {statistics.median(values):.3f} s, max {max(values):.3f} s; "
            f"over 1 s: {sum(v > 1 for v in values)} of {len(values)}"
        )
    checked = sum(s.breaches == 0 and s.marked for s in done)
    print(f"\nplans checked, no breach and marked stopped: {checked} of {len(done)}")


SQLITE = "SQLite, the web process"
ONE = "PostgreSQL, 1 worker"
TWO = "PostgreSQL, 2 workers"


def run(args: argparse.Namespace, logs: Path) -> list[str]:
    """Every part, printed; the failures."""
    solves = councils(SOLVES)
    first = solves[0].programme
    meetings = sum(len(b.meetings) for b in first.bodies)
    print(f"Machine: {machine()}; the machine {idle():.0%} idle just before.")
    print(
        f"10x council: {len(first.bodies)} bodies, {meetings} meetings, {len(first.items)} items;"
        f" {SOLVES} copies, each its own programme.",
        flush=True,
    )
    hand = hand_method(solves[0])
    runs = [throughput(SQLITE, f"sqlite:///{logs / 'bench.db'}", 0, args.time_limit, solves, logs)]
    done: list[Stop] = []
    with postgres_server() as server:
        if server is None:
            print(
                "\nThe queue bench needs PostgreSQL (the Debian package postgresql, or a server"
                " at SCRUTINY_TEST_POSTGRES): only the SQLite baseline was run."
            )
        else:
            given = os.environ.get("SCRUTINY_TEST_POSTGRES")
            where = "SCRUTINY_TEST_POSTGRES" if given else "a throwaway cluster, fsync off"
            print(f"PostgreSQL: {where}.", flush=True)
            for name, workers in ((ONE, 1), (TWO, 2)):
                with fresh_database(server, "queue_bench") as url:
                    runs.append(throughput(name, url, workers, args.time_limit, solves, logs))
            with fresh_database(server, "queue_bench") as url:
                done, quiet, beside = stops(url, args.stops, solves[0], logs)
    report(runs, hand, args.time_limit)
    if done:
        report_stops(done, quiet, beside)
    return [f for r in runs for f in r.failures] + stop_failures(done)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queue",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=TIME_LIMIT,
        help=f"seconds each solve may take ({TIME_LIMIT:g})",
    )
    parser.add_argument("--stops", type=int, default=STOPS, help=f"solves stopped ({STOPS})")
    args = parser.parse_args(argv)
    if not 0 < args.time_limit <= LONG or args.stops < 1:
        parser.error(f"need 0 < --time-limit <= {LONG:.0f} and --stops >= 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally blocks clean up
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as logs:
        try:
            failures = run(args, Path(logs))
        except Failed as err:
            failures = [str(err)]
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
