"""Accounts over the API (issue 25): who am I and my own API tokens (any account); the
accounts, their tokens, the domains allowed single sign-on and the programmes given to clerks
(an admin); and the audit trail, of a programme (any account) or of the service (an admin).

A token is in the answer that makes it, once: only its digest is kept. A password goes in, never
out: no answer or log holds one. The changes are `api.account_admin`'s and `api.api_tokens`',
each recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field, Strict
from sqlalchemy import Engine, select

from api import account_admin as admin
from api.accounts import LONGEST, AccountError, Role
from api.api_tokens import LONGEST_NAME, TokenError, make_token, revoke_token, tokens_of
from api.audit import trail
from api.auth import digest
from api.errors import Conflict, Invalid, NotFound
from api.routes.common import Number, OptionalNumber, answers
from api.state import Admin, Reader
from api.storage import reading
from api.store import programme_row
from api.tables import ApiToken, AuditEvent, SsoDomain
from api.who import Who
from scheduler.errors import Problem

router = APIRouter(tags=["accounts"])
Domain = Annotated[str, Path(min_length=1, max_length=253, description="e.g. bromley.gov.uk")]


class _Sent(BaseModel):
    """What a client sends: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


class AccountIn(_Sent):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str | None = Field(
        None, max_length=LONGEST, description="none: the account signs in by single sign-on only"
    )


class AccountPatch(_Sent):
    """What changes; what is left out stays as it is."""

    name: str | None = Field(None, min_length=1, max_length=200)
    role: Role | None = None
    disabled: Annotated[bool, Strict()] | None = Field(
        None, description="a disabled account's sessions end, and its tokens stop, at once"
    )
    password: str | None = Field(None, max_length=LONGEST, description="a new password")
    forget_single_sign_on: Annotated[bool, Strict()] = Field(
        False,
        description="true: the next single sign-on binds the account again, to whichever"
        " council account signs in (its person's, made anew)",
    )


