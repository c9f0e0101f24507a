"""Cross-reference checks of a programme whose shapes are already valid (DESIGN §4).

Each check yields `(path, message)`; `check_references` returns them all so that the user sees
every problem at once. Paths are tuples into the file, e.g. ``('items', 7, 'witnesses', 0)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from scheduler.programme.fields import DateRange
from scheduler.programme.mentions import exempt_mentions
from scheduler.programme.model import Item, Programme, meeting_id

Found = tuple[tuple[str | int, ...], str]

#: The feed subject of the clerk's calendar (every meeting and deadline): no person's id.
CLERK_FEED = "clerk"
#: The longest programme: a rolling forward plan of a few municipal years.
MAX_YEAR_DAYS = 6 * 366


def check_references(p: Programme) -> list[Found]:
    """Every cross-reference problem in `p`."""
    return [
        *_unique_ids(p),
        *_unique_numbers(p),
        *_reserved(p),
        *_public_ids(p),
        *_year(p),
        *_bodies(p),
        *_events(p),
        *(found for index, item in enumerate(p.items) for found in _item(p, index, item)),
    ]


def _reserved(p: Programme) -> Iterator[Found]:
    for index, person in enumerate(p.people):
        if person.id == CLERK_FEED:
            yield (
                ("people", index, "id"),
                (
                    f"'{CLERK_FEED}' is kept for the clerk's calendar of every deadline: "
                    "give this person another id"
                ),
            )


def _public_ids(p: Programme) -> Iterator[Found]:
    """No id the public reads names an exempt item, in any letter case, accent or spacing: the
    ids of public bodies and the ids a clerk gives their meetings are calendar addresses and
    UIDs. (Titles are not compared: a public report and its exempt appendix may share one.)"""
    exempt = exempt_mentions(p)
    if not exempt:
        return
    for path, text in _public_id_paths(p):
        index = exempt.first(text)
        if index is not None:
            yield (
                path,
                (
                    f"the id '{text}' names the exempt item at items[{index}], and ids are public "
                    "(calendar addresses): choose one that does not"
                ),
            )


def _public_id_paths(p: Programme) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for b_index, body in enumerate(p.bodies):
        if not body.public:
            continue
        yield ("bodies", b_index, "id"), body.id
        for m_index, meeting in enumerate(body.meetings):
            moved = meeting.moved_from.isoformat() if meeting.moved_from else None
            day = meeting.day.isoformat() if meeting.day else None
            if day is None or meeting.key != meeting_id(body.id, day, moved):
                yield ("bodies", b_index, "meetings", m_index, "id"), meeting.key


def _unique_ids(p: Programme) -> Iterator[Found]:
    for section in ("people", "bodies", "items", "events"):
        entries = getattr(p, section)
        counts = Counter(entry.id for entry in entries)
        for index, entry in enumerate(entries):
            if counts[entry.id] > 1:
                yield (section, index, "id"), f"duplicate id '{entry.id}' in {section}"
    meeting_counts = Counter(m.key for b in p.bodies for m in b.meetings)
    for b_index, body in enumerate(p.bodies):
        for m_index, meeting in enumerate(body.meetings):
            if meeting_counts[meeting.key] > 1:
                yield (
                    ("bodies", b_index, "meetings", m_index),
                    f"duplicate meeting id '{meeting.key}' (give one of them an explicit id)",
                )


def _unique_numbers(p: Programme) -> Iterator[Found]:
    """A Modern.gov number names one body, or one meeting: an import finds it by its number."""
    bodies = Counter(b.moderngov for b in p.bodies if b.moderngov is not None)
    meetings = Counter(m.moderngov for b in p.bodies for m in b.meetings if m.moderngov)
    for b_index, body in enumerate(p.bodies):
        if body.moderngov is not None and bodies[body.moderngov] > 1:
            yield (
                ("bodies", b_index, "moderngov"),
                f"Modern.gov's committee {body.moderngov} is given to more than one body",
            )
        for m_index, meeting in enumerate(body.meetings):
            if meeting.moderngov is not None and meetings[meeting.moderngov] > 1:
                yield (
                    ("bodies", b_index, "meetings", m_index, "moderngov"),
                    f"Modern.gov's meeting {meeting.moderngov} is given to more than one meeting",
                )


def _year(p: Programme) -> Iterator[Found]:
    if p.year.start is None or p.year.end is None:
        yield ("year",), "the year needs both ends, FROM..TO"
    elif (p.year.end - p.year.start).days > MAX_YEAR_DAYS:
        yield ("year",), f"{p.year} is over {MAX_YEAR_DAYS // 365} years: split the programme"
    for index, day in enumerate(p.closures):
        if day not in p.year:
            yield ("closures", index), f"{day} is outside the year {p.year}"


def _events(p: Programme) -> Iterator[Found]:
    for index, event in enumerate(p.events):
        here: tuple[str | int, ...] = ("events", index)
        if event.body is not None and event.body not in p.bodies_by_id:
            yield (*here, "body"), f"'{event.body}' is not in bodies"
        for a_index, person in enumerate(event.attendees):
            yield from _person(p, (*here, "attendees", a_index), person)
        if event.attendees and event.body is None:
            yield (*here, "attendees"), "attendees are for a body's own event: give its 'body'"


def _person(p: Programme, path: tuple[str | int, ...], person: str | None) -> Iterator[Found]:
    if person is not None and person not in p.people_by_id:
        yield path, f"'{person}' is not in people"


def _bodies(p: Programme) -> Iterator[Found]:
    for index, body in enumerate(p.bodies):
        here: tuple[str | int, ...] = ("bodies", index)
        if body.parent is not None and body.parent not in p.bodies_by_id:
            yield (*here, "parent"), f"'{body.parent}' is not in bodies"
        elif body.parent == body.id:
            yield (*here, "parent"), "a body cannot be its own parent"
        if body.kind == "sub-committee" and body.parent is None:
            yield here, "a sub-committee needs a 'parent'"
        for role in ("chair", "vice_chair", "clerk"):
            yield from _person(p, (*here, role), getattr(body, role))
        for m_index, member in enumerate(body.members):
            yield from _person(p, (*here, "members", m_index), member)
        for m_index, meeting in enumerate(body.meetings):
            clock = meeting.start or body.start
            if meeting.when.known and not (meeting.date in p.year and meeting.latest in p.year):
                yield (*here, "meetings", m_index), f"{meeting.when} is outside the year {p.year}"
            elif meeting.fixed and clock and (skipped := _skipped(p, meeting.date, clock)):
                yield (*here, "meetings", m_index), skipped


def _skipped(p: Programme, day: dt.date, start: dt.time) -> str | None:
    """Why a meeting cannot start then: the clocks go forward over that time, so it never shows
    on a clock (and calendar programs disagree on when it would be)."""
    zone = ZoneInfo(p.timezone)
    wall = dt.datetime.combine(day, start, tzinfo=zone)
    if wall.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return None
    return (
        f"{start:%H:%M} on {day:%A %-d %B %Y} does not exist in {p.timezone}: the clocks go "
        "forward over it; start the meeting earlier or later"
    )


def _item(p: Programme, index: int, item: Item) -> Iterator[Found]:
    here: tuple[str | int, ...] = ("items", index)
    body = p.bodies_by_id.get(item.body)
    if body is None:
        yield (*here, "body"), f"'{item.body}' is not in bodies"
    for role in ("witnesses", "presenters", "invitees"):
        for r_index, person in enumerate(getattr(item, role)):
            yield from _person(p, (*here, role, r_index), person)
    for name in ("window", "prefer"):
        span: DateRange | None = getattr(item, name)
        if span is not None:
            yield from _inside_year(p, (*here, name), span)
    yield from _kind_rules(item, here)
    yield from _links(p, item, here)
    if body is not None and item.meeting is not None:
        pins = {m.key for m in body.meetings} | {m.day.isoformat() for m in body.meetings if m.day}
        if item.meeting not in pins:
            yield (*here, "meeting"), f"'{item.meeting}' is not a meeting of '{body.id}'"
    for person in item.rotation or {}:
        yield from _person(p, (*here, "rotation", person), person)


def _inside_year(p: Programme, path: tuple[str | int, ...], span: DateRange) -> Iterator[Found]:
    """A range begins inside the year, or after it (the item is then carried forward to next
    year, DESIGN §4.6); its end may lie after the year."""
    first = p.year.start
    for end in (span.start, span.end):
        if end is not None and first is not None and end < first:
            yield path, f"{span} begins before the year {p.year}"
            return


def _kind_rules(item: Item, here: tuple[str | int, ...]) -> Iterator[Found]:
    scrutiny = item.kind == "scrutiny"
    if scrutiny and not item.rotation:
        yield here, "a scrutiny item needs a 'rotation'"
    if not scrutiny and (item.rotation is not None or item.per_meeting is not None):
        yield here, "'rotation' and 'per_meeting' are for scrutiny items only"
    if item.follows is not None and item.kind != "standing":
        yield (*here, "follows"), "'follows' is for standing items only"
    if item.special and item.kind != "standing":
        yield (*here, "special"), "'special' is for standing items only"
    if item.every is not None and (item.kind in ("standing", "scrutiny") or item.times != 1):
        yield (*here, "every"), "a recurring item is not standing or scrutiny and has times: 1"
    if item.every is None and "release_days" in item.model_fields_set:
        yield (*here, "release_days"), "'release_days' needs 'every'"
    if item.period is not None and item.every != "year":
        yield (*here, "period"), "'period' says which year 'every: year' follows: it needs it"
    codes = {"quarter": ["Q1", "Q2", "Q3", "Q4"], "half-year": ["H1", "H2"]}.get(item.every or "")
    for code in item.titles:
        if codes is None:
            yield (
                (*here, "titles"),
                (
                    "'titles' name quarters (Q1-Q4) or half-years (H1, H2): they need 'every: "
                    "quarter' or 'every: half-year'"
                ),
            )
            break
        if code not in codes:
            yield (*here, "titles", code), f"'{code}' is not one of {', '.join(codes)}"
    listed = "a suggested item" if item.suggested else "a deferred item" if item.deferred else ""
    if listed and item.meeting is not None:
        yield (*here, "meeting"), f"{listed} is listed, never placed: it has no 'meeting'"
    if listed and item.kind in ("standing", "scrutiny"):
        yield here, f"{listed} is listed, never placed: it is not standing or scrutiny"


def _links(p: Programme, item: Item, here: tuple[str | int, ...]) -> Iterator[Found]:
    for a_index, after in enumerate(item.after):
        path = (*here, "after", a_index)
        if after.item is not None and after.item not in p.items_by_id:
            yield path, f"'{after.item}' is not in items"
        elif after.item == item.id:
            yield path, "an item cannot come after itself"
        if after.event is not None and after.event not in p.events_by_id:
            yield path, f"'{after.event}' is not in events"
        if after.meeting is not None and after.meeting not in p.meetings_by_id:
            yield (
                path,
                (
                    f"'{after.meeting}' is not the id of a meeting (BODY-YYYY-MM-DD, or the id it "
                    "is given)"
                ),
            )
        if after.body is not None and after.body not in p.bodies_by_id:
            yield path, f"'{after.body}' is not in bodies"
    if item.decision is not None and item.decision.event not in p.events_by_id:
        yield (*here, "decision"), f"'{item.decision.event}' is not in events"
    if item.with_ is not None:
        partner = p.items_by_id.get(item.with_)
        if partner is None:
            yield (*here, "with"), f"'{item.with_}' is not in items"
        elif partner.id == item.id:
            yield (*here, "with"), "an item cannot be with itself"
        elif partner.body != item.body and partner.body in p.bodies_by_id:
            yield (*here, "with"), f"'{item.with_}' belongs to another body ('{partner.body}')"
    for name in ("follows", "delegated_from"):
        target = getattr(item, name)
        if target is not None and target not in p.bodies_by_id:
            yield (*here, name), f"'{target}' is not in bodies"
