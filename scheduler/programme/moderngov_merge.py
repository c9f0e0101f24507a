"""What Modern.gov says of a programme's meetings, as edits of its file (issue 24).

Each committee found there is matched to a body of the programme by its Modern.gov number, else
by its name; a body not there is added. Each of its meetings is matched to a meeting of the body
by its Modern.gov number, else by its day (or, for a meeting whose day is not fixed yet, by the
days it may be). Then:

- a meeting whose day differs is moved (`MoveMeeting`: `moved_from`, so its id and calendar
  entry survive);
- a cancelled one is cancelled, one cancelled here and held there is restored, and a
  Provisional or Postponed one is marked so;
- its start, venue and agenda time (from its planned finish) are written where they differ
  from what the file says it is, on the meeting (or taken off it where the body's say it);
- a meeting not in the programme is added, with its Modern.gov number.

Every change is an `Update`: the edit and the words that tell the clerk of it. A meeting here
that Modern.gov no longer has is told of, never removed: the clerk decides. The edits are made
by `programme.edits`, which keep every other line of a YAML file as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scheduler.programme import moderngov
from scheduler.programme.edits import (
    AddEntry,
    CancelMeeting,
    ChangeEntry,
    ChangeMeeting,
    ChangeSettings,
    Edit,
    MoveMeeting,
    NewMeeting,
    RestoreMeeting,
)
from scheduler.programme.edits_source import Changes
from scheduler.programme.edits_yaml import yaml_value
from scheduler.programme.model import Body, Meeting, Programme
from scheduler.programme.moderngov_fetch import Found
from scheduler.programme.words import day_words, long_day

#: A meeting's keys as Modern.gov gives them, in the file's order.
_KEYS = ("start", "venue", "minutes")


@dataclass(frozen=True)
class Update:
    """One change Modern.gov asks of the programme: what the clerk reads, and its edit (None
    for what is only told: a meeting Modern.gov no longer has, one outside the year)."""

    words: str
    edit: Edit | None = None


def updates(p: Programme, found: Iterable[Found], site: str | None = None) -> list[Update]:
    """The updates that bring `p` up to date with what Modern.gov says (see the module)."""
    out: list[Update] = []
    if site is not None and p.moderngov != site:
        out.append(
            Update(f"The council's Modern.gov is {site}.", ChangeSettings({"moderngov": site}))
        )
    taken = {b.id for b in p.bodies}
    claimed: set[str] = set()  # bodies matched to a committee by this import
    for f in found:
        inside, outside = _in_year(p, f)
        body, problem = _body_of(p, f.committee, claimed)
        if problem is not None:
            out.append(Update(problem))
            continue
        if body is None:
            new = _new_body(f, taken)
            taken.add(str(new["id"]))
            out.append(Update(f"{f.committee.title}: a new committee.", AddEntry("bodies", new)))
            ids: set[str] = set()
            out += (_added(f.committee.title, str(new["id"]), m, new, ids) for m in inside)
        else:
            claimed.add(body.id)
            if body.moderngov == f.committee.id and not _same(body.name, f.committee.title):
                out.append(
                    Update(
                        f"{body.name}: Modern.gov calls the committee of its number "
                        f'"{f.committee.title}". If that is another committee, correct the '
                        "Modern.gov number in the committee's form before applying these changes."
                    )
                )
            if body.moderngov != f.committee.id:
                words = f"{body.name}: linked to its committee in Modern.gov."
                edit = ChangeEntry("bodies", body.id, {"moderngov": f.committee.id})
                out.append(Update(words, edit))
            out += _meetings(body, f, inside)
        out += outside
    return out


def new_programme(
    found: Iterable[Found], site: str | None, council: str, first: dt.date, last: dt.date
) -> str:
    """A programme file for a council's committees from `first` to `last`, with their meetings:
    bodies each with the start, venue and agenda time most of its meetings have; the meetings
    with only what differs."""
    years = f"{first.year}-{str(last.year)[2:]}" if last.year != first.year else str(first.year)
    lines = [
        "# Made by `scrutiny import moderngov`: add people and items, then `scrutiny validate`.",
        f"id: {_slug(council) or 'programme'}-{years}",
        f"council: {yaml_value(council)}",
        f"title: {yaml_value('Scrutiny Work Programme ' + years.replace('-', '/'))}",
        f"year: {first.isoformat()}..{last.isoformat()}",
    ]
    lines += [f"moderngov: {yaml_value(site)}"] if site else []
    lines += ["people: []", "bodies:"]
    taken: set[str] = set()
    for f in found:
        values = _new_body(f, taken)
        taken.add(str(values["id"]))
        ids: set[str] = set()
        lines += [
            f"  - {key}: {yaml_value(value)}" if n == 0 else f"    {key}: {yaml_value(value)}"
            for n, (key, value) in enumerate(values.items())
            if value is not None
        ]
        lines += ["    meetings:"] if f.meetings else ["    meetings: []"]
        for m in f.meetings:
            meeting = _meeting_values(str(values["id"]), m, values, ids)
            written = {k: v for k, v in meeting.items() if v is not None}
            lines.append(f"      - {yaml_value(written)}")
    if not taken:
        lines[-1] = "bodies: []"
    lines += ["items: []", ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Bodies


def _body_of(
    p: Programme, committee: moderngov.Committee, claimed: set[str]
) -> tuple[Body | None, str | None]:
    """The body a committee is (None: a new one), or why it cannot be told."""
    numbered = [b for b in p.bodies if b.moderngov == committee.id]
    if numbered:
        return numbered[0], None
    named = [b for b in p.bodies if _same(b.name, committee.title)]
    free = [b for b in named if b.moderngov is None and b.id not in claimed]
    if len(free) > 1:
        problem = (
            f"{committee.title}: {len(free)} bodies here have its name, so its meetings are "
            "not taken. Give the one it is its Modern.gov number in the committee's form, "
            f"{committee.id}, and import again."
        )
        return None, problem
    if named and not free:  # each is another committee of the same name
        problem = (
            f"{committee.title}: another committee of Modern.gov has the same name and is "
            f"taken as {named[0].name} here, so its meetings are not taken. Give the body it "
            f"is its Modern.gov number in the committee's form, {committee.id}, and import again."
        )
        return None, problem
    return (free[0] if free else None), None


def _new_body(f: Found, taken: set[str]) -> Changes:
    """A new body's keys: its id (from its title), name, number, and the start, venue and
    agenda time most of its meetings have."""
    base = _slug(f.committee.title) or f"committee-{f.committee.id}"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    values: Changes = {"id": ident, "name": " ".join(f.committee.title.split())}
    values["moderngov"] = f.committee.id
    for key in _KEYS:
        common = Counter(v for m in f.meetings if (v := _given(m, key)) is not None).most_common(1)
        values[key] = common[0][0] if common else None
    return {k: v for k, v in values.items() if v is not None}


# ----------------------------------------------------------------------------------------------
# Meetings


def _meetings(body: Body, f: Found, inside: list[moderngov.Meeting]) -> Iterator[Update]:
    claimed: set[str] = set()
    given = {m.moderngov: m for m in body.meetings if m.moderngov is not None}
    defaults: Changes = {"start": _clock(body.start), "venue": body.venue, "minutes": body.minutes}
    ids = {m.key for m in body.meetings}
    for mg in inside:
        ours = given.get(mg.id) or _by_day(body, mg, claimed, given)
        if ours is None:
            yield _added(body.name, body.id, mg, defaults, ids)
            continue
        claimed.add(ours.key)
        yield from _meeting_updates(body, ours, mg)
    for ours in body.meetings:
        day = ours.day
        if ours.key in claimed or ours.status == "cancelled" or day is None:
            continue
        if f.first <= day <= f.last:
            yield Update(
                f"{body.name}, {long_day(day)}: Modern.gov does not list it between "
                f"{long_day(f.first)} and {long_day(f.last)}. It is left as it is: cancel or "
                "remove it here if it is not to be held."
            )


def _in_year(p: Programme, f: Found) -> tuple[list[moderngov.Meeting], list[Update]]:
    """The committee's meetings within the programme's year, and words for those outside it."""
    first, last = p.year.start, p.year.end
    inside, outside = [], []
    for mg in f.meetings:
        if (first and mg.date < first) or (last and mg.date > last):
            words = (
                f"{f.committee.title}, {long_day(mg.date)}: outside the programme's year, so "
                "not taken; extend the year to take it."
            )
            outside.append(Update(words))
        else:
            inside.append(mg)
    return inside, outside


def _by_day(
    body: Body, mg: moderngov.Meeting, claimed: set[str], given: dict[int, Meeting]
) -> Meeting | None:
    """The body's meeting on `mg`'s day not yet matched to Modern.gov (of two, the one at its
    time, then the one cancelled or not as it is); else its one meeting not fixed yet that may
    fall on it."""
    free = [m for m in body.meetings if m.key not in claimed and m.moderngov not in given]
    on_day = [m for m in free if m.day == mg.date]
    if on_day:
        clock = _clock(mg.start)

        def unlike(m: Meeting) -> tuple[bool, bool]:
            at = _clock(m.start or body.start)
            return (clock is not None and at != clock), (m.status == "cancelled") != (
                mg.status == "cancelled"
            )

        return min(on_day, key=unlike)
    day = mg.date
    rough = [m for m in free if not m.fixed and m.when.known and m.date <= day <= m.latest]
    return rough[0] if len(rough) == 1 else None


def _meeting_updates(body: Body, ours: Meeting, mg: moderngov.Meeting) -> Iterator[Update]:
    at = f"{body.name}, {day_words(ours)}"
    if ours.moderngov != mg.id:
        linked = ChangeMeeting(ours.key, {"moderngov": mg.id})
        yield Update(f"{at}: linked to its meeting in Modern.gov.", linked)
    status = ours.status
    if ours.day != mg.date:
        moves = f"moves to {long_day(mg.date)}" if ours.fixed else f"is set for {long_day(mg.date)}"
        yield Update(f"{at} {moves}.", MoveMeeting(ours.key, mg.date))
        at = f"{body.name}, {long_day(mg.date)}"
        status = "scheduled" if status == "postponed" else status  # a move holds it again
    if mg.status != status:
        yield from _status(at, ours.key, status, mg.status)
    if mg.status == "cancelled":
        return  # a cancelled meeting's time and place are no longer news
    changes: Changes = {}
    said = []
    now = {
        "start": ours.start or body.start,
        "venue": ours.venue or body.venue,
        "minutes": body.agenda_minutes(ours),
    }
    own = {"start": ours.start, "venue": ours.venue, "minutes": ours.minutes}
    usual = {"start": body.start, "venue": body.venue, "minutes": body.minutes}
    for key in _KEYS:
        there = _given(mg, key)
        if there is None or there == _comparable(now[key]):
            continue
        # On the meeting, or taken off it where its body's is Modern.gov's.
        changes[key] = None if there == _comparable(usual[key]) and own[key] is not None else there
        said.append(_key_words(key, there, now[key]))
    if changes:
        yield Update(f"{at}: {'; '.join(said)}.", ChangeMeeting(ours.key, changes))


def _status(at: str, key: str, was: str, now: str) -> Iterator[Update]:
    if now == "cancelled":
        yield Update(f"{at} is cancelled.", CancelMeeting(key))
        return
    if was == "cancelled":
        yield Update(f"{at} is no longer cancelled.", RestoreMeeting(key))
        was = "scheduled"
    if now != was:
        words = "is confirmed" if now == "scheduled" else f"is {now}"
        value = None if now == "scheduled" else now
        yield Update(f"{at} {words}.", ChangeMeeting(key, {"status": value}))


def _added(name: str, body: str, mg: moderngov.Meeting, defaults: Changes, ids: set[str]) -> Update:
    values = _meeting_values(body, mg, defaults, ids)
    status = "" if mg.status == "scheduled" else f" ({mg.status})"
    return Update(f"{name}, {long_day(mg.date)}: a new meeting{status}.", NewMeeting(body, values))


def _meeting_values(body: str, mg: moderngov.Meeting, defaults: Changes, ids: set[str]) -> Changes:
    """A new meeting's keys: its day, what differs from its body's, its status, its number;
    an id of its own where its body has a meeting with its day's id already (`ids`, to which
    its id is added)."""
    values: Changes = {"date": mg.date}
    ident = f"{body}-{mg.date.isoformat()}"
    if ident in ids:
        ident = f"{ident}-{mg.id}"
        values = {"id": ident, "date": mg.date}
    ids.add(ident)
    for key in _KEYS:
        there = _given(mg, key)
        if there is not None and there != defaults.get(key):
            values[key] = there
    if mg.status != "scheduled":
        values["status"] = mg.status
    values["moderngov"] = mg.id
    return values


def _given(mg: moderngov.Meeting, key: str) -> str | int | None:
    """What Modern.gov gives of a meeting's start ("HH:MM"), venue or agenda minutes."""
    if key == "start":
        return _clock(mg.start)
    if key == "venue":
        return " ".join(mg.location.split()) or None if mg.location else None
    if mg.start is None or mg.finish is None:
        return None
    length = dt.datetime.combine(mg.date, mg.finish) - dt.datetime.combine(mg.date, mg.start)
    minutes = int(length.total_seconds() // 60) % (24 * 60)  # a finish after midnight: next day
    return minutes if 0 < minutes <= 24 * 60 else None


def _comparable(value: object) -> str | int | None:
    if isinstance(value, dt.time):
        return _clock(value)
    if isinstance(value, str):
        return " ".join(value.split())
    return value if isinstance(value, int) else None


def _clock(time: dt.time | None) -> str | None:
    return None if time is None else f"{time:%H:%M}"


def _key_words(key: str, there: str | int, was: object) -> str:
    before = _comparable(was)
    if key == "start":
        return f"starts at {there}" + (f" (was {before})" if before else "")
    if key == "venue":
        return f"meets at {there}" + (f" (was {before})" if before else "")
    return f"{there} minutes for its agenda" + (f" (was {before})" if before else "")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _slug(text: str) -> str:
    return (
        re.sub(r"[^a-z0-9]+", "-", text.casefold().replace("&", " and ")).strip("-")[:60].strip("-")
    )
