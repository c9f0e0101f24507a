"""The FastAPI application: routers, error answers, and the state they share.

`create_app` migrates the database to the newest schema, adopts a shared clerk token still set
(`api.admin.adopt_shared_token`) and starts the job runner. The service holds no scheduling
rule: every answer is made by `scheduler`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, select
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api import web
from api.accounts import warm
from api.admin import FORMER_CLERK_NAME, adopt_shared_token
from api.errors import ApiError, request_problems
from api.headers import SecurityHeaders
from api.job_queue import Queue, postgres
from api.jobs import Runner
from api.limits import BodyLimits
from api.routes import accounts, feeds, moderngov, open_data, operations, plans, programmes
from api.settings import Settings
from api.state import State
from api.storage import make_engine, migrate, reading
from api.tables import Account
from api.web import errors as web_errors
from api.web.errors import error_page, is_page
from scheduler.errors import InputError, Problem


def prepare(settings: Settings, *, announce: bool = True) -> Engine:
    """The database, migrated; a shared clerk token still set becomes an admin's API token
    (said once, when `announce`)."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    token = settings.clerk_token
    if token and adopt_shared_token(engine, token, dt.datetime.now(dt.UTC)) and announce:
        print(
            f"scrutiny: SCRUTINY_CLERK_TOKEN is now an API token of the admin account"
            f" '{FORMER_CLERK_NAME}': scripts go on working with it. Make people's own accounts"
            " (scrutiny admin create, then the Accounts page), then revoke it there and unset"
            " SCRUTINY_CLERK_TOKEN.",
            flush=True,
        )
    if announce and not _anybody(engine):
        print(
            "scrutiny: nobody can sign in yet: make the first admin with\n"
            '    scrutiny admin create --email you@council.gov.uk --name "Your Name"',
            flush=True,
        )
    return engine


def _anybody(engine: Engine) -> bool:
    """Whether any account exists (else nobody can sign in)."""
    with reading(engine) as session:
        return session.scalar(select(Account.id).limit(1)) is not None


def create_app(settings: Settings | None = None, *, announce: bool = True) -> FastAPI:
    """The service for `settings` (default: from the environment)."""
    settings = settings or Settings.from_environment()
    engine = prepare(settings, announce=announce)
    warm()  # in each worker process, before its first sign-in

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.scrutiny.runner.close()
        engine.dispose()

    app = FastAPI(
        title="Scrutiny work-programme scheduler",
        version="1",
        description="Programmes, plan versions, publishing and calendar feeds (DESIGN §10).",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc run third-party script: not under our CSP
        redoc_url=None,
    )
    # On PostgreSQL the jobs go through the queue to `scrutiny worker`s; on SQLite each web
    # process runs its own (`api.jobs`).
    jobs = Queue(engine) if postgres(settings.database_url) else Runner(engine)
    app.state.scrutiny = State(settings, engine, jobs)
    app.add_middleware(feeds.FeedsFirst)  # innermost: feed reads from memory (api.feed_cache)
    app.add_middleware(NoNulInPaths)
    app.add_middleware(BodyLimits, seconds=settings.body_seconds)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, the NUL 404 too

    routers = (
        programmes.router,
        plans.router,
        feeds.router,
        open_data.router,
        moderngov.router,
        accounts.router,
        operations.router,
    )
    for router in (*routers, *web.ROUTERS):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(web.__file__).parent.parent / "static"))
    _answers(app)
    return app


class NoNulInPaths:
    """No id holds NUL (and PostgreSQL text cannot): such a path is not found, before any route
    takes it to the database. Plain ASGI, so that it costs the feeds' hot path nothing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "\x00" in scope["path"]:
            answer = JSONResponse({"detail": "no such resource (NUL in the path)"}, status_code=404)
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "location": p.location, "message": p.message}
        for p in problems
    ]


def _answers(app: FastAPI) -> None:
    """Every error is a JSON answer that says what is wrong; none is a traceback."""

    web_errors.install(app)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, err: ApiError) -> Response:
        if is_page(request):
            return error_page(request, err.status, err.detail)
        body: dict[str, Any] = {"detail": err.detail}
        if err.status in (409, 422):
            body["problems"] = _problems(err.problems)
        headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else None
        return JSONResponse(body, status_code=err.status, headers=headers)

    @app.exception_handler(InputError)
    async def input_error(_: Request, err: InputError) -> JSONResponse:
        status = 422 if err.problems and err.problems[0].file.startswith("upload.") else 409
        body = {"detail": str(err).splitlines()[0], "problems": _problems(err.problems)}
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, err: RequestValidationError) -> Response:
        problems = request_problems(err.errors())
        detail = "; ".join(str(p).removeprefix("request: ") for p in problems)
        if is_page(request):
            return error_page(request, 422, detail)
        return JSONResponse({"detail": detail, "problems": _problems(problems)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> Response:
        if is_page(request):
            return error_page(request, err.status_code, str(err.detail))
        return JSONResponse(
            {"detail": str(err.detail)},
            status_code=err.status_code,
            headers=getattr(err, "headers", None),
        )


def app_from_environment() -> FastAPI:
    """The factory `scrutiny serve` gives uvicorn."""
    return create_app(announce=False)
