"""A job's progress tells the truth, and its time limit holds (issue 22).

The time a clerk asks for is the whole solve's, every stage together (`scheduler.solver.clock`):
a whole council asked for 3 seconds ends in about that, not in the four stages' limits each.
Its progress is the seconds run over the seconds asked for, and never reads 100 % before the job
has ended; its page speaks of time and of how good the plan is, never of a cost or a bound.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.job_progress import RUNNING_MOST, share_done
from api.job_run import Progress
from api.tables import Job
from bench.generate import council, generate, to_yaml
from scheduler.plan.model import SolveStatus
from scheduler.programme.load import parse_programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import CUT, solve
from tests.conftest import BROMLEY
from tests.service import AUTH, run_job, sign_in, upload

#: Seconds asked for on the whole council, and the loose bound it must end within (the house
#: asserts no tight timing: the measured seconds are in the issue's report).
SHORT = 3.0
LOOSE = SHORT * 2 + 5
#: What the job's page must never say to a clerk.
SOLVER_WORDS = re.compile(r"cost|bound|objective", re.I)


def _job(state: str, elapsed: float, time_limit: float = 30.0, **fields: Any) -> Job:
    at = dt.datetime.now(dt.UTC)
    return Job(
        id=f"job-{state}",
        programme="bromley-ecf-2017-18",
        kind="solve",
        programme_version=1,
        time_limit=time_limit,
        state=state,
        runner="r",
        heartbeat=at,
        solutions=fields.pop("solutions", 0),
        elapsed=elapsed,
        message="",
        created=at,
        **fields,
    )


def test_a_running_job_never_reads_done() -> None:
    """Building the model and checking the plan come on top of the time limit: a job still
    running past its limit reads 99 %, not 100 %; only an ended job reads 100 %."""
    assert share_done(_job("running", 12.0)) == 0.4
    assert share_done(_job("running", 37.0)) == RUNNING_MOST < 1
    assert share_done(_job("queued", 0.0)) == 0.0
    for ended in ("done", "failed", "interrupted"):
        assert share_done(_job(ended, 8.0)) == 1.0


def test_a_short_time_limit_is_honoured_by_a_council_job(client: TestClient) -> None:
    """Regression: a whole council (64 bodies) asked for 30 seconds took 187 while its progress
    read 100 % at 37. Asked for 3 seconds, it now ends in about that (loosely bounded here), and
    every sample of the job while it runs reads less than 100 %."""
    pid = upload(client, to_yaml(council()))["id"]
    response = client.post(f"/programmes/{pid}/jobs", json={"time_limit": SHORT}, headers=AUTH)
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    running: list[dict[str, Any]] = []
    job: dict[str, Any] = response.json()
    for _ in range(3000):
        job = client.get(location, headers=AUTH).json()
        if job["state"] not in ("queued", "running"):
            break
        if job["state"] == "running":
            running.append(job)
        time.sleep(0.1)
    assert job["state"] == "done", job["message"]
    assert job["progress"] == 1.0 and job["plan"] is not None
    assert job["elapsed_seconds"] <= LOOSE, f"asked {SHORT} s, took {job['elapsed_seconds']} s"
    assert running, "the job was never seen running"
    assert all(j["progress"] <= RUNNING_MOST for j in running)


def test_the_job_page_speaks_of_time_and_how_good_not_cost_or_bound(
    client: TestClient,
) -> None:
    """A job under way: its share of the time, the seconds used and left, the plans found and
    how good the best is, in words; the solver's numbers only under "Details", unnamed."""
    upload(client, BROMLEY.read_text())
    sign_in(client)
    engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    with Session(engine) as session, session.begin():
        session.add(_job("running", 12.0, solutions=7, objective=1000.0, bound=966.0))
    page = client.get("/web/jobs/job-running").text
    assert "Solve of Education, Children &amp; Families Work Programme 2017/18 under way" in page
    assert "12 of 30 seconds, about 18 seconds left" in page
    assert 'value="40"' in page  # the progress bar
    assert "Plans found so far" in page
    assert "within 3.4 % of the best possible" in page
    assert not SOLVER_WORDS.search(page), SOLVER_WORDS.search(page)


def test_a_job_past_its_time_is_finishing_at_99_percent(client: TestClient) -> None:
    """Past its time limit a job is checking its plan: it says so, and reads 99 %."""
    upload(client, BROMLEY.read_text())
    sign_in(client)
    engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    with Session(engine) as session, session.begin():
        session.add(_job("running", 31.0))
    page = client.get("/web/jobs/job-running").text
    assert "31 of 30 seconds, finishing: checking the plan" in page
    assert 'value="99"' in page and "no plan found yet" in page
    assert not SOLVER_WORDS.search(page)


def test_a_solve_the_clock_stopped_says_so() -> None:
    """A search stopped by the clock rather than by its deterministic limit may not give the
    same plan again: the plan says so, last; it is not claimed proven."""
    programme = parse_programme(to_yaml(generate(10)), "10x.yaml")
    plan = solve(programme, SolveOptions(time_limit=0.05))
    assert plan.status is SolveStatus.FEASIBLE
    assert plan.explanation[-1] == CUT


def test_the_clerks_page_says_when_the_time_ran_out(client: TestClient) -> None:
    """A plan the clock stopped is shown with a line saying so and what to do about it; a plan
    the search finished is not."""
    pid = upload(client, to_yaml(generate(10)))["id"]
    sign_in(client)
    cut = run_job(client, pid, time_limit=0.05)
    page = client.get(f"/web/programmes/{pid}?plan={cut['plan']}").text
    assert 'id="time-ran-out"' in page and "solving again with more time" in page
    small = upload(client, BROMLEY.read_text())["id"]
    run_job(client, small)
    assert 'id="time-ran-out"' not in client.get(f"/web/programmes/{small}").text


def test_a_job_in_its_placing_stages_says_it_has_a_plan(client: TestClient) -> None:
    """Every solve has the clerk's plan from its first report; while the placing stages run the
    plan's score is not known yet, and the page says a plan is found rather than none."""
    upload(client, BROMLEY.read_text())
    sign_in(client)
    engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    with Session(engine) as session, session.begin():
        session.add(_job("running", 3.0, solutions=1))
    page = client.get("/web/jobs/job-running").text
    assert "a plan found; how good it is shows once the items are placed" in page
    assert "no plan found yet" not in page and not SOLVER_WORDS.search(page)


def test_plans_found_count_improvements_not_each_stage_starting_again() -> None:
    """Each stage first reports the plan it starts from, and may report a plan no better
    again: a plan is counted the first time and when a stage betters it; the score and bound
    are the last stage's only (each stage counts in its own units)."""
    stop = threading.Event()
    progress = Progress(engine=None, job_id="j", runner="r", started=0.0, stop=stop)  # type: ignore[arg-type]
    reports = [
        (("S1-must",), 0.0, 0.0), (("S1-must",), 0.0, 0.0),  # the clerk's plan, again
        (("S1",), 3e6, 1e6), (("S1",), 3e6, 1e6), (("S1",), 2e6, 1e6),
        (("S1-order",), 40.0, 30.0), (("S2", "S4", "S5"), 500.0, 100.0),
        (("S2", "S4", "S5"), 500.0, 110.0), (("S2", "S4", "S5"), 400.0, 120.0),
    ]  # fmt: skip
    for goals, objective, bound in reports:
        progress(1.0, objective, bound, goals)
    assert progress.solutions == 3  # the clerk's plan, one better S1, one better S2+S4+S5
    assert progress.best == (400.0, 120.0)
