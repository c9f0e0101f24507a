"""Warnings (DESIGN §4.6): what a programme may say but probably says by a slip.

A warning never refuses a programme and never changes an exit code: `validate`, `solve`,
`replan` and the clerk's web page print them beside their answer. Each has a `kind` (a code for
scripts), the meetings and people it is about (ids, for scripts), and a `text` for people that
names meetings by body and date and people by name, reason first and what to do last:

- `weekend`, `bank-holiday`: an open (not cancelled) meeting on a Saturday or Sunday, or on a
  bank holiday of the programme's nation (the working calendar of `scheduler.dates` decides;
  the council's own `closures` are not warned of).
- `overlap-body`, `overlap-members`, `overlap-clerk`: two open meetings whose times overlap
  (a meeting that ends when the next starts does not): of one body; of two bodies with people
  in common (members, chair, vice-chair: a sub-committee beside its parent is the usual case);
  of two bodies with the same clerk. A pair gets one warning, of its most specific kind in that
  order, naming everyone it concerns: one overlap is one thing to put right.
- `looks-moved` (against the published plan): a meeting that is gone and a new meeting of the
  same body within 31 days of it, without `moved_from`. A moved meeting keeps its id (and its
  calendar UID) only through `moved_from`, so the warning suggests it. Only meetings whose ids
  are made from their dates are paired: an explicit id stays whatever the date, and
  `moved_from` cannot give one back. New meetings are taken in time order, each paired with
  the nearest gone meeting of its body not paired yet (the earlier on a tie).

Each of the three checks lists at most `MAX_LISTED` warnings, the first in time, and compares
at most `MAX_COMPARED` overlapping pairs: a programme with more has a bigger problem than a list
shows, and no file, however made, may make the answer (or the work) grow with the square of its
meetings.

The programme model has no `min_meetings`, so "fewer meetings than `min_meetings` says" is not
warned of.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from scheduler.dates.working_days import WorkingCalendar, bank_holidays
from scheduler.plan.model import Plan, PlannedMeeting
from scheduler.programme.model import Body, Meeting, Programme, meeting_id
from scheduler.programme.words import count, listing, long_day, people_words

WarningKind = Literal[
    "weekend", "bank-holiday", "overlap-body", "overlap-members", "overlap-clerk", "looks-moved"
]
#: The kinds in the order warnings of one day are listed.
KINDS: tuple[WarningKind, ...] = get_args(WarningKind)
#: How far from its old date a new meeting looks like the old one moved.
MOVE_DAYS = 31
#: Most warnings of each check (days, overlaps, moves) listed.
MAX_LISTED = 100
#: Most pairs of overlapping meetings compared.
MAX_COMPARED = 100_000
_SATURDAY = 5


class ProgrammeWarning(BaseModel):
    """One warning: `text` for people; `kind`, `meetings` and `people` (ids) for scripts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    kind: WarningKind
    meetings: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


Dated = tuple[dt.date, ProgrammeWarning]


def warnings_of(programme: Programme, previous: Plan | None = None) -> list[ProgrammeWarning]:
    """Every warning of `programme`, by date (the earliest meeting each names), then kind.

    Args:
        programme: the validated programme.
        previous: the published plan it is edited from; without it, no `looks-moved`.

    Returns:
        The warnings; an empty list when nothing looks like a slip.
    """
    checks = [_days(programme), _overlaps(programme)]
    if previous is not None:
        checks.append(_looks_moved(programme, previous))
    found = [dated for check in checks for dated in islice(check, MAX_LISTED)]
    found.sort(key=lambda f: (f[0], KINDS.index(f[1].kind), f[1].meetings, f[1].text))
    return [warning for _, warning in found]


def _open(p: Programme) -> Iterator[tuple[Body, Meeting]]:
    """Open meetings with a fixed day: a day still to be fixed is not on a weekend yet."""
    return ((b, m) for b, m in p.in_time_order() if m.status != "cancelled" and m.fixed)


def _days(p: Programme) -> Iterator[Dated]:
    """Weekend and bank-holiday meetings."""
    calendar = WorkingCalendar(p.nation)  # no closures: those are the council's own days
    for body, meeting in _open(p):
        day = meeting.date
        kind: WarningKind
        if day.weekday() >= _SATURDAY:
            reason, kind = "a weekend", "weekend"
        elif not calendar.is_working_day(day):
            name = _holiday_name(p.nation, day)
            reason, kind = f"{name + ', ' if name else ''}a bank holiday", "bank-holiday"
        else:
            continue
        text = f"{body.name} meets on {long_day(day)}, {reason}: check the date."
        yield day, ProgrammeWarning(text=text, kind=kind, meetings=(meeting.key,))


def _holiday_name(nation: str, day: dt.date) -> str | None:
    """The bank holiday's name ("Christmas Day"). Whether a day is one is the working
    calendar's to say, and so are the names of its bank holidays."""
    return bank_holidays(nation, day.year).get(day)


@dataclass(frozen=True)
class _Sitting:
    body: Body
    meeting: Meeting
    start: dt.datetime  # aware, in the programme's zone
    end: dt.datetime

    # Compared as moments (UTC): two times of one zone compare by the clock, and on the night
    # the clocks go back 01:30 comes twice.
    @property
    def since(self) -> dt.datetime:
        return self.start.astimezone(dt.UTC)

    @property
    def until(self) -> dt.datetime:
        return self.end.astimezone(dt.UTC)

    @property
    def clock(self) -> str:
        if (self.meeting.start or self.body.start) is None:
            return "no time stated"
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _overlaps(p: Programme) -> Iterator[Dated]:
    """Each pair of open meetings whose times overlap, once, as its most specific kind."""
    sittings = sorted(
        (_Sitting(b, m, *p.span(b, m)) for b, m in _open(p)),
        key=lambda s: (s.since, s.meeting.key),
    )
    for first, second in islice(_overlapping(sittings), MAX_COMPARED):
        warning = _overlap(p, first, second)
        if warning is not None:
            yield first.meeting.date, warning


