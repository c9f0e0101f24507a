"""Hard R7 rotation, checked: rotation officers per meeting, and each their times a year."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator

from scheduler.check.facts import open_meetings
from scheduler.check.view import Finding, Placed, View, hard, held, plural, subject_of
from scheduler.programme.model import Body, Item, Meeting


@hard("R7")
def check_r7(view: View) -> Iterator[Finding]:
    """Hard R7 rotation: `per_meeting` rotation people a meeting; each person exactly `times`
    in each municipal year (DESIGN §4.6: in a programme of several years an occurrence names
    the person and the year, `dce 2026/27`, and sits in that year).

    Exactly `per_meeting` at each non-cancelled, non-special meeting of the body when the
    year's total of `times` (less the sessions held at special meetings) allows, else at most;
    nobody twice at one meeting. A session the plan lists as left out (`missing`) counts out of
    both; a `must` rotation's only when the plan says it is not complete (DESIGN R1, R7).
    """
    for item in view.programme.items:
        body = view.programme.bodies_by_id.get(item.body)
        if item.kind == "scrutiny" and item.rotation and item.placed_here and body is not None:
            for year, labels in _sessions(view, item.rotation).items():
                placed = [p for p in view.at(item.id) if _within(p.meeting, year)]
                yield from _r7_people(view, item, labels, placed)
                yield from _r7_meetings(view, body, item, labels, year)
            yield from _r7_names(view, item, _sessions(view, item.rotation))


Year = tuple[dt.date, dt.date]
#: occurrence label -> (person, times) of one municipal year
Labels = dict[str, tuple[str, int]]


def _sessions(view: View, rotation: dict[str, int]) -> dict[Year, Labels]:
    years = view.programme.municipal_years()
    several = len(years) > 1
    return {
        year: {
            (f"{person} {view.programme.year_label(year)}" if several else person): (person, n)
            for person, n in rotation.items()
        }
        for year in years
    }


def _within(meeting: Meeting, year: Year) -> bool:
    return year[0] <= meeting.date <= year[1]


def _r7_names(view: View, item: Item, years: dict[Year, Labels]) -> Iterator[Finding]:
    """Every entry names an officer of the rotation, in the year of its meeting."""
    for p in view.at(item.id):
        year = next((y for y, labels in years.items() if p.entry.occurrence in labels), None)
        if year is None:
            yield p.subject, f"{item.id} at {p.where} names {p.entry.occurrence}, not its rotation"
        elif not _within(p.meeting, year):
            yield p.subject, f"{p.at}, outside the municipal year {year[0]}..{year[1]}"


def _r7_people(view: View, item: Item, labels: Labels, placed: list[Placed]) -> Iterator[Finding]:
    where: dict[str, list[str]] = defaultdict(list)
    for p in placed:
        if p.entry.occurrence in labels:
            where[p.entry.occurrence].append(p.where)
    for label, (person, times) in labels.items():
        subject, meetings = subject_of(item.id, label), list(dict.fromkeys(where[label]))
        for meeting, count in Counter(where[label]).items():
            if count > 1:
                yield subject, f"{person} is at {meeting} {count} times for {item.id}"
        out = view.left_out(item.id, label, times)
        if len(meetings) + out != times:
            at = f"{person} is at {plural(len(meetings), 'meeting')} for {item.id}, not {times}"
            said = f" ({out} listed as left out)" if out else ""
            yield subject, (f"{at}: {', '.join(meetings)}" if meetings else at) + said
        elif out and item.importance == "must" and not held(view, item, frozenset()):
            if view.plan.complete:
                yield subject, f"{person}'s {item.id} sessions are left out of a complete plan"
            elif view.unproven(item.id, label, "R7"):
                yield subject, f"{person}'s {item.id} sessions are left out with no conflict named"


def _r7_meetings(
    view: View, body: Body, item: Item, labels: Labels, year: Year
) -> Iterator[Finding]:
    per = item.per_meeting or 1
    regular = [m for m in open_meetings(body) if not m.special and _within(m, year)]
    held = sum(times - view.left_out(item.id, label, times) for label, (_, times) in labels.items())
    # A session pinned to a special meeting is held there, not at an ordinary one.
    held -= sum(
        p.meeting.special is not None and p.entry.occurrence in labels for p in view.at(item.id)
    )
    exact = held >= per * len(regular)
    people: dict[str, set[str | None]] = defaultdict(set)
    for p in view.at(item.id):
        if p.entry.occurrence in labels:
            people[p.where].add(p.entry.occurrence)
    for meeting in regular:
        count = len(people[meeting.key])
        if count > per or (exact and count != per):
            need = "exactly" if exact else "at most"
            text = f"scrutinises {count} of the {item.id} rotation; it needs {need} {per}"
            yield meeting.key, f"{meeting.key} {text}"
