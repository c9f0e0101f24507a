"""Each hard rule's constraints hold it alone, even against a search pushed to break it.

For each rule the CP-SAT model is built with that rule only (`build(p, rules=[rule])`), in a
situation where the rule binds, and its objective is replaced by one that rewards exactly the
placements that would breach the rule (+1 for a placement that would break it by being made,
-1 for one that would break it by being left out). Solved to optimality, the answer is turned
into a plan as the solver does, and the rule's own check (`scheduler.check.CHECKS`) finds it
clean. The same objective with no rule at all does produce a breach of that rule: the push is
real, and only the rule's pruning, waiting and constraints hold it back.

The models are built as for a re-plan (`previous={}`), so that no symmetry-breaking
constraint (a model improvement, not a rule) helps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from ortools.sat.python import cp_model

from scheduler.check.rules import CHECKS
from scheduler.plan.changes import unit_meetings
from scheduler.plan.model import Plan, SolveStatus, Unplaced
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions, build
from scheduler.solver.result import planned_meetings
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule
from scheduler.solver.rules.r10_frozen import frozen
from tests.programmes import programme
from tests.situations import (
    FAST_SECONDS,
    JUNE_20,
    NOV_14,
    Agendas,
    Found,
    found,
    main_body,
    other_body,
    plan_of,
    special,
)

THREE = ["2017-06-20", "2017-11-14", "2018-02-13"]
CALLIN = "main-callin"


@dataclass(frozen=True)
class Push:
    """A situation where one rule binds, and the push against it.

    Attributes:
        programme: the programme.
        against: -1 for the placements whose absence would break the rule, by unit key (all
            its meetings) or by (unit key, meeting); every other placement is rewarded (+1).
        previous: for R10, the plan re-planned against, and `as_of` its date.
    """

    programme: Programme
    against: Mapping[str | tuple[str, str], int] = field(default_factory=dict)
    previous: Agendas | None = None
    as_of: dt.date | None = None


def pushes() -> dict[str, Push]:
    return {
        # More meetings than `times`, and an item of two meetings pushed to one. (A must item
        # is placed by S1's weight, not by R1 alone: tests/test_conflicts.py.)
        "R1": Push(
            programme({"id": "once"}, {"id": "twice", "times": 2}, meetings=THREE),
            {("twice", "main-2017-11-14"): -1, ("twice", "main-2018-02-13"): -1},
        ),
        # Standing items pushed off the meetings where they stand: every meeting, a special
        # one (only `special: true`), and the meetings after the panel's.
        "R2": Push(
            programme(
                {"id": "apologies", "kind": "standing"},
                {"id": "declarations", "kind": "standing", "special": True},
                {"id": "refs", "kind": "standing", "follows": "panel"},
                bodies=[
                    main_body("2017-06-20", special("2017-09-12"), "2017-11-14", "2018-02-13"),
                    other_body("panel", "2017-09-01"),
                ],
            ),
            {"apologies": -1, "declarations": -1, "refs": -1},
        ),
        # Every quarter's figures pushed to every meeting, before their release too.
        "R3": Push(
            programme(
                {"id": "monitoring", "kind": "report", "every": "quarter", "release_days": 20},
                meetings=["2017-06-20", "2017-07-25", "2017-09-12", "2017-10-24", "2018-01-23",
                          "2018-04-24"],
            )
        ),
        # Outside a window, too close to a decision, before a decision has a date.
        "R4": Push(
            programme(
                {"id": "review", "window": "2017-10-01..2018-01-31"},
                {"id": "consult", "decision": {"event": "exec", "lead_days": 7}},
                {"id": "waiting", "decision": {"event": "cabinet"}},
                meetings=["2017-06-20", "2017-11-14", "2017-11-15", "2018-02-13"],
                events=[{"id": "exec", "title": "Executive", "date": "2017-11-21"},
                        {"id": "cabinet", "title": "Cabinet", "date": None}],
            )
        ),
        # A pinned item elsewhere; an unpinned item at a special meeting.
        "R5": Push(
            programme(
                {"id": "pinned", "meeting": NOV_14}, {"id": "extra"},
                {"id": "call-in", "meeting": CALLIN},
                bodies=[main_body("2017-06-20", special("2017-09-12"), "2017-11-14")],
            )
        ),
        # More minutes and more of each kind than a meeting takes.
        "R6": Push(
            programme(
                *({"id": f"theme-{n}", "kind": "substantive", "minutes": 30} for n in range(3)),
                *({"id": f"short-{n}"} for n in range(4)),
                bodies=[main_body(*THREE, minutes=100, limits={"substantive": 1, "short": 2})],
            )
        ),
        # Officer A pushed to every meeting and B to none, in an exact rotation and in one
        # that cannot fill every meeting (at most one officer a meeting).
        "R7": Push(
            programme(
                {"id": "scrutiny", "kind": "scrutiny", "rotation": {"a": 2, "b": 1},
                 "per_meeting": 1},
                {"id": "panel-scrutiny", "body": "panel", "kind": "scrutiny",
                 "rotation": {"a": 1, "b": 1}, "per_meeting": 1},
                bodies=[main_body(*THREE),
                        other_body("panel", "2017-07-04", "2017-10-03", "2018-01-09")],
            ),
            # Every session rewarded at every meeting: R7 holds each officer to their times
            # and each meeting to one. (Keeping every session is S1's, as for a must item.)
        ),
        # A witness away in June; an officer at two meetings the same evening.
        "R8": Push(
            programme(
                {"id": "evidence", "witnesses": ["w"]},
                {"id": "budget", "presenters": ["a"]},
                {"id": "housing", "body": "panel", "presenters": ["a"]},
                bodies=[main_body(),
                        other_body("panel", "2017-06-20", "2017-11-14", start="20:00")],
            )
        ),
        # Follow-ups before their item or event, or after an undated event; a session away
        # from its theme, which is pushed out of one meeting.
        "R9": Push(
            programme(
                {"id": "theme", "kind": "substantive"},
                {"id": "follow-up", "after": {"item": "theme", "gap_days": 28}},
                {"id": "after-visit", "after": {"event": "visit", "gap_days": 14}},
                {"id": "after-report", "after": {"event": "report"}},
                {"id": "session", "kind": "witness-session", "with": "theme"},
                meetings=[*THREE, "2017-11-28", "2018-03-01"],
                events=[{"id": "visit", "title": "Visit", "date": "2017-11-01"},
                        {"id": "report", "title": "Report", "date": None}],
            ),
            {("theme", "main-2018-03-01"): -1},
        ),
        # Last plan's June agenda pushed off; new items pushed onto November, whose reports
        # were due on 31 October, and onto June.
        "R10": Push(
            programme(
                {"id": "theme", "times": 2}, {"id": "request"},
                {"id": "apologies", "kind": "standing"},
            ),
            {"theme": -1},
            previous={JUNE_20: ["theme", "apologies"], NOV_14: ["theme", "apologies"]},
            as_of=dt.date(2017, 11, 10),
        ),
    }


PUSHES = pushes()


def rule_of(rule_id: str, push: Push) -> list[Rule]:
    """The one rule under test; R10 is made for the push's re-plan, as `replan` makes it."""
    if rule_id != "R10":
        return [r for r in HARD_RULES if r.id == rule_id]
    assert push.previous is not None and push.as_of is not None
    previous = plan_of(push.programme, push.previous)
    dates = {m.id: m.date for m in previous.meetings}
    return [frozen(unit_meetings(previous), dates, push.as_of)]


