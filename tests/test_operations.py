"""For the operator (issue 26): `/health`, `/metrics` in Prometheus's text format, and the log's
JSON lines, one an event, bound to the job and its programme."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from api import db_probe
from api.logs import JsonLines, fields
from tests.conftest import BROMLEY
from tests.service import AUTH, run_job, upload

PID = "bromley-ecf-2017-18"


def test_health_says_ok_to_anyone_and_nothing_more(client: TestClient) -> None:
    answer = client.get("/health")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_health_says_when_the_database_is_out_of_reach(client: TestClient) -> None:
    client.app.state.scrutiny.engine.dispose()  # type: ignore[attr-defined]
    broken = client.app.state.scrutiny.engine.url.set(  # type: ignore[attr-defined]
        database="/nonexistent/dir/scrutiny.db"
    )
    client.app.state.scrutiny.engine = create_engine(broken)  # type: ignore[attr-defined]
    answer = client.get("/health")
    assert (answer.status_code, answer.json()) == (503, {"status": "database unreachable"})


def test_health_answers_in_seconds_when_the_database_does_not_and_looks_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that holds its answer back: each request says so after the probe's wait, and
    they share one look (one thread) rather than each keeping one waiting."""
    answer_now = threading.Event()
    looks: list[Engine] = []

    def held(engine: Engine) -> bool:
        looks.append(engine)
        answer_now.wait()
        return True

    monkeypatch.setattr(db_probe, "look", held)
    client.app.state.scrutiny.probe = db_probe.Probe(wait=0.2)  # type: ignore[attr-defined]
    for _ in range(3):
        answer = client.get("/health")
        assert (answer.status_code, answer.json()) == (503, {"status": "database not answering"})
    assert len(looks) == 1
    answer_now.set()
    until_ok = [client.get("/health").status_code for _ in range(2)]
    assert until_ok[-1] == 200


def test_metrics_count_jobs_plans_and_seconds_for_an_admin(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 401
    upload(client, BROMLEY.read_text())
    job = run_job(client, PID, time_limit=5)
    answer = client.get("/metrics", headers=AUTH)
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    said = dict(
        line.rsplit(" ", 1) for line in answer.text.splitlines() if not line.startswith("#")
    )
    assert said['scrutiny_jobs{state="done"}'] == "1"
    assert said['scrutiny_jobs{state="running"}'] == "0"
    assert said["scrutiny_plans_total"] == "1"
    assert float(said["scrutiny_solve_seconds_total"]) == pytest.approx(job["elapsed_seconds"])
    if "sqlite" in str(client.app.state.scrutiny.settings.database_url):  # type: ignore[attr-defined]
        assert "scrutiny_workers" not in said  # the web process runs the jobs
    else:
        assert said["scrutiny_workers"] == "1"  # the client's worker, beside it


def test_a_log_line_is_one_json_object_with_its_fields() -> None:
    record = logging.LogRecord("api.jobs", logging.INFO, __file__, 1, "job ended", None, None)
    record.__dict__.update(fields(job="a1", programme=PID, state="done", seconds=1.5))
    record.__dict__["fields"]["event"] = "a field named as the line's own key"
    line = JsonLines().format(record)
    assert "\n" not in line
    said = json.loads(line)
    assert {k: said[k] for k in ("level", "logger", "event", "job", "programme", "state")} == {
        "level": "info",
        "logger": "api.jobs",
        "event": "job ended",
        "job": "a1",
        "programme": PID,
        "state": "done",
    }


def test_a_job_logs_its_start_and_end_bound_to_it(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    upload(client, BROMLEY.read_text())
    with caplog.at_level(logging.INFO, logger="api.job_run"):
        job = run_job(client, PID, time_limit=5)
    events = [
        (r.getMessage(), r.__dict__["fields"]) for r in caplog.records if r.name == "api.job_run"
    ]
    assert [e for e, _ in events] == ["job started", "job ended"]
    assert all(f["job"] == job["id"] and f["programme"] == PID for _, f in events)
    assert events[1][1]["state"] == "done" and events[1][1]["plan"] == job["plan"]
