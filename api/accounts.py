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

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.audit import record
from api.storage import writing
from api.tables import Account
from api.who import ROLE_WORDS, ROLES, Role, Who
from scheduler.programme.fields import Email

__all__ = ["ROLES", "Role"]  # what an account's role may be is `api.who`'s; named here too
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
    *,
    by: Who | None = None,
    said: str | None = None,
) -> Account:
    """A new account; `password` None for one that signs in only by single sign-on. Recorded
    in the audit trail in the same transaction, as made by `by` (None: the service, for
    `scrutiny admin create` and a first single sign-on), in the words `said` (by default: for
    whom, with which role, signing in how).

    Raises:
        AccountError: the address, name, role or password cannot be used, or the address has
            an account already.
    """
    account = _new_account(email, name, role, password, now)
    how = "single sign-on only" if password is None else "a password"
    try:
        with writing(engine) as session:
            _add_account(session, account)
            record(
                session,
                by,
                "account.created",
                said
                or f"Account made for {account.name} ({account.email}) as {ROLE_WORDS[role]},"
                f" signing in with {how}.",
                now=now,
                details={"account": account.id, "role": role},
            )
    except IntegrityError:  # made at the same moment by another request (PostgreSQL)
        raise AccountError(f"there is already an account for {account.email}") from None
    return account


def _new_account(
    email: str, name: str, role: Role, password: str | None, now: dt.datetime
) -> Account:
    """An account checked and its password hashed, not stored yet (`_add_account` stores it).

    Raises:
        AccountError: the address, name, role or password cannot be used.
    """
    address, name = normal_email(email), person_name(name)
    if role not in ROLES:
        raise AccountError(f"the role is one of {', '.join(ROLES)}, not {role!r}")
    return Account(
        email=address,
        name=name,
        role=role,
        password=None if password is None else password_hash(password),
        disabled=False,
        failures=0,
        created=now,
    )


def _add_account(session: Session, account: Account) -> None:
    """Store `account` (from `_new_account`) in the caller's transaction, flushed so that it has
    its number.

    Raises:
        AccountError: the address has an account already.
    """
    taken = session.scalar(select(func.count()).where(Account.email == account.email))
    if taken:
        raise AccountError(f"there is already an account for {account.email}")
    session.add(account)
    session.flush()


def password_hash(password: str) -> str:
    """The Argon2id hash an account keeps of `password`, if it may be one. Hashing takes a
    while: do it before the transaction that stores it.

    Raises:
        AccountError: the password cannot be one (`usable`).
    """
    return _HASHER.hash(usable(password))


def set_password(account: Account, hashed: str) -> None:
    """Give the account the password of `hashed` (`password_hash`); a lock from wrong passwords
    is lifted with it."""
    account.password = hashed
    account.failures, account.locked_until = 0, None


def person_name(name: str) -> str:
    """A person's name as accounts keep it: printable, without spaces around it.

    Raises:
        AccountError: the name is empty or not printable.
    """
    if not name.strip() or not name.isprintable():
        raise AccountError("give the person's name, in printable characters")
    return name.strip()


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


def warm() -> None:
    """Make the hash no password matches now, at start: made at the first sign-in without an
    account instead, it would make that one twice as slow and tell an unknown address apart."""
    _unused()


@cache
def _unused() -> str:
    """A hash no password matches the account of: verified when there is no account to try,
    so that an unknown address takes as long as a wrong password."""
    return _HASHER.hash("no account has this password: " + "x" * 16)
