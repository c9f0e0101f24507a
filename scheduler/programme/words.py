"""Words for people (DESIGN §5 "Words"): dates as agendas write them, meetings by body and
date, people by name, lists as a sentence says them.

Everything a clerk, chairman, member or the public reads is made of these; ids and rule codes
stay in the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from scheduler.programme.fields import Rough
from scheduler.programme.model import Item, Meeting, Programme


def long_day(d: date) -> str:
    """28 June 2017 -> `Wednesday 28 June 2017`, as agendas and calendars write a date."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_day(d: date) -> str:
    """28 June 2017 -> `28 June 2017`."""
    return f"{d.day} {d:%B %Y}"


def table_day(d: date | None) -> str:
    """28 June 2017 -> `Wed 28 Jun 2017`, `-` for no date: a fixed-width table's column."""
    return d.strftime("%a %d %b %Y") if d else "-"


def listing(words: Iterable[str], last: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`: a list as a sentence says it."""
    items = list(words)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def the(name: str) -> str:
    """`the Select Committee`, but `The Select Body` as it is: a body's name after "the"."""
    return name if name.casefold().startswith("the ") else f"the {name}"


def capital(text: str) -> str:
    """The text with its first letter a capital, to open a sentence."""
    return text[:1].upper() + text[1:]


def count(n: int, thing: str, things: str | None = None) -> str:
    """`1 meeting`, `3 meetings`; `things` where the plural is not `thing` + s."""
    return f"{n} {thing if n == 1 else things or thing + 's'}"


def range_words(start: date | None, end: date | None) -> str:
    """`between 1 September 2017 and 31 December 2017`, `from ...`, `until ...`, `on ...`."""
    if start and end:
        return (
            f"on {short_day(start)}"
            if start == end
            else (f"between {short_day(start)} and {short_day(end)}")
        )
    if start:
        return f"from {short_day(start)}"
    return f"until {short_day(end)}" if end else "at any date"


_MONTH = re.compile(r"^\d{4}-\d{2}$")
_MONTHS = re.compile(r"^\d{4}-\d{2}\.\.\d{4}-\d{2}$")


def rough_words(when: Rough) -> str:
    """A date as it is known (DESIGN §4.6): `Tuesday 17 October 2017`; `January 2025, date to be
    fixed`; `between January and March 2018, date to be fixed`; `date to be fixed`."""
    first, last = when.earliest, when.latest
    if when.day is not None:
        return long_day(when.day)
    if first is None or last is None:
        return "date to be fixed"
    text = str(when)  # `2025-01`, `2018-01..2018-03` for whole months
    if _MONTH.match(text):
        return f"{first:%B %Y}, date to be fixed"
    if _MONTHS.match(text):
        start = f"{first:%B}" if first.year == last.year else f"{first:%B %Y}"
        return f"between {start} and {last:%B %Y}, date to be fixed"
    return f"between {short_day(first)} and {short_day(last)}, date to be fixed"


def day_words(meeting: Meeting) -> str:
    """A meeting's day as people read it: its day once fixed, else what is known of it."""
    return rough_words(meeting.when)


def meeting_words(p: Programme, meeting: str, day: date | None = None) -> str:
    """`Education, Children & Families Select Committee, Tuesday 17 October 2017`: a meeting by
    its body and its date (`day` for a date the programme no longer holds). An id the programme
    does not know is shown as it is, the only way left to name it."""
    found = p.meetings_by_id.get(meeting)
    if found is None:
        return f"the meeting of {long_day(day)}" if day else meeting
    body, m = found
    return f"{body.name}, {long_day(day) if day else day_words(m)}"


def people_words(p: Programme, ids: Sequence[str]) -> str:
    """`Ade Adetosoye OBE and Jane Bailey`: people by name (an unknown id as it is)."""
    return listing(p.people_by_id[i].name if i in p.people_by_id else i for i in ids)


_PLACEHOLDER = re.compile(r"\s*[-:,]?\s*\{(period|fy|previous_meeting)\}")


def plain_title(title: str) -> str:
    """An item's title without the placeholders an occurrence fills in: `Budget Monitoring {fy}
    - {period}` -> `Budget Monitoring`, to speak of the item as a whole."""
    return _PLACEHOLDER.sub("", title).strip(" -:,") or title


def item_words(p: Programme, item: str) -> str:
    """An item by its title (an unknown id as it is)."""
    found = p.items_by_id.get(item)
    return plain_title(found.title) if found else item


def elsewhere_words(item: Item) -> str:
    """Why this programme does not place an item, as a clause: `is only suggested`, `is carried
    forward to next year`, `is taken by General Purposes and Licensing Committee`."""
    if item.suggested:
        return "is only suggested"
    if item.carried_forward:
        return "is carried forward to next year"
    return f"is taken by {item.delegated_to}"


def contact_words(p: Programme, person: str) -> str:
    """`Ade Adetosoye OBE <Ade.Adetosoye@bromley.gov.uk>`: whom to tell and where; the name alone
    when no e-mail address is known (an unknown id as it is)."""
    found = p.people_by_id.get(person)
    if found is None:
        return person
    return f"{found.name} <{found.email}>" if found.email else found.name


def best_words(gap: float | None) -> str:
    """How good a plan is, for people: 0 -> `proven best`; 0.034 -> `within 3.4 % of the best
    possible`; None (no bound known) -> `not proven best`."""
    if gap is None:
        return "not proven best"
    if gap <= 0:
        return "proven best"
    percent = 100 * gap
    shown = f"{percent:.0f}" if percent >= 10 else f"{max(percent, 0.1):.1f}"
    return f"within {shown} % of the best possible"
