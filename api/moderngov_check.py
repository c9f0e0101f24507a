"""Checking a programme against the council's Modern.gov, and making its changes (issue 24;
DESIGN §10, "Meetings come from the council's system"): for the API's routes and the clerk's
page alike (`api.routes.moderngov`, `api.web.moderngov`).

`check` asks the programme's site (`moderngov`) for the committees its bodies are numbered as
(`bodies[].moderngov`), with their meetings over the programme's year: each change there in
words with its edit, and apart what is only told (a meeting Modern.gov no longer lists is never
removed). `apply` asks again and makes the changes found one new programme version, against
the revision the clerk checked; given the `digest` of the check the clerk read, only while
Modern.gov still says the same.

The site is asked through `api.outbound` (public addresses only, each call within `PER_CALL`
seconds, all of them within `WHOLE`), one check at a time per programme and at most `AT_ONCE`
in a process, on the caller's thread (the routes are plain functions: FastAPI's thread pool).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from api.errors import ApiError, Conflict, PreconditionRequired, Stale
from api.outbound import Outbound
from api.state import State
from api.storage import reading
from api.store import edit_programme, programme_at, programme_row
from api.tables import ProgrammeRow
from scheduler.errors import Problem
from scheduler.programme.edits import Edit, EditError
from scheduler.programme.model import Body, Programme
from scheduler.programme.moderngov import ModernGovError, committees
from scheduler.programme.moderngov_calls import Answers, NoAnswer, Site
from scheduler.programme.moderngov_fetch import Asked, Found, fetch
from scheduler.programme.moderngov_merge import Update, updates

#: Seconds one call to the site may take, and all of a check's calls together.
PER_CALL = 60.0
WHOLE = 180.0
#: Checks under way at once in one process: each holds a thread of the pool while it waits.
AT_ONCE = 4


@dataclass(frozen=True)
class Checked:
    """What Modern.gov says against one revision of a programme."""

    revision: int
    version: int
    site: str
    numbered: tuple[tuple[Body, int], ...]  # the bodies asked for, by their numbers
    first: dt.date
    last: dt.date
    changes: tuple[Update, ...]  # each with its edit
    notices: tuple[Update, ...]  # only told

    @property
    def agree(self) -> bool:
        return not self.changes and not self.notices

    @property
    def digest(self) -> str:
        """What the check found, in 32 hex digits: the same findings, the same digest."""
        said = [[u.words, details(u.edit)] for u in (*self.changes, *self.notices)]
        text = json.dumps(said, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class SiteFailed(ApiError):
    """The site could not be asked (refused by the service: 409), failed or answered what
    cannot be read (502), or took too long (504): `where` the call, `problem` why."""

    def __init__(self, status: int, detail: str, where: str, problem: str) -> None:
        super().__init__(detail)
        self.status, self.where, self.problem = status, where, problem


class Busy(ApiError):
    """Too many checks under way in this process: try again in a minute."""

    status = 503


class Changed(Conflict):
    """Modern.gov says something else than when the clerk checked: `checked`, what it says now."""

    def __init__(self, checked: Checked) -> None:
        super().__init__(
            "Modern.gov has changed since it was checked: nothing was changed here; read what "
            "it says now and apply that"
        )
        self.checked = checked


def details(edit: Edit | None) -> dict[str, Any] | None:
    """An edit as data: its kind (`move-meeting`, `change-meeting`, ...) and its fields, dates
    and times as ISO text."""
    if edit is None:
        return None
    name = type(edit).__name__
    kind = "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")
    fields = {f.name: _plain(getattr(edit, f.name)) for f in dataclasses.fields(edit)}
    return {"kind": kind, **fields}


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ----------------------------------------------------------------------------------------------
# Checking and applying


def check(s: State, pid: str) -> Checked:
    """What the programme's Modern.gov says against its newest version.

    Raises:
        Conflict: the programme names no site, no numbered committee, or a year without ends;
            a check of it is under way already.
        SiteFailed: the site could not be asked, failed, or took too long.
    """
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        programme = programme_at(session, pid)
        revision, version = row.revision, row.version
    question = _question(programme)
    with _one_check(s, pid):
        found = _found(s, question)
    said = updates(programme, found)
    return Checked(
        revision=revision,
        version=version,
        site=question.site,
        numbered=question.numbered,
        first=question.first,
        last=question.last,
        changes=tuple(u for u in said if u.edit is not None),
        notices=tuple(u for u in said if u.edit is None),
    )


def apply(
    s: State, pid: str, if_match: int | None, digest: str | None
) -> tuple[Checked, ProgrammeRow | None]:
    """Modern.gov asked again and its changes made one new version (None when there are none).

    Raises:
        PreconditionRequired, Stale: no revision, or an old one (asked before the site is).
        Changed: `digest` is given and Modern.gov now says something else.
        Conflict, SiteFailed: as `check`; or the changes cannot be written into the file.
    """
    if if_match is None:
        raise PreconditionRequired(
            "say which revision of the programme was checked: send If-Match with its ETag"
        )
    with reading(s.engine) as session:
        now = programme_row(session, pid).revision
    if now != if_match:
        raise _stale(pid, now, if_match)
    checked = check(s, pid)
    if checked.revision != if_match:  # changed here while Modern.gov was asked
        raise _stale(pid, checked.revision, if_match)
    if digest is not None and digest != checked.digest:
        raise Changed(checked)
    edits = tuple(u.edit for u in checked.changes if u.edit is not None)
    if not edits:
        return checked, None
    try:
        return checked, edit_programme(s.engine, pid, edits, if_match, s.by)
    except EditError as err:
        raise Conflict(
            f"Modern.gov's changes could not be written into the file: {err}; nothing was changed"
        ) from None


def _stale(pid: str, now: int, asked: int) -> Stale:
    return Stale(
        f"programme '{pid}' is at revision {now}, not {asked}: somebody else changed it; "
        "check Modern.gov again"
    )


@dataclass(frozen=True)
class _Question:
    """What a check asks (`Asked`, every part there): the site, the committees by number
    (with their bodies, for the words) and the days."""

    site: str
    committees: list[str]
    numbered: tuple[tuple[Body, int], ...]
    first: dt.date
    last: dt.date


def _question(p: Programme) -> _Question:
    """What the programme asks of Modern.gov; Conflict when a part of it is missing."""
    asked = Asked.of(p)
    if asked.site is None:
        raise _cannot(
            "moderngov",
            "the programme names no Modern.gov site: give its address in the programme's "
            "settings (Modern.gov address)",
        )
    if not asked.committees:
        raise _cannot(
            "bodies",
            "no committee of the programme has its Modern.gov number: give it in each "
            "committee's form (Modern.gov committee number)",
        )
    if asked.first is None or asked.last is None:
        raise _cannot("year", "the programme's year needs its first and last day to ask for")
    numbered = tuple((b, b.moderngov) for b in p.bodies if b.moderngov is not None)
    return _Question(asked.site, asked.committees, numbered, asked.first, asked.last)


def _cannot(location: str, message: str) -> Conflict:
    return Conflict(message, [Problem("programme", (0,), location, message)])


#: The programmes being checked, by database and id. In memory: a check is one request, and
#: a process that stops ends its checks with it.
_UNDER_WAY: set[tuple[str, str]] = set()
_TAKING = threading.Lock()


@contextlib.contextmanager
def _one_check(s: State, pid: str) -> Iterator[None]:
    key = (s.settings.database_url, pid)
    with _TAKING:
        if key in _UNDER_WAY:
            raise Conflict(
                "Modern.gov is being checked for this programme already: wait for that check "
                "to end, then check again"
            )
        if len(_UNDER_WAY) >= AT_ONCE:
            raise Busy(
                f"{AT_ONCE} checks of Modern.gov are under way for other programmes: try again "
                "in a minute"
            )
        _UNDER_WAY.add(key)
    try:
        yield
    finally:
        with _TAKING:
            _UNDER_WAY.discard(key)


def _found(s: State, q: _Question) -> list[Found]:
    site = q.site
    with Outbound(s.settings.moderngov_private, PER_CALL, WHOLE) as out:
        try:
            answers = _CommitteesOnce(Site(site, PER_CALL, opener=out.opener()))
            _listed(answers, site, q.numbered)
            found = fetch(answers, q.committees, q.first, q.last)
        except ModernGovError as err:
            raise _failed(site, err, out) from None
    if out.cut or out.late:  # an answer may have been cut short by its time
        raise _failed(site, NoAnswer(site, "an answer was cut short by its time"), out)
    return found


@dataclass
class _CommitteesOnce:
    """The site's answers, `GetCommittees` asked once (the numbers are checked first)."""

    answers: Answers
    said: tuple[bytes, str] | None = None

    def committees(self) -> tuple[bytes, str]:
        if self.said is None:
            self.said = self.answers.committees()
        return self.said

    def meetings(self, committee: int, first: dt.date, last: dt.date) -> tuple[bytes, str]:
        return self.answers.meetings(committee, first, last)

    def meeting(self, meeting: int) -> tuple[bytes, str] | None:
        return self.answers.meeting(meeting)


