"""Hard R8 people, checked: whoever an entry needs is named, available, at one meeting at a time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from scheduler.check.view import Finding, Placed, View, hard
from scheduler.programme.model import Programme


@hard("R8")
def check_r8(view: View) -> Iterator[Finding]:
    """Hard R8 people: whoever an entry needs is listed, available, and at one meeting at a time.

    An entry needs its item's witnesses and presenters and its rotation person; its `people`
    must name them all. Two meetings overlap when their times [start, start + minutes) do.
    A meeting without a fixed day is not judged yet: people wait for its day.
    """
    needs: dict[str, dict[str, Placed]] = defaultdict(dict)
    for placed, item in view.entries():
        occurrence = placed.entry.occurrence
        officer = item.officer(occurrence)
        own = [officer] if officer is not None else []
        required = [*item.witnesses, *item.presenters, *own]
        if missing := [p for p in required if p not in placed.entry.people]:
            left_out = ", ".join(missing)
            yield placed.subject, f"{placed.subject} at {placed.where} leaves out {left_out}"
        if not placed.meeting.fixed:
            continue
        for person in dict.fromkeys([*placed.entry.people, *required]):
            yield from _r8_available(view.programme, person, placed)
            needs[person].setdefault(placed.where, placed)
    for person, at in needs.items():
        yield from _r8_overlaps(view.programme, person, list(at.values()))


def _r8_available(programme: Programme, person_id: str, placed: Placed) -> Iterator[Finding]:
    person = programme.people_by_id.get(person_id)
    if person is None:
        yield placed.subject, f"{placed.subject} at {placed.where} needs {person_id}, not in people"
    elif not person.available(placed.date):
        yield (
            placed.subject,
            (
                f"{person_id} is needed for {placed.subject} at {placed.where} "
                f"but is unavailable on {placed.date}"
            ),
        )


def _r8_overlaps(programme: Programme, person: str, placements: list[Placed]) -> Iterator[Finding]:
    # Compared as moments (UTC): Python compares two times of one zone by the clock, and on the
    # night the clocks go back 01:30 comes twice.
    spans = sorted(
        (start.astimezone(dt.UTC), end.astimezone(dt.UTC), p.where, start, end)
        for p in placements
        for start, end in [programme.span(p.body, p.meeting)]
    )
    for index, (_, end_utc, where, start, end) in enumerate(spans):
        for other_utc, _, other, other_start, other_end in spans[index + 1 :]:
            if other_utc >= end_utc:
                break
            yield (
                where,
                (
                    f"{person} is needed at {where} ({start:%H:%M}-{end:%H:%M}) and at "
                    f"{other} ({other_start:%H:%M}-{other_end:%H:%M}) on {start:%Y-%m-%d}"
                ),
            )
