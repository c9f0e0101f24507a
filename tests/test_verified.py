"""The one solve-and-check call (`scheduler.verified.plan_checked`): every caller that keeps a
plan (the CLI's `solve` and `replan`, the service's jobs) keeps it only when the independent
checker agrees with the solver. A plan that breaks a rule is a bug: nothing is written or
stored, the CLI exits 70, and a job fails with a message saying so.

The disagreement is made by standing in for the solver (`scheduler.verified.solve`, `.replan`)
with one that returns Bromley's solved plan with one entry removed or moved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scheduler.check.view import Breach
from scheduler.cli import main
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import solve
from scheduler.verified import plan_checked
from tests.conftest import BROMLEY, bromley_october_cancelled, bromley_unplannable
from tests.service import AUTH, run_job, upload

PID = "bromley-ecf-2017-18"
OPTIONS = SolveOptions(time_limit=5)
FEBRUARY, OCTOBER, JANUARY = "select-2018-02-27", "select-2017-10-17", "select-2018-01-23"

#: The action plan (a standing item) taken off February's agenda.
REMOVED = [
    Breach("R2", "action-plan", "R2 standing: action-plan is missing from select-2018-02-27"),
]
#: CAMHS (45 minutes, substantive) moved from October to January, which has its substantive
#: item (Troubled Families) and 135 of its 150 minutes used already.
MOVED = [
    Breach("R6", JANUARY, "R6 capacity: select-2018-01-23 has 2 substantive items; the limit is 1"),
    Breach("R6", JANUARY, "R6 capacity: select-2018-01-23 uses 175 of 150 minutes"),
]


@pytest.fixture(scope="module")
def bromley() -> Programme:
    return load_programme(BROMLEY)


@pytest.fixture(scope="module")
def solved(bromley: Programme) -> Plan:
    """Bromley solved by the real solver (optimal, and the checker agrees)."""
    return solve(bromley, OPTIONS)


def _meeting(data: dict[str, Any], mid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in data["meetings"] if m["id"] == mid)
    return found


def _take(meeting: dict[str, Any], item: str) -> dict[str, Any]:
    """Take `item` off the meeting's agenda (minutes used kept true): returns its entry."""
    entry: dict[str, Any] = next(e for e in meeting["agenda"] if e["item"] == item)
    meeting["agenda"].remove(entry)
    meeting["minutes_used"] -= entry["minutes"]
    return entry


def removed(plan: Plan) -> Plan:
    """`plan` with the action plan missing from February's meeting."""
    data = json.loads(plan.to_json())
    _take(_meeting(data, FEBRUARY), "action-plan")
    return Plan.model_validate(data)


def moved(plan: Plan) -> Plan:
    """`plan` with CAMHS moved from October's meeting to January's."""
    data = json.loads(plan.to_json())
    entry = _take(_meeting(data, OCTOBER), "camhs")
    january = _meeting(data, JANUARY)
    january["agenda"].append(entry)
    january["minutes_used"] += entry["minutes"]
    return Plan.model_validate(data)


BROKEN: list[tuple[Callable[[Plan], Plan], list[Breach]]] = [(removed, REMOVED), (moved, MOVED)]


def test_the_real_solvers_plan_of_bromley_is_kept(bromley: Programme) -> None:
    """Bromley solved within a small time limit: optimal, no breach, kept."""
    verified = plan_checked(bromley, OPTIONS)
    assert verified.plan.status is SolveStatus.OPTIMAL
    assert verified.breaches == []
    assert verified.found and verified.keep


def test_a_replan_of_bromley_against_its_own_plan_is_kept(bromley: Programme, solved: Plan) -> None:
    """With `previous`, the call re-plans (least disruption) and checks: nothing moves."""
    verified = plan_checked(bromley, OPTIONS, previous=solved)
    assert verified.keep and verified.breaches == []
    assert verified.plan.disruption is not None and verified.plan.disruption.moved == 0
    assert verified.plan.placements() == solved.placements()


@pytest.mark.parametrize(("breaking", "breaches"), BROKEN, ids=["removed", "moved"])
def test_a_solver_plan_that_breaks_a_rule_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
    bromley: Programme,
    solved: Plan,
    breaking: Callable[[Plan], Plan],
    breaches: list[Breach],
) -> None:
    """The checker's breaches come back with the plan, and `keep` is false although a plan
    was found."""
    monkeypatch.setattr("scheduler.verified.solve", lambda *a, **k: breaking(solved))
    verified = plan_checked(bromley, OPTIONS)
    assert verified.found and not verified.keep
    assert verified.breaches == breaches


def test_a_replan_that_breaks_a_rule_is_not_kept(
    monkeypatch: pytest.MonkeyPatch, bromley: Programme, solved: Plan
) -> None:
    monkeypatch.setattr("scheduler.verified.replan", lambda *a, **k: removed(solved))
    verified = plan_checked(bromley, OPTIONS, previous=solved)
    assert verified.found and not verified.keep and verified.breaches == REMOVED


def test_no_plan_found_is_not_kept_and_not_checked() -> None:
    """An infeasible programme (a standing item's presenter away) has no plan to check: not
    found, no breaches, not kept."""
    p = parse_programme(bromley_unplannable(), "bromley.yaml")
    verified = plan_checked(p, OPTIONS)
    assert verified.plan.status is SolveStatus.INFEASIBLE
    assert (verified.found, verified.keep, verified.breaches) == (False, False, [])


