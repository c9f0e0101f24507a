"""The web page's sign-ins, kept server-side: open, find, close, and the clearing of dead ones.

A session's id is a fresh 256-bit secret that only the person's cookie holds; the `sessions`
table keeps its SHA-256 digest (a copy of the database signs nobody in), when it was made and
last used, and when it expires: after `session_idle` unused or `session_lifetime` in all,
whichever comes first. Each row keeps the account it was opened for, as `account:<id>`, and
for a session opened with an API token `account:<id>:token:<number>` (`holder`): it lives while
the account may sign in (and the token is not revoked), and ends at once, in every worker, when
the account is disabled (`api.accounts.may_sign_in`) or the token revoked. A row kept under
anything else (the shared clerk token's digest, before issue 25) signs nobody in and is
cleared.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, not_, or_, select, update
from sqlalchemy.orm import Session

from api.accounts import may_sign_in
from api.api_tokens import token_live
from api.auth import digest, new_token
from api.settings import Settings
from api.storage import reading, writing
from api.tables import Account, ClerkSession
from api.who import Who

#: The last use is written at most this often: most page views then only read.
TOUCH_EVERY = dt.timedelta(minutes=1)
#: Dead sessions cleared by one request, so that no request pays for a backlog.
CLEAR_AT_MOST = 100
#: What a session keeps before its account's number.
ACCOUNT = "account:"


#: What a session opened with an API token keeps after the account's number.
TOKEN = ":token:"


def holder(account: int, token: int | None = None) -> str:
    """What a session opened by account `account` (with its API token `token`) is kept under."""
    return f"{ACCOUNT}{account}" + ("" if token is None else f"{TOKEN}{token}")


def open_session(
    engine: Engine,
    *,
    account: int,
    settings: Settings,
    now: dt.datetime,
    token: int | None = None,
) -> str:
    """A new session for `account` (signed in with its API token `token`, if given); returns
    its id (for the cookie only: it is not kept)."""
    sid = new_token()
    with writing(engine) as session:
        clear_dead(session, now=now)
        session.add(
            ClerkSession(
                digest=digest(sid),
                clerk=holder(account, token),
                created=now,
                last_used=now,
                expires=expiry(now, now, settings),
            )
        )
    return sid


def find_session(engine: Engine, sid: str, *, settings: Settings, now: dt.datetime) -> Who | None:
    """Whom `sid` signs in, if it is a live session of an account that may still sign in; its
    use is recorded, which puts off its idle expiry. A dead one is deleted here and now.

    The lookup is by digest, not a constant-time comparison: the digest of a guess tells an
    attacker nothing about the digests held.
    """
    key = digest(sid)
    with reading(engine) as session:
        row = session.get(ClerkSession, key)
        who = None if row is None else _holder(session, row.clerk)
    if row is None:
        return None
    if row.expires <= now or who is None:
        close_session(engine, sid)
        return None
    if now - row.last_used >= TOUCH_EVERY:
        with writing(engine) as session:
            session.execute(
                update(ClerkSession)
                .where(ClerkSession.digest == key)
                .values(last_used=now, expires=expiry(row.created, now, settings))
            )
            clear_dead(session, now=now)
    return who


def _holder(session: Session, kept: str) -> Who | None:
    """The account a session kept under `kept` signs in, if it may still sign in (and the
    token it was opened with is not revoked)."""
    number, _, token = kept.removeprefix(ACCOUNT).partition(TOKEN)
    if not kept.startswith(ACCOUNT) or not number.isdigit() or not (token.isdigit() or not token):
        return None
    account = session.get(Account, int(number))
    if account is None or not may_sign_in(account):
        return None
    if token and not token_live(session, account.id, int(token)):
        return None
    return Who.of(account, int(token) if token else None)


def end_sessions(session: Session, account: int, keep: str | None = None) -> None:
    """End the account's sessions, those opened with its tokens too, all but session id `keep`,
    in the caller's transaction."""
    ending = delete(ClerkSession).where(
        or_(
            ClerkSession.clerk == holder(account),
            ClerkSession.clerk.startswith(holder(account) + TOKEN, autoescape=True),
        )
    )
    if keep is not None:
        ending = ending.where(ClerkSession.digest != digest(keep))
    session.execute(ending)


def expiry(created: dt.datetime, last_used: dt.datetime, settings: Settings) -> dt.datetime:
    """When a session ends: idle too long, or open too long, whichever comes first."""
    return min(last_used + settings.session_idle, created + settings.session_lifetime)


def close_session(engine: Engine, sid: str) -> None:
    """Sign out: the session is deleted (its cookie then names nothing)."""
    with writing(engine) as session:
        session.execute(delete(ClerkSession).where(ClerkSession.digest == digest(sid)))


def clear_dead(session: Session, *, now: dt.datetime) -> None:
    """Delete up to CLEAR_AT_MOST sessions that can no longer be used: expired, or kept under
    no account. Called on the writes that sign-ins make anyway."""
    dead = (
        select(ClerkSession.digest)
        .where(or_(ClerkSession.expires <= now, not_(ClerkSession.clerk.startswith(ACCOUNT))))
        .limit(CLEAR_AT_MOST)
    )
    session.execute(
        delete(ClerkSession).where(ClerkSession.digest.in_(dead)),
        execution_options={"synchronize_session": False},
    )
