"""Running one job, wherever it runs: a process's own runner (`api.jobs.Runner`, on SQLite) or a
worker process taking it from the queue (`api.worker`, on PostgreSQL).

The job is claimed by a compare-and-set of its row from queued to running, naming the runner, so
that it runs once however many processes are offered it. The solve is a pure function of the
programme version the job names (and, for a re-plan, the plan it moves the least from): a job
run again after its worker died makes the same plan (unless the clock cut its search: the plan
says so). Its progress is written to its row every
`TICK` (seconds run, solutions found, the best plan's objective and bound), and a stop asked for
in the row (`api.jobs.ask_stop`, from any process) is seen within `LOOK` and stops the solve at
once (`SolveOptions.stop`). Each progress write is also the job's heartbeat (the database's
clock on PostgreSQL, where workers on other machines compare it), and the solve stops too when
the row says the job is no longer this runner's (taken for lost and run again elsewhere).

The plan is checked, kept as the programme's next plan version (marked `stopped` when the solve
was stopped before its time) and the job ends, all in one transaction that first makes sure the
job is still this runner's: a job taken for lost and run again elsewhere is never kept twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from sqlalchemy import Engine, func, select, update

from api.audit import record
from api.logs import fields
from api.storage import changed, reading, writing
from api.store import add_plan, now, plan_of, plan_row, programme_at
from api.tables import Job
from api.who import who_of
from scheduler.plan.model import STOPPED_EARLY
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import LAST
from scheduler.verified import plan_checked

_log = logging.getLogger(__name__)
ACTIVE = ("queued", "running")
TICK = 1.0  # seconds between progress writes while a job runs
LOOK = 0.25  # seconds between looks whether the job was asked to stop


def run_job(engine: Engine, job_id: str, runner: str, stop: threading.Event) -> None:
    """Run job `job_id` as `runner`, unless another runner has it or it has ended; `stop`
    stops its solve (a clerk's stop sets it, and so may the runner, shutting down). A job that
    fails is marked failed with the reason; its end is logged however it ended. An error
    before the job is claimed (the database out of reach) is raised, the job left queued: the
    caller may offer it again."""
    started = time.monotonic()  # reading the programme counts too
    if not _claimed(engine, job_id, runner):
        return
    try:
        _solve(engine, job_id, runner, stop, started)
    except Exception:
        _log.exception("job failed", extra=fields(job=job_id))
        _end_failed(engine, job_id, runner)
    finally:
        _log_end(engine, job_id, runner)


FAILED = (
    "The solve failed on an error of the service's own: no plan was made. Start it again; if it"
    " fails again, tell your IT team (the error is in the service's log)."
)
UNSTARTED = (
    "The solve could not be started: the service's database was out of reach. Start it again;"
    " if it happens again, tell your IT team."
)


def _end_failed(engine: Engine, job_id: str, runner: str) -> None:
    """Mark the job failed, if it is still this runner's (the database may be out of reach:
    then a lost runner's job is settled later)."""
    try:
        with writing(engine) as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == "running", Job.runner == runner)
                .values(state="failed", message=FAILED, finished=now())
            )
    except Exception:
        _log.exception("job's failure not written", extra=fields(job=job_id))


def end_unstarted(engine: Engine, job_id: str) -> None:
    """Mark a queued job failed that could not even be started (best effort)."""
    try:
        with writing(engine) as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == "queued")
                .values(state="failed", message=UNSTARTED, finished=now())
            )
    except Exception:
        _log.exception("job's failure not written", extra=fields(job=job_id))


def _claimed(engine: Engine, job_id: str, runner: str) -> bool:
    """Whether `runner` took the job from queued to running (a stop asked meanwhile wins: the
    job never starts; another runner's claim too)."""
    with writing(engine) as session:
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == "queued")
            .values(state="running", runner=runner, heartbeat=moment(engine))
        )
        return changed(claimed) == 1


def moment(engine: Engine) -> Any:
    """Now, for a heartbeat: the database's clock on PostgreSQL (workers on several machines
    compare their beats there), this process's on SQLite (one machine)."""
    return func.now() if engine.dialect.name == "postgresql" else now()


