"""Solve and re-plan as background jobs: queued, run, polled for progress, stopped on request.

A job's row says how far it got: the seconds it has run, solutions found, the incumbent
objective and best bound, then the plan version it made and whether that plan holds every must
item (`complete`; a plan that cannot is kept too). How one job runs is `api.job_run`.

Where jobs run depends on the database. On SQLite (one machine) each web process runs its own
jobs, one at a time, on a thread (`Runner`); on PostgreSQL they go through the job queue to
`scrutiny worker` processes on any machine that reaches the database (`api.job_queue`). The rows
and their states are the same either way, and so is everything the API and the page say.

A process's own runner beats a heartbeat into the rows it owns; a job whose process died
(killed, restarted) stops beating and is reported `interrupted`, never left "running" for ever.
A server that starts (`scrutiny serve`, before its workers) marks every such job left queued or
running interrupted at once: none of its processes runs one yet. A process on its own (an app
made by `create_app`, as in the tests) cannot know that no sibling runs: it takes a job for dead
once the job has not beaten since this process started, for longer than a live runner takes to
beat (`GRACE`). A job in the queue is never taken for dead here: the workers settle a dead
worker's job (`api.job_queue.reap`).

A job can be asked to stop (`ask_stop`, by a clerk, through any process): the process running it
sees that within a second and stops the solve at once, keeping the best plan found by then,
marked `stopped`; a queued job asked to stop never starts. Closing a runner (the server
stopping) stops its solve the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from api.audit import record
from api.errors import Conflict
from api.job_run import ACTIVE, end_unstarted, run_job
from api.logs import fields
from api.schemas import JobIn
from api.storage import changed, reading, writing
from api.store import now, programme_row
from api.tables import Job, PlanRow, ProgrammeRow
from api.who import Who
from scheduler.plan.model import SolveStatus

_log = logging.getLogger(__name__)
FOUND = [s.value for s in SolveStatus if s.found]  # plan statuses with agendas
BEAT = 5.0  # seconds between heartbeats
DEAD = dt.timedelta(seconds=30)  # no heartbeat for this long: the process is gone
GRACE = dt.timedelta(seconds=3 * BEAT)  # a live runner has beaten since it, with room to spare
STARTED = now()  # this process's start: a job that has not beaten since is another process's
STOPPED = "the server stopped"
QUEUED = "queue"  # the runner of a job waiting in the queue for a worker
WORKER = "worker-"  # how a worker process's runner begins


def queued(job: Job) -> bool:
    """Whether the job went through the queue (whoever runs it now)."""
    return job.runner == QUEUED or job.runner.startswith(WORKER)


class Jobs:
    """Where the service hands the jobs it is asked for."""

    def __init__(self, engine: Engine, runner: str) -> None:
        self.engine = engine
        self.runner = runner  # a new job's runner

    def close(self) -> None:
        """The service stops."""

    def submit(self, pid: str, request: JobIn, by: Who) -> Job:
        """Queue a job for the programme's newest version (one active job per programme), asked
        for by `by` (its plan is recorded as theirs)."""
        with writing(self.engine) as session:
            programme = programme_row(session, pid)
            session.execute(  # lock the programme: two submits cannot both find it idle
                select(ProgrammeRow.id).where(ProgrammeRow.id == pid).with_for_update()
            )
            for active in session.scalars(
                select(Job).where(Job.programme == pid, Job.state.in_(ACTIVE))
            ):
                if not _dead(active):
                    raise Conflict(f"job {active.id} is already {active.state} for '{pid}'")
                active.state, active.finished, active.message = "interrupted", now(), STOPPED
            against = replan_base(session, programme) if request.kind == "replan" else None
            at = now()
            job = Job(
                id=secrets.token_hex(8),
                programme=pid,
                kind=request.kind,
                programme_version=programme.version,
                against=against,
                as_of=request.as_of.isoformat()
                if request.as_of and request.kind == "replan"
                else None,
                time_limit=request.time_limit,
                state="queued",
                runner=self.runner,
                attempt=1,
                account=by.account,
                heartbeat=at,
                solutions=0,
                elapsed=0.0,
                message="",
                created=at,
            )
            session.add(job)
            session.flush()
            self._hand_over(session, job)
        self._handed(job)
        return job

    def _hand_over(self, session: Session, job: Job) -> None:
        """In the job's own transaction: hand it to whoever runs it."""

    def _handed(self, job: Job) -> None:
        """Once the job is committed."""


