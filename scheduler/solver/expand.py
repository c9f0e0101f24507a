"""Programme -> the concrete things to place, with no solver (DESIGN §3).

A *slot* is a meeting as the solver sees it (aware start and end). A *unit* is one thing to place:
an ordinary item (at `times` meetings), one occurrence of a recurring item (one per quarter or
half-year released inside the year), one rotation officer of a scrutiny item (at `times`
meetings), or a standing item (at every meeting where it stands). Which meetings each unit may
use is decided by the rules' pruning (`scheduler.solver.rules`), not here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from scheduler.plan.model import Reason, unit_key
from scheduler.programme.model import Body, Item, Meeting, Programme
from scheduler.programme.words import day_words

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}
#: In a title, the meeting(s) whose minutes an item takes (DESIGN §4.6).
PREVIOUS_MEETING = "{previous_meeting}"


@dataclass(frozen=True)
class Slot:
    """A meeting: its body, date and aware start/end in the programme's zone."""

    id: str
    body: Body
    meeting: Meeting
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int | None:
        """Its agenda time (the meeting's own, else its body's); None where none is stated."""
        return self.body.agenda_minutes(self.meeting)

    @property
    def date(self) -> dt.date:
        """The first day the meeting may be: its day once fixed (DESIGN §4.6)."""
        return self.meeting.date

    @property
    def latest(self) -> dt.date:
        """The last day the meeting may be: its day once fixed."""
        return self.meeting.latest

    @property
    def middle(self) -> dt.date:
        """The middle of the days the meeting may be: its day once fixed; the best guess of a
        day not fixed, where only a guess is needed (spreading, S4)."""
        return self.date + (self.latest - self.date) / 2

    @property
    def fixed(self) -> bool:
        """True once the meeting's day is fixed: until then people (R8) and deadlines wait."""
        return self.meeting.fixed

    @property
    def words(self) -> str:
        """The meeting as people name it: its body and its date (or what is known of it)."""
        return f"{self.body.name}, {day_words(self.meeting)}"

    @property
    def open(self) -> bool:
        """True unless cancelled."""
        return self.meeting.status != "cancelled"

    @property
    def special(self) -> bool:
        return self.meeting.special is not None


@dataclass
class Unit:
    """One thing to place, and (after pruning) where it may go.

    Attributes:
        key: structural name, e.g. ``camhs``, ``capital-programme@2017/18 Q1``,
            ``director-scrutiny@dce``.
        item: the programme item.
        occurrence: period label, rotation person id, or None.
        title: the agenda title ({period} and {fy} filled in; the officer for rotation).
        count: meetings it goes to.
        release: earliest date (recurring occurrences), else None.
        person: the rotation officer, for a scrutiny unit.
        year: the municipal year it is counted in (a rotation officer's sessions, in a
            programme of several years), else None: it may use any of the programme's.
        candidates: meetings it may use, in date order (filled by pruning).
        pruned: meeting id -> why it may not use that meeting.
        waits: why it cannot be placed at all yet (an undated event), if so.
        template: the title as the file gives it, `{previous_meeting}` still to fill in at
            each meeting; `title` says "the previous meeting" instead.
    """

    key: str
    item: Item
    occurrence: str | None
    title: str
    count: int
    release: dt.date | None = None
    person: str | None = None
    year: tuple[dt.date, dt.date] | None = None
    candidates: list[str] = field(default_factory=list)
    pruned: dict[str, list[Reason]] = field(default_factory=dict)
    waits: list[Reason] = field(default_factory=list)
    template: str = ""

    def __post_init__(self) -> None:
        # `{previous_meeting}` is filled in meeting by meeting (`solver.result`); spoken of as
        # a whole, the item takes "the previous meeting"'s minutes.
        self.template = self.template or self.title
        self.title = self.template.replace(PREVIOUS_MEETING, "the previous meeting")

    @cached_property
    def people(self) -> tuple[str, ...]:
        """Everyone the unit needs at its meetings: witnesses, presenters, rotation officer."""
        extra = (self.person,) if self.person else ()
        return tuple(dict.fromkeys((*self.item.witnesses, *self.item.presenters, *extra)))


