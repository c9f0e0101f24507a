"""Hypothesis strategies for small random programmes (DESIGN §4), as plain data.

`programme_data()` draws a programme file's content as the dicts and lists YAML would give: one
to three bodies (a committee, maybe a sub-committee under it, maybe an informal panel; some state
no start or no agenda minutes), two to six meetings each inside the year 2017-05-10..2018-05-15
(moved, cancelled, tentative, postponed and special meetings; meetings of two bodies on the same
day at overlapping times; now and then a meeting whose day is not fixed: a month, a range of
months or days, or null), three to eight people with unavailable days and ranges, events dated,
known roughly and undated (some a body's own, with attendees), and items of every kind using
every rule key: priority, window, prefer, pins, times, every (quarter, half-year, and year on the
financial, municipal or academic year)/release_days/titles, witnesses, presenters, invitees,
organisations, after (item, event, meeting and body), decision, verbal, with, follows (and
minutes of `{previous_meeting}`), special, delegation, exempt, rotation, per_meeting, section,
position, history, and items only suggested or carried forward (deferred, or wanted only after
the year). Sometimes the programme is a rolling plan of two or three municipal years (DESIGN
§4.6), with meetings spread over all of it.

Every reference is valid by construction, so `load(data)` must accept what is drawn: a drawn
programme the model refuses is a bug in this generator. The programmes are small enough that
the solver answers each in well under a second.

Titles and names are never slugs (capitals and spaces), so a quoted slug in an explanation can
only be an id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme

YEAR_START = dt.date(2017, 5, 10)
YEAR_END = dt.date(2018, 5, 15)
YEAR_DAYS = (YEAR_END - YEAR_START).days + 1
#: Ends of a rolling programme of several municipal years from YEAR_START (DESIGN §4.6), with
#: how many municipal years it holds: two, three, and three whose last is a short one (May to
#: August) whichever day the years start on.
LONGER_YEARS = {dt.date(2019, 5, 14): 2, dt.date(2020, 5, 12): 3, dt.date(2019, 8, 31): 3}

PEOPLE = ("dce", "doe", "dcsc", "chair", "vice", "dso", "camhs-lead", "ccg", "auditor", "head")
EVENTS = {
    "exec": "Executive",
    "inspection": "Local Area SEND Inspection",
    "site-visit": "Site Visit",
    "visit": "Members Visit to the Depot",
}
STARTS = ("09:30", "10:00", "14:00", "18:00", "18:30", "19:00", "19:30", "20:00")
#: The year's clock changes in Europe/London, and starts that put a meeting across one: a
#: meeting's end is its start plus minutes of time passed, not of the clock.
CLOCK_CHANGES = (dt.date(2017, 10, 29), dt.date(2018, 3, 25))
NIGHT_STARTS = ("00:30", "01:00", "02:00", "03:00")
SKIPPED = "01:00"  # no such time on the day the clocks go forward (the model refuses it)
KINDS = (  # the simplest first: hypothesis shrinks towards it
    "short",
    "standing",
    "substantive",
    "information",
    "report",
    "witness-session",
    "scrutiny",
    "recurring",
)
#: Deadline settings and their (smallest, largest) drawn value, as the model allows.
DEADLINES = {
    "agenda_clear_days": (0, 5),
    "reports_due_working_days": (1, 10),
    "questions_working_days": (1, 4),
    "preparation_minutes": (0, 60),
}
LIMITED = ("substantive", "short", "report", "information", "witness-session")
SECTIONS = ("Pre-decision Scrutiny", "Performance Monitoring", "Matters Arising")
ORGANISATIONS = ("Southern Water", "Environment Agency", "The Clinical Commissioning Group")
CHANGES = ("added", "deferred", "moved", "withdrawn", "restored", "renamed", "noted")

Draw = Any  # hypothesis' draw function
Data = dict[str, Any]


def day(offset: int) -> dt.date:
    """The date `offset` days into the year."""
    return YEAR_START + dt.timedelta(days=offset)


@dataclass(frozen=True)
class Year:
    """The programme's year as drawn: from YEAR_START to `end`, `count` municipal years."""

    end: dt.date = YEAR_END
    count: int = 1

    @property
    def days(self) -> int:
        return (self.end - YEAR_START).days + 1

    def months(self) -> list[dt.date]:
        """The first day of every whole month inside the year."""
        first = YEAR_START.replace(day=1)
        if first < YEAR_START:
            first = _next_month(first)
        found = []
        while _next_month(first) - dt.timedelta(days=1) <= self.end:
            found.append(first)
            first = _next_month(first)
        return found


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def load(data: Data) -> Programme:
    """Validate drawn data the way a user's file is validated (YAML text, then the model)."""
    return parse_programme(yaml.safe_dump(data, sort_keys=False), "random.yaml")