class Runner(Jobs):
    """Runs this process's jobs on one worker thread (CP-SAT uses the core it is given)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, secrets.token_hex(8))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="solve")
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None  # started with the first job
        self._lock = threading.Lock()
        self._solving: threading.Event | None = None  # the stop of the solve under way

    def close(self) -> None:
        """Stop: the solve under way stops at once, its best plan kept; queued ones wait for the
        next start (which marks them interrupted)."""
        self._stop.set()
        with self._lock:
            if self._solving is not None:
                self._solving.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _handed(self, job: Job) -> None:
        with self._lock:
            if self._beat is None:
                self._beat = threading.Thread(target=self._heartbeat, daemon=True)
                self._beat.start()
        self._pool.submit(self._run, job.id)

    def _heartbeat(self) -> None:
        while not self._stop.wait(BEAT):
            try:
                with writing(self.engine) as session:
                    session.execute(
                        update(Job)
                        .where(Job.runner == self.runner, Job.state.in_(ACTIVE))
                        .values(heartbeat=now())
                    )
            except Exception:
                continue

    def _run(self, job_id: str) -> None:
        stop = threading.Event()
        with self._lock:
            self._solving = stop
            if self._stop.is_set():  # closing already
                stop.set()
        try:
            run_job(self.engine, job_id, self.runner, stop)
        except Exception:  # not even claimed (the database out of reach): it fails, in words
            _log.exception("job not started", extra=fields(job=job_id))
            end_unstarted(self.engine, job_id)
        finally:
            with self._lock:
                self._solving = None


def replan_base(session: Session, programme: ProgrammeRow) -> int:
    """The plan a re-plan moves the least from: the published one; before anything is
    published, the newest plan found (the draft the clerk is working on)."""
    if programme.published is not None:
        return programme.published
    newest = session.scalar(
        select(func.max(PlanRow.number)).where(
            PlanRow.programme == programme.id, PlanRow.status.in_(FOUND)
        )
    )
    if newest is None:
        raise Conflict(f"programme '{programme.id}' has no plan to re-plan against: solve it first")
    return int(newest)


def _dead(job: Job) -> bool:
    """Whether the job's process is gone: no heartbeat for DEAD, or none since this process
    started, now that a live runner would have beaten. Never a job in the queue's."""
    if job.state not in ACTIVE or queued(job):
        return False
    at = now()
    return at - job.heartbeat > DEAD or (job.heartbeat < STARTED and at - STARTED > GRACE)


def interrupt_all(engine: Engine) -> int:
    """Mark every queued or running job of the web processes' own runners interrupted; returns
    how many. Only for a server that starts, before any of its processes runs a job: each such
    job's process is gone. The queue's jobs wait for a worker, or go on running in one."""
    with writing(engine) as session:
        return changed(
            session.execute(
                update(Job)
                .where(
                    Job.state.in_(ACTIVE),
                    Job.runner != QUEUED,
                    Job.runner.not_like(f"{WORKER}%"),
                )
                .values(state="interrupted", finished=now(), message=STOPPED)
            )
        )


def ask_stop(engine: Engine, job_id: str, by: Who) -> Job | None:
    """Ask job `job_id` to stop, for `by`: a running one stops within a second or so and keeps
    its best plan; a queued one ends at once, never started. Asking again, or asking an ended
    job, changes nothing. The job as it stands (None: no such job)."""
    at = now()
    with writing(engine) as session:
        # Each a compare-and-set on the state, so that a job starting at this moment is either
        # never started or stopped while it runs, never both.
        never = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == "queued")
            .values(
                state="stopped",
                finished=at,
                stop_asked=at,
                stopped_by=by.account,
                message=f"Stopped by {by.name} before it started: no plan was made.",
            )
        )
        if changed(never) == 1:
            job = session.get(Job, job_id)
            assert job is not None
            made = "re-plan" if job.kind == "replan" else "solve"
            record(
                session,
                by,
                "job.stopped",
                f"A {made} stopped before it started: no plan was made.",
                now=at,
                programme=job.programme,
                details={"job": job_id},
            )
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == "running", Job.stop_asked.is_(None))
            .values(stop_asked=at, stopped_by=by.account)
        )
    with reading(engine) as session:
        return session.get(Job, job_id)


def job_state(engine: Engine, job_id: str) -> Job | None:
    """The job as it stands; one whose process died is marked interrupted first."""
    with reading(engine) as session:
        job = session.get(Job, job_id)
    if job is not None and _dead(job):
        with writing(engine) as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state.in_(ACTIVE))
                .values(state="interrupted", finished=now(), message=STOPPED)
            )
            job = session.get(Job, job_id)
    return job
