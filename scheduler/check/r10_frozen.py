"""Hard R10 frozen, checked: a re-plan keeps what was settled as of its date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from scheduler.check.view import Breach, Finding, Pair, breach, subject_of
from scheduler.dates.deadlines import deadlines_of
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme


def check_r10(programme: Programme, plan: Plan, previous: Plan, as_of: dt.date) -> list[Breach]:
    """Hard R10 frozen: re-planning as of a date keeps what is already settled.

    Meetings surely before `as_of` (a day not fixed: by its last possible one) keep exactly
    their agendas (item, occurrence), and nothing new
    goes to a later meeting whose reports were due before `as_of` (standing items excepted:
    they go to every meeting).
    """
    return [breach("R10", s, text) for s, text in _r10(programme, plan, previous, as_of)]


def _r10(programme: Programme, plan: Plan, previous: Plan, as_of: dt.date) -> Iterator[Finding]:
    now, before = _agendas(plan), _agendas(previous)
    for mid, (body, meeting) in programme.meetings_by_id.items():
        added, removed = now[mid] - before[mid], before[mid] - now[mid]
        if meeting.latest < as_of and (added or removed):
            yield (
                mid,
                (
                    f"{mid} ({meeting.date}) is frozen as of {as_of} but its agenda changed: "
                    f"added {_listed(added)}; removed {_listed(removed)}"
                ),
            )
        elif meeting.latest >= as_of and added and meeting.fixed and meeting.status != "cancelled":
            # The programme's deadlines, never the plan's: a plan without them must not escape.
            due = deadlines_of(programme, body, meeting).reports_due
            if due >= as_of:
                continue
            for item_id, occurrence in sorted(added, key=lambda pair: subject_of(*pair)):
                if getattr(programme.items_by_id.get(item_id), "kind", None) != "standing":
                    subject = subject_of(item_id, occurrence)
                    yield subject, f"{subject} is new at {mid}, whose reports were due {due}"


def _agendas(plan: Plan) -> dict[str, set[Pair]]:
    agendas: dict[str, set[Pair]] = defaultdict(set)
    for item, occurrence, meeting in plan.placements():
        agendas[meeting].add((item, occurrence))
    return agendas


def _listed(pairs: Iterable[Pair]) -> str:
    return ", ".join(sorted(subject_of(*pair) for pair in pairs)) or "nothing"