def maybe(draw: Draw, probability: float) -> bool:
    """True with about the given probability (hypothesis shrinks it to False)."""
    return draw(st.integers(0, 99)) >= 100 - probability * 100


def _date_value(draw: Draw, offset: int) -> dt.date | str:
    """A date written either as YAML writes a date or as an ISO string."""
    value = day(offset)
    return value if draw(st.booleans()) else value.isoformat()


def _offsets(draw: Draw, year: Year, longest: int) -> tuple[int, int]:
    first = draw(st.integers(0, year.days - 1))
    last = min(year.days - 1, first + draw(st.integers(0, longest)))
    return first, last


def _range(draw: Draw, year: Year, longest: int = 200) -> str | dt.date:
    """A date range inside the year: FROM..TO, open at one end, or a single day."""
    first, last = _offsets(draw, year, longest)
    shape = draw(st.sampled_from(("both", "both", "both", "open-start", "open-end", "day")))
    if shape == "open-start":
        return f"..{day(last)}"
    if shape == "open-end":
        return f"{day(first)}.."
    if shape == "day":
        return day(first)
    return f"{day(first)}..{day(last)}"


def _beyond(draw: Draw, year: Year) -> str | dt.date:
    """A range that starts after the year ends (its item is carried forward, DESIGN §4.6)."""
    first = year.end + dt.timedelta(days=draw(st.integers(1, 60)))
    shape = draw(st.sampled_from(("both", "open-end", "day")))
    if shape == "open-end":
        return f"{first}.."
    if shape == "day":
        return first
    return f"{first}..{first + dt.timedelta(days=draw(st.integers(0, 90)))}"


def _rough(draw: Draw, year: Year) -> str | None:
    """A date whose day is not fixed, inside the year: a month, a range of months or of days,
    or null (not known at all)."""
    shape = draw(st.sampled_from(("month", "months", "days", "null")))
    months = year.months()
    if shape == "month":
        return f"{draw(st.sampled_from(months)):%Y-%m}"
    if shape == "months":
        first = draw(st.integers(0, len(months) - 2))
        last = min(len(months) - 1, first + draw(st.integers(1, 3)))
        return f"{months[first]:%Y-%m}..{months[last]:%Y-%m}"
    if shape == "days":
        first = draw(st.integers(0, year.days - 2))
        last = min(year.days - 1, first + draw(st.integers(1, 45)))
        return f"{day(first)}..{day(last)}"
    return None


def _rough_event(draw: Draw, year: Year) -> str:
    """An event's date known roughly, maybe outside the year: a month, or a range of months or
    of days."""
    first = day(draw(st.integers(-60, year.days + 60)))
    shape = draw(st.sampled_from(("month", "months", "days")))
    if shape == "month":
        return f"{first:%Y-%m}"
    last = first + dt.timedelta(days=draw(st.integers(1, 100)))
    if shape == "months" and f"{last:%Y-%m}" != f"{first:%Y-%m}":
        return f"{first:%Y-%m}..{last:%Y-%m}"
    return f"{first}..{last}"


def _people(draw: Draw, year: Year) -> list[Data]:
    ids = draw(st.lists(st.sampled_from(PEOPLE), min_size=3, max_size=8, unique=True))
    people = []
    for pid in ids:
        person: Data = {"id": pid, "name": f"Person {pid.replace('-', ' ').title()}"}
        if maybe(draw, 0.3):
            person["role"] = f"Officer For {pid.title()}"
        if maybe(draw, 0.15):
            person["email"] = f"{pid}@example.org"
        unavailable: list[Any] = []
        for _ in range(draw(st.integers(0, 2))):
            unavailable.append(
                _range(draw, year, longest=30)
                if draw(st.booleans())
                else _date_value(draw, draw(st.integers(0, year.days - 1)))
            )
        if unavailable:
            person["unavailable"] = unavailable
        people.append(person)
    return people


