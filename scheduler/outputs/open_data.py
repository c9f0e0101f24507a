"""The published plan as open data: Open Civic Data events and a Popolo organisation list.

Both are public: they show what the public page and the public calendar feeds show, decided by
the same rules. An informal body is in neither (`Body.public`); an exempt (Part 2) item is
listed, in its place on the agenda, only as "Exempt item (Part 2)", with nobody named on it
(`sections.is_exempt`); a special meeting's label that names an exempt item reads "special
meeting" (`exempt.Secrets`). People are named as the public outputs name them: the witnesses and
those invited to an item, the officer a scrutiny session is of, and a public body's chair and
vice-chair (`office_holders`).

**Events** (OCDEP 4, as pupa writes and validates them): one per meeting with a fixed day that
the public calendar feeds show (a meeting of a public body, cancelled ones and those withdrawn
since publication included), in date order, each with its status, start and end in the
programme's zone, venue, agenda in its printed order (`agenda_order.printed`) and participants.
A meeting with no day yet is no event; one published with a day and since postponed stays, at
its published day, cancelled, as the feeds keep it.

**Ids** are stable across re-plans, moves and publications: an event's is `ocd-event/` and a
UUID5 of the meeting's calendar UID (the UID the feeds give it, kept when a meeting moves);
bodies' and people's are UUID5s of the programme's and their own ids. The JSON is the same bytes
for the same plan: sorted keys, fixed orders, no clock (a confirmed meeting is `passed` when it
was before the day the plan was published).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.dates.deadlines import statutory
from scheduler.outputs.agenda_order import printed
from scheduler.outputs.document import PROVISIONAL
from scheduler.outputs.exempt import EXEMPT, Secrets
from scheduler.outputs.feeds import UID_DOMAIN, calendar_uid
from scheduler.outputs.meeting_page import meeting_page
from scheduler.outputs.sections import is_exempt
from scheduler.plan.days import planned_day_words
from scheduler.plan.model import AgendaEntry, Plan, PlannedMeeting
from scheduler.plan.revisions import last_published
from scheduler.programme.model import Body, Programme
from scheduler.programme.words import long_day

#: The namespace of every UUID made here (itself a UUID5 of the calendar UIDs' domain).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, UID_DOMAIN)
#: The scheme of a body's own id among a Popolo organisation's identifiers.
SCHEME = "scrutiny-scheduler"
#: Our meeting statuses as OCD's (a meeting before the plan's publication is `passed`).
OCD_STATUS = {
    "scheduled": "confirmed",
    "tentative": "tentative",
    "postponed": "tentative",
    "cancelled": "cancelled",
}
_WORDS = {"tentative": "provisional", "postponed": "postponed"}
CLASSIFICATION = {"committee": "committee", "sub-committee": "subcommittee", "other": "other"}
#: A body's public offices, in order: (its field, the role's name).
OFFICES = (("chair", "Chair"), ("vice_chair", "Vice-Chair"))

Json = dict[str, Any]


def event_id(p: Programme, meeting: str) -> str:
    """`ocd-event/` and a UUID5 of the meeting's calendar UID: the same for a moved meeting."""
    return f"ocd-event/{uuid.uuid5(NAMESPACE, calendar_uid(p, meeting))}"


def organization_id(p: Programme, body: str) -> str:
    return f"ocd-organization/{uuid.uuid5(NAMESPACE, f'organization:{p.id}.{body}')}"


def person_id(p: Programme, person: str) -> str:
    return f"ocd-person/{uuid.uuid5(NAMESPACE, f'person:{p.id}.{person}')}"


def office_holders(p: Programme, body: Body) -> list[tuple[str, str]]:
    """(person id, role) of a public body's chair and vice-chair: public offices, named in open
    data; none for an informal body."""
    if not body.public:
        return []
    held = ((getattr(body, field), role) for field, role in OFFICES)
    return [(person, role) for person, role in held if person in p.people_by_id]