@dataclass
class Expansion:
    """The programme with its slots and units, ready for pruning and the model."""

    programme: Programme
    slots: dict[str, Slot]
    units: list[Unit]
    _by_body: dict[str, list[Slot]] | None = field(default=None, repr=False, compare=False)

    def body_slots(self, body: str) -> list[Slot]:
        """The open (not cancelled) meetings of a body, in date order."""
        if self._by_body is None:  # indexed once: pruning asks for every unit
            self._by_body = {}
            for s in self.slots.values():
                if s.open:
                    self._by_body.setdefault(s.body.id, []).append(s)
        return list(self._by_body.get(body, []))

    def ordinary_slots(self, body: str) -> list[Slot]:
        """The open meetings of a body that are not special (single-purpose) sittings."""
        return [s for s in self.body_slots(body) if not s.special]

    @cached_property
    def units_by_key(self) -> dict[str, Unit]:
        return {u.key: u for u in self.units}

    @cached_property
    def _units_by_item(self) -> dict[str, list[Unit]]:
        found: dict[str, list[Unit]] = {}
        for unit in self.units:
            found.setdefault(unit.item.id, []).append(unit)
        return found

    def units_of(self, item: str) -> list[Unit]:
        return self._units_by_item.get(item, [])

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each item's place in the programme file."""
        return {item.id: n for n, item in enumerate(self.programme.items)}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months: the day of month kept, or the month's last when it has no
    such day (a municipal year from 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The years `every: year` may follow (DESIGN §4.6): (label letter, the year's first day).
ACADEMIC_START = (9, 1)


def periods(p: Programme, item: Item) -> list[tuple[str, str, str, dt.date]]:
    """(label, period name, year name, release date) of each period released inside the year:
    quarters and half-years of the financial year; for `every: year`, the financial, municipal
    or academic years (`period`) themselves."""
    assert p.year.start and p.year.end
    out = []
    # A period of the year starting in `year` ends by the end of `year + 1`; its release falls
    # up to `release_days` later, so the first year to look at is this far back.
    for year in range(p.year.start.year - 2 - item.release_days // 365, p.year.end.year + 1):
        start = year_start(p, item, year)
        fy = f"{year}/{(year + 1) % 100:02d}"
        for label, name, months in _parts(item):
            end = add_months(start, months) - dt.timedelta(days=1)
            release = end + dt.timedelta(days=item.release_days)
            if release in p.year:
                out.append((f"{fy} {label}" if label else fy, name, fy, release))
    return out


def year_start(p: Programme, item: Item, year: int) -> dt.date:
    """The first day of the year (financial unless `every: year` says otherwise) that starts in
    calendar `year`."""
    if item.every == "year" and item.period == "academic":
        return dt.date(year, *ACADEMIC_START)
    if item.every == "year" and item.period == "municipal":
        assert p.year.start is not None
        month, day = (int(x) for x in (p.years_start or f"{p.year.start:%m-%d}").split("-"))
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return p.fy_start(year)


def _parts(item: Item) -> list[tuple[str, str, int]]:
    """(label, name, months from the year's start to the period's end) of each period."""
    if item.every == "quarter":
        return [(f"Q{n}", f"{ORDINALS[n]} Quarter", 3 * n) for n in range(1, 5)]
    if item.every == "half-year":
        return [("H1", "1st Half", 6), ("H2", "2nd Half", 12)]
    return [("", "Year", 12)]


def occurrence_title(item: Item, label: str, name: str, fy: str) -> str:
    """A recurring item's agenda title for one period: its own title for that period
    (`titles: {Q4: ...}`) or the item's, with {period} and {fy} filled in."""
    code = label.rpartition(" ")[2] if " " in label else "Y"
    title = item.titles.get(code, item.title)
    return title.replace("{period}", name).replace("{fy}", fy)


def _slot(p: Programme, body: Body, meeting: Meeting) -> Slot:
    return Slot(meeting.key, body, meeting, *p.span(body, meeting))


def _units_of(p: Programme, item: Item) -> list[Unit]:
    if item.every:
        return [
            Unit(
                key=unit_key(item.id, label),
                item=item,
                occurrence=label,
                title=occurrence_title(item, label, name, fy),
                count=1,
                release=release,
            )
            for label, name, fy, release in periods(p, item)
        ]
    if item.rotation:
        years = p.municipal_years()
        several = len(years) > 1
        return [
            Unit(
                key=unit_key(item.id, occurrence),
                item=item,
                occurrence=occurrence,
                title=_officer_title(p, item, person, year if several else None),
                count=times,
                person=person,
                year=year if several else None,
            )
            for year in years
            for person, times in sorted(item.rotation.items())
            for occurrence in [f"{person} {p.year_label(year)}" if several else person]
        ]
    return [
        Unit(
            key=unit_key(item.id, None),
            item=item,
            occurrence=None,
            title=item.title,
            count=item.times,
        )
    ]


def _officer_title(
    p: Programme, item: Item, person: str, year: tuple[dt.date, dt.date] | None
) -> str:
    """`Scrutiny of a Chief Officer: Jane Bailey, Director: Education`, and the municipal year
    in a programme of several (`(2026/27)`)."""
    officer = p.people_by_id[person]
    title = f"{item.title}: {officer.name}" + (f", {officer.role}" if officer.role else "")
    return title + (f" ({p.year_label(year)})" if year else "")


def expand(p: Programme) -> Expansion:
    """Slots for every meeting (date order) and units for every item placed in this programme."""
    slots = [_slot(p, body, meeting) for body, meeting in p.in_time_order()]
    units = [u for item in p.items if item.placed_here for u in _units_of(p, item)]
    return Expansion(p, {s.id: s for s in slots}, units)