def test_an_incomplete_plan_is_checked_and_kept() -> None:
    """17 October cancelled with the rotation as filed: the best plan without the DCE's second
    session is a plan, checked clean and kept; it says it is not complete."""
    p = parse_programme(bromley_october_cancelled(dce=2), "bromley.yaml")
    verified = plan_checked(p, OPTIONS)
    assert (verified.found, verified.keep, verified.breaches) == (True, True, [])
    assert not verified.plan.complete


# --- the CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("breaking", "breaches"), BROKEN, ids=["removed", "moved"])
def test_scrutiny_solve_exits_70_and_writes_nothing_when_the_plan_breaks_a_rule(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    solved: Plan,
    breaking: Callable[[Plan], Plan],
    breaches: list[Breach],
) -> None:
    """A bug, not the clerk's to resolve: exit code 70, the breaches on standard error, and
    neither the plan nor the Markdown written."""
    monkeypatch.setattr("scheduler.verified.solve", lambda *a, **k: breaking(solved))
    plan, document = tmp_path / "plan.json", tmp_path / "wp.md"
    args = ["solve", str(BROMLEY), "-o", str(plan), "--markdown", str(document)]
    assert main([*args, "--time-limit", "5"]) == 70
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "BUG: the solver's plan breaks rules (nothing written):",
        *(b.message for b in breaches),
    ]
    assert not plan.exists() and not document.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_scrutiny_solve_keeps_an_existing_plan_file_when_the_new_plan_breaks_a_rule(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, solved: Plan
) -> None:
    """The plan file from an earlier run is left as it was."""
    plan = tmp_path / "plan.json"
    plan.write_text("earlier plan")
    monkeypatch.setattr("scheduler.verified.solve", lambda *a, **k: removed(solved))
    assert main(["solve", str(BROMLEY), "-o", str(plan), "--time-limit", "5"]) == 70
    assert plan.read_text() == "earlier plan"


def test_scrutiny_replan_exits_70_and_writes_nothing_when_the_plan_breaks_a_rule(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    solved: Plan,
) -> None:
    previous = tmp_path / "published.json"
    previous.write_text(solved.to_json())
    monkeypatch.setattr("scheduler.verified.replan", lambda *a, **k: removed(solved))
    out = tmp_path / "plan-2.json"
    args = ["replan", str(BROMLEY), "--against", str(previous), "-o", str(out)]
    assert main([*args, "--time-limit", "5"]) == 70
    assert capsys.readouterr().err.splitlines() == [
        "BUG: the re-plan breaks rules (nothing written):",
        REMOVED[0].message,
    ]
    assert not out.exists()


def test_scrutiny_solve_exits_1_when_no_plan_is_found(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Not a bug: the clerk's programme cannot be planned. Exit 1, said why, nothing written."""
    programme = tmp_path / "bromley.yaml"
    programme.write_text(bromley_unplannable())
    plan = tmp_path / "plan.json"
    assert main(["solve", str(programme), "-o", str(plan), "--time-limit", "5"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{programme}: no plan\nNo plan keeps every rule: ")
    assert "Councillor Peter Fortune cannot attend on Tuesday 23 January 2018" in err
    assert "BUG" not in err and not plan.exists()


def test_scrutiny_solve_writes_an_incomplete_plan_says_the_gap_first_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Always a plan (DESIGN R1): the best plan is written, the gap said first, exit 1."""
    programme = tmp_path / "bromley.yaml"
    programme.write_text(bromley_october_cancelled(dce=2))
    plan = tmp_path / "plan.json"
    assert main(["solve", str(programme), "-o", str(plan), "--time-limit", "5"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[1].startswith("This plan places everything it can, but not 1 scrutiny session")
    written = Plan.model_validate_json(plan.read_text())
    assert not written.complete and written.meetings


# --- the service's jobs -------------------------------------------------------------------------


def test_a_job_whose_plan_breaks_a_rule_fails_as_a_bug_and_stores_no_plan(
    monkeypatch: pytest.MonkeyPatch, client: TestClient, solved: Plan
) -> None:
    """The job ends `failed`, its message opening "BUG" and naming the breach, and the
    programme has no plan version."""
    upload(client, BROMLEY.read_text())
    monkeypatch.setattr("scheduler.verified.solve", lambda *a, **k: removed(solved))
    job = run_job(client, PID, time_limit=5)
    assert job["state"] == "failed"
    assert job["message"] == f"BUG: the plan breaks rules: {REMOVED[0].message}"
    assert job["message"].startswith("BUG")
    assert job["plan"] is None
    plans = client.get(f"/programmes/{PID}/plans", headers=AUTH)
    assert plans.status_code == 200 and plans.json() == []


def test_a_job_whose_plan_keeps_every_rule_stores_it(client: TestClient) -> None:
    """The same job with the real solver: done, plan 1 stored."""
    upload(client, BROMLEY.read_text())
    job = run_job(client, PID, time_limit=5)
    assert (job["state"], job["plan"]) == ("done", 1)
    [stored] = client.get(f"/programmes/{PID}/plans", headers=AUTH).json()
    assert (stored["number"], stored["status"]) == (1, "optimal")
