"""Hard R7 rotation, checked: rotation officers per meeting, and each their times a year."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from scheduler.check.facts import open_meetings
from scheduler.check.view import Finding, Placed, View, hard, held, plural, subject_of
from scheduler.programme.model import Body, Item


@hard("R7")
def check_r7(view: View) -> Iterator[Finding]:
    """Hard R7 rotation: `per_meeting` rotation people a meeting; each person exactly `times`.

    Exactly `per_meeting` at each non-cancelled, non-special meeting of the body when the
    year's total of `times` allows, else at most; nobody twice at one meeting. A session the plan
    lists as left out (`missing`) counts out of both; a `must` rotation's only when the plan says
    it is not complete (DESIGN R1, R7).
    """
    for item in view.programme.items:
        body = view.programme.bodies_by_id.get(item.body)
        if item.kind == "scrutiny" and item.rotation and item.placed_here and body is not None:
            yield from _r7_people(view, item, item.rotation, view.at(item.id))
            yield from _r7_meetings(view, body, item, item.rotation)


def _r7_people(
    view: View, item: Item, rotation: dict[str, int], placed: list[Placed]
) -> Iterator[Finding]:
    where: dict[str, list[str]] = defaultdict(list)
    for p in placed:
        if p.entry.occurrence is not None and p.entry.occurrence in rotation:
            where[p.entry.occurrence].append(p.where)
        else:
            yield p.subject, f"{item.id} at {p.where} names {p.entry.occurrence}, not its rotation"
    for person, times in rotation.items():
        subject, meetings = subject_of(item.id, person), list(dict.fromkeys(where[person]))
        for meeting, count in Counter(where[person]).items():
            if count > 1:
                yield subject, f"{person} is at {meeting} {count} times for {item.id}"
        out = view.left_out(item.id, person, times)
        if len(meetings) + out != times:
            at = f"{person} is at {plural(len(meetings), 'meeting')} for {item.id}, not {times}"
            said = f" ({out} listed as left out)" if out else ""
            yield subject, (f"{at}: {', '.join(meetings)}" if meetings else at) + said
        elif out and item.importance == "must" and not held(view, item, frozenset()):
            if view.plan.complete:
                yield subject, f"{person}'s {item.id} sessions are left out of a complete plan"
            elif view.unproven(item.id, person, "R7"):
                yield subject, f"{person}'s {item.id} sessions are left out with no conflict named"


def _r7_meetings(view: View, body: Body, item: Item, rotation: dict[str, int]) -> Iterator[Finding]:
    per = item.per_meeting or 1
    regular = [m for m in open_meetings(body) if not m.special]
    held = sum(times - view.left_out(item.id, person, times) for person, times in rotation.items())
    exact = held >= per * len(regular)
    people: dict[str, set[str | None]] = defaultdict(set)
    for p in view.at(item.id):
        if p.entry.occurrence in rotation:
            people[p.where].add(p.entry.occurrence)
    for meeting in regular:
        count = len(people[meeting.key])
        if count > per or (exact and count != per):
            need = "exactly" if exact else "at most"
            text = f"scrutinises {count} of the {item.id} rotation; it needs {need} {per}"
            yield meeting.key, f"{meeting.key} {text}"
