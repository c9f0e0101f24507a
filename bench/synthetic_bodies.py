"""Bodies and their meetings in a synthetic council (bench/generate.py).

A family's bodies never sit on the same day, and nobody meets in the recesses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bench.synthetic_calendar import SEASON, Day, in_recess
from bench.synthetic_people import Data, Roster

MEET_ONLY = (("schools-forum", "Schools' Forum"), ("sacre", "SACRE"),
             ("consultative", "Consultative Group"))


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


class Bodies(Roster):
    """Adds bodies and their meetings (`bodies`) to a council's roster."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.bodies: list[Body] = []

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


def _meeting_date(entry: Any) -> Day:
    """The date of a meeting entry in either form (short: the date itself)."""
    return entry["date"] if isinstance(entry, dict) else entry
