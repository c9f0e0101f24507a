"""The clerk's web page sign-ins, kept server-side: open, find, close, and the clearing of dead
ones.

A session's id is a fresh 256-bit secret that only the clerk's cookie holds; the `sessions`
table keeps its SHA-256 digest (a copy of the database signs nobody in), when it was made and
last used, and when it expires: after `session_idle` unused or `session_lifetime` in all,
whichever comes first. Each row also keeps the digest of the clerk token it was made under:
when SCRUTINY_CLERK_TOKEN is rotated, every session made under the old one stops working at
once, in every worker process, without a write at start-up. A session opened by an account's
password keeps `account:<id>` instead (`holder`): it lives while the account may sign in, and
ends at once, in every worker, when the account is disabled (`api.accounts.may_sign_in`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, and_, delete, not_, or_, select, update
from sqlalchemy.orm import Session

from api.accounts import may_sign_in
from api.auth import digest, new_token, same
from api.settings import Settings
from api.storage import reading, writing
from api.tables import Account, ClerkSession

#: The last use is written at most this often: most page views then only read.
TOUCH_EVERY = dt.timedelta(minutes=1)
#: Dead sessions cleared by one request, so that no request pays for a backlog.
CLEAR_AT_MOST = 100
#: What a session opened by an account keeps in place of the clerk token's digest.
ACCOUNT = "account:"


def holder(account: int) -> str:
    """What a session opened by account `account` is kept under."""
    return f"{ACCOUNT}{account}"


def open_session(
    engine: Engine,
    *,
    clerk: str,
    settings: Settings,
    now: dt.datetime,
    account: int | None = None,
) -> str:
    """A new session for the clerk whose token has digest `clerk`, or for `account`; returns
    its id (for the cookie only: it is not kept)."""
    sid = new_token()
    with writing(engine) as session:
        clear_dead(session, clerk=clerk, now=now)
        session.add(
            ClerkSession(
                digest=digest(sid),
                clerk=clerk if account is None else holder(account),
                created=now,
                last_used=now,
                expires=expiry(now, now, settings),
            )
        )
    return sid


def find_session(
    engine: Engine, sid: str, *, clerk: str, settings: Settings, now: dt.datetime
) -> bool:
    """Whether `sid` is a live session made under the clerk's current token; its use is
    recorded, which puts off its idle expiry. A dead one is deleted here and now.

    The lookup is by digest, not a constant-time comparison: the digest of a guess tells an
    attacker nothing about the digests held.
    """
    key = digest(sid)
    with reading(engine) as session:
        row = session.get(ClerkSession, key)
    if row is None:
        return False
    if row.expires <= now or not _holds(engine, row.clerk, clerk):
        close_session(engine, sid)
        return False
    if now - row.last_used >= TOUCH_EVERY:
        with writing(engine) as session:
            session.execute(
                update(ClerkSession)
                .where(ClerkSession.digest == key)
                .values(last_used=now, expires=expiry(row.created, now, settings))
            )
            clear_dead(session, clerk=clerk, now=now)
    return True


def _holds(engine: Engine, kept: str, clerk: str) -> bool:
    """Whether a session kept under `kept` may still be used: made under the clerk's current
    token, or by an account that may still sign in."""
    if not kept.startswith(ACCOUNT):
        return same(kept, clerk)
    number = kept.removeprefix(ACCOUNT)
    if not number.isdigit():
        return False
    with reading(engine) as session:
        return may_sign_in(session.get(Account, int(number)))


def expiry(created: dt.datetime, last_used: dt.datetime, settings: Settings) -> dt.datetime:
    """When a session ends: idle too long, or open too long, whichever comes first."""
    return min(last_used + settings.session_idle, created + settings.session_lifetime)


def close_session(engine: Engine, sid: str) -> None:
    """Sign out: the session is deleted (its cookie then names nothing)."""
    with writing(engine) as session:
        session.execute(delete(ClerkSession).where(ClerkSession.digest == digest(sid)))


def clear_dead(session: Session, *, clerk: str, now: dt.datetime) -> None:
    """Delete up to CLEAR_AT_MOST sessions that can no longer be used: expired, or made under
    another clerk token. Called on the writes that sign-ins make anyway."""
    dead = (
        select(ClerkSession.digest)
        .where(
            or_(
                ClerkSession.expires <= now,
                and_(ClerkSession.clerk != clerk, not_(ClerkSession.clerk.startswith(ACCOUNT))),
            )
        )
        .limit(CLEAR_AT_MOST)
    )
    session.execute(
        delete(ClerkSession).where(ClerkSession.digest.in_(dead)),
        execution_options={"synchronize_session": False},
    )
