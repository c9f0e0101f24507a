"""Programme -> the concrete things to place, with no solver (DESIGN §3).

A *slot* is a meeting as the solver sees it (aware start and end). A *unit* is one thing to place:
an ordinary item (at `times` meetings), one occurrence of a recurring item (one per quarter or
half-year released inside the year), one rotation officer of a scrutiny item (at `times`
meetings), or a standing item (at every meeting where it stands). Which meetings each unit may
use is decided by the rules' pruning (`scheduler.solver.rules`), not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from scheduler.plan.model import Reason, unit_key
from scheduler.programme.model import Body, Item, Meeting, Programme
from scheduler.programme.words import long_day

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}


@dataclass(frozen=True)
class Slot:
    """A meeting: its body, date and aware start/end in the programme's zone."""

    id: str
    body: Body
    meeting: Meeting
    start: dt.datetime
    end: dt.datetime

    @property
    def date(self) -> dt.date:
        return self.meeting.date

    @property
    def words(self) -> str:
        """The meeting as people name it: its body and its date."""
        return f"{self.body.name}, {long_day(self.date)}"

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
        candidates: meetings it may use, in date order (filled by pruning).
        pruned: meeting id -> why it may not use that meeting.
        waits: why it cannot be placed at all yet (an undated event), if so.
    """

    key: str
    item: Item
    occurrence: str | None
    title: str
    count: int
    release: dt.date | None = None
    person: str | None = None
    candidates: list[str] = field(default_factory=list)
    pruned: dict[str, list[Reason]] = field(default_factory=dict)
    waits: list[Reason] = field(default_factory=list)

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

    def body_slots(self, body: str) -> list[Slot]:
        """The open (not cancelled) meetings of a body, in date order."""
        return [s for s in self.slots.values() if s.body.id == body and s.open]

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
    """`day` moved by whole months (the day of month kept; FY starts are early in the month)."""
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def periods(p: Programme, item: Item) -> list[tuple[str, str, str, dt.date]]:
    """(label, period name, fy name, release date) of each period released inside the year."""
    assert p.year.start and p.year.end
    months, letter = (3, "Q") if item.every == "quarter" else (6, "H")
    names = (
        {n: f"{ORDINALS[n]} Quarter" for n in range(1, 5)}
        if letter == "Q"
        else {1: "1st Half", 2: "2nd Half"}
    )
    out = []
    # A period of the financial year starting in `year` ends by the end of `year + 1`; its
    # release falls up to `release_days` later, so the first year to look at is this far back.
    for year in range(p.year.start.year - 2 - item.release_days // 365, p.year.end.year + 1):
        start = p.fy_start(year)
        fy = f"{year}/{(year + 1) % 100:02d}"
        for n in range(1, 12 // months + 1):
            end = add_months(start, months * n) - dt.timedelta(days=1)
            release = end + dt.timedelta(days=item.release_days)
            if release in p.year:
                out.append((f"{fy} {letter}{n}", names[n], fy, release))
    return out


def _slot(p: Programme, body: Body, meeting: Meeting) -> Slot:
    return Slot(meeting.key, body, meeting, *p.span(body, meeting))


def _units_of(p: Programme, item: Item) -> list[Unit]:
    if item.every:
        return [
            Unit(
                key=unit_key(item.id, label),
                item=item,
                occurrence=label,
                title=item.title.replace("{period}", name).replace("{fy}", fy),
                count=1,
                release=release,
            )
            for label, name, fy, release in periods(p, item)
        ]
    if item.rotation:
        return [
            Unit(
                key=unit_key(item.id, person),
                item=item,
                occurrence=person,
                title=_officer_title(p, item, person),
                count=times,
                person=person,
            )
            for person, times in sorted(item.rotation.items())
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


def _officer_title(p: Programme, item: Item, person: str) -> str:
    officer = p.people_by_id[person]
    return f"{item.title}: {officer.name}" + (f", {officer.role}" if officer.role else "")


def expand(p: Programme) -> Expansion:
    """Slots for every meeting (date order) and units for every item placed in this programme."""
    slots = [_slot(p, body, meeting) for body, meeting in p.in_time_order()]
    units = [u for item in p.items if item.placed_here for u in _units_of(p, item)]
    return Expansion(p, {s.id: s for s in slots}, units)