def _listed(answers: _CommitteesOnce, site: str, numbered: tuple[tuple[Body, int], ...]) -> None:
    """Every number is one of the site's committees: else the programme's mistake (409)."""
    there = {c.id for c in committees(*answers.committees())}
    missing = [f"{n} ({b.name})" for b, n in numbered if n not in there]
    if missing:
        raise _cannot(
            "bodies",
            f"Modern.gov at {site} has no committee numbered {' or '.join(missing)}: correct "
            "the number in the committee's form",
        )


def _failed(site: str, err: ModernGovError, out: Outbound) -> SiteFailed:
    """The words for a check that failed, and its status: words first, then the call."""
    if out.refused is not None:
        detail = f"The service does not ask Modern.gov at {site}: {out.refused}."
        return SiteFailed(409, detail, err.where, out.refused)
    if out.late or out.cut or isinstance(err, NoAnswer):
        within = (
            f"give every answer within {WHOLE:g}" if out.late else f"answer within {PER_CALL:g}"
        )
        detail = (
            f"Modern.gov at {site} did not {within} seconds. Nothing was changed: try again later."
        )
        return SiteFailed(504, detail, err.where, err.problem)
    detail = (
        f"Modern.gov at {site} did not answer as it should ({err.problem}). Nothing was "
        "changed: try again later, or ask the council's Modern.gov administrator."
    )
    return SiteFailed(502, detail, err.where, err.problem)
