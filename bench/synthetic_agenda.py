"""Agenda items of a synthetic council's bodies, and each body's agenda time (bench/generate.py)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from bench.synthetic_bodies import Bodies, Body, Family
from bench.synthetic_calendar import fits, month_of, releases
from bench.synthetic_people import Data, slug
from scheduler.programme.model import DEFAULT_MINUTES

UTILISATION = (0.72, 0.82)  # agenda demand as a share of a body's capacity

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


class Agendas(Bodies):
    """Adds the items (`items`) of each body's year to a council's bodies."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.items: list[Data] = []
        self.density = 1.0  # one-off items per meeting, relative to RATES

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
