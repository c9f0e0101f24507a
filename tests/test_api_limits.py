"""No request, signed in or not, can exhaust the server's memory, disk or connections (DESIGN §10),
and a stopped server leaves no job "running".

In process: bodies without the clerk's credential are never read, bodies over their route's cap
are refused, the sign-in form takes nothing but a small URL-encoded form. Against the real
server (`scrutiny serve` on a loopback port, with a 1-second body deadline and 8 connections):
what only it does, with raw sockets, as a slow or hostile client would send.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from starlette.types import Message

from api import jobs
from api.routes.common import MAX_UPLOAD
from api.settings import SettingError, Settings
from bench.generate import generate, to_yaml
from tests.conftest import BROMLEY
from tests.live import http, server
from tests.service import AUTH, CLERK, YAML, http_scope, make_app, sign_in, upload

PID = "bromley-ecf-2017-18"
MIB = 1024 * 1024
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def endless(app: FastAPI, method: str, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Send the app a request whose body never ends (64 KiB a chunk, no Content-Length); returns
    the answer's status and how many chunks the app asked for."""
    asked = 0
    status = 0

    async def receive() -> Message:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = http_scope(method, path, [(b"transfer-encoding", b"chunked"), *raw])
    asyncio.run(app(scope, receive, send))
    return status, asked


def test_a_body_without_the_clerks_credential_is_never_read(database_url: str) -> None:
    app = make_app(database_url)
    wrong = {"Authorization": "Bearer not-the-token", **JSON}
    assert endless(app, "POST", "/programmes/x/jobs", JSON) == (401, 0)
    assert endless(app, "POST", "/programmes/x/jobs", wrong) == (401, 0)
    assert endless(app, "POST", "/programmes", {"Content-Type": "application/yaml"}) == (401, 0)
    web = {"Content-Type": "multipart/form-data; boundary=x"}
    assert endless(app, "POST", "/web/programmes", web) == (303, 0)  # to the sign-in form


def test_the_clerks_endless_body_is_cut_at_its_routes_cap(database_url: str) -> None:
    app = make_app(database_url)
    status, asked = endless(app, "POST", "/programmes/x/jobs", {**AUTH, **JSON})
    assert (status, asked) == (413, 2)  # 64 KiB for a job, then the first chunk beyond
    status, asked = endless(app, "POST", "/programmes", {**AUTH, **YAML})
    assert status == 413 and asked * 65536 <= MAX_UPLOAD + 2 * 65536


