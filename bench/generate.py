"""Deterministic synthetic councils for the benchmarks (DESIGN §9).

`generate(scale, seed)` returns a programme as plain data (dicts and lists, as YAML gives them)
shaped like the Bromley reference, with about 50 items per unit of scale. Scale 1 is Bromley's
size: a select committee of 7 meetings, its budget sub-committee of 4 and one or two bodies that
only meet (a Schools' Forum). Larger scales add *families* (a committee with its sub-committees
and panels) until the items are there, every body at Bromley's own scale (4-9 meetings, about 5
items a meeting). `council(seed)` is the whole council of DESIGN §9, scale 50: about 60 bodies,
500 meetings and 2,500 items.

Only `random.Random(seed)` decides, so the same (scale, seed) gives the same data. Programmes are
feasible by construction: a family's bodies share a clerk and officers and never sit on the same
day; whoever a `must` item needs (clerk, portfolio holder, directors, finance officer) is away
only in the recesses, when nobody meets; quarterly items are `must` only where the meetings
after each release allow it; every body's `minutes` leave slack (demand 72-82 % of capacity).

Example:
    python -m bench.generate --scale 2 --seed 0 -o out/synthetic-2.yaml
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import math
import random
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from scheduler.calendar_rules import WorkingCalendar
from scheduler.files import write_atomically
from scheduler.model import DEFAULT_MINUTES

Data = dict[str, Any]
Day = dt.date

YEAR = (Day(2025, 5, 14), Day(2026, 5, 13))
SEASON = (Day(2025, 6, 2), Day(2026, 4, 30))  # ordinary meetings: June to April
RECESSES = ((Day(2025, 8, 1), Day(2025, 8, 31)), (Day(2025, 12, 19), Day(2026, 1, 4)))
CLOSURES = (Day(2025, 12, 29), Day(2025, 12, 30), Day(2025, 12, 31))
ITEMS_PER_SCALE = 50
COUNCIL_SCALE = 50
UTILISATION = (0.72, 0.82)  # agenda demand as a share of a body's capacity
BROMLEY_DENSITY = 0.75  # the first family's one-off items: about Bromley's 51 items in all

PLACES = ("Ashworth", "Bramley", "Calderbrook", "Dunmore", "Eastleigh Vale", "Fairhaven")
FIRST = ("Alex", "Amira", "Ben", "Chloe", "Daniel", "Eve", "Femi", "Grace", "Harry", "Imran",
         "Jo", "Kate", "Leon", "Maya", "Nadia", "Owen", "Priya", "Ravi", "Sara", "Tom", "Uma")
LAST = ("Adams", "Bailey", "Carter", "Dhillon", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
        "Jones", "Khan", "Lewis", "Morgan", "Nolan", "Okafor", "Patel", "Quinn", "Reid", "Shah",
        "Taylor", "Usher", "Vaughan", "Walsh", "Young")
THEMES = (
    ("ecf", "Education, Children & Families"), ("ach", "Adult Care & Health"),
    ("ecs", "Environment & Community Services"), ("rrh", "Renewal, Recreation & Housing"),
    ("ppe", "Public Protection & Enforcement"), ("erc", "Executive, Resources & Contracts"),
    ("cs", "Climate & Sustainability"), ("er", "Economy & Regeneration"),
    ("th", "Transport & Highways"), ("cll", "Culture, Leisure & Libraries"),
    ("sc", "Safer Communities"), ("dcs", "Digital & Customer Services"),
)
AREAS = ("North", "South", "East", "West", "Central")
SUBS = (("bpm", "Budget & Performance Monitoring"), ("contracts", "Contracts & Commissioning"))
PANELS = (("panel", "Member Panel", False), ("board", "Partnership Board", False),
          ("tfg", "Task and Finish Group", True))
MEET_ONLY = (("schools-forum", "Schools' Forum"), ("sacre", "SACRE"),
             ("consultative", "Consultative Group"))
TOPICS = (
    "Workforce Strategy", "Commissioning Plan", "Customer Satisfaction", "Digital Inclusion",
    "Early Intervention", "Homelessness Prevention", "Air Quality", "Waste and Recycling",
    "Mental Health Services", "Special Educational Needs", "Youth Services", "Libraries Review",
    "Parks and Green Spaces", "Community Safety", "Fly-tipping Enforcement", "Carers Strategy",
    "Domestic Abuse", "Town Centre Renewal", "Affordable Housing", "Adult Learning",
    "Transport Plan", "Road Safety", "Leisure Contract", "Energy Efficiency",
    "Procurement Strategy", "Council Tax Support", "Safeguarding Adults", "Child Poverty",
    "Public Health Outcomes", "Flood Risk", "Temporary Accommodation", "Social Value",
    "Apprenticeships", "Volunteering", "Cost of Living Support", "Data Protection",
    "Street Lighting", "Allotments", "Private Rented Sector", "Children Looked After",
    "Foster Care Recruitment", "School Admissions", "Home Care Market", "Noise Nuisance",
    "Electric Vehicle Charging", "Markets and Street Trading", "Public Toilets", "Tree Planting",
)
#: (id suffix, title, minutes or None for the kind's default, extra keys, presenter role)
STANDING: tuple[tuple[str, str, int | None, Data, str | None], ...] = (
    ("apologies", "Apologies for Absence", 5, {"verbal": True, "special": True}, None),
    ("declarations", "Declarations of Interest", 5, {"verbal": True, "special": True}, None),
    ("minutes", "Minutes and Matters Outstanding", 5, {}, None),
    ("questions", "Questions from Members of the Public", 5, {"verbal": True}, None),
    ("work-programme", "Work Programme", 5, {}, "clerk"),
    ("portfolio-holder", "Portfolio Holder Update", None, {"verbal": True}, "portfolio"),
)
STANDING_COUNT = {"committee": 6, "sub-committee": 4, "other": 3}
#: One-off items per ordinary meeting, by body kind.
RATES = {
    "committee": {"substantive": 0.7, "short": 1.2, "report": 0.7, "information": 1.4},
    "sub-committee": {"short": 0.5, "report": 2.6, "information": 0.8},
    "other": {"substantive": 0.3, "short": 0.8, "report": 1.2, "information": 1.0},
}
PRIORITIES = {  # weights of high, normal, low
    "substantive": (3, 6, 1), "short": (1, 6, 3), "report": (1, 7, 2), "information": (0, 4, 6),
}


def slug(text: str) -> str:
    """A lower-case slug of `text`: 'Adult Care & Health' -> 'adult-care-health'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def month_of(day: Day) -> str:
    """The calendar month of `day` as a range, '2025-10-01..2025-10-31'."""
    last = calendar.monthrange(day.year, day.month)[1]
    return f"{day.replace(day=1)}..{day.replace(day=last)}"


