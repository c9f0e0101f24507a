"""The job queue, on the service's PostgreSQL (Procrastinate): where the web processes hand
solve and re-plan jobs, and `scrutiny worker` processes (`api.worker`) take them.

A job goes into the queue in the same transaction as its row (`Queue`): both are kept, or
neither is. A worker takes it, runs it (`api.job_run`) and beats Procrastinate's heartbeat while
it does. A worker that dies (killed, its machine gone) stops beating; after `dead` seconds
without a heartbeat, any live worker settles its job (`reap`): the job is run again from the
start, once (a solve is a pure function of the programme version it names, so the plan is the
one the first run would have made), and a job whose second run dies too fails with the reason.
The job's own row stays the record of it; the queue's entry only says who should run it.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.job_run import ACTIVE
from api.jobs import QUEUED, Jobs
from api.logs import fields
from api.storage import writing
from api.store import now
from api.tables import Job

_log = logging.getLogger(__name__)
QUEUE = "solve"
TASK = "scrutiny.solve"
DEAD = 30.0  # default seconds without a heartbeat before a worker is taken for lost
ATTEMPTS = 2  # a job is run at most this often: once, and once again after its worker died

_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL,"
    " CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
)
_STALLED = text(
    """
    SELECT j.id, j.args->>'job' FROM procrastinate_jobs j
    LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
    WHERE j.status = 'doing' AND j.task_name = :task
      AND (j.worker_id IS NULL OR w.last_heartbeat < now() - make_interval(secs => :dead))
    ORDER BY j.id
    FOR UPDATE OF j SKIP LOCKED
    """
)
_LIVE = text(
    "SELECT count(*) FROM procrastinate_workers"
    " WHERE last_heartbeat >= now() - make_interval(secs => :dead)"
)
_RETRY = text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)")
_FINISH = text(
    "SELECT procrastinate_finish_job_v1(:id, CAST(:status AS procrastinate_job_status), false)"
)

AGAIN = (
    "The process solving it stopped (a computer restarted or lost): it is being solved again"
    " from the start."
)
LOST = (
    "The solve stopped twice because the process solving it was lost (a computer restarted or"
    " lost): no plan was made. Start it again; if this happens again, ask your IT team to look"
    " at the service's solving processes (its workers' logs and memory)."
)
LOST_STOPPING = "Stopped: the process solving it was lost before it could keep a plan."


class Queue(Jobs):
    """Hands each job to the queue, in the transaction that makes its row."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, QUEUED)

    def _hand_over(self, session: Session, job: Job) -> None:
        args = json.dumps({"job": job.id})
        session.execute(_DEFER, {"queue": QUEUE, "task": TASK, "args": args})


def reap(engine: Engine, dead: float) -> list[tuple[str, str]]:
    """Settle the jobs of workers that have not beaten for `dead` seconds: each is run again
    (once), or fails with the reason; returns each job's id and its state now."""
    settled: list[tuple[str, str]] = []
    with writing(engine) as session:
        for entry, job_id in session.execute(_STALLED, {"task": TASK, "dead": dead}).all():
            job = session.get(Job, job_id, with_for_update=True)
            settled.append((job_id, _settle(session, entry, job)))
    for job_id, state in settled:
        _log.warning("job of a lost worker settled", extra=fields(job=job_id, state=state))
    return settled


def _settle(session: Session, entry: int, job: Job | None) -> str:
    """Settle queue entry `entry` of `job`, whose worker was lost; the job's state now."""
    if job is None or job.state not in ACTIVE:  # it ended; the worker died before saying so
        session.execute(_FINISH, {"id": entry, "status": "succeeded"})
        return job.state if job is not None else "gone"
    if job.stop_asked is not None:  # somebody stopped it: not run again
        job.state, job.finished, job.message = "stopped", now(), LOST_STOPPING
        session.execute(_FINISH, {"id": entry, "status": "failed"})
    elif job.state == "running" and job.attempt >= ATTEMPTS:
        job.state, job.finished, job.message = "failed", now(), LOST
        session.execute(_FINISH, {"id": entry, "status": "failed"})
    else:  # run again; one the worker took but never started is not counted
        if job.state == "running":
            job.attempt += 1
        job.state, job.runner, job.message = "queued", QUEUED, AGAIN
        job.solutions, job.elapsed, job.objective, job.bound = 0, 0.0, None, None
        session.execute(_RETRY, {"id": entry})
    return job.state


def live_workers(session: Session, dead: float = DEAD) -> int:
    """How many workers have beaten within `dead` seconds."""
    return int(session.scalar(_LIVE, {"dead": dead}) or 0)


def libpq(url: str) -> str:
    """The database URL as psycopg (and so Procrastinate) takes it: no SQLAlchemy driver."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres(url: str) -> bool:
    """Whether the database at `url` is PostgreSQL (it has the queue)."""
    return make_url(url).get_backend_name() == "postgresql"
