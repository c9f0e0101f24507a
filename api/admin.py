"""The service's first admin, made from the command line (`scrutiny admin create`): before
anybody can sign in, somebody must be able to. No secret is printed: the admin's password is
typed (or piped) in, and only its Argon2id hash is stored (`api.accounts`)."""

from __future__ import annotations

import datetime as dt

from api.accounts import Role, create_account
from api.settings import Settings
from api.storage import make_engine, migrate


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
