"""Publishing a plan: checking it still fits its programme, and recording it as a version.

A published plan records when it was published and, meeting by meeting, its revision count
against the version before (`scheduler.plan.revisions`): the calendar feeds of every later version
count on from it.
"""

from __future__ import annotations

import datetime as dt

from scheduler.check.r1_placement import meeting_mismatches
from scheduler.errors import PlanFileError, Problem
from scheduler.plan.model import Plan, require_programme
from scheduler.plan.revisions import revise
from scheduler.programme.model import Programme


def publish(
    programme: Programme,
    plan: Plan,
    *,
    at: dt.datetime,
    previous: Plan | None = None,
    source: str = "plan",
    previous_source: str = "previous plan",
) -> Plan:
    """`plan` as published at `at`, numbered on from `previous` (the version published before).

    Raises:
        PlanFileError: when a plan is of another programme, or `plan` is stale (`check_fits`).
    """
    check_fits(programme, plan, source)
    if previous is not None:
        require_programme(previous, programme.id, previous_source)
        plan = revise(previous, plan)
    return plan.model_copy(update={"published": at.astimezone(dt.UTC)})


def check_fits(programme: Programme, plan: Plan, source: str) -> None:
    """The plan must be of this programme as it is now: its meetings (body, date, time, venue,
    status), and only its items and people. Otherwise it is stale: re-plan first."""
    require_programme(plan, programme.id, source)
    position = {m.id: n for n, m in enumerate(plan.meetings)}
    problems = []

    def problem(meeting: str, message: str, *inner: int, where: str = "") -> None:
        n = position.get(meeting, len(plan.meetings))
        label = f"meetings[{n}] ({meeting})" if meeting in position else "meetings"
        problems.append(Problem(source, (n, *inner), label + where, f"{message}; re-plan first"))

    for mid, message in meeting_mismatches(programme, plan):
        problem(mid, message)
    for meeting in plan.meetings:
        held = programme.meetings_by_id.get(meeting.id)
        venue = (held[1].venue or held[0].venue) if held else meeting.venue
        if meeting.venue != venue:
            problem(meeting.id, f"venue {meeting.venue}; the programme says {venue}")
        for k, entry in enumerate(meeting.agenda):
            missing = [p for p in entry.people if p not in programme.people_by_id]
            where = f".agenda[{k}] ({entry.item})"
            if entry.item not in programme.items_by_id:
                problem(meeting.id, f"item '{entry.item}' is not in the programme", k, where=where)
            elif missing:
                problem(meeting.id, f"person '{missing[0]}' is not in people", k, where=where)
    if problems:
        raise PlanFileError(problems)