def _events(draw: Draw, year: Year, bodies: list[str], people: list[str]) -> list[Data]:
    events = []
    for eid in draw(st.lists(st.sampled_from(sorted(EVENTS)), max_size=3, unique=True)):
        date: Any = None
        shape = draw(st.integers(0, 99))
        if shape < 60:
            date = _date_value(draw, draw(st.integers(-30, year.days + 30)))
        elif shape < 80:
            date = _rough_event(draw, year)
        entry: Data = {"id": eid, "title": EVENTS[eid], "date": date}
        if maybe(draw, 0.8 if eid == "visit" else 0.1):  # a body's own event
            entry["body"] = draw(st.sampled_from(bodies))
            if maybe(draw, 0.6):
                entry["attendees"] = draw(
                    st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True)
                )
        events.append(entry)
    return events


class _Meetings:
    """A body's meetings as drawn, with what items need to know about them."""

    def __init__(self) -> None:
        self.entries: list[Any] = []
        self.dates: list[dt.date] = []  # the fixed days
        self.ids: list[str] = []  # every meeting's id, cancelled and not fixed ones too
        self.regular_open = 0  # non-cancelled, non-special meetings (rotation sizes)
        self.pins: list[Any] = []  # meeting ids, and dates of non-special fixed meetings


def _meetings(
    draw: Draw, year: Year, body_id: str, others: list[_Meetings], start: str
) -> _Meetings:
    out = _Meetings()
    count = draw(st.integers(2, 6 + 3 * (year.count - 1)))
    special = count > 2 and maybe(draw, 0.25)
    ordinary = count - int(special)
    offsets = sorted(
        draw(
            st.lists(
                st.integers(0, year.days - 1), min_size=ordinary, max_size=ordinary, unique=True
            )
        )
    )
    dates = [day(o) for o in offsets]
    if maybe(draw, 0.15):
        dates[draw(st.integers(0, len(dates) - 1))] = draw(st.sampled_from(CLOCK_CHANGES))
        dates = sorted(set(dates))
    shared = [d for m in others for d in m.dates if d not in dates]
    # Sometimes a meeting on the same day as another body's, at a time that may overlap it.
    if shared and maybe(draw, 0.4):
        dates[draw(st.integers(0, len(dates) - 1))] = draw(st.sampled_from(shared))
        dates = sorted(set(dates))
    used: set[str] = {f"{body_id}-{d}" for d in dates}
    for date in dates:
        entry: Data = {"date": date if draw(st.booleans()) else date.isoformat()}
        key = f"{body_id}-{date}"
        if date in CLOCK_CHANGES:
            starts = [s for s in NIGHT_STARTS if date.month == 10 or s != SKIPPED]
            entry["start"] = draw(st.sampled_from(starts))
        elif date in shared or maybe(draw, 0.15):
            entry["start"] = draw(st.sampled_from(STARTS))
        if maybe(draw, 0.1):
            entry["venue"] = "Town Hall"
        status = draw(st.sampled_from(("scheduled",) * 8 + ("cancelled", "tentative")))
        if status == "tentative" and maybe(draw, 0.3):
            status = "postponed"
        if status != "scheduled" or maybe(draw, 0.1):
            entry["status"] = status
        if maybe(draw, 0.12):
            moved = date - dt.timedelta(days=draw(st.integers(1, 3)))
            if f"{body_id}-{moved}" not in used:
                entry["moved_from"] = moved.isoformat()
                used.add(f"{body_id}-{moved}")
                key = f"{body_id}-{moved}"
        short_form = set(entry) == {"date"} and maybe(draw, 0.6)
        out.entries.append(entry["date"] if short_form else entry)
        out.dates.append(date)
        out.ids.append(key)
        out.regular_open += status != "cancelled"
        out.pins += [key, date.isoformat()]
    # Now and then a meeting whose day is not fixed yet ("January 2018, date to be fixed").
    for index in range(1, 3):
        if not maybe(draw, 0.15 if index == 1 else 0.3):
            break
        key = f"{body_id}-tbc-{index}"
        rough: Data = {"id": key, "date": _rough(draw, year)}
        status = draw(st.sampled_from(("scheduled", "tentative", "tentative", "postponed")))
        if maybe(draw, 0.1):
            status = "cancelled"
        if status != "scheduled":
            rough["status"] = status
        if maybe(draw, 0.2):
            rough["start"] = draw(st.sampled_from(STARTS))
        out.entries.append(rough)
        out.ids.append(key)
        out.regular_open += status != "cancelled"
        out.pins.append(key)
    if special:
        date = (
            draw(st.sampled_from(dates))
            if maybe(draw, 0.4)
            else day(draw(st.integers(0, year.days - 1)))
        )
        key = f"{body_id}-{date}-callin"
        entry = {"id": key, "date": date.isoformat(), "special": "Call-in: A Decision"}
        if date in dates or maybe(draw, 0.3):
            entry["start"] = draw(st.sampled_from(("10:00", "17:00", start)))
        out.entries.append(entry)
        out.dates.append(date)
        out.ids.append(key)
        out.pins.append(key)
    return out


