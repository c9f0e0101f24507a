"""Running the service in tests: a database per test (SQLite, and PostgreSQL when the CI gives
one), an app and client on it, the steps every API test takes (upload, solve, publish), and
signing in to the web page through its form.

SCRUTINY_TEST_POSTGRES is the URL of a PostgreSQL server where the tests may create and drop
databases (`.ci/run` starts one on loopback). When it is set, every test that takes
`database_url` runs twice: once on SQLite, once on PostgreSQL. On PostgreSQL the service's jobs
go through the queue: `client` runs a worker beside it (on a thread of the test's process).
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from api.app import create_app
from api.job_queue import postgres
from api.settings import Settings
from api.storage import make_engine, migrate
from api.worker import Worker
from bench.postgres import fresh_database

POSTGRES = os.environ.get("SCRUTINY_TEST_POSTGRES")
DATABASES = ["sqlite", *(["postgresql"] if POSTGRES else [])]
#: The shared clerk token of before issue 25, set as SCRUTINY_CLERK_TOKEN: the service adopts
#: it at start as an API token of the admin account "The clerk (shared token)".
CLERK = "clerk-token-for-tests-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {CLERK}"}
YAML = {**AUTH, "Content-Type": "application/yaml"}


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database for one test: empty on SQLite; on PostgreSQL, already migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scrutiny.db'}"
        return
    with fresh_postgres(request.getfixturevalue("migrated_postgres")) as url:
        yield url


@pytest.fixture(params=DATABASES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database for one test of the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scrutiny.db'}"
        return
    with fresh_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """The name of a PostgreSQL database migrated to the newest schema, the template of each
    test's: a copy is made in a moment, where migrating takes a second (the queue's schema)."""
    with fresh_postgres() as url:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        name = make_url(url).database
        assert name is not None
        yield name


@contextmanager
def fresh_postgres(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database on SCRUTINY_TEST_POSTGRES's server (empty, or a copy of
    `template`), dropped after."""
    assert POSTGRES is not None
    with fresh_database(POSTGRES, "scrutiny_test", template) as url:
        yield url


def make_app(database_url: str) -> FastAPI:
    return create_app(Settings(database_url=database_url, clerk_token=CLERK), announce=False)


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """A client of a fresh service, whose admin's API token is CLERK (on PostgreSQL, with a
    worker that runs its jobs)."""
    with TestClient(make_app(database_url)) as c, working(database_url):
        yield c


@contextmanager
def working(database_url: str, dead: float = 30.0) -> Iterator[Worker | None]:
    """A worker taking the queue's jobs on a thread, while in the block (on PostgreSQL; on
    SQLite the service runs its jobs itself, and there is none)."""
    if not postgres(database_url):
        yield None
        return
    worker = Worker(Settings(database_url=database_url), dead)
    thread = threading.Thread(target=asyncio.run, args=(worker.work(),), daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join()


def upload(client: TestClient, text: str) -> dict[str, Any]:
    """Upload a programme (YAML); returns its summary."""
    response = client.post("/programmes", content=text.encode(), headers=YAML)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def run_job(client: TestClient, pid: str, **request: Any) -> dict[str, Any]:
    """Start a solve (or re-plan) job and poll it until it ends; returns the finished job."""
    response = client.post(f"/programmes/{pid}/jobs", json=request, headers=AUTH)
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(location, headers=AUTH).json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {location} did not finish")


def solved_and_published(client: TestClient, text: str, pid: str) -> dict[str, Any]:
    """The programme `text` uploaded, solved (plan 1) and published (plan 2)."""
    upload(client, text)
    job = run_job(client, pid, time_limit=10)
    assert job["state"] == "done", job
    return publish(client, pid, job["plan"])


def publish(client: TestClient, pid: str, plan: int) -> dict[str, Any]:
    """Publish plan `plan` against the programme's current revision; returns the new version."""
    etag = client.get(f"/programmes/{pid}").headers["ETag"]
    response = client.post(
        f"/programmes/{pid}/plans/{plan}/publish", headers={**AUTH, "If-Match": etag}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def sign_in(client: TestClient) -> str:
    """Sign the clerk in through the page's form, as a browser does (the client keeps the
    session's cookie); returns the form key the page's forms carry."""
    response = client.post("/sign-in", data={"token": CLERK, "next": "/"})
    assert response.status_code == 200, response.text  # redirected home
    return form_key(client.get("/").text)


def form_key(page: str) -> str:
    """The form key a page's forms carry."""
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', page)
    assert key is not None, "no form key on the page: not signed in"
    return key.group(1)


def http_scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The ASGI scope of a plain-http request to the app, for tests that talk to it directly
    (to see what it sends, or how much of a body it reads)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
