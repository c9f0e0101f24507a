"""A starting programme file for a clerk to fill in (`scrutiny init`): every top-level key with a
comment saying what it is, one committee with two meetings, two people, an item of each common
kind and an event, all dated inside the year asked for. It validates and solves as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from string import Template

from pydantic import ValidationError

from scheduler.programme.fields import DateRange

#: The shortest year a starting file is made for: room for two meetings a month or more apart.
SHORTEST_DAYS = 56
_DAY, _WEEK = dt.timedelta(days=1), dt.timedelta(days=7)

TEMPLATE = Template("""\
# yaml-language-server: $$schema=programme.schema.json
# The line above lets an editor (VS Code with the YAML extension) complete and check this file.
# Make the schema beside it first: scrutiny schema -o programme.schema.json (or delete the line).
#
# A scrutiny programme file: the year's meetings, the people, the items the members want to
# examine and the rules each item comes with. Replace the examples with your own, check the
# file with `scrutiny validate FILE` (every problem is listed with its line), then plan the year
# with `scrutiny solve FILE -o plan.json --markdown -`. docs/programme-file.md explains every
# key. Text after # is a comment, for people only.

# The programme's own id (lower-case letters, digits and hyphens). Calendar entries are known by
# it: keep it once the plan is published.
id: $id
# The council's name, as the work programme document heads it.
council: $council
# The work programme's title: the document's heading.
title: $title
# The programme's first and last day, FROM..TO: usually from one Annual Council to the next.
year: $year
# Whose bank holidays are not working days: england, wales, scotland or northern-ireland.
nation: england
# The time zone of every time in the file.
timezone: Europe/London
# Extra days the council does not work, e.g. [2026-12-29, 2026-12-30, 2026-12-31].
closures: []
# The first day of the financial year, MM-DD: quarterly reports count from it.
financial_year_start: "04-01"
# A programme of several municipal years: the day each begins, MM-DD (by default the first
# day of the programme's year). Remove the # to use it.
# years_start: "05-20"
# The council's Modern.gov address, from which `scrutiny import moderngov` brings meetings up
# to date. Remove the # to use it.
# moderngov: https://democracy.example.gov.uk
# Working days before a meeting that reports are due and public questions close (at 17:00), and
# the minutes before it that members meet to prepare. These are the defaults: keep what differs.
deadlines:
  reports_due_working_days: 10
  questions_working_days: 4
  preparation_minutes: 30

# Everyone the file names: members, officers, witnesses. Other entries use a person's id.
people:
  - id: jones
    name: Councillor Pat Jones
    role: Chairman, Scrutiny Committee
  - id: director
    name: Sam Director
    role: Director of Services
    email: sam.director@example.gov.uk   # to tell them of changes
    unavailable: [$leave]   # nothing of theirs is planned then

# The committees, sub-committees and other bodies, each with its meetings.
bodies:
  - id: scrutiny
    name: Scrutiny Committee
    kind: committee                  # committee, sub-committee (give its parent) or other
    chair: jones
    members: [jones]                 # people's ids: they get its meetings in their calendars
    venue: Council Chamber, Town Hall
    start: "19:00"                   # 24-hour, in quotes; leave it out if no time is stated
    minutes: 150                     # a meeting's agenda time; leave it out if none is stated
    limits: {substantive: 1, short: 2}   # the most items of a kind at one meeting
    meetings:
      - $first                   # the short form: just the day
      - {date: $second, start: "18:30"}   # the long form: also venue, status, moved_from