def pushed_plan(push: Push, rules: list[Rule]) -> Plan:
    """The plan that the push reaches under `rules`, solved to optimality."""
    built = build(push.programme, rules=rules, previous={})
    x = built.variables.x
    assert x, "nothing to push"
    weight = push.against
    built.model.maximize(
        sum(weight.get((key, m), weight.get(key, 1)) * var for (key, m), var in x.items())
    )
    solver = SolveOptions(time_limit=FAST_SECONDS).solver()
    assert solver.solve(built.model) == cp_model.OPTIMAL
    e = built.expansion
    placements = {
        u.key: [m for m in u.candidates if solver.boolean_value(x[u.key, m])] for u in e.units
    }
    # Listed unplaced as the solver lists them: standing items and rotation officers never are.
    unplaced = [
        Unplaced(item=u.item.id, title=u.title, occurrence=u.occurrence)
        for u in e.units
        if not placements[u.key] and u.item.kind != "standing" and u.person is None
    ]
    return Plan(
        programme=push.programme.id, status=SolveStatus.OPTIMAL,
        meetings=planned_meetings(e, placements), unplaced=unplaced,
    )


def breaches_of(rule_id: str, push: Push, plan: Plan) -> list[Found]:
    if rule_id != "R10":
        return found(CHECKS[rule_id](push.programme, plan))
    assert push.previous is not None
    previous = plan_of(push.programme, push.previous)
    return found(CHECKS["R10"](push.programme, plan, previous, push.as_of))


def test_every_hard_rule_is_pushed() -> None:
    assert list(PUSHES) == [*(r.id for r in HARD_RULES), "R10"]


@pytest.mark.parametrize("rule_id", list(PUSHES))
def test_rule_alone_holds_against_a_push_to_break_it(rule_id: str) -> None:
    push = PUSHES[rule_id]
    plan = pushed_plan(push, rule_of(rule_id, push))
    assert breaches_of(rule_id, push, plan) == []


@pytest.mark.parametrize("rule_id", list(PUSHES))
def test_push_breaks_the_rule_when_nothing_holds_it(rule_id: str) -> None:
    push = PUSHES[rule_id]
    plan = pushed_plan(push, [])
    assert {rule for rule, _, _ in breaches_of(rule_id, push, plan)} == {rule_id}


def _follow_up_of_a_dropped_item() -> Push:
    """A follow-up pushed onto every meeting; the item it follows pushed off them all."""
    return Push(
        programme({"id": "theme"}, {"id": "follow-up", "after": {"item": "theme"}}),
        {"theme": -1},
    )


def test_r9_keeps_a_follow_up_out_when_its_item_is_out() -> None:
    """R9's "no follow-up without the item it follows" is posted on the units' `placed`
    literals, which R1 ties to their placements: with R1 it holds against the push."""
    push = _follow_up_of_a_dropped_item()
    r1, r9 = (r for r in HARD_RULES if r.id in ("R1", "R9"))
    assert breaches_of("R9", push, pushed_plan(push, [r1, r9])) == []
