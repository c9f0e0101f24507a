"""What an admin does to accounts (issue 25, DESIGN §10): makes them, renames them, changes
their roles, disables and enables them, sets their passwords; allows e-mail domains single
sign-on; gives programmes to clerks and takes them back. And the one change anybody makes to
their own account: their password.

Each change is one transaction together with its audit event, in the words a clerk reads on the
history pages ("Role of Philippa Gibbs changed from reader to clerk."). A programme given or
taken is recorded in that programme's trail; the rest in the service's.

The service always keeps an admin who can sign in: a change that would leave none is refused
(`LastAdmin`). The enabled admins' rows are locked first, in one order, so that two admins who
demote each other at the same moment cannot both succeed (SQLite takes its write lock at BEGIN
anyway). Disabling an account, or setting its password, ends its sessions on the web page;
its API tokens stop while it is disabled (`api.api_tokens`) and work again if it is enabled.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.accounts import (
    ROLES,
    AccountError,
    Role,
    check_password,
    create_account,
    password_hash,
    person_name,
    set_password,
)
from api.admin import FORMER_CLERK_EMAIL
from api.audit import record
from api.clerk_sessions import end_sessions
from api.storage import reading, writing
from api.tables import Account, ApiToken, Grant, ProgrammeRow, SsoDomain
from api.who import Who

P = ParamSpec("P")
T = TypeVar("T")
#: The roles a domain's people may get on their first single sign-on: never admin, whom an
#: admin makes one by one.
DOMAIN_ROLES: tuple[Role, ...] = ("clerk", "reader")
#: An e-mail domain as DNS names it: labels of letters, digits and inner hyphens, dotted, ending
#: in a top-level domain of letters (or an internationalised one, `xn--`).
_DOMAIN = re.compile(
    r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
)


class AdminError(AccountError):
    """A change to an account, domain or grant that cannot be made as asked: why, in words."""


class NotThere(AdminError):
    """The account, domain, programme or grant named does not exist."""


class LastAdmin(AdminError):
    """The change would leave no admin who can sign in."""


@dataclass(frozen=True)
class Listed:
    """An account as an admin sees it: with the programmes given to it (ids, sorted)."""

    account: Account
    programmes: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """What an admin changes of an account; None leaves it as it is. `forget_single_sign_on`
    lets the next single sign-on bind the account again (`api.sso_accounts`): to its person's
    council account made anew."""

    name: str | None = None
    role: Role | None = None
    disabled: bool | None = None
    password: str | None = None
    forget_single_sign_on: bool = False


def listed_accounts(engine: Engine) -> list[Listed]:
    """Every account, by name, with the programmes given to each."""
    with reading(engine) as session:
        accounts = session.scalars(select(Account).order_by(Account.name, Account.id)).all()
        given: dict[int, list[str]] = defaultdict(list)
        for grant in session.scalars(select(Grant).order_by(Grant.programme)):
            given[grant.account].append(grant.programme)
    return [Listed(a, tuple(given[a.id])) for a in accounts]


def listed_account(engine: Engine, number: int) -> Listed:
    """Account `number`, with the programmes given to it.

    Raises:
        NotThere: there is no such account.
    """
    with reading(engine) as session:
        account = _account(session, number)
        given = session.scalars(
            select(Grant.programme).where(Grant.account == number).order_by(Grant.programme)
        ).all()
    return Listed(account, tuple(given))


def make_account(
    engine: Engine,
    by: Who,
    email: str,
    name: str,
    role: Role,
    password: str | None,
    now: dt.datetime,
) -> Account:
    """A new account, made by admin `by`; `password` None for single sign-on only.

    Raises:
        AccountError: the address, name, role or password cannot be used, or the address has
            an account already.
    """
    return create_account(engine, email, name, role, password, now, by=by)


def change_account(
    engine: Engine, by: Who, number: int, change: Change, now: dt.datetime
) -> Account:
    """Account `number` changed by admin `by` as `change` says: each change an event.

    Raises:
        AccountError: the name, role or password cannot be used.
        NotThere: there is no such account.
        LastAdmin: the account is the last admin who can sign in, and would be no longer.
    """
    name = None if change.name is None else person_name(change.name)
    if change.role is not None and change.role not in ROLES:
        raise AdminError(f"the role is one of {', '.join(ROLES)}, not {change.role!r}")
    hashed = None if change.password is None else password_hash(change.password)
    with writing(engine) as session:
        admins = _enabled_admins(session)
        account = _account(session, number)
        was = account.name
        if name is not None and name != was:
            account.name = name
            _told(session, by, account, "account.renamed", f"{was} renamed {name}.", now)
        if change.role is not None and change.role != account.role:
            words = f"Role of {account.name} changed from {account.role} to {change.role}."
            details = {"from": account.role, "to": change.role}
            account.role = change.role
            _told(session, by, account, "account.role", words, now, details)
        if change.disabled is not None and change.disabled != account.disabled:
            account.disabled = change.disabled
            if change.disabled:
                end_sessions(session, number)
            action, state = (
                ("account.disabled", "disabled")
                if change.disabled
                else ("account.enabled", "enabled again")
            )
            _told(session, by, account, action, f"{account.name}'s account {state}.", now)
        if hashed is not None:
            set_password(account, hashed)
            end_sessions(session, number)
            _told(session, by, account, "account.password", f"Password of {account.name} set.", now)
        if change.forget_single_sign_on and account.sso_subject is not None:
            account.sso_issuer = account.sso_subject = None
            words = (
                f"Single sign-on of {account.name}'s account to be bound again at the next sign-in."
            )
            _told(session, by, account, "account.sso_forgotten", words, now)
        if admins == [number] and (account.role != "admin" or account.disabled):
            raise LastAdmin(
                f"{was} is the only admin who can sign in: make another admin first, so that"
                " somebody can still look after the accounts"
            )
    return account


def change_own_password(
    engine: Engine, who: Who, current: str, new: str, now: dt.datetime, keep: str | None = None
) -> None:
    """`who` changes their own password, giving the current one (wrong ones count towards the
    lock, as at sign-in); their other sessions end, all but session id `keep`.

    Raises:
        AccountError: the current password is not right, or the new one cannot be one.
    """
    with reading(engine) as session:
        account = _account(session, who.account)
    if account.password is None:
        raise AdminError("your account signs in by single sign-on only: it has no password")
    if check_password(engine, account.email, current, now) is None:
        raise AdminError(
            "your current password is not right (after five wrong ones the account is locked"
            " for a quarter of an hour)"
        )
    hashed = password_hash(new)
    with writing(engine) as session:
        account = _account(session, who.account)
        set_password(account, hashed)
        end_sessions(session, who.account, keep)
        _told(
            session,
            who,
            account,
            "account.password",
            f"{account.name} changed their password.",
            now,
        )


def allowed_domains(engine: Engine) -> list[SsoDomain]:
    """The e-mail domains whose people get an account on their first single sign-on."""
    with reading(engine) as session:
        return list(session.scalars(select(SsoDomain).order_by(SsoDomain.domain)))


def domain_name(text: str) -> str:
    """An e-mail domain as it is kept: lower-case, a DNS name such as `bromley.gov.uk`.

    Raises:
        AdminError: it is not one.
    """
    name = text.strip().lower().removeprefix("@")
    if not _DOMAIN.fullmatch(name):
        raise AdminError(
            f"{text.strip()[:100]!r} is not an e-mail domain such as bromley.gov.uk (an accented"
            " name is written in its xn-- form)"
        )
    return name


def _again_if_raced(write: Callable[P, T]) -> Callable[P, T]:
    """A write that adds a row by a key somebody may add at the same moment: on PostgreSQL the
    second commit fails on the key; tried once more, it finds the row there and says so."""

    @functools.wraps(write)
    def once_more(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return write(*args, **kwargs)
        except IntegrityError:
            return write(*args, **kwargs)

    return once_more


@_again_if_raced
def allow_domain(
    engine: Engine, by: Who, domain: str, role: Role, now: dt.datetime
) -> tuple[SsoDomain, bool]:
    """People of e-mail `domain` get an account with `role` on their first single sign-on: the
    domain as allowed now, and whether it is newly allowed (else its role is changed, if it
    differs).

    Raises:
        AdminError: the domain is not one, or the role is not one a domain gets.
    """
    name = domain_name(domain)
    if role not in DOMAIN_ROLES:
        raise AdminError(
            f"a domain's people sign in as {' or '.join(DOMAIN_ROLES)}: an admin is made one by"
            " one, on the accounts page"
        )
    with writing(engine) as session:
        found = session.get(SsoDomain, name)
        if found is None:
            allowed = SsoDomain(domain=name, role=role, created=now)
            session.add(allowed)
            words = f"Domain {name} allowed single sign-on, as {role}."
        elif found.role != role:
            allowed, words = found, f"Domain {name} now signs in as {role}, not {found.role}."
            found.role = role
        else:
            return found, False
        record(
            session, by, "domain.allowed", words, now=now, details={"domain": name, "role": role}
        )
    return allowed, found is None


def remove_domain(engine: Engine, by: Who, domain: str, now: dt.datetime) -> None:
    """People of `domain` no longer get an account by signing in (those made stay).

    Raises:
        AdminError: the domain is not one.
        NotThere: it is not allowed.
    """
    name = domain_name(domain)
    with writing(engine) as session:
        found = session.get(SsoDomain, name)
        if found is None:
            raise NotThere(f"domain {name} is not allowed single sign-on")
        session.delete(found)
        words = f"Domain {name} no longer allowed single sign-on (accounts made stay)."
        record(session, by, "domain.removed", words, now=now, details={"domain": name})


def clerks_of(engine: Engine, pid: str) -> list[Account]:
    """The accounts programme `pid` is given to, by name.

    Raises:
        NotThere: there is no such programme.
    """
    with reading(engine) as session:
        _programme(session, pid)
        query = select(Account).join(Grant, Grant.account == Account.id)
        return list(session.scalars(query.where(Grant.programme == pid).order_by(Account.name)))


@_again_if_raced
def give_programme(engine: Engine, by: Who, pid: str, number: int, now: dt.datetime) -> bool:
    """Programme `pid` given to clerk `number`, who may then edit, solve and publish it;
    whether it is newly given.

    Raises:
        NotThere: no such programme or account.
        AdminError: the account is not a clerk's (an admin has every programme; a reader none).
    """
    with writing(engine) as session:
        title = _programme(session, pid).title
        account = _account(session, number)
        if account.role == "admin":
            raise AdminError(f"{account.name} is an admin, who changes every programme already")
        if account.role != "clerk":
            raise AdminError(f"{account.name} only reads: make them a clerk first")
        if session.get(Grant, (pid, number)) is not None:
            return False
        session.add(Grant(programme=pid, account=number))
        words = f"Programme given to {account.name}."
        record(
            session,
            by,
            "programme.given",
            words,
            now=now,
            programme=pid,
            details={"account": number, "title": title},
        )
    return True


def take_programme(engine: Engine, by: Who, pid: str, number: int, now: dt.datetime) -> None:
    """Programme `pid` taken back from account `number`.

    Raises:
        NotThere: no such programme or account, or the programme is not given to it.
    """
    with writing(engine) as session:
        row = _programme(session, pid)
        account = _account(session, number)
        grant = session.get(Grant, (pid, number))
        if grant is None:
            raise NotThere(f"{row.title} is not given to {account.name}")
        session.delete(grant)
        words = f"Programme taken from {account.name}."
        record(
            session,
            by,
            "programme.taken",
            words,
            now=now,
            programme=pid,
            details={"account": number},
        )


def _account(session: Session, number: int) -> Account:
    found = session.get(Account, number)
    if found is None:
        raise NotThere(f"there is no account {number}")
    return found


def _programme(session: Session, pid: str) -> ProgrammeRow:
    found = session.get(ProgrammeRow, pid)
    if found is None:
        raise NotThere(f"there is no programme '{pid}'")
    return found


def _enabled_admins(session: Session) -> list[int]:
    """The admins who can sign in, their rows locked (in one order: no deadlock) until the
    transaction ends, so that what is decided on them holds."""
    query = select(Account.id).where(Account.role == "admin", Account.disabled.is_(False))
    enabled = list(session.scalars(query.order_by(Account.id).with_for_update()))
    return [number for number in enabled if _signs_in(session, number)]


def _signs_in(session: Session, number: int) -> bool:
    """Whether an enabled admin can really sign in: every account can, but the one the shared
    clerk token became, once it has neither a password nor a live token (its address is not a
    real one: single sign-on never finds it)."""
    account = session.get(Account, number)
    if account is None or account.email != FORMER_CLERK_EMAIL or account.password is not None:
        return account is not None
    live = select(ApiToken.id).where(ApiToken.account == number, ApiToken.revoked.is_(None))
    return session.scalar(live.limit(1)) is not None


def _told(
    session: Session,
    by: Who,
    account: Account,
    action: str,
    words: str,
    now: dt.datetime,
    details: dict[str, str] | None = None,
) -> None:
    """Record a change to `account` in the service's trail."""
    record(session, by, action, words, now=now, details={"account": account.id, **(details or {})})
