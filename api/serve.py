"""`scrutiny serve`: migrate, adopt a shared clerk token still set, settle the jobs of the last
run, then run the service under uvicorn, with its connections bounded (README, "Limits")."""

from __future__ import annotations

import uvicorn
from sqlalchemy.engine import make_url

from api.app import prepare
from api.job_queue import live_workers, postgres
from api.jobs import interrupt_all
from api.logs import CONFIG
from api.settings import Settings
from api.storage import reading


def serve(host: str, port: int, workers: int) -> None:
    """Run the service. Migrations, a shared clerk token still set and the jobs a stopped
    server left are settled once, before the workers start, so that the token's adoption is
    said once and no job of a worker now running is taken for dead.

    uvicorn runs its pure-Python HTTP parser, h11, which refuses a request line and headers
    over `max_header_bytes` (httptools, the faster one, takes headers of any size), with a
    deadline for each request's head (`api.connections`).
    """
    settings = Settings.from_environment()
    engine = prepare(settings)
    stopped = interrupt_all(engine)
    solvers: int | None = None  # the queue's workers alive, on PostgreSQL
    if postgres(settings.database_url):
        with reading(engine) as session:
            solvers = live_workers(session)
    engine.dispose()
    if stopped:
        print(f"scrutiny: {stopped} job(s) stopped with the server, now interrupted", flush=True)
    if solvers is not None:
        print(
            f"scrutiny: solves are queued for `scrutiny worker` processes ({solvers} running now;"
            " start at least one)",
            flush=True,
        )
    print(f"scrutiny: serving {_shown(settings.database_url)} on http://{host}:{port}", flush=True)
    uvicorn.run(
        "api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        log_config=CONFIG,
        access_log=False,
        http="api.connections:H11WithHeadDeadline",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_keep_alive=settings.keep_alive_seconds,
        limit_concurrency=settings.max_connections,
        timeout_graceful_shutdown=settings.shutdown_seconds,
    )


def _shown(url: str) -> str:
    """The database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)
