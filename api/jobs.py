"""Solve and re-plan as background jobs: queued, run one at a time, polled for progress.

A job's row says how far it got: the seconds it has run (written every `TICK` while it runs, so
that its page can say how much of its time limit is left), solutions found, the incumbent
objective and best bound (from CP-SAT's solution callback), then the plan version it made and
whether that plan holds every must item (`complete`; a plan that cannot is kept too). The time
limit is the whole solve's, every stage together (`scheduler.solver.clock`); building the model
and checking the plan come on top, and the job's seconds count them too. Each
process that runs jobs beats a heartbeat into the rows it owns; a job whose process died (killed,
restarted) stops beating and is reported `interrupted`, never left "running" for ever.

A job can be asked to stop (`ask_stop`, by a clerk, through any worker process): the row says
so, the process running it sees that at its next progress write (within `TICK`), and stops the
solve at once (`SolveOptions.stop`); the best plan found by then is checked and kept, marked
`stopped`, and the job ends `stopped`. A queued job asked to stop never starts. Closing the
runner (the server stopping) stops its solve the same way.

A server that starts (`scrutiny serve`, before its workers) marks every job left queued or
running interrupted at once: none of its processes runs one yet. A process on its own (an app
made by `create_app`, as in the tests) cannot know that no sibling worker runs: it takes a job
for dead once the job has not beaten since this process started, for longer than a live
runner takes to beat (`GRACE`).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from api.audit import record
from api.errors import Conflict
from api.logs import fields
from api.schemas import JobIn
from api.storage import changed, reading, writing
from api.store import add_plan, now, plan_of, plan_row, programme_at, programme_row
from api.tables import Job, PlanRow, ProgrammeRow
from api.who import Who, who_of
from scheduler.plan.model import STOPPED_EARLY, SolveStatus
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import LAST
from scheduler.verified import plan_checked

_log = logging.getLogger(__name__)
ACTIVE = ("queued", "running")
FOUND = [s.value for s in SolveStatus if s.found]  # plan statuses with agendas
BEAT = 5.0  # seconds between heartbeats
DEAD = dt.timedelta(seconds=30)  # no heartbeat for this long: the process is gone
GRACE = dt.timedelta(seconds=3 * BEAT)  # a live runner has beaten since it, with room to spare
STARTED = now()  # this process's start: a job that has not beaten since is another process's
STOPPED = "the server stopped"
TICK = 1.0  # seconds between progress writes while a job runs


class Runner:
    """Runs this process's jobs on one worker thread (CP-SAT uses the core it is given)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.id = secrets.token_hex(8)
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
                runner=self.id,
                account=by.account,
                heartbeat=at,
                solutions=0,
                elapsed=0.0,
                message="",
                created=at,
            )
            session.add(job)
        with self._lock:
            if self._beat is None:
                self._beat = threading.Thread(target=self._heartbeat, daemon=True)
                self._beat.start()
        self._pool.submit(self._run, job.id)
        return job

    def _heartbeat(self) -> None:
        while not self._stop.wait(BEAT):
            try:
                with writing(self.engine) as session:
                    session.execute(
                        update(Job)
                        .where(Job.runner == self.id, Job.state.in_(ACTIVE))
                        .values(heartbeat=now())
                    )
            except Exception:
                continue

    def _run(self, job_id: str) -> None:
        try:
            self._solve(job_id)
        except Exception as err:
            with writing(self.engine) as session:
                job = session.get(Job, job_id)
                if job is not None:
                    job.state, job.message, job.finished = "failed", f"internal error: {err}", now()
            _log.exception("job failed", extra=fields(job=job_id))
        finally:
            with self._lock:
                self._solving = None
            _log_end(self.engine, job_id)

    def _solve(self, job_id: str) -> None:
        started = time.monotonic()  # reading the programme counts too
        with writing(self.engine) as session:
            claimed = session.execute(  # a stop asked meanwhile wins: the job never starts
                update(Job).where(Job.id == job_id, Job.state == "queued").values(state="running")
            )
            if changed(claimed) != 1:
                return
            job = session.get(Job, job_id)
            assert job is not None
            programme = programme_at(session, job.programme, job.programme_version)
            previous = (
                plan_of(plan_row(session, job.programme, job.against)) if job.against else None
            )
        as_of = dt.date.fromisoformat(job.as_of) if job.as_of else None
        stop = threading.Event()
        with self._lock:
            self._solving = stop
            if self._stop.is_set():  # closing already
                stop.set()
        options = SolveOptions(time_limit=job.time_limit, stop=stop)
        bound = {"job": job_id, "programme": job.programme, "kind": job.kind}
        _log.info("job started", extra=fields(**bound, time_limit=job.time_limit))
        with _Progress(self.engine, job_id, started, stop) as progress:
            verified = plan_checked(
                programme,
                options,
                previous=previous,
                as_of=as_of,
                progress=progress,
                source=f"plan {job.against}",
            )
        plan = verified.plan
        with writing(self.engine) as session:
            job = session.get(Job, job_id)
            if job is None or job.state != "running":  # marked interrupted meanwhile: keep that
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


class _Progress:
    """A running job's progress, written to its row every TICK seconds (in a thread of its own,
    so that the seconds advance between solutions): seconds since it started, and what CP-SAT's
    solution callback last reported."""

    def __init__(self, engine: Engine, job_id: str, started: float, stop: threading.Event) -> None:
        self.engine, self.job_id, self.started = engine, job_id, started  # time.monotonic()
        self.stop = stop  # set when the job's row says it was asked to stop
        self.solutions = 0
        self.stage: tuple[str, ...] | None = None  # the goals of the stage reporting
        self.last = 0.0  # and what it last reported
        self.best: tuple[float, float] | None = None  # (objective, bound), set as one
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> _Progress:
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
        while not self._stop.wait(TICK):
            values: dict[str, float] = {"solutions": self.solutions, "elapsed": self.elapsed()}
            if self.best is not None:
                values["objective"], values["bound"] = self.best
            try:
                with writing(self.engine) as session:
                    session.execute(
                        update(Job)
                        .where(Job.id == self.job_id, Job.state == "running")
                        .values(**values)
                    )
                    asked = session.scalar(select(Job.stop_asked).where(Job.id == self.job_id))
            except Exception:  # a busy database: the next tick writes again
                continue
            if asked is not None:
                self.stop.set()


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
    started, now that a live runner would have beaten."""
    if job.state not in ACTIVE:
        return False
    at = now()
    return at - job.heartbeat > DEAD or (job.heartbeat < STARTED and at - STARTED > GRACE)


def interrupt_all(engine: Engine) -> int:
    """Mark every queued or running job interrupted; returns how many. Only for a server that
    starts, before any of its processes runs a job: each such job's process is gone."""
    with writing(engine) as session:
        return changed(
            session.execute(
                update(Job)
                .where(Job.state.in_(ACTIVE))
                .values(state="interrupted", finished=now(), message=STOPPED)
            )
        )


def _log_end(engine: Engine, job_id: str) -> None:
    """The log's line of a job that ended, however it did (or of one that never started)."""
    with reading(engine) as session:
        job = session.get(Job, job_id)
    if job is not None:
        bound = {"job": job_id, "programme": job.programme, "kind": job.kind}
        said = {"state": job.state, "plan": job.plan, "seconds": job.elapsed}
        _log.info("job ended", extra=fields(**bound, **said))


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