def in_recess(day: Day) -> bool:
    """True in the summer and Christmas recesses, when no body meets."""
    return any(start <= day <= end for start, end in RECESSES)


def releases(every: str, release_days: int) -> list[Day]:
    """Release dates inside the year of a recurring item (financial years from 1 April)."""
    step = 3 if every == "quarter" else 6
    ends = [Day(year + (month > 12), (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
            for year in (2024, 2025) for month in range(4 + step, 17, step)]
    out = [end + dt.timedelta(days=release_days) for end in ends]
    return [day for day in out if YEAR[0] <= day <= YEAR[1]]


def fits(release_days: list[Day], meetings: list[Day]) -> bool:
    """Whether each release can have its own meeting on or after it (earliest free first)."""
    free = sorted(meetings)
    for release in sorted(release_days):
        later = [day for day in free if day >= release]
        if not later:
            return False
        free.remove(later[0])
    return True


@dataclass
class Sitting:
    """A generated meeting as the generator reasons about it."""

    id: str
    date: Day
    open: bool = True
    special: bool = False


@dataclass
class Body:
    """A generated body: its programme data and its meetings."""

    data: Data
    sittings: list[Sitting] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The body's id."""
        return str(self.data["id"])

    @property
    def ordinary(self) -> list[Sitting]:
        """Open meetings that are not special sittings: where unpinned items may go."""
        return [s for s in self.sittings if s.open and not s.special]


@dataclass
class Family:
    """A committee with its sub-committees and panels: one clerk, one set of officers.

    Clerk, portfolio holder, directors and finance officer present `must` items and are away
    only in the recesses; the family's bodies never sit on the same day (`taken`), so none of
    them is needed at two meetings at once.
    """

    code: str
    theme: str
    clerk: str
    portfolio: str
    directors: list[str]
    finance: str
    officers: list[str]
    taken: set[Day] = field(default_factory=set)

    def role(self, name: str | None) -> list[str]:
        """The presenters of a standing item by role name."""
        return {"clerk": [self.clerk], "portfolio": [self.portfolio]}.get(name or "", [])


class Council:
    """Builds one synthetic council, family by family, from one random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.place = self.rng.choice(PLACES)
        self.calendar = WorkingCalendar("england", CLOSURES)
        self.people: list[Data] = []
        self.bodies: list[Body] = []
        self.items: list[Data] = []
        self.events: list[Data] = []
        self.ids: set[str] = set()
        self.names: set[str] = set()
        self.councillors = [self.person("Councillor", "Member of the Council") for _ in range(15)]
        self.witnesses = [self.witness() for _ in range(4)]
        self.executive = self.executive_meetings()
        self.undated: list[str] = []
        self.titles: dict[str, str] = {}  # undated event id -> title
        self.density = 1.0  # one-off items per meeting, relative to RATES

    # ---------------------------------------------------------------- ids, people, events
    def unique(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`, ...: ids unique across the whole programme."""
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def person(self, prefix: str, role: str, unavailable: list[Any] | None = None) -> str:
        """Add a person, with a name not used yet while ten tries find one; returns the id."""
        for _ in range(10):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.names:
                break
        self.names.add(name)
        first, last = name.split()
        entry: Data = {"id": self.unique(slug(last)), "name": f"{prefix} {name}".strip(),
                       "role": role}
        if prefix != "Councillor":
            entry["email"] = f"{first}.{last}@{slug(self.place)}.gov.uk".lower()
        if unavailable:
            entry["unavailable"] = unavailable
        self.people.append(entry)
        return str(entry["id"])

    def recess_leave(self) -> list[Any]:
        """Leave inside the summer recess, or none: for people `must` items need."""
        if self.rng.random() < 0.5:
            return []
        start = Day(2025, 8, 1) + dt.timedelta(days=self.rng.randrange(14))
        return [f"{start}..{start + dt.timedelta(days=self.rng.randint(5, 16))}"]

    def random_leave(self) -> list[Any]:
        """Zero to two absences anywhere in the season: a day, or a range of 3-14 days."""
        out: list[Any] = []
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            start = SEASON[0] + dt.timedelta(days=self.rng.randrange((SEASON[1] - SEASON[0]).days))
            length = self.rng.choice((0, 3, 7, 10, 14))
            out.append(start if not length else f"{start}..{start + dt.timedelta(days=length)}")
        return sorted(out, key=str)

    def witness(self) -> str:
        """A witness from outside the council, shared by every family, away on some days."""
        roles = ("Chief Inspector, Police", "NHS Trust Director", "Headteacher",
                 "Voluntary Sector Chief Executive", "Independent Chair", "Resident Representative")
        return self.person("", self.rng.choice(roles), self.random_leave())

    def executive_meetings(self) -> list[tuple[Day, str]]:
        """The Executive's monthly meetings (dated events items may wait for or precede)."""
        out = []
        for month in (6, 7, 9, 10, 11, 12, 13, 14, 15, 16):
            day = Day(2025 + (month > 12), (month - 1) % 12 + 1, 1)
            while day.weekday() != 2 or not self.calendar.is_working_day(day):
                day += dt.timedelta(days=1)
            event = f"executive-{day}"
            self.events.append({"id": event, "title": "Executive", "date": day})
            out.append((day, event))
        return out

    def undated_event(self) -> str:
        """A new event not yet dated (an inspection): its dependants wait, unplaced."""
        title = self.rng.choice(("Inspection report published", "Peer review findings",
                                 "Government consultation response"))
        event = self.unique(slug(title))
        self.events.append({"id": event, "title": title, "date": None})
        self.undated.append(event)
        self.titles[event] = title
        return event

    # ---------------------------------------------------------------- bodies and meetings
    def family(self, index: int, bromley: bool, room: float) -> None:
        """One committee with its sub-committees and panels (Bromley's shape when `bromley`);
        a committee alone when there is `room` for fewer than 70 more items."""
        code, theme = THEMES[index % len(THEMES)]
        self.density = BROMLEY_DENSITY if bromley else 1.0
        if index >= len(THEMES):
            area = AREAS[(index // len(THEMES) - 1) % len(AREAS)]
            code, theme = f"{code}-{slug(area)}", f"{theme} ({area})"
        fam = Family(
            code, theme,
            clerk=self.person("", "Democratic Services Officer", self.recess_leave()),
            portfolio=self.person("Councillor", f"Portfolio Holder for {theme}",
                                  self.recess_leave()),
            directors=[self.person("", f"Director {k + 1}, {theme}", self.recess_leave())
                       for k in range(self.rng.randint(2, 3))],
            finance=self.person("", "Head of Finance", self.recess_leave()),
            officers=[self.person("", "Service Manager", self.random_leave())
                      for _ in range(self.rng.randint(3, 5))],
        )
        self.witnesses.extend(self.witness() for _ in range(2))
        if len(self.councillors) < 60:
            self.councillors += [self.person("Councillor", "Member of the Council")
                                 for _ in range(2)]
        weekdays = self.rng.sample(range(4), 4)
        committee = self.body(fam, f"{code}-select", f"{theme} Select Committee", "committee",
                              7 if bromley else self.rng.randint(8, 9), weekdays[0])
        n_subs = 1 if bromley else self.rng.choices((0, 1, 2), (35, 50, 15))[0] * (room >= 70)
        subs = [self.body(fam, f"{code}-{key}", f"{theme} {name} Sub-Committee",
                          "sub-committee", 4 if bromley else self.rng.randint(7, 9),
                          weekdays[1 + k], parent=committee.id)
                for k, (key, name) in enumerate(SUBS[:n_subs])]
        self.committee_items(fam, committee, subs)
        for sub in subs:
            self.sub_items(fam, sub, committee)
        if not bromley and self.rng.random() < 0.25 and room >= 70:
            key, name, informal = self.rng.choice(PANELS)
            panel = self.body(fam, f"{code}-{key}", f"{theme} {name}", "other",
                              self.rng.randint(6, 9), weekdays[3], informal=informal)
            self.other_items(fam, panel)
        if bromley or self.rng.random() < 0.05:
            for _ in range(self.rng.randint(1, 2) if bromley else 1):
                self.meet_only_body()

    def body(self, fam: Family, base: str, name: str, kind: str, count: int, weekday: int,
             parent: str | None = None, informal: bool = False) -> Body:
        """A body of `fam` with `count` meetings on one weekday across the season."""
        members = self.rng.sample(self.councillors, min(len(self.councillors),
                                                        self.rng.randint(6, 11)))
        start = self.rng.choice(("18:00", "18:30", "19:30")) if kind == "other" else "19:00"
        data: Data = {"id": self.unique(base), "name": name, "kind": kind}
        if parent:
            data["parent"] = parent
        data |= {"chair": members[0], "vice_chair": members[1], "clerk": fam.clerk,
                 "members": members, "venue": f"Committee Room {self.rng.randint(1, 4)}, "
                 f"{self.place} Civic Centre", "start": start,
                 "minutes": 0, "limits": {"substantive": 1, "short": 2}}
        if kind != "committee":
            data["limits"] = {"short": 2} if kind == "sub-committee" else {}
        if informal:
            data["informal"] = True
        body = Body(data)
        self.meetings(fam, body, count, weekday)
        self.bodies.append(body)
        return body

    def meet_only_body(self) -> None:
        """A body that only meets, with no items here (Bromley's Schools' Forum, SACRE)."""
        key, name = self.rng.choice(MEET_ONLY)
        body = Body({"id": self.unique(key), "name": name, "kind": "other", "members": []})
        chosen = self.spread(self.season_days(self.rng.randrange(4), set()), self.rng.randint(4, 6))
        body.data["meetings"] = chosen
        body.sittings = [Sitting(f"{body.id}-{day}", day) for day in chosen]
        self.bodies.append(body)

    def season_days(self, weekday: int, taken: set[Day]) -> list[Day]:
        """Working days of one weekday in the season, outside the recesses and `taken`."""
        days = [SEASON[0] + dt.timedelta(days=n) for n in range((SEASON[1] - SEASON[0]).days + 1)]
        return [d for d in days if d.weekday() == weekday and self.calendar.is_working_day(d)
                and not in_recess(d) and d not in taken]

    def spread(self, pool: list[Day], count: int) -> list[Day]:
        """`count` days of `pool`, one from each of `count` equal runs of it."""
        width = len(pool) / count
        return [pool[int(k * width) + self.rng.randrange(max(1, int(width)))] for k in range(count)]

    def meetings(self, fam: Family, body: Body, count: int, weekday: int) -> None:
        """`count` meetings spread over the season; a few moved, cancelled or tentative."""
        days = self.spread(self.season_days(weekday, fam.taken), count)
        cancel = self.rng.randrange(1, count - 1) if self.rng.random() < 0.15 else None
        entries: list[tuple[Day, Any]] = []
        for k, day in enumerate(days):
            sitting = Sitting(f"{body.id}-{day}", day)
            entry: Any = day
            moved = day + dt.timedelta(days=self.rng.choice((-1, 1)))
            if k == cancel:
                entry, sitting.open = {"date": day, "status": "cancelled"}, False
            elif (k and self.rng.random() < 0.1 and moved.weekday() < 4
                  and self.calendar.is_working_day(moved) and not in_recess(moved)
                  and moved not in fam.taken):
                entry, sitting.date = {"date": moved, "moved_from": day}, moved
            elif day.month in (3, 4) and self.rng.random() < 0.25:
                entry = {"date": day, "status": "tentative"}
            elif self.rng.random() < 0.05:
                entry = {"date": day, "start": "18:30", "venue": f"{self.place} Library"}
            fam.taken.add(sitting.date)
            entries.append((sitting.date, entry))
            body.sittings.append(sitting)
        body.data["meetings"] = [entry for _, entry in entries]

    def special_meeting(self, fam: Family, body: Body, title: str) -> str:
        """A single-purpose sitting (a call-in) on a free day; returns its id."""
        day = self.rng.choice([d for w in range(4) for d in self.season_days(w, fam.taken)])
        fam.taken.add(day)
        sitting = Sitting(f"{body.id}-{day}-callin", day, special=True)
        body.sittings = sorted([*body.sittings, sitting], key=lambda s: s.date)
        entry = {"id": sitting.id, "date": day, "special": f"Call-in: {title}"}
        body.data["meetings"] = sorted([*body.data["meetings"], entry], key=_meeting_date)
        return sitting.id

    # ---------------------------------------------------------------- items
    def item(self, body: Body, base: str, title: str, kind: str, **keys: Any) -> Data:
        """An item of `body`; keys left None are omitted and `with_` is written `with`."""
        entry: Data = {"id": self.unique(f"{body.id}-{base}"), "title": title, "body": body.id,
                       "kind": kind}
        entry |= {key.rstrip("_"): value for key, value in keys.items() if value is not None}
        return entry

    def standing(self, fam: Family, body: Body) -> list[Data]:
        """The standard items on every agenda of a body of its kind (Bromley's run)."""
        rows = STANDING[: STANDING_COUNT[body.data["kind"]]]
        return [self.item(body, key, title, "standing", minutes=minutes,
                          presenters=fam.role(role) or None, **extra)
                for key, title, minutes, extra, role in rows]

    def scrutiny(self, fam: Family, body: Body) -> Data:
        """The director-scrutiny rotation: one director a meeting, each a set number of times."""
        total = len(body.ordinary) - (self.rng.random() < 0.25)  # short by one: "at most"
        times = [1] * len(fam.directors)
        for _ in range(total - len(times)):
            times[self.rng.randrange(len(times))] += 1
        return self.item(body, "director-scrutiny", "Scrutiny of a Chief Officer", "scrutiny",
                         minutes=20, rotation=dict(zip(fam.directors, times, strict=True)),
                         per_meeting=1)

    def recurring(self, fam: Family, body: Body, base: str, title: str, every: str,
                  **keys: Any) -> Data:
        """A quarterly or half-yearly report; `must` only where the meetings allow it."""
        days = self.rng.randint(45, 60)
        must = fits(releases(every, days), [s.date for s in body.ordinary])
        return self.item(body, base, title, "report", priority=None if must else "high",
                         every=every, release_days=days, presenters=[fam.finance], **keys)

    def timing(self, body: Body) -> Data:
        """At most one of: a month window, an open window, a preferred month, a decision to
        precede, an event to follow."""
        ordinary, roll = body.ordinary, self.rng.random()
        meeting = self.rng.choice(ordinary[1:-1] or ordinary)
        if roll < 0.08:
            return {"window": month_of(meeting.date)}
        if roll < 0.12:
            return {"window": f"{meeting.date.replace(day=1)}.."}
        if roll < 0.35:
            return {"prefer": month_of(meeting.date)}
        if roll < 0.39:
            lead = self.rng.randint(7, 14)
            later = [e for day, e in self.executive if day >= meeting.date + dt.timedelta(lead)]
            return {"decision": {"event": later[0], "lead_days": lead}} if later else {}
        if roll < 0.43:
            gap = self.rng.choice((0, 7, 14))
            before = [e for day, e in self.executive if day + dt.timedelta(gap) <= meeting.date]
            return {"after": {"event": before[-1], "gap_days": gap}} if before else {}
        return {}

    def priority(self, kind: str) -> str | None:
        """High, normal (omitted) or low, weighted by kind."""
        chosen = self.rng.choices(("high", "normal", "low"), PRIORITIES[kind])[0]
        return None if chosen == "normal" else chosen

    def presenter(self, fam: Family) -> list[str]:
        """One of the family's officers or directors."""
        return [self.rng.choice(fam.officers + fam.directors)]

    def count(self, body: Body, kind: str) -> int:
        """How many one-off items of a kind: its rate per ordinary meeting, give or take 15 %."""
        rate = RATES[body.data["kind"]].get(kind, 0.0)
        return round(rate * self.density * len(body.ordinary) * self.rng.uniform(0.85, 1.15))

    def topics(self, n: int) -> list[str]:
        """`n` topics, none twice unless `n` exceeds the list."""
        deck = self.rng.sample(TOPICS, len(TOPICS))
        return [deck[k % len(deck)] for k in range(n)]

    def substantive(self, fam: Family, body: Body, pin: bool) -> list[Data]:
        """Themes (at most 75 % of meetings, one a meeting), half with a witness session, some
        with a follow-up short item; the first pinned when `pin`."""
        out: list[Data] = []
        cap = math.floor(0.75 * len(body.ordinary))
        for k, topic in enumerate(self.topics(min(cap, self.count(body, "substantive")))):
            session = self.rng.random() < 0.5
            pinned = self.rng.choice(body.ordinary).id if pin and k == 0 else None
            theme = self.item(
                body, slug(topic), topic, "substantive", priority=self.priority("substantive"),
                minutes=self.rng.choice((15, 20, 30) if session else (45, 60, None)),
                meeting=pinned, presenters=self.presenter(fam),
                **({} if pinned else self.timing(body)))
            out.append(theme)
            if session:
                witnesses = self.rng.sample(self.witnesses, self.rng.randint(1, 2))
                out.append(self.item(body, f"{slug(topic)}-witnesses",
                                     f"{topic}: Witness Session", "witness-session",
                                     priority=theme.get("priority"), with_=theme["id"],
                                     witnesses=witnesses + self.rng.sample(fam.directors, 1)))
            if self.rng.random() < 0.25:
                out.append(self.item(body, f"{slug(topic)}-follow-up", f"{topic}: Follow-up",
                                     "short", minutes=15, after={
                                         "item": theme["id"],
                                         "gap_days": self.rng.choice((28, 56, 90))}))
        return out

    def others(self, fam: Family, body: Body, delegated_from: str | None = None) -> list[Data]:
        """Short items (twice at most 75 % of two a meeting), reports and information items."""
        out: list[Data] = []
        budget = math.floor(1.5 * len(body.ordinary))
        for topic in self.topics(self.count(body, "short")):
            times = 2 if self.rng.random() < 0.07 else None
            budget -= times or 1
            if budget < 0:
                break
            out.append(self.item(body, slug(topic), f"{topic} Update", "short",
                                 priority=self.priority("short"),
                                 minutes=self.rng.choice((15, 20)), times=times,
                                 verbal=self.rng.random() < 0.15 or None,
                                 presenters=self.presenter(fam),
                                 **(self.timing(body) if times is None else {})))
        for topic in self.topics(self.count(body, "report")):
            delegated = delegated_from if self.rng.random() < 0.6 else None
            out.append(self.item(body, slug(topic), f"Annual {topic} Report", "report",
                                 priority=self.priority("report"), presenters=self.presenter(fam),
                                 exempt=3 if self.rng.random() < 0.05 else None,
                                 delegated_from=delegated, **self.timing(body)))
        for topic in self.topics(self.count(body, "information")):
            out.append(self.item(body, f"{slug(topic)}-briefing", f"{topic}: Briefing",
                                 "information", priority=self.priority("information"),
                                 presenters=self.presenter(fam) if self.rng.random() < 0.6
                                 else None, **self.timing(body)))
        return out

    def committee_items(self, fam: Family, committee: Body, subs: list[Body]) -> None:
        """A select committee's year: standing items (with references from each
        sub-committee), the rotation, a pinned appointment, one-off items, delegations."""
        items = self.standing(fam, committee)
        items += [self.item(committee, f"{sub.id}-references", f"References from the "
                            f"{sub.data['name']}", "standing", minutes=5, follows=sub.id)
                  for sub in subs]
        items.append(self.scrutiny(fam, committee))
        items.append(self.item(committee, "co-opted-members", "Appointment of Co-opted Members",
                               "report", minutes=5, priority="must", presenters=[fam.clerk],
                               meeting=committee.ordinary[0].id))
        if self.rng.random() < 0.5:
            every = self.rng.choice(("quarter", "half-year"))
            items.append(self.recurring(fam, committee, "performance",
                                        "Performance Report - {period} {fy}", every))
        items += self.substantive(fam, committee, pin=self.rng.random() < 0.5)
        items += self.others(fam, committee)
        for topic in self.topics(self.rng.choice((0, 1, 1, 2))):
            taker = self.rng.choice(("General Purposes and Licensing Committee", "Audit Committee",
                                     "Executive Working Group"))
            items.append(self.item(committee, slug(topic), topic, "report", delegated_to=taker))
        if self.rng.random() < 0.2:
            topic = self.rng.choice(TOPICS)
            meeting = self.special_meeting(fam, committee, topic)
            items.append(self.item(committee, f"callin-{slug(topic)}", f"Call-in: {topic}",
                                   "report", minutes=45, priority="must", meeting=meeting,
                                   presenters=fam.directors[:1]))
        if not self.undated or self.rng.random() < 0.1:
            event = self.undated_event() if not self.undated or self.rng.random() < 0.5 \
                else self.rng.choice(self.undated)
            items.append(self.item(committee, f"after-{event}", f"Update: {self.titles[event]}",
                                   "short", after={"event": event, "gap_days": 0}))
        self.finish(committee, items)

    def sub_items(self, fam: Family, sub: Body, parent: Body) -> None:
        """A sub-committee's year: standing items, quarterly monitoring, delegated reports."""
        items = self.standing(fam, sub)
        items.append(self.recurring(fam, sub, "budget-monitoring", "Budget Monitoring {fy} - "
                                    "{period}", "quarter", delegated_from=parent.id))
        items.append(self.recurring(fam, sub, "capital-programme", "Capital Programme - "
                                    "{period} {fy}", "quarter"))
        items += self.others(fam, sub, delegated_from=parent.id)
        self.finish(sub, items)

    def other_items(self, fam: Family, body: Body) -> None:
        """A panel's or board's year: standing items, half-yearly monitoring, one-off items."""
        items = self.standing(fam, body)
        if self.rng.random() < 0.3:
            items.append(self.recurring(fam, body, "monitoring", "Monitoring - {period} {fy}",
                                        "half-year"))
        items += self.substantive(fam, body, pin=False)
        items += self.others(fam, body)
        self.finish(body, items)

    def finish(self, body: Body, items: list[Data]) -> None:
        """Size the body's agenda time so demand is 72-82 % of it and every `must` fits."""
        n = len(body.ordinary)
        specials = {s.id for s in body.sittings if s.special}
        standing = sum(duration(i) for i in items if i["kind"] == "standing")
        placed = [i for i in items if i["kind"] != "standing" and "delegated_to" not in i
                  and i.get("meeting") not in specials]
        demand = standing * n + sum(duration(i) * load(i, n) for i in placed)
        peak = standing + 75 + sum(duration(i) for i in placed
                                   if i["kind"] == "scrutiny" or "every" in i)
        minutes = max(demand / (n * self.rng.uniform(*UTILISATION)), peak)
        body.data["minutes"] = 15 * math.ceil(minutes / 15)
        self.items.extend(items)


def _meeting_date(entry: Any) -> Day:
    """The date of a meeting entry in either form (short: the date itself)."""
    return entry["date"] if isinstance(entry, dict) else entry


def duration(item: Data) -> int:
    """An item's agenda minutes: as given, else its kind's default."""
    minutes = item.get("minutes")
    return DEFAULT_MINUTES[item["kind"]] if minutes is None else int(minutes)


def load(item: Data, meetings: int) -> int:
    """How many placements an item asks for in a year of `meetings` ordinary meetings."""
    if "every" in item:
        return len(releases(item["every"], item["release_days"]))
    if "rotation" in item:
        return min(sum(item["rotation"].values()), meetings)
    return int(item.get("times", 1))


def generate(scale: float = 1.0, seed: int = 0) -> Data:
    """A synthetic council's programme: about `50 * scale` items, the same for the same seed.

    Args:
        scale: 1 is Bromley's size (a select committee, a sub-committee, one or two bodies
            that only meet; about 50 items); each further 1 adds about 50 items in families.
        seed: the random generator's seed.

    Returns:
        Programme data as YAML would give it (DESIGN §4), for `Programme.model_validate`.

    Raises:
        ValueError: if `scale` is not positive.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")
    c = Council(seed)
    target = ITEMS_PER_SCALE * scale
    index = 0
    while index == 0 or len(c.items) + 35 < target:  # 35: about half a family's items
        c.family(index, bromley=index == 0, room=target - len(c.items))
        index += 1
    return {
        "id": f"{slug(c.place)}-synthetic-2025-26",
        "council": f"{c.place} Borough Council",
        "title": f"{c.place} Scrutiny Work Programme 2025/26 (synthetic, scale {scale:g}, "
                 f"seed {seed})",
        "year": f"{YEAR[0]}..{YEAR[1]}",
        "timezone": "Europe/London",
        "nation": "england",
        "closures": list(CLOSURES),
        "financial_year_start": "04-01",
        "deadlines": {"agenda_clear_days": 5, "reports_due_working_days": 10,
                      "questions_working_days": 4, "preparation_minutes": 30},
        "people": c.people,
        "bodies": [body.data for body in c.bodies],
        "events": c.events,
        "items": c.items,
    }


def council(seed: int = 0) -> Data:
    """The whole large council of DESIGN §9: about 60 bodies, 500 meetings, 2,500 items."""
    return generate(COUNCIL_SCALE, seed)


def to_yaml(data: Data) -> str:
    """The programme as YAML text: keys in programme order, dates unquoted, times quoted."""
    header = "# Synthetic council generated by bench/generate.py (DESIGN §9); do not edit.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic programme as YAML (to standard output with `-o -`).

    Example:
        python -m bench.generate --council --seed 1 -o out/council-1.yaml
    """
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=_positive, default=1.0, help="1 is Bromley's size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--council", action="store_true", help="the whole council (§9)")
    parser.add_argument("-o", "--output", default="-", help="YAML file, or - (default)")
    args = parser.parse_args(argv)
    data = council(args.seed) if args.council else generate(args.scale, args.seed)
    text = to_yaml(data)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text)
    meetings = sum(len(body["meetings"]) for body in data["bodies"])
    print(f"{args.output}: {len(data['bodies'])} bodies, {meetings} meetings, "
          f"{len(data['items'])} items, {len(data['people'])} people", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