def as_json(data: Any) -> bytes:
    """Open data as bytes: sorted keys, two-space indent, UTF-8, a final newline."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def ocd_events(p: Programme, plan: Plan, *, source: str | None = None) -> list[Json]:
    """Every event the public may read, in date order (then meeting id). `source`, when given,
    is each event's source: the address of the published programme."""
    records = {m.id: m for m in plan.withdrawn}
    shown: list[tuple[PlannedMeeting, Body, str | None]] = []
    for meeting in last_published(plan).values():
        body = p.bodies_by_id.get(meeting.body)
        if body is None or not body.public:
            continue
        if meeting.date is None:  # published with a day, now without: cancelled there
            old = records.get(meeting.id)
            if old is not None and old.date is not None:
                now = old.model_copy(update={"status": "cancelled"})
                shown.append((now, body, planned_day_words(meeting)))
            continue
        shown.append((meeting, body, None))
    shown.sort(key=lambda s: (s[0].date, s[0].start or dt.time(0), s[0].id))
    events = _Events(p, plan, source)
    return [events.event(m, body, postponed) for m, body, postponed in shown]


class _Events:
    def __init__(self, p: Programme, plan: Plan, source: str | None) -> None:
        self.p, self.plan, self.source = p, plan, source
        self.zone = ZoneInfo(p.timezone)
        self.secrets = Secrets(p)
        published = plan.published
        self.today = published.astimezone(self.zone).date() if published else None

    def event(self, m: PlannedMeeting, body: Body, postponed: str | None) -> Json:
        day = m.date
        assert day is not None, "only meetings with a day are events"
        name = self.name(m, body)
        out: Json = {
            "id": event_id(self.p, m.id),
            "name": name,
            "classification": "committee-meeting",
            "status": self.status(m),
            "timezone": self.p.timezone,
            "all_day": m.start is None,
            "description": "\n".join(self.describe(m, body, name, postponed)),
            "agenda": [] if m.status == "cancelled" else self.agenda(m),
            "participants": self.participants(m, body),
            "documents": [],
            "links": self.links(m, body),
            "media": [],
            "extras": {
                "body": body.id,
                "meeting": m.id,
                "calendar_uid": calendar_uid(self.p, m.id),
                "sequence": m.sequence,
            },
        }
        start, end = self.times(m, body)
        out["start_date"] = start
        if end:
            out["end_date"] = end
        if m.venue:
            out["location"] = {"name": m.venue, "note": "", "coordinates": None}
        updated = m.revised or self.plan.published
        if updated is not None:
            out["updated_at"] = updated.astimezone(dt.UTC).isoformat()
        if self.source:
            out["sources"] = [{"url": self.source, "note": "the published work programme"}]
        return out

    def links(self, m: PlannedMeeting, body: Body) -> list[Json]:
        """The meeting's page in the council's Modern.gov, where it has one (`meeting_page`)."""
        held = self.p.meetings_by_id.get(m.id)
        page = meeting_page(self.p, body, m.id, held[1] if held else None, None)
        return [{"url": page, "note": "the meeting's page"}] if page else []

    def name(self, m: PlannedMeeting, body: Body) -> str:
        """The body's name, and a special meeting's label unless it names an exempt item."""
        held = self.p.meetings_by_id.get(m.id)
        special = held[1].special if held else None
        if special and self.secrets.named_in(special):
            special = "special meeting"
        return f"{body.name}: {special}" if special else body.name

    def status(self, m: PlannedMeeting) -> str:
        status = OCD_STATUS[m.status]
        if status == "confirmed" and self.today and m.date and m.date < self.today:
            return "passed"
        return status

    def times(self, m: PlannedMeeting, body: Body) -> tuple[str, str]:
        """Start and end, ISO with the zone's offset; the day alone when no time is stated, and
        no end when the body states no agenda time (it would be a guess)."""
        day = m.date
        assert day is not None
        if m.start is None:
            return day.isoformat(), ""
        start = dt.datetime.combine(day, m.start, self.zone)
        if m.end is None or body.minutes is None:
            return start.isoformat(), ""
        end = dt.datetime.combine(day, m.end, self.zone)
        if end <= start:  # runs past midnight
            end = dt.datetime.combine(day + dt.timedelta(days=1), m.end, self.zone)
        return start.isoformat(), end.isoformat()

    def describe(
        self, m: PlannedMeeting, body: Body, name: str, postponed: str | None
    ) -> Iterator[str]:
        """When and where in words, what became of it, and its public deadlines."""
        assert m.date is not None
        when = "time to be confirmed" if m.start is None else f"{m.start:%H:%M}"
        if m.start is not None and m.end is not None and body.minutes is not None:
            when += f" to {m.end:%H:%M}"
        yield f"{name}, {long_day(m.date)}, {when}"
        if m.venue:
            yield m.venue
        if postponed is not None:
            yield f"This meeting is postponed: {postponed}."
        elif m.status == "cancelled":
            yield "This meeting is cancelled."
        elif m.status != "scheduled":
            yield f"This meeting is {_WORDS[m.status]}."
        d = m.deadlines
        if m.status == "cancelled" or d is None:
            return
        if d.agenda_publication:
            yield f"Agenda published {long_day(d.agenda_publication)}."
        if d.public_questions and statutory(body, m.start):
            asked = d.public_questions
            yield f"Public questions by {asked:%H:%M} on {long_day(asked.date())}."

    def agenda(self, m: PlannedMeeting) -> list[Json]:
        out = []
        for number, heading, entry in printed(self.p, m.agenda):
            exempt = is_exempt(self.p, entry)
            text = EXEMPT if exempt else entry.title
            out.append(
                {
                    "order": str(number),
                    "description": text + (f" {PROVISIONAL}" if entry.provisional else ""),
                    "classification": [heading] if heading else [],
                    "related_entities": [] if exempt else list(self.named(entry)),
                    "subjects": [],
                    "notes": [],
                    "extras": {"part_2": exempt, "provisional": entry.provisional},
                }
            )
        return out

    def named(self, entry: AgendaEntry) -> Iterator[Json]:
        """Who and what an item the public may read names: its witnesses, the officer a
        scrutiny session is of, the people and organisations invited."""
        item = self.p.items_by_id.get(entry.item)
        if item is None:
            return
        officer = item.officer(entry.occurrence)
        people = [(w, "witness") for w in item.witnesses]
        people += [(officer, "officer scrutinised")] if officer else []
        people += [(i, "invited") for i in item.invitees]
        for pid, note in people:
            person = self.p.people_by_id.get(pid)
            if person is not None:
                yield _entity("person", person_id(self.p, pid), person.name, note)
        for organisation in item.organisations:
            yield _entity("organization", None, organisation, "invited")

    def participants(self, m: PlannedMeeting, body: Body) -> list[Json]:
        """The body, its chair and vice-chair, then everyone its public agenda names (once)."""
        out = [_entity("organization", organization_id(self.p, body.id), body.name, "host")]
        seen = set()
        for pid, role in office_holders(self.p, body):
            seen.add(person_id(self.p, pid))
            name = self.p.people_by_id[pid].name
            out.append(_entity("person", person_id(self.p, pid), name, role.lower()))
        agenda = [] if m.status == "cancelled" else m.agenda
        for entry in agenda:
            if is_exempt(self.p, entry):
                continue
            for named in self.named(entry):
                if named["entity_type"] == "person" and named["id"] not in seen:
                    seen.add(named["id"])
                    out.append(named)
        return out


