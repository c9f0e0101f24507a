"""`scrutiny worker`: a process that takes solve and re-plan jobs from the queue on the
service's PostgreSQL (`api.job_queue`) and runs them, one at a time (a solve uses the cores
`SolveOptions` gives it; run as many workers as a machine has cores, on any machine that reaches
the database).

Its job's progress writes are the job's heartbeat (every second, `api.job_run`). Every `BEAT`
seconds it settles the jobs of other workers that have not beaten for `dead` seconds
(`api.job_queue.reap`), once it has itself reached the database for `dead` seconds on end: a
worker cut off from the database, or one that has just started, takes nobody else for lost
(theirs may have been cut off alike). Every worker should be given the same `dead`.

SIGTERM or SIGINT stops it: the solve under way stops at once and keeps its best plan (marked
stopped, as a clerk's stop does), then the worker ends; a job it is offered while stopping is
given back to the queue for another. Should Procrastinate's worker end on its own, the process
ends with status 1, for its supervisor (systemd, Kubernetes) to start it again.
"""

from __future__ import annotations

import asyncio
import logging
import logging.config
import secrets
import signal
import threading
import time

import procrastinate
from procrastinate.job_context import JobContext

from api.app import prepare
from api.job_queue import DEAD, QUEUE, TASK, libpq, postgres, reap
from api.job_run import run_job
from api.jobs import BEAT, WORKER
from api.logs import CONFIG, fields
from api.settings import Settings

_log = logging.getLogger(__name__)
LEAST_DEAD = 2 * BEAT  # ten beats of a job's progress: a live worker has beaten within it
MOST_DEAD = 24 * 3600.0  # and "inf" is no time
#: Procrastinate's own pruning of workers it takes for stalled (at a worker's start): never, in
#: practice (a worker pruned while alive fails on its next job); the jobs are settled by `reap`.
PRUNE = 7 * 24 * 3600.0
POLL = 1.0  # seconds between looks for a job, should a notification of one be missed
OFFERS = 5  # times a job is offered to workers when it cannot even be claimed


class Worker:
    """One worker process's work: its jobs, one at a time, and the lost workers' jobs settled."""

    def __init__(self, settings: Settings, dead: float = DEAD) -> None:
        self.engine = prepare(settings, announce=False)
        self.id = f"{WORKER}{secrets.token_hex(8)}"
        self.dead = dead
        self.queue = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=libpq(settings.database_url), min_size=1, max_size=3
            )
        )
        # A job not even claimed (the database out of reach a moment, the worker stopping) is
        # offered again, to any worker.
        retry = procrastinate.RetryStrategy(max_attempts=OFFERS, wait=int(BEAT))
        self.queue.task(name=TASK, queue=QUEUE, pass_context=True, retry=retry)(_solve)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._solving: threading.Event | None = None  # the stop of the solve under way
        self._busy: str | None = None  # and its job
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Task[None] | None = None  # Procrastinate's worker
        self._cancelled = False
        self._reached: float | None = None  # since when the database answers on end

    def run(self) -> None:
        """Work until stopped by SIGTERM or SIGINT; SystemExit(1) if Procrastinate's worker
        ended on its own."""

        async def main() -> bool:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, self.stop)
            return await self.work()

        if not asyncio.run(main()):
            raise SystemExit(1)

    async def work(self) -> bool:
        """Work until `stop`; whether it ended so (False: Procrastinate's worker ended on its
        own)."""
        self._loop = asyncio.get_running_loop()
        _log.info("worker started", extra=fields(worker=self.id))
        async with self.queue.open_async():
            settling = asyncio.create_task(self._settle())
            self._running = asyncio.create_task(
                self.queue.run_worker_async(
                    queues=[QUEUE],
                    name=self.id,
                    concurrency=1,
                    install_signal_handlers=False,
                    additional_context={"worker": self},
                    update_heartbeat_interval=BEAT,
                    stalled_worker_timeout=PRUNE,
                    fetch_job_polling_interval=POLL,
                    delete_jobs="successful",
                )
            )
            if self._closing.is_set():  # stopped while it opened
                self._cancel()
            try:
                await self._running
            except asyncio.CancelledError:
                pass  # stopped: Procrastinate waited for the job under way
            except Exception:  # the queue's connection lost for good: said, in the log
                _log.exception("the queue failed", extra=fields(worker=self.id))
            finally:
                settling.cancel()
        self.engine.dispose()
        asked = self._closing.is_set()
        if asked:
            _log.info("worker stopped", extra=fields(worker=self.id))
        else:
            _log.error(
                "worker ended unasked: the queue's worker stopped", extra=fields(worker=self.id)
            )
        return asked

    def stop(self) -> None:
        """Stop (from any thread): the solve under way stops now and keeps its best plan."""
        self._closing.set()
        with self._lock:
            if self._solving is not None:
                self._solving.set()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._cancel)

    def _cancel(self) -> None:
        """In the event loop, once: Procrastinate's worker stops taking jobs and ends once the
        job under way has (stopped just now). A second cancel would cut its shutdown short."""
        if self._running is not None and not self._cancelled:
            self._cancelled = True
            self._running.cancel()

    def solve(self, job_id: str) -> None:
        """Run job `job_id` (in Procrastinate's thread for it)."""
        stop = threading.Event()
        with self._lock:
            if self._closing.is_set():  # offered while stopping: for another worker
                raise Closing(job_id)
            self._solving, self._busy = stop, job_id
        try:
            run_job(self.engine, job_id, self.id, stop)
        finally:
            with self._lock:
                self._solving, self._busy = None, None

    async def _settle(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.settle)
            except Exception:  # the database away for a moment: the next round tries again
                self._reached = None
                _log.exception("settling lost workers' jobs failed", extra=fields(worker=self.id))
            await asyncio.sleep(BEAT)

    def settle(self) -> None:
        """Settle lost workers' jobs, once this worker has reached the database for `dead`
        seconds on end (a moment without it starts the count again)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        at = time.monotonic()
        if self._reached is None:
            self._reached = at
        if at - self._reached >= self.dead:
            with self._lock:
                busy = self._busy
            reap(self.engine, self.dead, self.id, busy)


class Closing(Exception):
    """A job offered to a worker that is stopping: the queue offers it again, to another."""


def _solve(context: JobContext, job: str) -> None:
    """The queue's task: run job `job` in the worker that took it."""
    worker: Worker = context.additional_context["worker"]
    worker.solve(job)


def work(dead: float, settings: Settings | None = None) -> None:
    """`scrutiny worker`: log as the service does, and work until stopped. ValueError, in
    words, when the database is not PostgreSQL or a setting cannot be used."""
    settings = settings or Settings.from_environment()
    if not postgres(settings.database_url):
        raise ValueError(
            "the job queue needs the service's PostgreSQL database (set DATABASE_URL to it);"
            " on SQLite, `scrutiny serve` runs the jobs itself"
        )
    if not dead >= LEAST_DEAD:
        raise ValueError(
            f"--dead-after must be at least {LEAST_DEAD:.0f} seconds (two heartbeats): a worker"
            " taken for lost sooner may be alive, its job run twice over"
        )
    if dead > MOST_DEAD:
        raise ValueError(
            f"--dead-after must be at most {MOST_DEAD:.0f} seconds (a day): a lost worker's job"
            " would wait longer than anyone would for it"
        )
    logging.config.dictConfig(CONFIG)
    Worker(settings, dead).run()
