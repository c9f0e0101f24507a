"""The edits the plan shown does not reflect yet ("re-plan pending"): listed version by version
with the newest undoable, and marked in the grid at once (a moved meeting's new day, a
cancelled one struck through, a new pin badged, a new meeting listed)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Conflict
from api.storage import reading
from api.store import programme_at, programme_row, programme_version, replace_source
from api.tables import AuditEvent, ProgrammeVersion
from api.web import entry_forms as ef
from api.web.form_values import revision_of
from api.web.session import ClerkForm
from scheduler.programme.differences import Difference, differences
from scheduler.programme.model import Programme

router = APIRouter(include_in_schema=False)
#: Versions listed at most; older unplanned edits are counted, not listed.
LISTED = 20
#: The audit trail's actions that make a programme version.
VERSION_MADE = ("programme.created", "programme.version")


@dataclass(frozen=True)
class Version:
    """One programme version the plan does not reflect: its number, when it was made, by whom
    (the audit trail's name; None for a version made before issue 25) and what it changed, in
    words."""

    number: int
    made: dt.datetime
    said: tuple[str, ...]
    by: str | None = None


@dataclass
class Pending:
    """What the page lists (version by version) and the grid marks (what differs from the
    plan's version now): by meeting, its changes; by item, its pin's."""

    versions: list[Version] = field(default_factory=list)
    earlier: int = 0  # versions not listed
    meetings: dict[str, list[Difference]] = field(default_factory=dict)
    pins: dict[str, str] = field(default_factory=dict)  # item -> "pinned to ..." / "unpinned"
    added: dict[str, list[Difference]] = field(default_factory=dict)  # new meetings by body

    def day(self, meeting: str) -> str | None:
        """A moved meeting's new day (YYYY-MM-DD), for its move form."""
        moved = [d.day for d in self.meetings.get(meeting, []) if d.kind == "moved" and d.day]
        return moved[-1] if moved else None

    def cancelled(self, meeting: str) -> bool:
        kinds = [d.kind for d in self.meetings.get(meeting, []) if d.kind in CANCELS]
        return bool(kinds) and kinds[-1] in ("cancelled", "removed")


CANCELS = ("cancelled", "restored", "removed", "added")


def pending(session: Session, pid: str, since: int) -> Pending:
    """The versions after `since` (the plan's programme version) to the newest."""
    newest = programme_row(session, pid).version
    out = Pending(earlier=max(0, newest - since - LISTED))
    first = max(since, newest - LISTED)
    makers = _makers(session, pid, first + 1, newest)
    for number in range(newest, first, -1):  # newest first
        row = programme_version(session, pid, number)
        said = _said(session, pid, row)
        out.versions.append(Version(number, row.created, said, makers.get(number)))
    # The grid marks what differs from the plan's version now: an edit undone marks nothing.
    now = programme_at(session, pid, newest)
    for d in _between(programme_at(session, pid, since), now):
        _mark(out, now, d)
    return out


def _makers(session: Session, pid: str, first: int, last: int) -> dict[int, str]:
    """Who made each of the programme's versions `first` to `last`, by the audit trail."""
    rows = session.execute(
        select(AuditEvent.version, AuditEvent.who).where(
            AuditEvent.programme == pid,
            AuditEvent.action.in_(VERSION_MADE),
            AuditEvent.version.between(first, last),
        )
    )
    return {version: who for version, who in rows if version is not None}


def _said(session: Session, pid: str, row: ProgrammeVersion) -> tuple[str, ...]:
    """What a version changed, as kept when it was stored; for one stored before that was kept,
    worked out from it and the version before."""
    if row.changes is not None:
        return tuple(json.loads(row.changes))
    before = programme_at(session, pid, row.number - 1)
    return tuple(d.text for d in _between(before, programme_at(session, pid, row.number)))


#: Differences found, by the two versions' programmes (kept: their ids are not reused).
_FOUND: OrderedDict[tuple[int, int], tuple[Programme, Programme, tuple[Difference, ...]]] = (
    OrderedDict()
)
_FOUND_KEPT = 64
_FINDING = threading.Lock()


def _between(old: Programme, new: Programme) -> tuple[Difference, ...]:
    """`differences`, found once for two stored versions (every page view lists them)."""
    key = (id(old), id(new))
    with _FINDING:
        if key in _FOUND:
            _FOUND.move_to_end(key)
            return _FOUND[key][2]
    found = tuple(differences(old, new))
    with _FINDING:
        _FOUND[key] = (old, new, found)
        while len(_FOUND) > _FOUND_KEPT:
            _FOUND.popitem(last=False)
    return found


def _mark(out: Pending, programme: Programme, d: Difference) -> None:
    if d.kind in ("pinned", "unpinned") and d.item:
        out.pins[d.item] = d.mark
    elif d.meeting is not None:
        out.meetings.setdefault(d.meeting, []).append(d)
        if d.kind == "added":
            held = programme.meetings_by_id.get(d.meeting)
            if held is not None:
                out.added.setdefault(held[0].id, []).append(d)


@router.post("/web/programmes/{pid}/undo")
def undo(request: Request, pid: str, posted: ClerkForm) -> Response:
    """The newest edit undone: the programme as the version before it, as a new version (the
    history keeps both). Refused if somebody changed the programme since the page was made."""
    number = revision_of(posted.form)
    with reading(posted.s.engine) as session:
        row = programme_row(session, pid)
        if row.version < 2:
            raise Conflict("there is no earlier version to go back to")
        before = programme_version(session, pid, row.version - 1)
        text, fmt = before.source, before.format
    replace_source(posted.s.engine, pid, text, fmt, number, posted.s.by)
    return ef.done(f"/web/programmes/{pid}", "undone")