def _solve(engine: Engine, job_id: str, runner: str, stop: threading.Event, started: float) -> None:
    with reading(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        programme = programme_at(session, job.programme, job.programme_version)
        previous = plan_of(plan_row(session, job.programme, job.against)) if job.against else None
    as_of = dt.date.fromisoformat(job.as_of) if job.as_of else None
    options = SolveOptions(time_limit=job.time_limit, stop=stop)
    bound = {"job": job_id, "programme": job.programme, "kind": job.kind}
    _log.info("job started", extra=fields(**bound, time_limit=job.time_limit, attempt=job.attempt))
    with Progress(engine, job_id, runner, started, stop) as progress:
        verified = plan_checked(
            programme,
            options,
            previous=previous,
            as_of=as_of,
            progress=progress,
            source=f"plan {job.against}",
        )
    plan = verified.plan
    with writing(engine) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.state != "running" or job.runner != runner:
            # marked interrupted, or taken for lost and run again elsewhere: keep that
            _log.warning(
                "plan not kept: the job is no longer this runner's", extra=fields(job=job_id)
            )
            return
        job.finished = now()
        job.elapsed = round(progress.elapsed(), 3)  # solving and checking: the job's time
        if verified.bug:  # no plan is stored; one not found is, with its explanation
            job.state = "failed"
            breaches = "; ".join(map(str, verified.breaches))
            job.message = f"BUG: the plan breaks rules: {breaches}"
            return
        stopped = STOPPED_EARLY in plan.explanation  # a stop after the search: done
        row = add_plan(
            session,
            job.programme,
            plan,
            programme_version=job.programme_version,
            kind=job.kind,
            based_on=job.against,
            stopped=stopped,
        )
        job.state, job.plan, job.complete = "done", row.number, row.complete
        made = "Re-planned" if job.kind == "replan" else "Solved"
        said = f"{made}: plan {row.number}."
        if stopped:
            job.state = "stopped"
            stopper = who_of(session, job.stopped_by)
            by = f" by {stopper.name}" if stopper else " as the server stopped"
            said = f"{made}, stopped{by} after {job.elapsed:.0f} s: plan {row.number}."
        record(
            session,
            who_of(session, job.account),
            "plan.made",
            said,
            now=job.finished,
            programme=job.programme,
            version=job.programme_version,
            plan=row.number,
            details={"job": job.id, "kind": job.kind},
        )
        job.objective = plan.objective if plan.objective is not None else job.objective
        job.bound = plan.bound if plan.bound is not None else job.bound
        job.message = "\n".join(plan.explanation)


class Progress:
    """A running job's progress, written to its row every TICK seconds (in a thread of its own,
    so that the seconds advance between solutions): seconds since it started, and what CP-SAT's
    solution callback last reported; each write is the job's heartbeat. The same thread looks
    every LOOK seconds whether the row says the job was asked to stop, or is no longer
    `runner`'s, and then sets `stop`."""

    def __init__(
        self, engine: Engine, job_id: str, runner: str, started: float, stop: threading.Event
    ) -> None:
        self.engine, self.job_id, self.runner = engine, job_id, runner
        self.started = started  # time.monotonic()
        self.stop = stop  # set when the job's row says it was asked to stop
        self.solutions = 0
        self.stage: tuple[str, ...] | None = None  # the goals of the stage reporting
        self.last = 0.0  # and what it last reported
        self.best: tuple[float, float] | None = None  # (objective, bound), set as one
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> Progress:
        self._ticker.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._ticker.join()

    def __call__(
        self, seconds: float, objective: float, bound: float, goals: tuple[str, ...]
    ) -> None:
        # Each stage first reports the plan it starts from, and may report it again: a plan
        # is found the first time, and each time a stage betters what it had.
        if self.stage is None or (goals == self.stage and objective < self.last):
            self.solutions += 1
        self.stage, self.last = goals, objective
        if goals == LAST:  # the plan's own objective and bound (each stage has its own goals)
            self.best = (objective, bound)

    def elapsed(self) -> float:
        """Seconds since the job started running."""
        return time.monotonic() - self.started

    def _tick(self) -> None:
        written = time.monotonic()
        while not self._stop.wait(LOOK):
            try:
                if time.monotonic() - written >= TICK:
                    written = time.monotonic()
                    self._write()
                with reading(self.engine) as session:
                    row = session.execute(
                        select(Job.stop_asked, Job.state, Job.runner).where(Job.id == self.job_id)
                    ).one()
            except Exception:  # a busy database: the next look tries again
                continue
            asked, state, runner = row
            if asked is not None or state != "running" or runner != self.runner:
                self.stop.set()

    def _write(self) -> None:
        values: dict[str, Any] = {"solutions": self.solutions, "elapsed": self.elapsed()}
        if self.best is not None:
            values["objective"], values["bound"] = self.best
        with writing(self.engine) as session:
            session.execute(
                update(Job)
                .where(Job.id == self.job_id, Job.state == "running", Job.runner == self.runner)
                .values(**values, heartbeat=moment(self.engine))
            )


def _log_end(engine: Engine, job_id: str, runner: str) -> None:
    """The log's line of a job that ended, however it did (or of one stopped before it
    started); none for a job another runner has. Never raises: the job is over either way."""
    try:
        with reading(engine) as session:
            job = session.get(Job, job_id)
    except Exception:
        _log.exception("job's end not read", extra=fields(job=job_id))
        return
    if job is not None and not (job.state in ACTIVE and job.runner != runner):
        bound = {"job": job_id, "programme": job.programme, "kind": job.kind}
        said = {"state": job.state, "plan": job.plan, "seconds": job.elapsed}
        _log.info("job ended", extra=fields(**bound, **said))
