"""The service's first admin, made from the command line (`scrutiny admin create`): before
anybody can sign in, somebody must be able to. No secret is printed: the admin's password is
typed (or piped) in, and only its Argon2id hash is stored (`api.accounts`).

Also the way from the shared clerk token of before issue 25: migration 0006 turned a stored
one into an API token of the admin account FORMER_CLERK_EMAIL; a token still set in
SCRUTINY_CLERK_TOKEN is adopted the same way at start (`adopt_shared_token`), so that an
existing deployment's scripts and sign-ins go on working until its admin replaces them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from api.accounts import Role, create_account
from api.audit import record
from api.auth import digest
from api.settings import Settings
from api.storage import make_engine, migrate, writing
from api.tables import Account, ApiToken

#: The account the shared clerk token became (as in migration 0006, which keeps its own copy).
FORMER_CLERK_EMAIL = "clerk@former-shared-token.invalid"
FORMER_CLERK_NAME = "The clerk (shared token)"
ADOPTED_TOKEN_NAME = "the shared clerk token (SCRUTINY_CLERK_TOKEN)"
#: The names of the tokens that were the shared clerk token (migration 0006's, and adopted).
SHARED_TOKEN_NAMES = ("the shared clerk token", ADOPTED_TOKEN_NAME)


def create_admin(
    settings: Settings, email: str, name: str, password: str | None, role: Role = "admin"
) -> str:
    """Make the account in the service's database (brought to the newest schema first); the
    words that say so.

    Raises:
        AccountError: the account cannot be made as asked.
    """
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        account = create_account(engine, email, name, role, password, dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    how = "a password" if password is not None else "single sign-on only"
    return f"{account.name} <{account.email}> can now sign in as {account.role}, with {how}."


def adopt_shared_token(engine: Engine, token: str, now: dt.datetime) -> bool:
    """Make the shared clerk token `token` an API token of the former clerk's admin account
    (made if need be), unless some account holds it already; whether it was adopted now.

    As before accounts, the token in SCRUTINY_CLERK_TOKEN is the one shared token: one stored
    before (which it overrode) or set before (it was rotated since) is revoked."""
    key = digest(token)
    with writing(engine) as session:
        if session.scalar(select(ApiToken.id).where(ApiToken.digest == key)) is not None:
            return False
        account = session.scalar(select(Account).where(Account.email == FORMER_CLERK_EMAIL))
        if account is None:
            account = Account(
                email=FORMER_CLERK_EMAIL,
                name=FORMER_CLERK_NAME,
                role="admin",
                password=None,
                disabled=False,
                failures=0,
                created=now,
            )
            session.add(account)
            session.flush()
        for old in session.scalars(
            select(ApiToken).where(
                ApiToken.account == account.id,
                ApiToken.name.in_(SHARED_TOKEN_NAMES),
                ApiToken.revoked.is_(None),
            )
        ):
            old.revoked = now
            record(
                session,
                None,
                "token.revoked",
                f"API token “{old.name}” of {account.name} revoked: SCRUTINY_CLERK_TOKEN is"
                " another.",
                now=now,
                details={"account": account.id, "token": old.id},
            )
        session.add(ApiToken(account=account.id, name=ADOPTED_TOKEN_NAME, digest=key, created=now))
        record(
            session,
            None,
            "token.made",
            f"SCRUTINY_CLERK_TOKEN became an API token of {account.name}.",
            now=now,
            details={"account": account.id},
        )
    return True
