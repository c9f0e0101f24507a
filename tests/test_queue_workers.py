"""Solves on the job queue, across worker processes (issue 26): `scrutiny worker` processes on
the service's PostgreSQL take the queued jobs between them; a worker killed mid-solve has its job
run again once, and a second death fails it with the reason; a clerk's stop ends a worker's solve
at once with its best plan, checked; a worker that is stopped does the same; the web process
restarted during a solve loses nothing.

These need PostgreSQL (SCRUTINY_TEST_POSTGRES, which `.ci/run` sets): without it the queue does
not exist, and `tests/conftest.py` leaves this file out.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from api.job_queue import AGAIN, LOST, LOST_STOPPING, live_workers, reap
from api.job_run import UNSTARTED
from api.jobs import QUEUED, WORKER, interrupt_all
from api.storage import make_engine, migrate, reading, writing
from api.store import now
from api.tables import Job, PlanRow
from bench.generate import generate, to_yaml
from scheduler.check import check
from scheduler.plan.model import STOPPED_EARLY, Plan
from scheduler.programme.load import parse_programme
from tests.service import AUTH, POSTGRES, fresh_postgres, make_app, upload

#: Seconds without a heartbeat before a worker is taken for lost: the least a worker allows.
DEAD = 10.0
#: Far longer than any of these takes: a wait that runs out is a failure, said so.
WAIT = 240.0
TEN_X = generate(10)


def ten_x(n: int) -> tuple[str, str]:
    """The synthetic 10x council's programme as the `n`th council: its id and its file."""
    data = dict(TEN_X, id=f"{TEN_X['id']}-{n}")
    return data["id"], to_yaml(data)


@pytest.fixture
def url() -> Iterator[str]:
    assert POSTGRES is not None
    with fresh_postgres() as database:
        yield database