def _entity(kind: str, id: str | None, name: str, note: str) -> Json:
    """A participant or an agenda item's related entity. `entity_type` is what pupa writes and
    imports; `type` what OCDEP 4 and its schema call the same."""
    out: Json = {"entity_type": kind, "type": kind, "name": name, "note": note}
    if id is not None:
        out["id"] = id
    return out


def popolo(p: Programme) -> Json:
    """The public bodies as Popolo organisations, in the programme's order (classification,
    parent, the body's own id as an identifier, its chair and vice-chair as memberships), and
    the people those name."""
    organizations: list[Json] = []
    persons: dict[str, Json] = {}
    for body in p.bodies:
        if not body.public:
            continue
        org = organization_id(p, body.id)
        entry: Json = {
            "id": org,
            "name": body.name,
            "classification": CLASSIFICATION[body.kind],
            "identifiers": [{"identifier": body.id, "scheme": SCHEME}],
            "memberships": [],
        }
        parent = p.bodies_by_id.get(body.parent or "")
        if parent is not None and parent.public:
            entry["parent_id"] = organization_id(p, parent.id)
        for pid, role in office_holders(p, body):
            who = person_id(p, pid)
            persons.setdefault(who, {"id": who, "name": p.people_by_id[pid].name})
            entry["memberships"].append({"organization_id": org, "person_id": who, "role": role})
        organizations.append(entry)
    return {"organizations": organizations, "persons": list(persons.values())}