def _body(
    draw: Draw, year: Year, body_id: str, people: list[str], others: list[_Meetings]
) -> tuple[Data, _Meetings]:
    kind = {"select": "committee", "sub": "sub-committee", "panel": "other"}[body_id]
    body: Data = {"id": body_id, "name": f"The {body_id.title()} Body", "kind": kind}
    if body_id == "sub":
        body["parent"] = "select"
    for role in ("chair", "vice_chair", "clerk"):
        if maybe(draw, 0.4):
            body[role] = draw(st.sampled_from(people))
    if maybe(draw, 0.5):
        body["members"] = draw(st.lists(st.sampled_from(people), max_size=4, unique=True))
    if maybe(draw, 0.2):
        body["venue"] = "Committee Room 1"
    start = "19:00"
    if maybe(draw, 0.6):  # else the body states no time: its meetings take the whole day
        start = body["start"] = draw(st.sampled_from(STARTS))
    if maybe(draw, 0.5):  # else no agenda time: R6 checks the limits only
        body["minutes"] = draw(st.sampled_from((60, 90, 120, 150, 180, 240)))
    if maybe(draw, 0.5):
        kinds = draw(st.lists(st.sampled_from(LIMITED), min_size=1, max_size=3, unique=True))
        body["limits"] = {k: draw(st.sampled_from((0, 1, 1, 2, 2, 3))) for k in kinds}
    if body_id == "panel":
        body["informal"] = True
    elif maybe(draw, 0.1):
        body["informal"] = False
    meetings = _meetings(draw, year, body_id, others, start)
    body["meetings"] = meetings.entries
    return body, meetings


class _Context:
    """What an item may refer to."""

    def __init__(
        self, year: Year, people: list[str], meetings: dict[str, _Meetings], events: list[str]
    ):
        self.year, self.people, self.meetings, self.events = year, people, meetings, events
        self.items: list[Data] = []


