"""People who sign in, each with a role, and their passwords (issue 25, DESIGN §10).

A role says what an account may do: `admin` (accounts and settings, and all a clerk does),
`clerk` (edit, solve and publish the programmes given to them), `reader` (see drafts and
plans, suggest; nothing changes). Single sign-on finds an account by its e-mail address, kept
lower-case and unique.

A password is kept only as an Argon2id hash (argon2-cffi, its default parameters of RFC 9106),
rehashed at sign-in when those parameters change. Wrong passwords are counted: after
`ATTEMPTS` in a row the account is locked for `LOCK`, and while it is locked no password is
tried at all. Whether the address is unknown, the account disabled or locked, or the password
wrong, the answer is the same None, after the same work (a hash is always verified): a caller
learns nothing of which accounts exist.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, func, select

from api.storage import writing
from api.tables import Account
from scheduler.programme.fields import Email

Role = Literal["admin", "clerk", "reader"]
ROLES: tuple[Role, ...] = get_args(Role)
#: A password's length: long enough to resist guessing, short enough to hash cheaply.
SHORTEST, LONGEST = 12, 1024
#: Wrong passwords in a row before the account is locked, and for how long.
ATTEMPTS = 5
LOCK = dt.timedelta(minutes=15)

_HASHER = PasswordHasher()
_EMAIL = TypeAdapter(Email)


class AccountError(ValueError):
    """An account that cannot be made as asked: the reason, in words."""


def create_account(
    engine: Engine,
    email: str,
    name: str,
    role: Role,
    password: str | None,
    now: dt.datetime,
) -> Account:
    """A new account; `password` None for one that signs in only by single sign-on.

    Raises:
        AccountError: the address, name, role or password cannot be used, or the address has
            an account already.
    """
    address = normal_email(email)
    if not name.strip() or not name.isprintable():
        raise AccountError("give the person's name, in printable characters")
    if role not in ROLES:
        raise AccountError(f"the role is one of {', '.join(ROLES)}, not {role!r}")
    hashed = None if password is None else _HASHER.hash(usable(password))
    with writing(engine) as session:
        taken = session.scalar(select(func.count()).where(Account.email == address))
        if taken:
            raise AccountError(f"there is already an account for {address}")
        account = Account(
            email=address,
            name=name.strip(),
            role=role,
            password=hashed,
            disabled=False,
            failures=0,
            created=now,
        )
        session.add(account)
    return account


def check_password(engine: Engine, email: str, password: str, now: dt.datetime) -> Account | None:
    """The account whose address and password these are, if it may sign in now; else None
    (see the module: the same answer and work whatever is wrong)."""
    try:
        address = normal_email(email)
    except AccountError:
        address = ""
    if len(password) > LONGEST:  # no password is this long: not worth hashing
        _verify(_unused(), "")
        return None
    given = password
    with writing(engine) as session:
        account = session.scalar(select(Account).where(Account.email == address))
        if (
            account is None
            or account.password is None
            or account.disabled
            or (account.locked_until is not None and now < account.locked_until)
        ):
            _verify(_unused(), given)
            return None
        if not _verify(account.password, given):
            account.failures += 1
            if account.failures >= ATTEMPTS:
                account.failures, account.locked_until = 0, now + LOCK
            return None
        account.failures, account.locked_until = 0, None
        if _HASHER.check_needs_rehash(account.password):
            account.password = _HASHER.hash(given)
        return account


def may_sign_in(account: Account | None) -> bool:
    """Whether the account may be signed in now: it exists and is not disabled (what it may
    do then is its role's: `api.who`)."""
    return account is not None and not account.disabled


def normal_email(text: str) -> str:
    """An e-mail address as accounts keep it: checked, lower-case."""
    try:
        return _EMAIL.validate_python(text.strip()).lower()
    except ValidationError:
        raise AccountError(
            f"{text!r} is not an e-mail address such as name@council.gov.uk"
        ) from None


def usable(password: str) -> str:
    """The password, if it may be one."""
    if not SHORTEST <= len(password) <= LONGEST:
        raise AccountError(
            f"a password has {SHORTEST} to {LONGEST} characters: a few words make a good one"
        )
    if len(set(password)) < 4:
        raise AccountError("a password of one or two characters repeated is guessed at once")
    return password


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _unused() -> str:
    """A hash no password matches the account of: verified when there is no account to try,
    so that an unknown address takes as long as a wrong password."""
    return _HASHER.hash("no account has this password: " + "x" * 16)
