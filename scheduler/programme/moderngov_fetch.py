"""The meetings of the committees a clerk names, as the council's Modern.gov gives them.

A committee is named by its Modern.gov number or by its title (any case). Its meetings between
two days are asked for with `GetMeetings`, kept only within those days whatever the service did
with them (it is known to ignore a date it cannot read), and each is asked for again with
`GetMeeting` for its planned finish and its location, a few at a time. A folder of saved
answers may hold no `GetMeeting` answer for a meeting: it then has neither.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from scheduler.programme.model import Programme
from scheduler.programme.moderngov import (
    Committee,
    Meeting,
    ModernGovError,
    committees,
    meeting,
    meetings,
)
from scheduler.programme.moderngov_calls import Answers
from scheduler.programme.words import long_day


@dataclass(frozen=True)
class Asked:
    """What a programme asks of Modern.gov: its site, its bodies' committee numbers, its
    year's days."""

    site: str | None
    committees: list[str]
    first: dt.date | None
    last: dt.date | None

    @classmethod
    def of(cls, p: Programme) -> Asked:
        numbers = [str(b.moderngov) for b in p.bodies if b.moderngov is not None]
        return cls(p.moderngov, numbers, p.year.start, p.year.end)


@dataclass(frozen=True)
class Found:
    """One committee and its meetings within the days asked for (`first` to `last`), earliest
    first."""

    committee: Committee
    meetings: tuple[Meeting, ...]
    first: dt.date
    last: dt.date


def fetch(answers: Answers, wanted: Sequence[str], first: dt.date, last: dt.date) -> list[Found]:
    """Each wanted committee, in the order named, with its meetings from `first` to `last`.

    Raises:
        ModernGovError: a call failed, an answer cannot be read, or a committee is not there.
    """
    if last < first:
        raise ModernGovError("the days asked for", f"{long_day(last)} is before {long_day(first)}")
    text, where = answers.committees()
    listed = committees(text, where)
    chosen: list[Committee] = []
    for name in wanted:
        committee = _committee(listed, name, where)
        if committee not in chosen:
            chosen.append(committee)
    found = []
    for committee in chosen:
        text, where = answers.meetings(committee.id, first, last)
        within: dict[int, Meeting] = {}
        for m in meetings(text, where):  # a meeting listed twice is one meeting
            if m.committee == committee.id and first <= m.date <= last:
                within.setdefault(m.id, m)
        earliest = sorted(within.values(), key=lambda m: (m.date, m.start or dt.time(), m.id))
        found.append(Found(committee, _details(answers, earliest), first, last))
    return found


#: Meetings asked for at once: a site a fraction of a second away answers a council's few
#: hundred in a quarter of the time, and no site is asked more than a browser would ask.
AT_ONCE = 4


def _details(answers: Answers, plain: list[Meeting]) -> tuple[Meeting, ...]:
    """Each meeting as its own answer gives it, asked `AT_ONCE` at a time, in their order; the
    first call that fails stops the rest."""
    if len(plain) <= 1:
        return tuple(_detailed(answers, m) for m in plain)
    with ThreadPoolExecutor(AT_ONCE) as pool:
        asked = [pool.submit(_detailed, answers, m) for m in plain]
        try:
            return tuple(future.result() for future in asked)
        finally:
            for future in asked:
                future.cancel()


def _committee(listed: list[Committee], name: str, where: str) -> Committee:
    key = name.strip()
    if key.isdigit() and len(key) <= 18:
        match = [c for c in listed if c.id == int(key)]
        if match:
            return match[0]
        raise ModernGovError(where, f"no committee numbered {key}")
    match = [
        c
        for c in listed
        if " ".join(c.title.split()).casefold() == " ".join(key.split()).casefold()
    ]
    current = [c for c in match if not c.deleted and not c.expired]
    if len(current) == 1 or (len(match) == 1 and not current):
        return (current or match)[0]
    if match:
        numbers = ", ".join(str(c.id) for c in match)
        raise ModernGovError(
            where,
            f"{len(match)} committees are called {key!r}: name one by its number ({numbers})",
        )
    near = difflib.get_close_matches(key, [c.title for c in listed], n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    raise ModernGovError(where, f"no committee called {key!r}{hint}")


def _detailed(answers: Answers, plain: Meeting) -> Meeting:
    answer = answers.meeting(plain.id)
    if answer is None:
        return plain
    full = meeting(*answer, committee=plain.committee)
    if full.id != plain.id:
        raise ModernGovError(answer[1], f"holds meeting {full.id}, not meeting {plain.id}")
    return full