def _rotation(draw: Draw, ctx: _Context, body_id: str, per_meeting: int) -> dict[str, int]:
    """1-3 people whose times add up to about the meetings they must fill in a municipal year."""
    meetings = ctx.meetings[body_id].regular_open
    target = max(
        1,
        -(-meetings * per_meeting // ctx.year.count) + draw(st.sampled_from((0, 0, 0, 0, -1, 1))),
    )
    size = min(target, len(ctx.people), 3)
    chosen = draw(st.lists(st.sampled_from(ctx.people), min_size=1, max_size=size, unique=True))
    times = dict.fromkeys(chosen, 1)
    for _ in range(target - len(chosen)):
        times[draw(st.sampled_from(chosen))] += 1
    return times


def _after(draw: Draw, ctx: _Context) -> list[Data]:
    afters: list[Data] = []
    earlier = [i["id"] for i in ctx.items]
    if earlier and maybe(draw, 0.6):
        afters.append({"item": draw(st.sampled_from(earlier))})
    if ctx.events and (not afters or maybe(draw, 0.3)):
        afters.append({"event": draw(st.sampled_from(ctx.events))})
    if maybe(draw, 0.2):  # any meeting: cancelled, or with no fixed day, too
        ids = [key for body in sorted(ctx.meetings) for key in ctx.meetings[body].ids]
        afters.append({"meeting": draw(st.sampled_from(ids))})
    if maybe(draw, 0.15):  # a body's next dated meeting (its own too)
        afters.append({"body": draw(st.sampled_from(sorted(ctx.meetings)))})
    for after in afters:
        if maybe(draw, 0.6):
            after["gap_days"] = draw(st.sampled_from((0, 7, 14, 28, 60)))
    return afters


def _span(draw: Draw, ctx: _Context, longest: int) -> str | dt.date:
    """A window or prefer: inside the year, or now and then after it."""
    return _beyond(draw, ctx.year) if maybe(draw, 0.08) else _range(draw, ctx.year, longest)


def _history(draw: Draw) -> list[Data]:
    entries = []
    for _ in range(draw(st.integers(1, 2))):
        entry: Data = {
            "date": dt.date(2016, 1, 1) + dt.timedelta(days=draw(st.integers(0, 600))),
            "change": draw(st.sampled_from(CHANGES)),
        }
        if maybe(draw, 0.5):
            entry["note"] = "Deferred at the Chairman's request"
        entries.append(entry)
    return entries


def _common(draw: Draw, ctx: _Context, item: Data, often: float) -> None:
    """Keys any item may have; `often` scales how likely the constraining ones are."""
    body_id, meetings = item["body"], ctx.meetings[item["body"]]
    if maybe(draw, 0.3 * often):
        item["window"] = _span(draw, ctx, 200)
    if maybe(draw, 0.2 * often):
        item["prefer"] = _span(draw, ctx, 90)
    if maybe(draw, 0.1 * often):
        item["meeting"] = draw(st.sampled_from(meetings.pins))
    for role in ("witnesses", "presenters"):
        if maybe(draw, 0.3 * often):
            item[role] = draw(
                st.lists(st.sampled_from(ctx.people), min_size=1, max_size=2, unique=True)
            )
    if maybe(draw, 0.25 * often) and (afters := _after(draw, ctx)):
        item["after"] = afters[0] if len(afters) == 1 and draw(st.booleans()) else afters
    if ctx.events and maybe(draw, 0.15 * often):
        item["decision"] = {"event": draw(st.sampled_from(ctx.events))}
        if draw(st.booleans()):
            item["decision"]["lead_days"] = draw(st.sampled_from((0, 7, 14)))
    if maybe(draw, 0.15):
        item["minutes"] = draw(st.sampled_from((0, 5, 10, 20, 30, 45, 60, 90)))
    if maybe(draw, 0.1):
        item["verbal"] = True
    if maybe(draw, 0.1):
        item["exempt"] = draw(st.integers(1, 7))
    if body_id == "sub" and maybe(draw, 0.2):
        item["delegated_from"] = "select"
    if maybe(draw, 0.03):
        item["delegated_to"] = "General Purposes and Licensing Committee"
    _listing(draw, ctx, item)


def _listing(draw: Draw, ctx: _Context, item: Data) -> None:
    """What an item shows without constraining it: invitees, organisations, history, section,
    position; and whether it is only suggested or deferred to next year (never placed: no pin,
    not standing or scrutiny)."""
    if maybe(draw, 0.1):
        item["invitees"] = draw(
            st.lists(st.sampled_from(ctx.people), min_size=1, max_size=2, unique=True)
        )
    if maybe(draw, 0.08):
        item["organisations"] = draw(
            st.lists(st.sampled_from(ORGANISATIONS), min_size=1, max_size=2, unique=True)
        )
    if maybe(draw, 0.08):
        item["history"] = _history(draw)
    if maybe(draw, 0.2):
        item["section"] = draw(st.sampled_from(SECTIONS))
    if maybe(draw, 0.08):
        item["position"] = draw(st.sampled_from(("first", "last")))
    if "meeting" not in item and item["kind"] not in ("standing", "scrutiny"):
        if maybe(draw, 0.06):
            item["suggested"] = True
        if maybe(draw, 0.05):
            item["deferred"] = "next-year"


def _recurring(draw: Draw, item: Data, index: int) -> None:
    """`every` a quarter or half-year of the financial year (titles per occurrence now and
    then), or a year: financial, municipal or academic."""
    item["kind"] = draw(st.sampled_from(("report", "short", "information")))
    every = item["every"] = draw(st.sampled_from(("quarter", "half-year", "year")))
    if every == "year":
        item["title"] = f"Annual Report {index} {{fy}}"
        if maybe(draw, 0.7):
            item["period"] = draw(st.sampled_from(("financial", "municipal", "academic")))
    elif maybe(draw, 0.3):
        codes = ("Q1", "Q2", "Q3", "Q4") if every == "quarter" else ("H1", "H2")
        chosen = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=2, unique=True))
        item["titles"] = {code: f"Outturn {index} {code} {{fy}}" for code in chosen}
    if draw(st.booleans()):
        item["release_days"] = draw(st.sampled_from((0, 30, 45, 60, 90, 400, 700, 732)))


