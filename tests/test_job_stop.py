"""Stopping a solve job (issue 26): a clerk's Stop, through the API or the page, or the server
stopping; the job ends `stopped` with the best plan found by then, checked and kept, marked
stopped, and recorded in the trail; a queued job never starts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from api import job_run
from api.storage import reading
from api.tables import AuditEvent, PlanRow
from bench.generate import generate, to_yaml
from tests.service import AUTH, form_key, make_app, sign_in, upload, working

#: Far more than the synthetic council needs to be stopped in: a stop that does not stop keeps
#: the test this long.
LONG = 300
TEN_TIMES = to_yaml(generate(10))
PID = "dunmore-synthetic-2025-26"


def started(client: TestClient, pid: str = PID) -> str:
    """A solve of `pid` started and found running, with a first plan; its address."""
    answer = client.post(f"/programmes/{pid}/jobs", json={"time_limit": LONG}, headers=AUTH)
    assert answer.status_code == 202, answer.text
    location: str = answer.headers["Location"]
    until(client, location, lambda job: job["state"] == "running" and job["solutions"] >= 1)
    return location


def until(client: TestClient, location: str, done: Any) -> dict[str, Any]:
    deadline = time.monotonic() + LONG
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(location, headers=AUTH).json()
        if done(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"{location} never got there")


def test_a_stopped_solve_keeps_its_best_plan_checked(client: TestClient) -> None:
    upload(client, TEN_TIMES)
    location = started(client)
    job_id = location.rsplit("/", 1)[1]
    asked = client.post(f"/jobs/{job_id}/stop", headers=AUTH)
    assert asked.status_code == 202, asked.text
    job = until(client, location, lambda job: job["state"] not in ("queued", "running"))
    assert job["state"] == "stopped" and job["plan"] is not None, job
    plan = client.get(f"/programmes/{PID}/plans", headers=AUTH).json()[-1]
    assert (plan["number"], plan["stopped"]) == (job["plan"], True)
    assert plan["status"] in ("feasible", "optimal")  # a plan, checked: else the job failed
    engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    with reading(engine) as session:
        said = session.scalars(select(AuditEvent.words).where(AuditEvent.action == "plan.made"))
        assert any("stopped by The clerk (shared token)" in words for words in said)
    sign_in(client)
    versions = client.get(f"/web/programmes/{PID}").text
    assert f"showing plan {job['plan']} (solved, stopped before its time" in versions
    again = client.post(f"/jobs/{job_id}/stop", headers=AUTH)  # an ended job: nothing changes
    assert again.status_code == 202 and again.json()["state"] == "stopped"


def test_a_queued_job_asked_to_stop_never_starts(client: TestClient) -> None:
    upload(client, TEN_TIMES)
    upload(client, TEN_TIMES.replace(PID, "second-council", 1))
    running = started(client)
    answer = client.post("/programmes/second-council/jobs", json={"time_limit": 5}, headers=AUTH)
    queued = answer.headers["Location"].rsplit("/", 1)[1]
    stopped = client.post(f"/jobs/{queued}/stop", headers=AUTH).json()
    assert stopped["state"] == "stopped" and stopped["plan"] is None
    assert "before it started" in stopped["message"]
    trail = client.get("/programmes/second-council/audit", headers=AUTH).json()
    assert (trail[0]["action"], trail[0]["who"]) == ("job.stopped", "The clerk (shared token)")
    client.post(f"/jobs/{running.rsplit('/', 1)[1]}/stop", headers=AUTH)
    until(client, running, lambda job: job["state"] == "stopped")
    assert client.get(f"/jobs/{queued}", headers=AUTH).json()["state"] == "stopped"


def test_a_reader_cannot_stop_a_job(client: TestClient) -> None:
    upload(client, TEN_TIMES)
    location = started(client)
    job_id = location.rsplit("/", 1)[1]
    client.post(
        "/accounts",
        headers=AUTH,
        json={
            "email": "reader@bromley.gov.uk",
            "name": "Rita Reader",
            "role": "reader",
            "password": "correct horse battery staple",
        },
    )
    signed = client.post(
        "/sign-in",
        data={
            "email": "reader@bromley.gov.uk",
            "password": "correct horse battery staple",
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303
    page = client.get(location.replace("/jobs/", "/web/jobs/"))
    assert 'id="stop-job"' not in page.text
    refused = client.post(f"/web/jobs/{job_id}/stop", data={"form_key": form_key(page.text)})
    assert refused.status_code == 403 and "Rita Reader may only read" in refused.text
    client.post(f"/jobs/{job_id}/stop", headers=AUTH)
    until(client, location, lambda job: job["state"] == "stopped")


def test_the_server_stopping_stops_the_solve_and_keeps_its_plan(database_url: str) -> None:
    """The web process running its solve (SQLite), or the worker running it (PostgreSQL)."""
    with TestClient(make_app(database_url)) as client, working(database_url):
        upload(client, TEN_TIMES)
        location = started(client)
    # the service has stopped (its runner or worker closed): the job ended with a plan, not lost
    with TestClient(make_app(database_url)) as client:
        job = client.get(location, headers=AUTH).json()
        assert job["state"] == "stopped" and job["plan"] is not None, job
        engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
        with reading(engine) as session:
            kept = session.scalar(select(PlanRow.stopped).where(PlanRow.number == job["plan"]))
        assert kept is True


def test_a_job_that_cannot_even_be_started_fails_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite, where the web process runs its jobs (on PostgreSQL the queue offers it again,
    then the workers settle it alike: tests/test_queue_workers.py)."""

    def unreachable(*_: object) -> bool:
        raise OperationalError("UPDATE jobs", {}, Exception("database is locked"))

    monkeypatch.setattr(job_run, "_claimed", unreachable)
    with TestClient(make_app(f"sqlite:///{tmp_path / 'scrutiny.db'}")) as client:
        upload(client, TEN_TIMES)
        answer = client.post(f"/programmes/{PID}/jobs", json={"time_limit": 5}, headers=AUTH)
        job = until(client, answer.headers["Location"], lambda job: job["state"] != "queued")
        assert (job["state"], job["message"]) == ("failed", job_run.UNSTARTED)
        again = client.post(f"/programmes/{PID}/jobs", json={"time_limit": 5}, headers=AUTH)
        assert again.status_code == 202  # nothing left blocking the programme
