"""Helpers shared by the rule-part, boundary and adversarial tests.

Hand-made plans are written as agendas (meeting id -> unit keys, `item` or `item@occurrence`)
and built through the plan's own validation from ISO text, so they hold whatever type the plan
gives a meeting's date and times. A breach is compared as (rule, subject, message).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scheduler.check import check
from scheduler.check.view import Breach
from scheduler.plan.model import Plan, SolveStatus, unit_key
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import solve
from tests.programmes import BASE

#: Tiny programmes are proven optimal in well under a second; this only bounds a regression.
FAST_SECONDS = 5.0

#: The base programme's two meetings (tests.programmes).
JUNE_20, NOV_14 = "main-2017-06-20", "main-2017-11-14"
JUNE = "2017-06-01..2017-06-30"

#: The short name of each hard rule as it opens a breach's message (DESIGN §4.5).
NAMES = {
    "R1": "placement", "R2": "standing", "R3": "recurring", "R4": "window", "R5": "pin",
    "R6": "capacity", "R7": "rotation", "R8": "people", "R9": "order", "R10": "frozen",
}

Found = tuple[str, str, str]  # (rule, subject, message)
Agendas = Mapping[str, Sequence[str]]


def breach(rule: str, subject: str, text: str) -> Found:
    """The breach a check should report, its message opening with the rule's name."""
    return rule, subject, f"{rule} {NAMES[rule]}: {text}"


def found(breaches: Iterable[Breach]) -> list[Found]:
    return [(b.rule, b.subject, b.message) for b in breaches]


def main_body(*meetings: Any, **keys: Any) -> dict[str, Any]:
    """The base programme's committee `main`, with these meetings (default: its own) and keys."""
    body: dict[str, Any] = copy.deepcopy(BASE["bodies"][0])
    if meetings:
        body["meetings"] = list(meetings)
    body.update(keys)
    return body


def other_body(body_id: str, *meetings: Any, **keys: Any) -> dict[str, Any]:
    return {"id": body_id, "name": body_id.title(), "meetings": list(meetings), **keys}


def special(day: str, name: str = "callin") -> dict[str, Any]:
    """A special (single-purpose) meeting of `main`, id `main-NAME`."""
    return {"id": f"main-{name}", "date": day, "special": f"Call-in: {name}"}


def plan_of(
    p: Programme, agendas: Agendas, unplaced: Sequence[str] = (), *, incomplete: bool = False
) -> Plan:
    """A hand-made plan of `p`: every meeting as the programme has it, with these agendas;
    `incomplete`: it says it leaves must items out (not proven best: no conflict to name)."""
    meetings = []
    for body in p.bodies:
        for meeting in sorted(body.meetings, key=lambda m: m.date):
            start, end = p.span(body, meeting)
            timed = (meeting.start or body.start) is not None
            agenda = [_entry(p, key) for key in agendas.get(meeting.key, [])]
            meetings.append({
                "id": meeting.key, "body": body.id,
                "date": meeting.day.isoformat() if meeting.day else None,
                "when": None if meeting.fixed or not meeting.when.known else str(meeting.when),
                "start": f"{start:%H:%M}" if timed else None,
                "end": f"{end:%H:%M}" if timed else None, "status": meeting.status,
                "minutes_used": sum(e["minutes"] for e in agenda),
                "minutes_available": body.minutes, "agenda": agenda,
            })
    missing = [key.partition("@") for key in unplaced]
    return Plan.model_validate({
        "programme": p.id, "meetings": meetings, "complete": not incomplete,
        "status": SolveStatus.FEASIBLE.value,
        "unplaced": [
            {"item": item, "title": item, "occurrence": occurrence or None, "reasons": ["by hand"]}
            for item, _, occurrence in missing
        ],
    })


def _entry(p: Programme, key: str) -> dict[str, Any]:
    item_id, _, occurrence = key.partition("@")
    item = p.items_by_id[item_id]
    officer = item.officer(occurrence or None)
    own = [officer] if officer else []
    return {
        "item": item.id, "title": item.title, "kind": item.kind, "minutes": item.duration,
        "occurrence": occurrence or None,
        "people": list(dict.fromkeys([*item.witnesses, *item.presenters, *own])),
    }


def placements(plan: Plan) -> dict[str, list[str]]:
    """Unit key -> the meetings the plan gives it, in the plan's order."""
    where: dict[str, list[str]] = {}
    for item, occurrence, meeting in plan.placements():
        where.setdefault(unit_key(item, occurrence), []).append(meeting)
    return where


def solved(p: Programme) -> Plan:
    """The solver's plan of `p`, proven best and clean by `check` (within FAST_SECONDS)."""
    plan = solve(p, SolveOptions(time_limit=FAST_SECONDS))
    assert plan.status is SolveStatus.OPTIMAL, plan.explanation
    assert found(check(p, plan)) == []
    return plan
