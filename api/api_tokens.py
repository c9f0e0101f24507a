"""API tokens: each account's bearer tokens for scripts, named, listed, revocable (issue 25).

A token is 256 random bits, shown once when it is made; only its SHA-256 digest is kept, so a
copy of the database acts for nobody. A token acts with its account's role as it is now: a
disabled account's tokens stop at once, and a changed role changes what they may do.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from api.audit import record
from api.auth import digest, new_token
from api.storage import reading, writing
from api.tables import Account, ApiToken
from api.who import Who

#: The last use is written at most this often, so that a busy script's requests only read.
TOUCH_EVERY = dt.timedelta(minutes=5)
#: Tokens an account may hold unrevoked: enough for every script, not a table to fill.
MOST = 50
LONGEST_NAME = 100


class TokenError(ValueError):
    """A token that cannot be made or revoked as asked: the reason, in words."""


def make_token(engine: Engine, who: Who, account: int, name: str, now: dt.datetime) -> str:
    """A new token of `account`, named `name`, made by `who`, who must be its holder: nobody,
    an admin neither, makes a token to act as somebody else (the trail would name them);
    returns the token (shown once).

    Raises:
        TokenError: not the holder's own account, the name is empty or too long, or the account
            holds MOST tokens already.
    """
    if who.account != account:
        raise TokenError("an API token is made by its own account's holder, on Your account")
    name = " ".join(name.split())
    if not name or len(name) > LONGEST_NAME or not name.isprintable():
        raise TokenError(f"give the token a name of 1 to {LONGEST_NAME} printable characters")
    token = new_token()
    with writing(engine) as session:
        owner = session.get(Account, account)
        if owner is None:
            raise TokenError("there is no such account")
        held = session.scalars(
            select(ApiToken.id).where(ApiToken.account == account, ApiToken.revoked.is_(None))
        ).all()
        if len(held) >= MOST:
            raise TokenError(f"an account holds at most {MOST} tokens: revoke one first")
        session.add(ApiToken(account=account, name=name, digest=digest(token), created=now))
        record(
            session,
            who,
            "token.made",
            f"API token “{name}” made for {owner.name}.",
            now=now,
            details={"account": account},
        )
    return token


def tokens_of(engine: Engine, account: int) -> list[ApiToken]:
    """The account's tokens, newest first, revoked ones too."""
    with reading(engine) as session:
        query = select(ApiToken).where(ApiToken.account == account)
        return list(session.scalars(query.order_by(ApiToken.id.desc())))


def revoke_token(engine: Engine, who: Who, account: int, number: int, now: dt.datetime) -> bool:
    """Revoke token `number` of `account`; False if it has no such token. Revoking twice is
    the same as once."""
    with writing(engine) as session:
        found = session.get(ApiToken, number)
        if found is None or found.account != account:
            return False
        if found.revoked is None:
            found.revoked = now
            owner = session.get(Account, account)
            record(
                session,
                who,
                "token.revoked",
                f"API token “{found.name}” of {owner.name if owner else 'an account'} revoked.",
                now=now,
                details={"account": account, "token": number},
            )
    return True


def token_holder(engine: Engine, token: str, now: dt.datetime) -> Who | None:
    """Whom the bearer `token` acts for: its account, if the token is not revoked and the
    account not disabled; else None. The lookup is by digest: a guess's digest tells nothing."""
    key = digest(token)
    with reading(engine) as session:
        found = _holder(session, key)
    if found is None:
        return None
    used, who = found
    if used is None or now - used >= TOUCH_EVERY:
        with writing(engine) as session:
            session.execute(update(ApiToken).where(ApiToken.digest == key).values(last_used=now))
    return who


def _holder(session: Session, key: str) -> tuple[dt.datetime | None, Who] | None:
    row = session.execute(
        select(ApiToken.last_used, ApiToken.id, Account)
        .join(Account, Account.id == ApiToken.account)
        .where(ApiToken.digest == key, ApiToken.revoked.is_(None), Account.disabled.is_(False))
    ).first()
    if row is None:
        return None
    return row[0], Who.of(row[2], token=row[1])


def token_live(session: Session, account: int, number: int) -> bool:
    """Whether token `number` of `account` still works (a page signed in with it ends with it)."""
    found = session.get(ApiToken, number)
    return found is not None and found.account == account and found.revoked is None