def _overlapping(sittings: list[_Sitting]) -> Iterator[tuple[_Sitting, _Sitting]]:
    """Each pair whose times overlap (one ending as the other starts does not), by start."""
    for index, first in enumerate(sittings):
        for later in range(index + 1, len(sittings)):
            if sittings[later].since >= first.until:
                break
            yield first, sittings[later]


def _overlap(p: Programme, a: _Sitting, b: _Sitting) -> ProgrammeWarning | None:
    meetings = (a.meeting.key, b.meeting.key)
    when = _when(a, b)
    if a.body.id == b.body.id:
        text = f"Two meetings of {a.body.name} overlap {when}: move one or change its start."
        return ProgrammeWarning(text=text, kind="overlap-body", meetings=meetings)
    clerk = a.body.clerk if a.body.clerk and a.body.clerk == b.body.clerk else None
    both = f"both {a.body.name} and {b.body.name}"
    shared = _in_file_order(p, (a.body.roster & b.body.roster) - {clerk})
    clerks = [clerk] if clerk else []
    if shared:
        sit = "sits" if len(shared) == 1 else "sit"
        also = f", and {people_words(p, clerks)} clerks both" if clerks else ""
        text = (
            f"{count(len(shared), 'member')} ({people_words(p, shared)}) {sit} on {both}, "
            f"which overlap {when}{also}: move one meeting."
        )
        people = (*shared, *clerks)
        return ProgrammeWarning(text=text, kind="overlap-members", meetings=meetings, people=people)
    if clerks:
        text = (
            f"{people_words(p, clerks)} clerks {both}, which overlap {when}: move one meeting "
            "or give one of them another clerk."
        )
        return ProgrammeWarning(
            text=text, kind="overlap-clerk", meetings=meetings, people=tuple(clerks)
        )
    return None


def _when(a: _Sitting, b: _Sitting) -> str:
    """`on Tuesday 17 October 2017 (19:00-21:30 and 20:00-22:30)`; two days when they differ."""
    first, second = a.start.date(), b.start.date()
    if first == second:
        return f"on {long_day(first)} ({a.clock} and {b.clock})"
    return listing([f"on {long_day(first)} ({a.clock})", f"{long_day(second)} ({b.clock})"])


def _in_file_order(p: Programme, ids: Iterable[str]) -> list[str]:
    """People's ids in the order the file lists them."""
    order = {person.id: index for index, person in enumerate(p.people)}
    return sorted(ids, key=lambda i: (order.get(i, len(order)), i))


def _looks_moved(p: Programme, previous: Plan) -> Iterator[Dated]:
    """A meeting gone since the published plan, and a new one of its body near its date that
    could have kept its id with `moved_from`."""
    known = {m.id for m in previous.meetings}
    gone: dict[str, list[PlannedMeeting]] = defaultdict(list)
    dated = [m for m in previous.meetings if m.date is not None]
    for planned in sorted(dated, key=lambda m: (m.date or dt.date.min, m.id)):
        if planned.id not in p.meetings_by_id and _day_of_id(planned) is not None:
            gone[planned.body].append(planned)
    paired: set[str] = set()
    for body, new in p.in_time_order():
        key, day = new.key, new.day
        if day is None or key in known or new.moved_from:
            continue
        if key != meeting_id(body.id, day.isoformat()):
            continue
        old = _nearest(gone.get(body.id, []), day, paired)
        if old is None or old.date is None:
            continue
        paired.add(old.id)
        text = (
            f"The meeting of {body.name} on {long_day(old.date)} is gone and one on "
            f'{long_day(day)} is new: if it moved, add "moved_from: {_day_of_id(old)}" to '
            "the new one, so that subscribers' calendars move the meeting instead of removing "
            "it and adding another."
        )
        warning = ProgrammeWarning(text=text, kind="looks-moved", meetings=(old.id, key))
        yield min(day, old.date), warning


def _nearest(olds: list[PlannedMeeting], day: dt.date, paired: set[str]) -> PlannedMeeting | None:
    """The meeting of `olds` (in date order) nearest `day` within `MOVE_DAYS` and not paired
    yet; the earlier on a tie."""
    right = bisect_left(olds, day, key=lambda m: m.date or dt.date.min)
    left = right - 1
    while left >= 0 and olds[left].id in paired:
        left -= 1
    while right < len(olds) and olds[right].id in paired:
        right += 1
    near = [
        olds[i]
        for i in (left, right)
        if 0 <= i < len(olds) and abs(((olds[i].date or dt.date.min) - day).days) <= MOVE_DAYS
    ]
    return min(near, key=lambda m: abs(((m.date or day) - day).days), default=None)


def _day_of_id(m: PlannedMeeting) -> dt.date | None:
    """The date a meeting's id is made from (`BODY-DATE`), or None for an explicit id."""
    try:
        day = dt.date.fromisoformat(m.id.removeprefix(f"{m.body}-"))
    except ValueError:
        return None
    return day if meeting_id(m.body, day.isoformat()) == m.id else None
