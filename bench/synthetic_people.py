"""Ids, people and dated events of a synthetic council (bench/generate.py)."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from bench.synthetic_calendar import CLOSURES, SEASON, Day
from scheduler.dates.working_days import WorkingCalendar

Data = dict[str, Any]

PLACES = ("Ashworth", "Bramley", "Calderbrook", "Dunmore", "Eastleigh Vale", "Fairhaven")
FIRST = ("Alex", "Amira", "Ben", "Chloe", "Daniel", "Eve", "Femi", "Grace", "Harry", "Imran",
         "Jo", "Kate", "Leon", "Maya", "Nadia", "Owen", "Priya", "Ravi", "Sara", "Tom", "Uma")
LAST = ("Adams", "Bailey", "Carter", "Dhillon", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
        "Jones", "Khan", "Lewis", "Morgan", "Nolan", "Okafor", "Patel", "Quinn", "Reid", "Shah",
        "Taylor", "Usher", "Vaughan", "Walsh", "Young")


def slug(text: str) -> str:
    """A lower-case slug of `text`: 'Adult Care & Health' -> 'adult-care-health'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Roster:
    """The ids, people and events of one synthetic council, drawn from one random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.place = self.rng.choice(PLACES)
        self.calendar = WorkingCalendar("england", CLOSURES)
        self.people: list[Data] = []
        self.events: list[Data] = []
        self.ids: set[str] = set()
        self.names: set[str] = set()
        self.councillors = [self.person("Councillor", "Member of the Council") for _ in range(15)]
        self.witnesses = [self.witness() for _ in range(4)]
        self.executive = self.executive_meetings()
        self.undated: list[str] = []
        self.titles: dict[str, str] = {}  # undated event id -> title

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