class Workers:
    """`scrutiny worker` processes on the database, each logging to a file of its own."""

    def __init__(self, url: str, logs: Path) -> None:
        self.url, self.logs = url, logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "scheduler.cli", "worker", "--dead-after", str(DEAD)],
            env={**os.environ, "DATABASE_URL": self.url},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started.append(process)
        return process

    def log(self, n: int) -> str:
        """What worker `n` has logged so far."""
        return (self.logs / f"worker-{n}.log").read_text()

    def close(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait()


@pytest.fixture
def workers(url: str, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(url, tmp_path)
    try:
        yield started
    finally:
        started.close()


def until(what: str, ready: Callable[[], Any]) -> Any:
    """Wait for `ready()` to be true; its value."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {WAIT:.0f} s for {what}")


def jobs(url: str) -> list[Job]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Job).order_by(Job.created)))
    finally:
        engine.dispose()


def plans_of(url: str, pid: str) -> list[PlanRow]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(PlanRow).where(PlanRow.programme == pid)))
    finally:
        engine.dispose()


def submit(client: TestClient, pid: str, time_limit: float) -> str:
    response = client.post(f"/programmes/{pid}/jobs", json={"time_limit": time_limit}, headers=AUTH)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    return job_id


def job_of(client: TestClient, job_id: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/jobs/{job_id}", headers=AUTH).json()
    return body


def ended(client: TestClient, job_id: str) -> dict[str, Any]:
    return until(
        f"job {job_id} to end",
        lambda: (job := job_of(client, job_id))["state"] not in ("queued", "running") and job,
    )


def row(url: str, job_id: str, what: str, ready: Callable[[Job], bool]) -> Job:
    """Job `job_id`'s row once `ready` for it."""
    return until(
        f"job {job_id} {what}",
        lambda: next((j for j in jobs(url) if j.id == job_id and ready(j)), None),
    )


def running(url: str, job_id: str) -> Job:
    """The job's row once a worker runs it and it has found a plan."""
    return row(url, job_id, "to run", lambda j: j.state == "running" and j.solutions > 0)


def checked(client: TestClient, pid: str, number: int, text: str) -> Plan:
    """Plan `number` of the programme, checked against every rule here too."""
    response = client.get(f"/programmes/{pid}/plans/{number}", headers=AUTH)
    assert response.status_code == 200, response.text
    plan = Plan.model_validate_json(response.content)
    assert check(parse_programme(text, "programme.yaml"), plan) == []
    return plan


def solving(
    client: TestClient, url: str, workers: Workers, time_limit: float
) -> tuple[str, str, str, subprocess.Popen[bytes], Job]:
    """The 10x council uploaded, a worker started and a solve of `time_limit` seconds found
    running in it with a plan: the programme's id and file, the job's id, the worker, the row."""
    pid, text = ten_x(0)
    upload(client, text)
    worker = workers.start()
    job_id = submit(client, pid, time_limit=time_limit)
    return pid, text, job_id, worker, running(url, job_id)


def test_two_workers_take_eight_queued_solves_between_them(url: str, workers: Workers) -> None:
    with TestClient(make_app(url)) as client:
        programmes = [ten_x(n) for n in range(8)]
        queued = []
        for pid, text in programmes:
            upload(client, text)
            queued.append(submit(client, pid, time_limit=3))
        assert {j.state for j in jobs(url)} == {"queued"}  # nobody takes them yet
        workers.start()
        workers.start()
        finished = [ended(client, job_id) for job_id in queued]
        assert [j["state"] for j in finished] == ["done"] * 8
        for (pid, text), job in zip(programmes, finished, strict=True):
            assert len(plans_of(url, pid)) == 1  # each solved once
            checked(client, pid, job["plan"], text)
    runners = {j.runner for j in jobs(url)}
    assert len(runners) == 2 and all(r.startswith(WORKER) for r in runners)  # both took some
    assert {j.attempt for j in jobs(url)} == {1}


def test_a_killed_worker_s_solve_runs_again_once_then_fails_with_the_reason(
    url: str, workers: Workers
) -> None:
    with TestClient(make_app(url)) as client:
        pid, text, job_id, _, _ = solving(client, url, workers, 6)
        kill(workers)
        workers.start()  # settles the lost worker's job, and runs it again
        job = ended(client, job_id)
        assert (job["state"], job["attempt"]) == ("done", 2)
        assert [p.number for p in plans_of(url, pid)] == [job["plan"]]  # one plan, not two
        checked(client, pid, job["plan"], text)

        again = submit(client, pid, time_limit=60)
        held = running(url, again)
        kill(workers)  # the worker running it dies
        workers.start()  # and the one that runs it again
        retried = row(url, again, "to run again", lambda j: j.attempt == 2 and j.solutions > 0)
        assert retried.state == "running" and retried.runner not in (held.runner, QUEUED)
        assert job_of(client, again)["message"] == AGAIN  # the clerk is told why
        kill(workers)  # dies too
        workers.start()
        lost = ended(client, again)
        assert lost["state"] == "failed" and lost["message"] == LOST
        assert len(plans_of(url, pid)) == 1  # no plan for the lost job


def kill(workers: Workers) -> None:
    """kill -9 each worker still running."""
    for process in workers.started:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()


def test_a_stopped_solve_in_a_worker_keeps_its_best_plan_checked_and_frees_it(
    url: str, workers: Workers
) -> None:
    with TestClient(make_app(url)) as client:
        pid, text, job_id, _, _ = solving(client, url, workers, 600)
        response = client.post(f"/jobs/{job_id}/stop", headers=AUTH)
        assert response.status_code == 202, response.text
        job = ended(client, job_id)
        assert job["state"] == "stopped" and job["elapsed_seconds"] < 600
        plan = checked(client, pid, job["plan"], text)
        assert plan.explanation[-1] == STOPPED_EARLY
        stored = client.get(f"/programmes/{pid}/plans", headers=AUTH).json()
        assert [p["stopped"] for p in stored] == [True]
        after = ended(client, submit(client, pid, time_limit=2))  # the worker is free again
        assert after["state"] == "done"


def test_a_worker_stopped_stops_its_solve_and_keeps_its_plan(url: str, workers: Workers) -> None:
    with TestClient(make_app(url)) as client:
        pid, text, job_id, worker, _ = solving(client, url, workers, 600)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=WAIT) == 0
        job = job_of(client, job_id)
        assert job["state"] == "stopped"
        checked(client, pid, job["plan"], text)
        trail = client.get(f"/programmes/{pid}/audit", headers=AUTH).json()
        assert any("stopped as the server stopped" in e["words"] for e in trail)


def test_the_web_restarted_during_a_solve_loses_nothing(url: str, workers: Workers) -> None:
    with TestClient(make_app(url)) as client:
        pid, text, job_id, _, _ = solving(client, url, workers, 5)
    with TestClient(make_app(url)) as client:  # the web process again, the solve going on
        assert interrupt_all(client.app.state.scrutiny.engine) == 0  # type: ignore[attr-defined]
        job = ended(client, job_id)
        assert job["state"] == "done"
        checked(client, pid, job["plan"], text)
        assert len(plans_of(url, pid)) == 1


def test_a_queued_job_waits_for_a_worker_and_a_stopped_one_never_runs(
    url: str, workers: Workers
) -> None:
    pid, text = ten_x(0)
    with TestClient(make_app(url)) as client:
        upload(client, text)
        never = submit(client, pid, time_limit=600)
        assert client.post(f"/jobs/{never}/stop", headers=AUTH).status_code == 202
        waiting = submit(client, pid, time_limit=2)
    with TestClient(make_app(url)) as client:  # restarted with no worker: still waiting
        assert job_of(client, waiting)["state"] == "queued"
        workers.start()
        assert ended(client, waiting)["state"] == "done"
        assert job_of(client, never)["state"] == "stopped"
        assert [j.runner for j in jobs(url) if j.id == never] == [QUEUED]  # never taken


def test_a_worker_needs_postgresql(tmp_path: Path) -> None:
    for database, dead, words in (
        (f"sqlite:///{tmp_path / 'scrutiny.db'}", "30", "needs the service's PostgreSQL"),
        (str(POSTGRES), "5", "at least 10 seconds"),
        (str(POSTGRES), "inf", "at most 86400 seconds"),
    ):
        said = subprocess.run(
            [sys.executable, "-m", "scheduler.cli", "worker", "--dead-after", dead],
            env={**os.environ, "DATABASE_URL": database},
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert said.returncode == 2 and words in said.stderr and "Traceback" not in said.stderr


A_WORKER = """
    INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - make_interval(secs => :ago))
    RETURNING id
"""
ME, OTHER = f"{WORKER}me", f"{WORKER}other"
IDLE = "idle"  # the worker ME, its job not the one it runs now


@pytest.mark.parametrize(
    ("state", "attempt", "stop", "runner", "beat", "entry", "then", "entries"),
    [
        # running: settled by its own heartbeat, the worker's progress writes
        ("running", 1, False, OTHER, 60, ("doing", 60), ("queued", 2, AGAIN), ["todo"]),
        ("running", 2, False, OTHER, 60, ("doing", 60), ("failed", 2, LOST), []),
        ("running", 1, True, OTHER, 60, ("doing", 60), ("stopped", 1, LOST_STOPPING), []),
        ("running", 1, False, OTHER, 5, ("doing", 60), ("running", 1, ""), ["doing"]),
        ("running", 1, False, ME, 60, ("doing", 60), ("running", 1, ""), ["doing"]),  # mine
        ("running", 1, False, IDLE, 60, ("doing", 60), ("queued", 2, AGAIN), ["todo"]),
        # queued: by its entry (taken by a worker lost before it claimed the job, or none left)
        ("queued", 1, False, QUEUED, 60, ("doing", 60), ("queued", 1, AGAIN), ["todo"]),
        ("queued", 1, False, QUEUED, 60, ("doing", 5), ("queued", 1, ""), ["doing"]),
        ("queued", 1, False, QUEUED, 60, ("todo", 60), ("queued", 1, ""), ["todo"]),
        ("queued", 1, False, QUEUED, 60, ("failed", 60), ("failed", 1, UNSTARTED), ["failed"]),
    ],
)
def test_a_lost_workers_job_is_settled_by_what_it_was_doing(
    url: str,
    state: str,
    attempt: int,
    stop: bool,
    runner: str,
    beat: float,
    entry: tuple[str, float],
    then: tuple[str, int, str],
    entries: list[str],
) -> None:
    pid, text = ten_x(0)
    with TestClient(make_app(url)) as client:
        upload(client, text)
        job_id = submit(client, pid, time_limit=5)
        engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    status, worker_beat = entry
    with writing(engine) as session:
        worker = session.execute(sql(A_WORKER), {"ago": worker_beat}).scalar_one()
        session.execute(
            sql(
                "UPDATE procrastinate_jobs SET status = CAST(:status AS procrastinate_job_status),"
                " worker_id = :worker"
            ),
            {"status": status, "worker": worker},
        )
        session.execute(
            sql("UPDATE jobs SET heartbeat = now() - make_interval(secs => :ago)"), {"ago": beat}
        )
        job = session.get(Job, job_id)
        assert job is not None
        job.state, job.attempt, job.runner = state, attempt, ME if runner == IDLE else runner
        job.stop_asked = now() if stop else None
    reap(engine, DEAD, ME, job_id if runner == ME else None)
    with reading(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert (job.state, job.attempt, job.message) == then
        listed = sql("SELECT status FROM procrastinate_jobs ORDER BY id")
        assert list(session.scalars(listed)) == entries
    engine.dispose()


def test_processes_starting_together_on_a_new_database_migrate_it_once(url: str) -> None:
    """Each worker (and web process) brings the schema up to date as it starts: two at once
    take turns (a lock), rather than both making the same tables."""
    engines = [make_engine(url), make_engine(url)]
    gate = threading.Barrier(len(engines))
    failed: list[Exception] = []

    def start(engine: Engine) -> None:
        gate.wait()
        try:
            migrate(engine)
        except Exception as err:
            failed.append(err)

    starting = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    assert failed == []
    with reading(engines[0]) as session:
        assert live_workers(session) == 0  # the queue's tables are there
    for engine in engines:
        engine.dispose()


def test_a_worker_cut_off_and_back_finds_its_job_run_elsewhere_and_keeps_nothing(
    url: str, workers: Workers
) -> None:
    """A worker that stops beating (paused here, as a machine cut off from the database would)
    has its job run again by another; when it comes back it stops its solve and keeps no plan,
    and the end of its old queue entry touches nothing of the new run's."""
    with TestClient(make_app(url)) as client:
        pid, text, job_id, first, held = solving(client, url, workers, 600)
        first.send_signal(signal.SIGSTOP)
        workers.start()
        retried = row(url, job_id, "to run again", lambda j: j.attempt == 2 and j.solutions > 0)
        assert retried.runner != held.runner
        first.send_signal(signal.SIGCONT)
        until("the first worker to say it kept nothing", lambda: "plan not kept" in workers.log(0))
        assert client.post(f"/jobs/{job_id}/stop", headers=AUTH).status_code == 202
        job = ended(client, job_id)
        assert (job["state"], job["attempt"]) == ("stopped", 2)
        assert [p.number for p in plans_of(url, pid)] == [job["plan"]]  # one plan, the second's
        checked(client, pid, job["plan"], text)
        assert first.poll() is None  # the first worker goes on, free for the next job
        after = ended(client, submit(client, pid, time_limit=2))
        assert after["state"] == "done"


def test_a_worker_told_twice_to_stop_still_keeps_its_plan_and_ends_cleanly(
    url: str, workers: Workers
) -> None:
    with TestClient(make_app(url)) as client:
        pid, text, job_id, worker, _ = solving(client, url, workers, 600)
        worker.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=WAIT) == 0
        job = job_of(client, job_id)
        assert job["state"] == "stopped"
        checked(client, pid, job["plan"], text)
    log = workers.log(0)
    assert "Traceback" not in log
    assert all(json.loads(line)["level"] for line in log.splitlines())  # JSON lines only
    assert log.index('"job ended"') < log.index('"worker stopped"')
