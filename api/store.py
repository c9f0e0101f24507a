"""Programmes, plan versions and feeds in the database: every operation one transaction.

The service's whole state lives here; the routes only translate HTTP. Validation, solving,
publishing and feeds are `scheduler`'s: nothing here knows a scheduling rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.audit import record
from api.auth import digest, new_token
from api.errors import Conflict, Invalid, NotFound, PreconditionRequired, Stale
from api.storage import changed, reading, writing
from api.tables import FeedRow, FeedToken, PlanRow, ProgrammeRow, ProgrammeVersion
from api.who import Who, give
from scheduler.errors import Problem, ProgrammeError
from scheduler.outputs.feeds import feeds
from scheduler.outputs.ical import REFRESH
from scheduler.outputs.publish import publish as record_published
from scheduler.plan.model import Plan
from scheduler.programme.differences import differences
from scheduler.programme.edits import Edit, Format, apply_edit
from scheduler.programme.load import read_programme
from scheduler.programme.model import Programme
from scheduler.programme.source import parse_source

#: The byte-order mark some editors begin a UTF-8 file with (Notepad): not kept.
BOM = "\ufeff"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def upload_name(fmt: str) -> str:
    """The name validation messages give an upload (the CLI gives the file's)."""
    return f"upload.{fmt}"


def validate(text: str, fmt: str, trusted: bool = False) -> Programme:
    """The programme in `text`, or ProgrammeError with every problem located. `trusted`: a
    stored version or an edit of one (read faster: `parse_source`)."""
    return _read(text, fmt, trusted).programme


@dataclass(frozen=True)
class _Read:
    """A version read: its programme, and its file's data (the forms show entries as written)."""

    programme: Programme
    data: dict[str, Any]


def _read(text: str, fmt: str, trusted: bool) -> _Read:
    programme, source = read_programme(text, upload_name(fmt), trusted)
    return _Read(programme, source.data if isinstance(source.data, dict) else {})


#: Stored versions read (a council's takes a second), most recently used last: by programme,
#: version and text (one process serves many databases in the tests). A council's programme is
#: a few MB, its file's data as much again: only the newest few keep their data.
_READ: OrderedDict[tuple[str, int, str], Programme | ProgrammeError] = OrderedDict()
_DATA: OrderedDict[tuple[str, int, str], dict[str, Any]] = OrderedDict()
_KEPT = {"programmes": 24, "data": 4}
_READING = threading.Lock()


def _stored(key: tuple[str, int, str], fmt: str) -> Programme | ProgrammeError:
    """A stored version read once: also when it fails (a check added since it was stored), so
    that no request, anybody's, costs a parse; a version just stored is known already."""
    with _READING:
        if key in _READ:
            _READ.move_to_end(key)
            return _READ[key]
    try:
        read = _read(key[2], fmt, trusted=True)
    except ProgrammeError as err:
        _remember(key, err)
        return err
    _remember(key, read)
    return read.programme


def _remember(key: tuple[str, int, str], read: _Read | ProgrammeError) -> None:
    with _READING:
        _READ[key] = read if isinstance(read, ProgrammeError) else read.programme
        if isinstance(read, _Read):
            _DATA[key] = read.data
        for kept, most in ((_READ, _KEPT["programmes"]), (_DATA, _KEPT["data"])):
            while len(kept) > most:
                kept.popitem(last=False)


def _parsed(programme: str, number: int, text: str, fmt: str) -> Programme | ProgrammeError:
    return _stored((programme, number, text), fmt)


def source_data(programme: str, number: int, text: str, fmt: str) -> dict[str, Any]:
    """A stored version's file as data (the forms show each entry as the file writes it); {}
    for a version that no longer passes the checks."""
    key = (programme, number, text)
    with _READING:
        if key in _DATA:
            _DATA.move_to_end(key)
            return _DATA[key]
    try:
        read = _read(text, fmt, trusted=True)
    except ProgrammeError:
        return {}
    _remember(key, read)
    return read.data


@lru_cache(maxsize=256)
def _plan(programme: str, number: int, body: str) -> Plan:
    return Plan.model_validate_json(body)


def programme_row(session: Session, pid: str) -> ProgrammeRow:
    row = session.get(ProgrammeRow, pid)
    if row is None:
        raise NotFound(f"no programme '{pid}'")
    return row


def programme_version(session: Session, pid: str, number: int | None = None) -> ProgrammeVersion:
    number = programme_row(session, pid).version if number is None else number
    row = session.get(ProgrammeVersion, (pid, number))
    if row is None:
        raise NotFound(f"programme '{pid}' has no version {number}")
    return row


def programme_at(session: Session, pid: str, number: int | None = None) -> Programme:
    """The validated programme of a stored version (parsed once, then cached: it never changes)."""
    row = programme_version(session, pid, number)
    parsed = _parsed(pid, row.number, row.source, row.format)
    if isinstance(parsed, ProgrammeError):
        # Its problems may quote what the public may not read (an exempt title): not sent.
        raise Conflict(
            f"version {row.number} of programme '{pid}' no longer passes the checks of this "
            "version of the service: the clerk must correct the file (Edit the file) and save it"
        )
    return parsed


def plan_row(session: Session, pid: str, number: int) -> PlanRow:
    row = session.get(PlanRow, (programme_row(session, pid).id, number))
    if row is None:
        raise NotFound(f"programme '{pid}' has no plan {number}")
    return row


def plan_rows(session: Session, pid: str) -> list[PlanRow]:
    """Every plan version of the programme, oldest first."""
    programme_row(session, pid)
    return list(
        session.scalars(select(PlanRow).where(PlanRow.programme == pid).order_by(PlanRow.number))
    )


def feed_tokens(session: Session, pid: str) -> list[FeedToken]:
    """Every feed address given out for the programme, revoked ones too, oldest first."""
    programme_row(session, pid)
    return list(
        session.scalars(select(FeedToken).where(FeedToken.programme == pid).order_by(FeedToken.id))
    )


def plan_of(row: PlanRow) -> Plan:
    return _plan(row.programme, row.number, row.body)


def published_row(session: Session, pid: str) -> PlanRow:
    row = programme_row(session, pid)
    if row.published is None:
        raise NotFound(f"programme '{pid}' has no published plan yet")
    return plan_row(session, pid, row.published)


def _claim(session: Session, pid: str, if_match: int | None) -> ProgrammeRow:
    """Compare-and-set the programme's revision: the edit was made against the current one."""
    if if_match is None:
        raise PreconditionRequired(
            "an edit must say which revision it was made against: send If-Match with the "
            "programme's ETag"
        )
    claimed = changed(
        session.execute(
            update(ProgrammeRow)
            .where(ProgrammeRow.id == pid, ProgrammeRow.revision == if_match)
            .values(revision=ProgrammeRow.revision + 1, updated=now())
        )
    )
    row = programme_row(session, pid)
    if not claimed:
        raise Stale(
            f"programme '{pid}' is at revision {row.revision}, not {if_match}: somebody else "
            "changed it; reload and make the edit again"
        )
    session.refresh(row)
    return row


def create_programme(engine: Engine, text: str, fmt: str, by: Who) -> ProgrammeRow:
    """A new programme from a file, given to `by` (a clerk edits the programmes they made)."""
    text = text.removeprefix(BOM)
    programme = validate(text, fmt)
    exists = Conflict(
        f"programme '{programme.id}' exists: edit it with PUT /programmes/{programme.id}/source"
    )
    try:
        return _insert_programme(engine, programme, text, fmt, exists, by)
    except IntegrityError:  # another upload of the same id committed first (PostgreSQL)
        raise exists from None


def _insert_programme(
    engine: Engine, programme: Programme, text: str, fmt: str, exists: Conflict, by: Who
) -> ProgrammeRow:
    at = now()
    with writing(engine) as session:
        if session.get(ProgrammeRow, programme.id) is not None:
            raise exists
        row = ProgrammeRow(
            id=programme.id,
            title=programme.title,
            revision=1,
            version=1,
            published=None,
            created=at,
            updated=at,
        )
        session.add(row)
        session.flush()
        session.add(
            ProgrammeVersion(programme=row.id, number=1, format=fmt, source=text, created=at)
        )
        give(session, by, row.id)
        record(
            session, by, "programme.created", "Programme made.", now=at, programme=row.id, version=1
        )
    return row


def replace_source(
    engine: Engine,
    pid: str,
    text: str,
    fmt: str,
    if_match: int | None,
    by: Who,
    trusted: bool = False,
) -> ProgrammeRow:
    """A new version of the programme from a whole file (`trusted`: an edit of a stored one)."""
    text = text.removeprefix(BOM)  # a mark of the editor it was saved by, not of the programme
    read = _read(text, fmt, trusted)
    programme = read.programme
    if programme.id != pid:
        problem = Problem(
            upload_name(fmt), (0,), "id", f"'{programme.id}' is not this programme's id '{pid}'"
        )
        raise ProgrammeError([_located(text, fmt, problem)])
    said = _said(engine, pid, programme)
    with writing(engine) as session:
        row = _claim(session, pid, if_match)
        row.version += 1
        row.title = programme.title
        at = now()
        changes = said[1] if said and row.version == said[0] + 1 else None
        session.add(
            ProgrammeVersion(
                programme=pid,
                number=row.version,
                format=fmt,
                source=text,
                created=at,
                changes=changes,
            )
        )
        record(
            session,
            by,
            "programme.version",
            _version_words(changes),
            now=at,
            programme=pid,
            version=row.version,
        )
    _remember((pid, row.version, text), read)  # the page after the edit needs no parse
    return row


def _version_words(changes: str | None) -> str:
    """What a new version did, for the audit trail: its first change, and how many more."""
    said: list[str] = json.loads(changes) if changes else []
    if not said:
        return "Programme file changed."
    more = len(said) - 1
    also = f" (and {more} more change{'s' if more > 1 else ''})" if more else ""
    return f"{said[0].rstrip('.')}{also}."


def _said(engine: Engine, pid: str, new: Programme) -> tuple[int, str] | None:
    """What `new` changes from the newest stored version, in words (a JSON list), with that
    version's number: kept with the new version, so that the page lists a programme's changes
    without reading every version again. None when the newest no longer passes the checks."""
    with reading(engine) as session:
        stored = programme_version(session, pid)
        old = _parsed(pid, stored.number, stored.source, stored.format)
    if isinstance(old, ProgrammeError):
        return None
    return stored.number, json.dumps([d.text for d in differences(old, new)], ensure_ascii=False)


def edit_programme(
    engine: Engine, pid: str, change: Edit | tuple[Edit, ...], if_match: int | None, by: Who
) -> ProgrammeRow:
    """One structured edit (pin, move a meeting, ...) of the newest version: a new version whose
    file differs only in the edited entry. If-Match covers the whole read-edit-write: anybody
    else's edit in between makes the revision old (412)."""
    with reading(engine) as session:
        stored = programme_version(session, pid)
        text = stored.source
        fmt: Format = "json" if stored.format == "json" else "yaml"
    edited = apply_edit(text, fmt, change)
    return replace_source(engine, pid, edited, fmt, if_match, by, trusted=True)


def _located(text: str, fmt: str, problem: Problem) -> Problem:
    """The problem at the line of `id` in the upload, where the file says it."""
    source = parse_source(text, upload_name(fmt))
    return problem if isinstance(source, Problem) else source.problem(("id",), problem.message)


def add_plan(
    session: Session,
    pid: str,
    plan: Plan,
    *,
    programme_version: int,
    kind: str,
    based_on: int | None,
    stopped: bool = False,
) -> PlanRow:
    """Store a new immutable plan version, numbered after the last.

    The programme's row is locked first (a no-op on SQLite, whose writers queue anyway), so two
    plans finishing at once (a job and a publication) never take the same number.
    """
    session.execute(select(ProgrammeRow.id).where(ProgrammeRow.id == pid).with_for_update())
    last = session.scalar(select(func.max(PlanRow.number)).where(PlanRow.programme == pid))
    row = PlanRow(
        programme=pid,
        number=(last or 0) + 1,
        programme_version=programme_version,
        kind=kind,
        based_on=based_on,
        status=plan.status.value,
        complete=plan.complete if plan.status.found else None,
        objective=plan.objective,
        bound=plan.bound,
        published=plan.published,
        body=plan.to_json(),
        created=now(),
        stopped=stopped,
    )
    session.add(row)
    session.flush()
    return row


def publish(
    engine: Engine,
    pid: str,
    number: int,
    if_match: int | None,
    *,
    by: Who,
    refresh: dt.timedelta = REFRESH,
    site: str | None = None,
) -> tuple[PlanRow, int]:
    """Publish plan `number`: a new version recording it as published, with all its feeds
    (read again every `refresh`; each meeting linked to its page on `site`, the service's
    public address, unless Modern.gov has one). Returns it with the programme's revision
    after this edit (the caller's next If-Match)."""
    with writing(engine) as session:
        row = _claim(session, pid, if_match)
        candidate = plan_row(session, pid, number)
        plan = plan_of(candidate)
        if not plan.status.found:
            raise Conflict(f"plan {number} is {plan.status.value}: there is nothing to publish")
        if (
            candidate.kind == "replan"
            and row.published is not None
            and candidate.based_on != row.published
        ):
            raise Conflict(
                f"plan {number} was re-planned against plan {candidate.based_on}, but plan "
                f"{row.published} has been published since: re-plan again"
            )
        if candidate.programme_version != row.version:
            raise Conflict(
                f"plan {number} was made from programme version {candidate.programme_version}; "
                f"the programme is now at version {row.version}: re-plan first"
            )
        programme = programme_at(session, pid, row.version)
        previous = plan_of(plan_row(session, pid, row.published)) if row.published else None
        made = record_published(
            programme, plan, at=now(), previous=previous, source=f"plan {number}"
        )
        published = add_plan(
            session,
            pid,
            made,
            programme_version=row.version,
            kind="publish",
            based_on=number,
        )
        page = f"{site}/public/{pid}" if site else None  # api.web.pages.public
        for path, data in feeds(programme, made, refresh=refresh, public_page=page).items():
            session.add(
                FeedRow(programme=pid, plan=published.number, path=path, etag=etag(data), body=data)
            )
        row.published = published.number
        revision = row.revision
        record(
            session,
            by,
            "plan.published",
            f"Plan {number} published (kept as plan {published.number}, with its feeds).",
            now=published.created,
            programme=pid,
            version=row.version,
            plan=published.number,
            details={"plan": number},
        )
    return published, revision


def make_feed_token(
    engine: Engine, pid: str, subject: str, label: str, by: Who
) -> tuple[FeedToken, str]:
    """A new secret feed address for a person (their id) or the clerk ("clerk"): its row, and
    the token itself, which is never stored (only its hash)."""
    token = new_token()
    with writing(engine) as session:
        programme = programme_at(session, pid)
        if subject != "clerk" and subject not in programme.people_by_id:
            message = f"'{subject}' is not in people (nor 'clerk')"
            raise Invalid(message, [Problem("request", (0,), "subject", message)])
        row = FeedToken(
            programme=pid, subject=subject, digest=digest(token), label=label, created=now()
        )
        session.add(row)
        session.flush()
        record(
            session,
            by,
            "feed.given",
            f"Private calendar address given for {_whose(programme, subject, label)}.",
            now=row.created,
            programme=pid,
            details={"token": row.id, "subject": subject},
        )
    return row, token


def _whose(programme: Programme, subject: str, label: str) -> str:
    """Whose a private feed is, in words: the person's name (or the clerk's), and its label."""
    person = programme.people_by_id.get(subject)
    if person is not None:
        whose = person.name
    else:
        whose = "the clerk" if subject == "clerk" else "a person no longer in the programme"
    return f"{whose} ({label})" if label else whose


def private_url(base: str, pid: str, token: str) -> str:
    """Where a private feed is read: `base` is the service's public address."""
    return f"{base}/programmes/{pid}/feeds/private/{token}.ics"


def public_url(base: str, pid: str, body: str) -> str:
    """Where a body's public feed is read."""
    return f"{base}/programmes/{pid}/feeds/public/{body}.ics"


def revoke_feed_token(engine: Engine, pid: str, number: int, by: Who) -> None:
    """From now on the address is not found. Revoking twice is harmless (and recorded once)."""
    with writing(engine) as session:
        held = session.get(FeedToken, number)
        if held is not None and held.programme == pid and held.revoked is None:
            whose = _whose(programme_at(session, pid), held.subject, held.label)
            record(
                session,
                by,
                "feed.revoked",
                f"Private calendar address for {whose} revoked.",
                now=now(),
                programme=pid,
                details={"token": number, "subject": held.subject},
            )
        done = changed(
            session.execute(
                update(FeedToken)
                .where(FeedToken.programme == pid, FeedToken.id == number)
                .values(revoked=case((FeedToken.revoked.is_(None), now()), else_=FeedToken.revoked))
            )
        )
        if not done:
            raise NotFound(f"programme '{pid}' has no feed token {number}")


def etag(data: bytes) -> str:
    """A strong validator of exact bytes."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