# What the bodies consider: each item goes to a meeting of its body.
items:
  - id: apologies
    title: Apologies for Absence
    body: scrutiny
    kind: standing                   # on every agenda
    minutes: 5
    verbal: true                     # no written report, so no reports-due date
  - id: waste-services
    title: Waste and Recycling Services
    body: scrutiny
    kind: substantive                # a meeting's main theme
    presenters: [director]           # must be free that day; they get the reports-due date
  - id: waste-evidence
    title: Evidence from the Director of Services
    body: scrutiny
    kind: witness-session
    with: waste-services             # at the same meeting as that item
    witnesses: [director]
  - id: budget-update
    title: Budget Update
    body: scrutiny
    kind: short                      # a brief update
    prefer: $prefer   # at a meeting in these days if possible
  - id: housing-strategy
    title: Housing Strategy
    body: scrutiny
    kind: report                     # an officer's report
    after: {event: strategy-published}   # only once it is published
  - id: performance
    title: Performance Information
    body: scrutiny
    kind: information                # circulated, not debated unless a member asks

# Things outside the programme that items wait for. A date may be rough (2026-10) or null.
events:
  - id: strategy-published
    title: Housing Strategy published
    date: $event
""")


def default_year(today: dt.date) -> DateRange:
    """The coming municipal year, from 20 May to 19 May: a clerk writes the real days."""
    first = dt.date(today.year if today < dt.date(today.year, 5, 20) else today.year + 1, 5, 20)
    return DateRange(start=first, end=first.replace(year=first.year + 1) - _DAY)


def year_of(text: str) -> DateRange:
    """A starting file's year written FROM..TO.

    Raises:
        ValueError: saying what is wrong: not dates, an end left open, shorter than
            `SHORTEST_DAYS`.
    """
    try:
        year = DateRange.model_validate(text)
    except ValidationError as err:
        raise ValueError(err.errors()[0]["msg"].removeprefix("Value error, ")) from None
    _ends(year)
    return year


def _ends(year: DateRange) -> tuple[dt.date, dt.date]:
    if year.start is None or year.end is None or (year.end - year.start).days + 1 < SHORTEST_DAYS:
        raise ValueError(
            f"{year}: give the year's first and last day, FROM..TO, at least {SHORTEST_DAYS} "
            "days apart"
        )
    return year.start, year.end


def starter(year: DateRange, council: str = "Example Council", title: str | None = None) -> str:
    """The starting file for `year`; its title by default the year's ("Scrutiny Work Programme
    2026/27").

    Raises:
        ValueError: when the year is open-ended or shorter than `SHORTEST_DAYS`.
    """
    first, last = _ends(year)
    label = f"{first.year}/{last.year % 100:02d}" if last.year > first.year else f"{first.year}"
    meeting, later = _sittings(first, last)
    event = meeting + dt.timedelta(days=(later - meeting).days // 2)
    month = later.replace(day=1)
    month_end = (month + dt.timedelta(days=31)).replace(day=1) - _DAY
    return TEMPLATE.substitute(
        id=f"{_slug(council) or 'programme'}-{label.replace('/', '-')}",
        council=json.dumps(council, ensure_ascii=False),
        title=json.dumps(title or f"Scrutiny Work Programme {label}", ensure_ascii=False),
        year=year,
        first=meeting,
        second=later,
        leave=DateRange(start=meeting + _DAY, end=meeting + _WEEK),  # the week after it
        prefer=DateRange(start=max(month, first), end=min(month_end, last)),
        event=event,
    )


def _sittings(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Two meeting days, a quarter and three quarters of the way through the year: each that
    month's second Wednesday (the 8th to the 14th: never a bank holiday in England), or the day
    itself when those are not in the year or not three weeks apart."""
    targets = [first + dt.timedelta(days=round((last - first).days * f)) for f in (0.25, 0.75)]
    wednesdays = [_second_wednesday(day) for day in targets]
    early, late = wednesdays
    if first <= early and late <= last and (late - early).days >= 21:
        return early, late
    return targets[0], targets[1]


def _second_wednesday(day: dt.date) -> dt.date:
    start = day.replace(day=1)
    return start + dt.timedelta(days=(2 - start.weekday()) % 7) + _WEEK


def _slug(text: str) -> str:
    """`Riverside District Council` -> `riverside-district-council`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