def _item(draw: Draw, ctx: _Context, index: int) -> Data:
    kind = draw(st.sampled_from(KINDS))
    themes = [i for i in ctx.items if i["kind"] == "substantive"]
    if kind == "witness-session" and themes:  # with a theme of its own body
        body_id = draw(st.sampled_from(themes))["body"]
    else:
        body_id = draw(st.sampled_from(sorted(ctx.meetings)))
    partners = [i["id"] for i in themes if i["body"] == body_id]
    scrutinised = any(i["body"] == body_id and i["kind"] == "scrutiny" for i in ctx.items)
    if (kind == "witness-session" and not partners) or (kind == "scrutiny" and scrutinised):
        kind = "substantive"
    item: Data = {
        "id": f"{kind.split('-')[0]}-{index}",
        "title": f"Item {index} {kind.title()}",
        "body": body_id,
    }
    often = 1.0
    if kind == "recurring":
        item["title"] = f"Monitoring {index} - {{period}} {{fy}}"
        _recurring(draw, item, index)
        often = 0.4
    else:
        item["kind"] = kind
    if kind == "standing":
        others = [b for b in sorted(ctx.meetings) if b != body_id]
        if others and maybe(draw, 0.3):
            item["follows"] = draw(st.sampled_from(others))
        if maybe(draw, 0.3):
            item["special"] = True
        if maybe(draw, 0.3):
            item["title"] = f"Minutes {index} of {{previous_meeting}}"
        often = 0.1
    elif kind == "scrutiny":
        per_meeting = 2 if maybe(draw, 0.15) else 1
        item["rotation"] = _rotation(draw, ctx, body_id, per_meeting)
        if per_meeting > 1 or maybe(draw, 0.3):
            item["per_meeting"] = per_meeting
        often = 0.2
    elif kind == "witness-session":
        item["with"] = draw(st.sampled_from(partners))
    elif kind != "recurring" and maybe(draw, 0.15):
        item["times"] = 2
    priority = draw(st.sampled_from((None, None, None, "must", "high", "normal", "low")))
    if priority is not None:
        item["priority"] = priority
    _common(draw, ctx, item, often)
    return item


def _year(draw: Draw) -> tuple[Year, Data]:
    """One municipal year, or now and then two or three (`years_start` given or not)."""
    if not maybe(draw, 0.15):
        year, top = Year(), {"year": f"{YEAR_START}..{YEAR_END}"}
        if maybe(draw, 0.05):  # splits nothing: the last part is too short to be a year
            top["years_start"] = "05-01"
        return year, top
    end = draw(st.sampled_from(sorted(LONGER_YEARS)))
    top = {"year": f"{YEAR_START}..{end}"}
    if draw(st.booleans()):
        top["years_start"] = "05-01"
    return Year(end, LONGER_YEARS[end]), top


@st.composite
def programme_data(draw: Draw) -> Data:
    """A small valid programme as plain data (see the module's docstring)."""
    year, top = _year(draw)
    people = _people(draw, year)
    person_ids = [p["id"] for p in people]
    body_ids = ["select"]
    if maybe(draw, 0.5):
        body_ids.append("sub")
    if maybe(draw, 0.4):
        body_ids.append("panel")
    bodies: list[Data] = []
    meetings: dict[str, _Meetings] = {}
    for body_id in body_ids:
        body, drawn = _body(draw, year, body_id, person_ids, list(meetings.values()))
        bodies.append(body)
        meetings[body_id] = drawn
    events = _events(draw, year, body_ids, person_ids)
    ctx = _Context(year, person_ids, meetings, [e["id"] for e in events])
    # One "another?" choice per item (as st.lists does) so that shrinking can drop any item.
    while len(ctx.items) < 2 or (len(ctx.items) < 9 and draw(st.booleans())):
        ctx.items.append(_item(draw, ctx, len(ctx.items) + 1))
    data: Data = {
        "id": "random-council",
        "council": "Random Borough Council",
        "title": "Random Work Programme",
        **top,
    }
    if maybe(draw, 0.2):
        data["timezone"] = "Europe/London"
    if maybe(draw, 0.3):
        data["nation"] = draw(st.sampled_from(("england", "wales", "scotland", "northern-ireland")))
    if maybe(draw, 0.2):
        data["closures"] = [_date_value(draw, draw(st.integers(0, year.days - 1)))]
    if maybe(draw, 0.2):
        data["financial_year_start"] = draw(st.sampled_from(("04-01", "01-01", "07-01")))
    if maybe(draw, 0.2):
        data["deadlines"] = {
            key: draw(st.integers(least, most))
            for key, (least, most) in DEADLINES.items()
            if draw(st.booleans())
        }
    data |= {"people": people, "bodies": bodies, "items": ctx.items}
    if events or maybe(draw, 0.2):
        data["events"] = events
    return data
