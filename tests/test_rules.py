"""Each hard rule R1-R10 matters: solved with it the plan is clean; solved without it (a test-only
switch that drops the rule's function from the model) `scheduler.check` reports a breach of exactly
that rule. R10 is a re-planning rule: its situations are a published plan and an edit."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.check import check
from scheduler.plan.model import Plan, SolveStatus, Unplaced
from scheduler.programme.model import Programme
from scheduler.solver.replan import replan
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule
from scheduler.solver.solve import solve
from tests.programmes import programme

JUNE = "2017-06-01..2017-06-30"


def situations() -> dict[str, Programme]:
    """The smallest programme where each rule decides the answer."""
    return {
        # An item of two meetings beside an officer's one hour of scrutiny (placed by R7):
        # without R1 it goes to the other meeting alone, to even the agendas (S5). (A must
        # item is placed by S1's first stage, not by R1: tests/test_conflicts.py.)
        "R1": programme({"id": "scrutiny", "kind": "scrutiny", "rotation": {"a": 1},
                         "minutes": 60},
                        {"id": "twice", "times": 2, "minutes": 60},
                        meetings=["2017-06-20", "2017-11-14"]),
        # One meeting of 60 minutes: a 30-minute standing item and two 30-minute short items.
        "R2": programme(
            {"id": "standing", "kind": "standing", "minutes": 30},
            {"id": "short-1", "minutes": 30},
            {"id": "short-2", "minutes": 30},
            meetings=["2017-06-20"],
            bodies=[{"id": "main", "name": "Main", "minutes": 60, "meetings": ["2017-06-20"]}],
        ),
        # Quarterly figures wanted in June, but the first quarter is released on 30 June.
        "R3": programme(
            {"id": "monitoring", "kind": "report", "every": "quarter", "priority": "normal",
             "prefer": JUNE},
            meetings=["2017-06-20", "2017-07-20", "2017-10-20"],
        ),
        # Preferred in June, allowed only from October.
        "R4": programme({"id": "windowed", "window": "2017-10-01..2018-03-31", "prefer": JUNE}),
        # Preferred in June, pinned to November.
        "R5": programme({"id": "pinned", "meeting": "main-2017-11-14", "prefer": JUNE}),
        # Two substantive items both preferring June, one allowed per meeting.
        "R6": programme(
            {"id": "theme-1", "kind": "substantive", "prefer": JUNE},
            {"id": "theme-2", "kind": "substantive", "prefer": JUNE},
        ),
        # Two officers of 30 minutes, once each, one a meeting; an hour's theme fixed to June.
        # Without R7 both come in November, to even the agendas (S5).
        "R7": programme(
            {"id": "theme", "kind": "substantive", "meeting": "main-2017-06-20", "minutes": 60},
            {"id": "scrutiny", "kind": "scrutiny", "rotation": {"a": 1, "b": 1}, "per_meeting": 1,
             "minutes": 30},
            meetings=["2017-06-20", "2017-11-14"],
        ),
        # Preferred in June, when its witness is away.
        "R8": programme({"id": "evidence", "witnesses": ["w"], "prefer": JUNE}),
        # A follow-up preferred in June, 28 days after a theme pinned to November.
        "R9": programme(
            {"id": "theme", "kind": "substantive", "meeting": "main-2017-11-14"},
            {"id": "follow-up", "after": {"item": "theme", "gap_days": 28}, "prefer": JUNE},
            meetings=["2017-06-20", "2017-11-14", "2018-02-13"],
        ),
    }


@pytest.mark.parametrize("rule", [r.id for r in HARD_RULES])
def test_rule_holds_when_modelled(rule: str) -> None:
    p = situations()[rule]
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL
    assert check(p, plan) == []


@pytest.mark.parametrize("rule", [r.id for r in HARD_RULES])
def test_dropping_rule_breaks_exactly_that_rule(rule: str) -> None:
    p = situations()[rule]
    plan = solve(p, rules=[r for r in HARD_RULES if r.id != rule])
    breaches = check(p, plan)
    assert breaches, f"dropping {rule} changed nothing"
    assert {b.rule for b in breaches} == {rule}, [str(b) for b in breaches]


def test_every_rule_has_a_situation() -> None:
    assert sorted(situations()) == sorted(r.id for r in HARD_RULES)


def r10_situations() -> dict[str, tuple[Programme, Programme, dt.date]]:
    """(programme published, programme edited, as-of date) where R10 alone decides the answer."""
    theme = {"id": "theme-1", "kind": "substantive", "prefer": JUNE}
    late = {"id": "theme-2", "kind": "substantive", "priority": "high", "window": JUNE}
    request = {"id": "request", "window": "2017-11-01..2017-11-30"}
    return {
        # A high-priority theme allowed only in June, added after June's meeting was held: it
        # would take June's only substantive seat and push the theme that was heard there out.
        "past meeting": (programme(theme), programme(theme, late), dt.date(2017, 7, 1)),
        # A request for November, made after November's reports were due (31 October).
        "reports due": (programme(), programme(request), dt.date(2017, 11, 10)),
    }


@pytest.mark.parametrize("case", sorted(r10_situations()))
def test_r10_holds_when_modelled(case: str) -> None:
    old_p, p, as_of = r10_situations()[case]
    previous = solve(old_p)
    plan = replan(p, previous, as_of=as_of)
    assert plan.status is SolveStatus.OPTIMAL
    assert check(p, plan, previous=previous, as_of=as_of) == []


@pytest.mark.parametrize("case", sorted(r10_situations()))
def test_dropping_r10_breaks_exactly_r10(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    old_p, p, as_of = r10_situations()[case]
    previous = solve(old_p)
    monkeypatch.setattr("scheduler.solver.replan.frozen", lambda *_: Rule("R10", "frozen"))
    plan = replan(p, previous, as_of=as_of)
    breaches = check(p, plan, previous=previous, as_of=as_of)
    assert breaches, "dropping R10 changed nothing"
    assert {b.rule for b in breaches} == {"R10"}, [str(b) for b in breaches]


def test_nothing_follows_a_standing_item_that_stands_nowhere() -> None:
    """Found by the re-plan properties: `after` a standing item with no meeting to stand at."""
    p = programme(
        {"id": "refs", "kind": "standing", "follows": "panel"},
        {"id": "later", "after": {"item": "refs"}},
        meetings=["2017-06-01"],
        bodies=[
            {"id": "main", "name": "Main", "meetings": ["2017-06-01"]},
            {"id": "panel", "name": "Panel", "meetings": ["2017-07-01"]},
        ],
    )
    plan = solve(p)
    assert check(p, plan) == []
    assert [u.item for u in plan.unplaced] == ["later"]


def test_must_item_after_an_item_that_cannot_precede_it_is_left_out_with_its_conflict() -> None:
    """R1: only an undated event may hold a must item back, not an item left out: a plan that
    leaves it out says it is not complete and names the conflict (R9's gap, with R1's must)."""
    p = programme(
        {"id": "first"},
        {"id": "then", "priority": "must", "after": {"item": "first", "gap_days": 14}},
        meetings=["2017-06-01", "2017-06-08"],
    )
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    assert check(p, plan) == []
    (then,) = [u for u in plan.unplaced if u.item == "then"]
    assert then.conflict == ["R1:then", "R9:then:after:first"]
    both_out = Plan(
        programme=p.id, status=SolveStatus.FEASIBLE,
        meetings=solve(programme(meetings=["2017-06-01", "2017-06-08"])).meetings,
        unplaced=[Unplaced(item="first", title="first"), Unplaced(item="then", title="then")],
    )
    assert [str(b) for b in check(p, both_out)] == [
        "R1 placement: then is a must item but is unplaced"
    ]
