"""Always a plan (DESIGN R1, R7): a `must` item is left out only when no plan can hold it, and
then with the smallest set of rules and items that keeps it out.

On random programmes (`tests.strategies`): a plan that leaves must items out passes `check`; the
conflict named for each really is one (all its members together cannot hold; without any one
of them they can: removing it makes room); and with those items no longer `must`, the plan
leaves no must item out.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import event, given, note

from scheduler.check import check
from scheduler.plan.model import SolveStatus
from scheduler.solver.conflicts import Conflicts
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.solve import solve
from tests.strategies import load, programme_data
from tests.test_solve_properties import OPTIONS, PROPERTY


@PROPERTY
@given(programme_data())
def test_a_must_item_is_left_out_only_for_a_real_conflict(data: dict[str, Any]) -> None:
    programme = load(data)
    plan = solve(programme, OPTIONS)
    note(f"plan:\n{plan.to_json()}")
    if plan.status is not SolveStatus.OPTIMAL or plan.complete:
        event("complete" if plan.complete else f"status: {plan.status}")
        return
    event("must items left out")
    assert check(programme, plan) == []
    conflicts = Conflicts(programme, HARD_RULES, OPTIONS)
    named = [u for u in plan.unplaced if u.conflict]
    assert named, "a plan proven best names what keeps each must item out"
    for unplaced in named:
        core = unplaced.conflict
        assert not conflicts.holds(core), f"{core} can all hold: no conflict"
        for member in core:
            rest = [name for name in core if name != member]
            assert conflicts.holds(rest), f"{core} without {member} still cannot hold"


@PROPERTY
@given(programme_data())
def test_without_the_conflicting_musts_the_plan_is_complete(data: dict[str, Any]) -> None:
    programme = load(data)
    plan = solve(programme, OPTIONS)
    if plan.status is not SolveStatus.OPTIMAL or plan.complete:
        return
    left_out = {u.item for u in plan.unplaced if u.conflict}
    event(f"{len(left_out)} item(s) no longer must")
    relaxed = copy.deepcopy(data)
    for item in relaxed["items"]:
        if item["id"] in left_out:
            item["priority"] = "normal"
    again = solve(load(relaxed), OPTIONS)
    note(f"relaxed plan:\n{again.to_json()}")
    assert again.status.found and again.complete
    assert check(load(relaxed), again) == []
