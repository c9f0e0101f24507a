"""`scrutiny worker`: a process that takes solve and re-plan jobs from the queue on the
service's PostgreSQL (`api.job_queue`) and runs them, one at a time (a solve uses the cores
`SolveOptions` gives it; run as many workers as a machine has cores, on any machine that reaches
the database).

It beats Procrastinate's heartbeat every `BEAT` seconds, and every `BEAT` seconds settles the
jobs of workers that have not beaten for `dead` seconds (`api.job_queue.reap`). SIGTERM or
SIGINT stops it: the solve under way stops at once and keeps its best plan (marked stopped, as a
clerk's stop does), then the worker ends; a job it had not started stays queued for another.
"""

from __future__ import annotations

import asyncio
import logging
import logging.config
import secrets
import signal
import threading

import procrastinate
from procrastinate.job_context import JobContext

from api.app import prepare
from api.job_queue import DEAD, QUEUE, TASK, libpq, postgres, reap
from api.job_run import run_job
from api.jobs import BEAT, WORKER
from api.logs import CONFIG, fields
from api.settings import Settings

_log = logging.getLogger(__name__)
LEAST_DEAD = 2 * BEAT  # a live worker has beaten within it, however busy
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
        # A job not even claimed (the database out of reach a moment) is offered again.
        retry = procrastinate.RetryStrategy(max_attempts=OFFERS, wait=int(BEAT))
        self.queue.task(name=TASK, queue=QUEUE, pass_context=True, retry=retry)(_solve)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._solving: threading.Event | None = None  # the stop of the solve under way
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Task[None] | None = None  # Procrastinate's worker

    def run(self) -> None:
        """Work until stopped by SIGTERM or SIGINT."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, self.stop)
            await self.work()

        asyncio.run(main())

    async def work(self) -> None:
        """Work until `stop`."""
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
                    stalled_worker_timeout=self.dead,
                    fetch_job_polling_interval=POLL,
                    delete_jobs="successful",
                )
            )
            if self._closing.is_set():  # stopped while it opened
                self._running.cancel()
            try:
                await self._running
            except asyncio.CancelledError:
                pass  # stopped: Procrastinate waited for the job under way
            finally:
                settling.cancel()
        self.engine.dispose()
        _log.info("worker stopped", extra=fields(worker=self.id))

    def stop(self) -> None:
        """Stop (from any thread): the solve under way stops now and keeps its best plan."""
        self._closing.set()
        with self._lock:
            if self._solving is not None:
                self._solving.set()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._cancel)

    def _cancel(self) -> None:
        """In the event loop: Procrastinate's worker stops taking jobs and ends once the job
        under way has (stopped just now)."""
        if self._running is not None:
            self._running.cancel()

    def solve(self, job_id: str) -> None:
        """Run job `job_id` (in Procrastinate's thread for it)."""
        stop = threading.Event()
        with self._lock:
            self._solving = stop
            if self._closing.is_set():
                stop.set()
        try:
            run_job(self.engine, job_id, self.id, stop)
        finally:
            with self._lock:
                self._solving = None

    async def _settle(self) -> None:
        while True:
            try:
                await asyncio.to_thread(reap, self.engine, self.dead)
            except Exception:  # the database away for a moment: the next round tries again
                _log.exception("settling lost workers' jobs failed", extra=fields(worker=self.id))
            await asyncio.sleep(BEAT)


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
    logging.config.dictConfig(CONFIG)
    Worker(settings, dead).run()