class AccountOut(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    disabled: bool
    password: bool = Field(description="signs in with a password (else by single sign-on only)")
    single_sign_on_bound: bool = Field(
        description="bound to the council account that first signed in to it by single sign-on:"
        " no other signs in to it"
    )
    locked_until: dt.datetime | None = Field(description="after repeated wrong passwords")
    created: dt.datetime
    programmes: list[str] = Field(description="the programmes given to it (a clerk's to change)")


class ApiTokenIn(_Sent):
    name: str = Field(min_length=1, max_length=LONGEST_NAME, description="what it is for")


class ApiTokenOut(BaseModel):
    id: int
    name: str
    created: dt.datetime
    last_used: dt.datetime | None
    revoked: dt.datetime | None


class NewApiToken(ApiTokenOut):
    token: str = Field(description="shown once, in this answer: only its digest is kept")


class DomainIn(_Sent):
    role: Literal["clerk", "reader"] = Field(description="what its people's accounts are made")


class DomainOut(BaseModel):
    domain: str
    role: Role
    created: dt.datetime


class GrantOut(BaseModel):
    account: int
    name: str
    email: str


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    who: str = Field(description="the person's name as it was then, or 'the service'")
    account: int | None
    action: str
    words: str
    programme: str | None
    version: int | None
    plan: int | None
    details: dict[str, Any]


@contextmanager
def refused(location: str = "body") -> Iterator[None]:
    """The account modules' refusals, as the API answers them (`location`: what was refused,
    as a request's problems are located)."""
    try:
        yield
    except admin.NotThere as err:
        raise NotFound(str(err)) from None
    except admin.LastAdmin as err:
        raise Conflict(str(err), [Problem("request", (0,), location, str(err))]) from None
    except (AccountError, TokenError) as err:
        raise Invalid(str(err), [Problem("request", (0,), location, str(err))]) from None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def account_out(listed: admin.Listed) -> AccountOut:
    a = listed.account
    return AccountOut(
        id=a.id,
        email=a.email,
        name=a.name,
        role=a.role,
        disabled=a.disabled,
        password=a.password is not None,
        single_sign_on_bound=a.sso_subject is not None,
        locked_until=a.locked_until,
        created=a.created,
        programmes=list(listed.programmes),
    )


def token_out(row: ApiToken) -> ApiTokenOut:
    return ApiTokenOut(
        id=row.id,
        name=row.name,
        created=row.created,
        last_used=row.last_used,
        revoked=row.revoked,
    )


# Anybody signed in: themselves.


@router.get("/me", response_model=AccountOut, responses=answers(401))
def me(s: Reader) -> AccountOut:
    """The account the request acts for: name, role, the programmes given to it."""
    with refused():
        return account_out(admin.listed_account(s.engine, s.by.account))


@router.get("/me/tokens", response_model=list[ApiTokenOut], responses=answers(401))
def my_tokens(s: Reader) -> list[ApiTokenOut]:
    """Your API tokens, newest first, revoked ones too (never the tokens themselves)."""
    return [token_out(t) for t in tokens_of(s.engine, s.by.account)]


@router.post("/me/tokens", status_code=201, response_model=NewApiToken, responses=answers(400, 401))
def new_token_of_mine(wanted: ApiTokenIn, response: Response, s: Reader) -> NewApiToken:
    """A new API token of yours, for a script: it acts with your role, as it is at each
    request. The token is in this answer only."""
    return _made(s.engine, s.by, s.by.account, wanted.name, response, "/me/tokens")


@router.get("/me/tokens/{number}", response_model=ApiTokenOut, responses=answers(401, 404))
def my_token(number: Number, s: Reader) -> ApiTokenOut:
    """One of your API tokens (never the token itself)."""
    return token_out(_token(s.engine, s.by.account, number))


@router.delete("/me/tokens/{number}", status_code=204, responses=answers(401, 404))
def revoke_my_token(number: Number, s: Reader) -> Response:
    """Revoke one of your tokens: it stops at once. Revoking twice is harmless."""
    if not revoke_token(s.engine, s.by, s.by.account, number, _now()):
        raise NotFound(f"you have no API token {number}")
    return Response(status_code=204)


# An admin: accounts and their tokens.


@router.get("/accounts", response_model=list[AccountOut], responses=answers(401, 403))
def list_accounts(s: Admin) -> list[AccountOut]:
    """Every account, by name, disabled ones too."""
    return [account_out(listed) for listed in admin.listed_accounts(s.engine)]


@router.post(
    "/accounts", status_code=201, response_model=AccountOut, responses=answers(400, 401, 403)
)
def create_account(wanted: AccountIn, response: Response, s: Admin) -> AccountOut:
    """A new account. Without a password it signs in by the council's single sign-on only."""
    with refused():
        made = admin.make_account(
            s.engine, s.by, wanted.email, wanted.name, wanted.role, wanted.password, _now()
        )
    response.headers["Location"] = f"/accounts/{made.id}"
    return account_out(admin.Listed(made, ()))


@router.get("/accounts/{number}", response_model=AccountOut, responses=answers(401, 403, 404))
def get_account(number: Number, s: Admin) -> AccountOut:
    """An account: its role, whether it is disabled, the programmes given to it."""
    with refused():
        return account_out(admin.listed_account(s.engine, number))


@router.patch(
    "/accounts/{number}", response_model=AccountOut, responses=answers(400, 401, 403, 404, 409)
)
def change_account(number: Number, change: AccountPatch, s: Admin) -> AccountOut:
    """Rename, change the role of, disable or enable an account, or set its password (its
    sessions on the web page end); or let the next single sign-on bind it again. The last
    admin who can sign in stays one (409)."""
    wanted = admin.Change(
        change.name,
        change.role,
        change.disabled,
        change.password,
        forget_single_sign_on=change.forget_single_sign_on,
    )
    with refused():
        admin.change_account(s.engine, s.by, number, wanted, _now())
        return account_out(admin.listed_account(s.engine, number))


@router.get(
    "/accounts/{number}/tokens",
    response_model=list[ApiTokenOut],
    responses=answers(401, 403, 404),
)
def account_tokens(number: Number, s: Admin) -> list[ApiTokenOut]:
    """The account's API tokens, newest first, revoked ones too."""
    with refused():
        admin.listed_account(s.engine, number)
    return [token_out(t) for t in tokens_of(s.engine, number)]


@router.get(
    "/accounts/{number}/tokens/{token}",
    response_model=ApiTokenOut,
    responses=answers(401, 403, 404),
)
def account_token(number: Number, token: Number, s: Admin) -> ApiTokenOut:
    """One of the account's API tokens (never the token itself)."""
    return token_out(_token(s.engine, number, token))


@router.delete(
    "/accounts/{number}/tokens/{token}", status_code=204, responses=answers(401, 403, 404)
)
def revoke_account_token(number: Number, token: Number, s: Admin) -> Response:
    """Revoke one of the account's tokens: it stops at once."""
    if not revoke_token(s.engine, s.by, number, token, _now()):
        raise NotFound(f"account {number} has no API token {token}")
    return Response(status_code=204)


def _made(
    engine: Engine, by: Who, account: int, name: str, response: Response, at: str
) -> NewApiToken:
    with refused():
        token = make_token(engine, by, account, name, _now())
    with reading(engine) as session:
        row = session.scalars(select(ApiToken).where(ApiToken.digest == digest(token))).one()
    response.headers["Location"] = f"{at}/{row.id}"
    return NewApiToken(**token_out(row).model_dump(), token=token)


def _token(engine: Engine, account: int, number: int) -> ApiToken:
    with reading(engine) as session:
        found = session.get(ApiToken, number)
    if found is None or found.account != account:
        raise NotFound(f"account {account} has no API token {number}")
    return found


# An admin: single sign-on's domains, programmes given to clerks.


def domain_out(row: SsoDomain) -> DomainOut:
    return DomainOut(domain=row.domain, role=row.role, created=row.created)


@router.get("/sso-domains", response_model=list[DomainOut], responses=answers(401, 403))
def list_domains(s: Admin) -> list[DomainOut]:
    """The e-mail domains whose people get an account on their first single sign-on."""
    return [domain_out(d) for d in admin.allowed_domains(s.engine)]


@router.put(
    "/sso-domains/{domain}",
    response_model=DomainOut,
    responses={201: {"model": DomainOut}, **answers(400, 401, 403, 404)},
)
def allow_domain(domain: Domain, wanted: DomainIn, response: Response, s: Admin) -> DomainOut:
    """Allow the domain's people an account on their first single sign-on, with `role`
    (201 when newly allowed; 200 when its role changed, or stayed)."""
    with refused("path.domain"):
        allowed, new = admin.allow_domain(s.engine, s.by, domain, wanted.role, _now())
    response.status_code = 201 if new else 200
    return domain_out(allowed)


@router.delete("/sso-domains/{domain}", status_code=204, responses=answers(401, 403, 404))
def remove_domain(domain: Domain, s: Admin) -> Response:
    """The domain's people no longer get an account by signing in (accounts made stay)."""
    with refused("path.domain"):
        admin.remove_domain(s.engine, s.by, domain, _now())
    return Response(status_code=204)


@router.get(
    "/programmes/{pid}/grants", response_model=list[GrantOut], responses=answers(401, 403, 404)
)
def list_grants(pid: str, s: Admin) -> list[GrantOut]:
    """The clerks the programme is given to (who may edit, solve and publish it)."""
    with refused():
        given = admin.clerks_of(s.engine, pid)
    return [GrantOut(account=a.id, name=a.name, email=a.email) for a in given]


@router.put("/programmes/{pid}/grants/{account}", status_code=204, responses=answers(401, 403, 404))
def give(pid: str, account: Number, s: Admin) -> Response:
    """Give the programme to a clerk's account. Giving it twice is the same as once."""
    with refused():
        admin.give_programme(s.engine, s.by, pid, account, _now())
    return Response(status_code=204)


@router.delete(
    "/programmes/{pid}/grants/{account}", status_code=204, responses=answers(401, 403, 404)
)
def take(pid: str, account: Number, s: Admin) -> Response:
    """Take the programme back: the clerk no longer changes it."""
    with refused():
        admin.take_programme(s.engine, s.by, pid, account, _now())
    return Response(status_code=204)


# The audit trail.


def audit_out(e: AuditEvent) -> AuditOut:
    return AuditOut(
        id=e.id,
        at=e.at,
        who=e.who,
        account=e.account,
        action=e.action,
        words=e.words,
        programme=e.programme,
        version=e.version,
        plan=e.plan,
        details=json.loads(e.details),
    )


@router.get("/programmes/{pid}/audit", response_model=list[AuditOut], responses=answers(401, 404))
def programme_audit(pid: str, s: Reader, before: OptionalNumber = None) -> list[AuditOut]:
    """Who did what to the programme and when, newest first: versions, plans, publications,
    feed addresses, clerks given it. At most 200; `before` the last one's id for older ones."""
    with reading(s.engine) as session:
        programme_row(session, pid)
        return [audit_out(e) for e in trail(session, pid, before)]


@router.get("/audit", response_model=list[AuditOut], responses=answers(401, 403))
def service_audit(s: Admin, before: OptionalNumber = None) -> list[AuditOut]:
    """Who changed accounts, tokens and domains, and when, newest first. At most 200; `before`
    the last one's id for older ones."""
    with reading(s.engine) as session:
        return [audit_out(e) for e in trail(session, None, before)]