def test_a_chunked_json_body_over_64_kib_is_refused_413(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    chunks = (b" " * 1024 for _ in range(65))
    r = client.post(f"/programmes/{PID}/jobs", content=chunks, headers={**AUTH, **JSON})
    assert r.status_code == 413
    assert r.json()["detail"].startswith("the request is too large: this request's body is at")
    assert r.headers["connection"] == "close"


def test_an_upload_over_5_mib_is_refused_413_before_it_is_read(client: TestClient) -> None:
    r = client.post("/programmes", content=b"#" * (6 * MIB), headers=YAML)
    assert r.status_code == 413
    assert r.json() == {"detail": "the request is too large: a programme file is at most 5 MiB"}


def test_a_programme_over_64_kib_is_still_read(client: TestClient) -> None:
    """A programme file has a cap of its own: a big one is validated, not refused unread."""
    padded = BROMLEY.read_text() + "# a comment of the clerk's\n" * 40_000  # over 1 MiB
    assert upload(client, padded)["id"] == PID


def test_the_sign_in_form_takes_no_multipart_body(client: TestClient) -> None:
    r = client.post("/sign-in", files={"token": ("token.txt", CLERK.encode())})
    assert r.status_code == 415
    assert r.headers["content-type"].startswith("text/html")
    assert "application/x-www-form-urlencoded" in r.text


def test_the_sign_in_form_over_4_kib_is_refused_413(client: TestClient) -> None:
    r = client.post("/sign-in", data={"token": CLERK, "next": "/" + "a" * 4096})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "the sign-in form is at most 4 KiB" in r.text


def test_the_sign_in_form_still_signs_in(client: TestClient) -> None:
    sign_in(client)
    assert client.get("/web/programmes/nope", follow_redirects=False).status_code == 404


def test_a_signed_in_clerks_form_over_64_kib_is_refused_413(client: TestClient) -> None:
    sign_in(client)
    r = client.post(f"/web/programmes/{PID}/edits", data={"action": "pin", "item": "x" * 70_000})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")


def test_feeds_and_pages_without_a_body_pass_untouched(client: TestClient) -> None:
    r = client.get("/programmes")
    assert r.status_code == 200 and "connection" not in r.headers


@pytest.mark.parametrize("value", ["0", "-5", "ten", "2.5", "1000000"])
def test_a_limit_that_is_not_a_bounded_whole_number_stops_the_service(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SCRUTINY_MAX_CONNECTIONS", value)
    with pytest.raises(SettingError, match=r"SCRUTINY_MAX_CONNECTIONS is .*: give a whole number"):
        Settings.from_environment()


def test_the_limits_have_defaults_and_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("BODY", "KEEP_ALIVE", "SHUTDOWN"):
        monkeypatch.delenv(f"SCRUTINY_{name}_SECONDS", raising=False)
    monkeypatch.setenv("SCRUTINY_MAX_HEADER_BYTES", "8192")
    settings = Settings.from_environment()
    seconds = (settings.body_seconds, settings.keep_alive_seconds, settings.shutdown_seconds)
    assert seconds == (10, 5, 30) and settings.max_header_bytes == 8192


def insert_job(database_url: str, job_id: str, heartbeat: dt.datetime) -> None:
    """A job row as another process left it: running, with its last heartbeat."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO jobs (id, programme, kind, programme_version, time_limit, state,"
                " runner, heartbeat, solutions, elapsed, message, created) VALUES"
                " (:id, :pid, 'solve', 1, 30, 'running', 'other', :beat, 0, 0, '', :beat)"
            ),
            {"id": job_id, "pid": PID, "beat": heartbeat},
        )
    engine.dispose()


def test_a_job_not_beaten_since_this_process_started_is_interrupted(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process on its own (no `scrutiny serve` before it) takes a job for dead once a live
    runner would have beaten since it started, long before the 30 seconds without one."""
    upload(client, BROMLEY.read_text())
    at = dt.datetime.now(dt.UTC)
    monkeypatch.setattr(jobs, "STARTED", at - jobs.GRACE - dt.timedelta(seconds=5))
    insert_job(database_url, "gone", at - jobs.GRACE - dt.timedelta(seconds=10))
    insert_job(database_url, "sibling", at - dt.timedelta(seconds=5))
    assert client.get("/jobs/gone", headers=AUTH).json()["state"] == "interrupted"
    assert client.get("/jobs/sibling", headers=AUTH).json()["state"] == "running"


def test_a_job_killed_with_the_server_reads_interrupted_right_after_restart(
    tmp_path: Path,
) -> None:
    """On SQLite, where the web process runs its own jobs (on PostgreSQL they run in workers,
    and a restarted web process loses none: tests/test_queue_workers.py)."""
    database_url = f"sqlite:///{tmp_path / 'scrutiny.db'}"
    log = tmp_path / "server.log"
    with server(database_url, log) as (process, base), http(base) as client:
        r = client.post("/programmes", content=to_yaml(generate(10)).encode(), headers=YAML)
        assert r.status_code == 201, r.text
        r = client.post(
            f"/programmes/{r.json()['id']}/jobs", json={"time_limit": 600}, headers=AUTH
        )
        assert r.status_code == 202, r.text
        job = r.headers["Location"]
        while (state := client.get(job, headers=AUTH).json()["state"]) == "queued":
            time.sleep(0.02)
        assert state == "running"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    with server(database_url, log) as (_, base), http(base) as client:
        after = client.get(job, headers=AUTH).json()
    assert (after["state"], after["message"]) == ("interrupted", "the server stopped")
    assert "1 job(s) stopped with the server, now interrupted" in log.read_text()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The real server: a 1-second body deadline, 8 connections at most, and 5 seconds (the
    default) for a request's head."""
    directory = tmp_path_factory.mktemp("limits")
    settings = {"SCRUTINY_BODY_SECONDS": "1", "SCRUTINY_MAX_CONNECTIONS": "8"}
    database = f"sqlite:///{directory / 'scrutiny.db'}"
    with server(database, directory / "server.log", settings) as (_, base):
        yield "127.0.0.1", int(base.rsplit(":", 1)[1])


def until_closed(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (30 s at most)."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def ask(live: tuple[str, int], head: str, body: bytes = b"") -> bytes:
    """Send a request's head and `body`, nothing more, and read the answer to the close."""
    with socket.create_connection(live, timeout=30) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + body)
        return until_closed(connection)


def post(path: str, length: int, *headers: str) -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: test", f"Content-Length: {length}", *headers]
    return "\n".join(lines) + "\n\n"


def test_600_mib_without_the_token_are_refused_401_before_they_are_sent(
    live: tuple[str, int],
) -> None:
    answer = ask(live, post("/programmes/x/jobs", 600 * MIB, "Content-Type: application/json"))
    assert answer.startswith(b"HTTP/1.1 401 ")
    assert answer.endswith(b'{"detail":"an account\'s API token is missing or wrong"}')


def test_600_mib_from_the_clerk_are_refused_413_before_they_are_sent(
    live: tuple[str, int],
) -> None:
    token = f"Authorization: Bearer {CLERK}"
    answer = ask(live, post("/programmes", 600 * MIB, token, "Content-Type: application/yaml"))
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in answer.lower()


def test_a_body_slower_than_the_deadline_gets_408_and_the_connection_closed(
    live: tuple[str, int],
) -> None:
    token = f"Authorization: Bearer {CLERK}"
    head = post("/programmes/x/jobs", 100, token, "Content-Type: application/json")
    answer = ask(live, head, b'{"kind": ')  # and the other 91 bytes never come
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert answer.endswith(b'{"detail":"the request\'s body did not arrive within 1 s"}')


def test_a_connection_without_a_whole_request_head_is_closed(live: tuple[str, int]) -> None:
    with socket.create_connection(live, timeout=30) as silent:
        assert until_closed(silent) == b""
    with socket.create_connection(live, timeout=30) as slow:
        slow.sendall(b"GET /programmes HTTP/1.1\r\nHost: te")  # and the rest never comes
        assert until_closed(slow) == b""


def test_headers_over_16_kib_are_refused(live: tuple[str, int]) -> None:
    head = "GET /programmes HTTP/1.1\nHost: test\nX-Padding: " + "a" * MIB + "\n\n"
    try:
        answer = ask(live, head)
    except (BrokenPipeError, ConnectionResetError):  # closed while the headers still came
        answer = b""
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400 ")
    assert ask(live, "GET /programmes HTTP/1.1\nHost: test\nConnection: close\n\n").startswith(
        b"HTTP/1.1 200 "
    )


def test_beyond_the_connection_limit_requests_get_503_at_once(live: tuple[str, int]) -> None:
    idle = [socket.create_connection(live, timeout=30) for _ in range(8)]
    try:
        answer = ask(live, "GET /programmes HTTP/1.1\nHost: test\nConnection: close\n\n")
    finally:
        for connection in idle:
            connection.close()
    assert answer.startswith(b"HTTP/1.1 503 ")
    deadline = time.monotonic() + 30
    while not ask(live, "GET /programmes HTTP/1.1\nHost: t\nConnection: close\n\n").startswith(
        b"HTTP/1.1 200 "
    ):  # until the server sees the idle connections go
        assert time.monotonic() < deadline, "the server still refuses with no connection open"
        time.sleep(0.05)
