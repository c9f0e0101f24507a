"""The job queue, on the service's PostgreSQL (Procrastinate): where the web processes hand
solve and re-plan jobs, and `scrutiny worker` processes (`api.worker`) take them.

A job goes into the queue in the same transaction as its row (`Queue`): both are kept, or
neither is. A worker takes the queue's entry, claims the job and runs it (`api.job_run`), its
progress writes beating the job's heartbeat (the database's clock) every second. A worker that
dies (killed, its machine gone or cut off) stops beating; after `dead` seconds without a beat,
another worker settles its job (`reap`): the job is run again from the start, once, under a new
entry (a solve is a pure function of the programme version it names, so the plan is the one the
first run would have made), and a job whose second run is lost too fails with the reason. The
old entry is ended first: a worker thought lost that comes back finds its job another's, stops,
and keeps nothing; its entry's end touches nothing of the new run's. A queued job no entry
offers any more (its worker lost between taking and claiming it, or never able to claim it) is
settled the same way. The job's own row stays the record of it; an entry only says who should
run it.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.job_run import UNSTARTED
from api.jobs import QUEUED, WORKER, Jobs
from api.logs import fields
from api.storage import REACH, writing
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
_LOST = text(
    """
    SELECT id FROM jobs
    WHERE state = 'running' AND runner LIKE :workers
      AND NOT (runner = :me AND id = COALESCE(CAST(:busy AS varchar), ''))
      AND heartbeat < now() - make_interval(secs => :dead)
    ORDER BY id
    FOR UPDATE SKIP LOCKED
    """
)
# Queued jobs no entry offers: none waiting, and none taken by a worker that still beats.
_STRANDED = text(
    """
    SELECT j.id FROM jobs j
    WHERE j.state = 'queued' AND j.runner = :queued
      AND NOT EXISTS (
        SELECT 1 FROM procrastinate_jobs e
        LEFT JOIN procrastinate_workers w ON w.id = e.worker_id
        WHERE e.args->>'job' = j.id AND (e.status = 'todo' OR (e.status = 'doing'
          AND w.last_heartbeat >= now() - make_interval(secs => :dead))))
    ORDER BY j.id
    FOR UPDATE OF j SKIP LOCKED
    """
)
# A job's entries still offered or taken, and whether any was taken (by a lost worker).
_ENTRIES = text(
    "SELECT id, status = 'doing' FROM procrastinate_jobs"
    " WHERE args->>'job' = :job AND status IN ('todo', 'doing') FOR UPDATE"
)
_LIVE = text(
    "SELECT count(*) FROM procrastinate_workers"
    " WHERE last_heartbeat >= now() - make_interval(secs => :dead)"
)
_END = text("SELECT procrastinate_finish_job_v1(:id, 'failed', true)")  # and delete it

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
        enqueue(session, job.id)


def reap(engine: Engine, dead: float, me: str, busy: str | None) -> list[tuple[str, str]]:
    """Settle, for worker `me` (running job `busy`, if any), the running jobs that have not
    beaten for `dead` seconds (its own others too: left running by a write that failed), and
    the queued jobs no entry offers: each is run again (once), or ends with the reason; returns
    each job's id and its state now."""
    settled: list[tuple[str, str]] = []
    with writing(engine) as session:
        lost = {"workers": f"{WORKER}%", "me": me, "busy": busy, "dead": dead}
        stranded = {"queued": QUEUED, "dead": dead}
        for query, values in ((_LOST, lost), (_STRANDED, stranded)):
            for job_id in session.scalars(query, values).all():
                job = session.get(Job, job_id)
                assert job is not None
                settled.append((job_id, _settle(session, job)))
    for job_id, state in settled:
        _log.warning("job of a lost worker settled", extra=fields(job=job_id, state=state))
    return settled


def _settle(session: Session, job: Job) -> str:
    """Settle `job`, running in a lost worker or offered by no entry (locked); its state now."""
    taken = False
    for entry, doing in session.execute(_ENTRIES, {"job": job.id}).all():
        session.execute(_END, {"id": entry})
        taken = taken or doing
    if job.stop_asked is not None:  # somebody stopped it: not run again
        job.state, job.finished, job.message = "stopped", now(), LOST_STOPPING
    elif job.state == "queued" and not taken:  # never claimed: no worker could
        job.state, job.finished, job.message = "failed", now(), UNSTARTED
    elif job.state == "running" and job.attempt >= ATTEMPTS:
        job.state, job.finished, job.message = "failed", now(), LOST
    else:  # run again, under a new entry; one the worker took but never started is not counted
        if job.state == "running":
            job.attempt += 1
        job.state, job.runner, job.message = "queued", QUEUED, AGAIN
        job.solutions, job.elapsed, job.objective, job.bound = 0, 0.0, None, None
        enqueue(session, job.id)
    return job.state


def enqueue(session: Session, job_id: str) -> None:
    """Offer job `job_id` to the workers, in `session`'s transaction."""
    args = json.dumps({"job": job_id})
    session.execute(_DEFER, {"queue": QUEUE, "task": TASK, "args": args})


def live_workers(session: Session, dead: float = DEAD) -> int:
    """How many workers have beaten within `dead` seconds."""
    return int(session.scalar(_LIVE, {"dead": dead}) or 0)


def libpq(url: str) -> str:
    """The database URL as psycopg (and so Procrastinate) takes it: no SQLAlchemy driver, and
    the service's time limits on reaching the database (`api.storage.REACH`) unless the URL
    sets its own."""
    parsed = make_url(url)
    limits = {k: v for k, v in REACH.items() if k not in parsed.query}
    given = parsed.set(drivername="postgresql").update_query_dict(limits)
    return given.render_as_string(hide_password=False)


def postgres(url: str) -> bool:
    """Whether the database at `url` is PostgreSQL (it has the queue)."""
    return make_url(url).get_backend_name() == "postgresql"
