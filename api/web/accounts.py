"""Accounts on the web page (issue 25): the admin's page of accounts, the domains allowed single
sign-on and the programmes given to clerks; everybody's own page (their API tokens, their
password); and a programme's history, from the audit trail.

Every change is `api.account_admin`'s or `api.api_tokens`', recorded in the audit trail, and
refused as the API refuses it (`api.routes.accounts.refused`): the same checks, words and
status. A refused change shows the page again with the reason beside its form and what was
typed kept (never a password); a done one redirects (POST, then GET) with a notice. A new API
token is shown on the page that answers its form, once. The routes are plain functions, run on
the thread pool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from api import account_admin as admin
from api.accounts import Role
from api.api_tokens import make_token, revoke_token, tokens_of
from api.audit import LISTED, trail
from api.errors import ApiError, NotFound
from api.routes.accounts import refused
from api.routes.common import Number, OptionalNumber
from api.state import State, admins_only, state
from api.storage import reading
from api.store import programme_at, programme_row
from api.tables import AuditEvent, ProgrammeRow, SsoDomain
from api.web.render import LONDON, render
from api.web.session import ClerkPage, Posted, ReadingForm, clerk_page, reading_form, signed_in
from api.who import Who

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
ACCOUNTS, ME = "/web/accounts", "/web/me"
#: A role as the page names it.
ROLE_NAMES = {"admin": "Admin", "clerk": "Clerk", "reader": "Reader"}
#: What the pages say after each change (`?done=`); any other value says nothing.
NOTICES = {
    "made": "Account made. Tell the person their address and password (or that they sign in"
    " with the council's single sign-on).",
    "role": "Role changed: it applies at once, to the account's sessions and API tokens too.",
    "disabled": "Account disabled: its sessions have ended and its API tokens stopped.",
    "enabled": "Account enabled again: it can sign in, and its API tokens work again.",
    "password": "Password set: the account's sessions have ended. Tell the person, not by the"
    " same e-mail as their address.",
    "sso-forgotten": "Council account forgotten: the next single sign-on to the account binds"
    " it again. Ask its person to sign in now.",
    "given": "Programme given: the clerk can now change, solve and publish it.",
    "taken": "Programme taken back: the clerk can no longer change it.",
    "domain": "Domain allowed: its people get an account when they first sign in.",
    "domain-removed": "Domain removed: its people's accounts stay, new people need one made.",
    "revoked": "API token revoked: it stopped working at once.",
    "own-password": "Password changed: your other sessions have ended.",
}


def admin_page(request: Request) -> State:
    """A page for admins only (403, in words, for anybody else signed in)."""
    return admins_only(clerk_page(request))


async def admin_form(request: Request) -> Posted:
    """A form for admins only, carrying the session's form key."""
    posted = await reading_form(request)
    admins_only(posted.s)
    return posted


AdminPage = Annotated[State, Depends(admin_page)]
AdminForm = Annotated[Posted, Depends(admin_form)]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _said(form: FormData, name: str) -> str:
    found = form.get(name)
    return found.strip() if isinstance(found, str) else ""


def _kept(form: FormData) -> dict[str, str]:
    """What the form held, to show again: never a password, nor the form key."""
    return {
        k: v
        for k, v in form.items()
        if isinstance(v, str) and k != "form_key" and "password" not in k
    }


def _done(where: str, notice: str) -> Response:
    return RedirectResponse(f"{where}?done={notice}", status_code=303)


# The admin's page.


@dataclass(frozen=True)
class AccountsPage:
    """What the accounts page shows: every account with its programmes, the domains, and the
    programmes' titles by id (what the page names them by)."""

    people: list[admin.Listed]
    domains: list[SsoDomain]
    titles: dict[str, str]
    now: dt.datetime


@router.get(ACCOUNTS)
def accounts_page(request: Request, s: AdminPage) -> Response:
    """Every account, its role and state, with the forms that change them; the domains
    allowed single sign-on; the programmes given to each clerk."""
    return _accounts(request, s)


def _accounts(request: Request, s: State, status: int = 200, **context: Any) -> Response:
    with reading(s.engine) as session:
        rows = session.execute(
            select(ProgrammeRow.id, ProgrammeRow.title).order_by(ProgrammeRow.title)
        )
        titles = {pid: title for pid, title in rows}
    page = AccountsPage(
        admin.listed_accounts(s.engine), admin.allowed_domains(s.engine), titles, _now()
    )
    notice = NOTICES.get(request.query_params.get("done", ""))
    return render(
        request, "accounts.html", status, page=page, roles=ROLE_NAMES, notice=notice, **context
    )


@router.post(ACCOUNTS)
def new_account(request: Request, posted: AdminForm) -> Response:
    """An account made; a password left empty: single sign-on only."""
    form = posted.form
    try:
        with refused():
            admin.make_account(
                posted.s.engine,
                posted.s.by,
                _said(form, "email"),
                _said(form, "name"),
                _role(form),
                str(form.get("password", "")) or None,
                _now(),
            )
    except ApiError as err:
        return _refused(request, posted, "new", err)
    return _done(ACCOUNTS, "made")


def _role(form: FormData) -> Role:
    said = _said(form, "role")
    if said not in ROLE_NAMES:
        raise admin.AdminError("choose the role: admin, clerk or reader")
    return said  # type: ignore[return-value]  # one of ROLE_NAMES' keys, those of ROLES


# Before /web/accounts/{number}, which would take "domains" for a number (and refuse it).
@router.post(ACCOUNTS + "/domains")
def change_domain(request: Request, posted: AdminForm) -> Response:
    """A domain allowed single sign-on (or its role changed), or removed."""
    form, s = posted.form, posted.s
    removing = _said(form, "action") == "remove"
    try:
        with refused():
            if removing:
                admin.remove_domain(s.engine, s.by, _said(form, "domain"), _now())
            else:
                admin.allow_domain(s.engine, s.by, _said(form, "domain"), _role(form), _now())
    except ApiError as err:
        return _refused(request, posted, "domain", err)
    return _done(ACCOUNTS, "domain-removed" if removing else "domain")


Action = Callable[[Posted, int], object]
#: What each form of an account's row does, and the notice it ends with.
ACTIONS: dict[str, tuple[Action, str]] = {
    "role": (lambda p, n: _change(p, n, admin.Change(role=_role(p.form))), "role"),
    "disable": (lambda p, n: _change(p, n, admin.Change(disabled=True)), "disabled"),
    "enable": (lambda p, n: _change(p, n, admin.Change(disabled=False)), "enabled"),
    "password": (
        lambda p, n: _change(p, n, admin.Change(password=str(p.form.get("password", "")))),
        "password",
    ),
    "forget-sso": (
        lambda p, n: _change(p, n, admin.Change(forget_single_sign_on=True)),
        "sso-forgotten",
    ),
    "give": (
        lambda p, n: admin.give_programme(
            p.s.engine, p.s.by, _said(p.form, "programme"), n, _now()
        ),
        "given",
    ),
    "take": (
        lambda p, n: admin.take_programme(
            p.s.engine, p.s.by, _said(p.form, "programme"), n, _now()
        ),
        "taken",
    ),
}


def _change(posted: Posted, number: int, change: admin.Change) -> None:
    admin.change_account(posted.s.engine, posted.s.by, number, change, _now())


@router.post(ACCOUNTS + "/{number}")
def change_account(request: Request, number: Number, posted: AdminForm) -> Response:
    """One of an account's forms: its role, disabled or enabled, its password, its council
    account forgotten, a programme given or taken back."""
    action = _said(posted.form, "action")
    if action not in ACTIONS:
        raise NotFound(f"the accounts page has no form '{action[:40]}'")
    do, notice = ACTIONS[action]
    try:
        with refused():
            do(posted, number)
    except ApiError as err:
        return _refused(request, posted, f"{action}:{number}", err)
    return _done(ACCOUNTS, notice)


def _refused(request: Request, posted: Posted, name: str, err: ApiError) -> Response:
    """The accounts page again, with why beside the form `name` and what it held."""
    errors, values = {name: [err.detail]}, {name: _kept(posted.form)}
    return _accounts(request, posted.s, err.status, errors=errors, values=values)


# Everybody's own page.


@router.get(ME)
def me_page(request: Request, s: ClerkPage) -> Response:
    """Your name, role and programmes; your API tokens; your password."""
    return _me(request, s.by)


def _me(request: Request, who: Who, status: int = 200, **context: Any) -> Response:
    engine = state(request).engine
    listed = admin.listed_account(engine, who.account)
    with reading(engine) as session:
        titles = {pid: programme_row(session, pid).title for pid in listed.programmes}
    notice = NOTICES.get(request.query_params.get("done", ""))
    return render(
        request,
        "me.html",
        status,
        me=listed.account,
        titles=titles,
        tokens=tokens_of(engine, who.account),
        roles=ROLE_NAMES,
        notice=notice,
        **context,
    )


@router.post(ME + "/tokens")
def new_token(request: Request, posted: ReadingForm) -> Response:
    """A new API token of yours: shown on the page that answers, this once."""
    who = posted.s.by
    try:
        with refused():
            token = make_token(
                posted.s.engine, who, who.account, _said(posted.form, "name"), _now()
            )
    except ApiError as err:
        errors, values = {"token": [err.detail]}, {"token": _kept(posted.form)}
        return _me(request, who, err.status, errors=errors, values=values)
    return _me(request, who, 201, made=token, made_name=_said(posted.form, "name"))


@router.post(ME + "/tokens/{number}/revoke")
def revoke_my_token(request: Request, number: Number, posted: ReadingForm) -> Response:
    """One of your API tokens revoked: it stops at once."""
    who = posted.s.by
    if not revoke_token(posted.s.engine, who, who.account, number, _now()):
        raise NotFound(f"you have no API token {number}")
    return _done(ME, "revoked")


@router.post(ME + "/password")
def change_password(request: Request, posted: ReadingForm) -> Response:
    """Your password changed, after your current one; your other sessions end."""
    form, who = posted.form, posted.s.by
    new = str(form.get("new_password", ""))
    try:
        with refused():
            if new != str(form.get("again_password", "")):
                raise admin.AdminError("the new password and its repetition differ: type it again")
            admin.change_own_password(
                posted.s.engine,
                who,
                str(form.get("current_password", "")),
                new,
                _now(),
                keep=posted.session.sid,
            )
    except ApiError as err:
        return _me(request, who, err.status, errors={"password": [err.detail]})
    return _done(ME, "own-password")


# A programme's history.


@dataclass(frozen=True)
class Happened:
    """One event of a programme's history, as the page says it."""

    who: str
    when: str
    words: str
    version: int | None
    plan: int | None


@router.get("/web/programmes/{pid}/history")
def history(request: Request, pid: str, s: ClerkPage, before: OptionalNumber = None) -> Response:
    """Who did what to the programme, and when (in the programme's time zone), newest first, a
    page of LISTED at a time (`before`: the event the page before ended at)."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        events = trail(session, pid, before)
        zone = _zone(session, pid)
    shown = [_happened(e, zone) for e in events]
    older = events[-1].id if len(events) >= LISTED else None
    return render(request, "history.html", row=row, events=shown, older=older, later=before)


def _zone(session: Session, pid: str) -> ZoneInfo:
    """The programme's time zone; London's if its newest version no longer reads."""
    try:
        return ZoneInfo(programme_at(session, pid).timezone)
    except ApiError:
        return LONDON


def _happened(event: AuditEvent, zone: ZoneInfo) -> Happened:
    return Happened(event.who, when(event.at, zone), event.words, event.version, event.plan)


def when(at: dt.datetime, zone: ZoneInfo) -> str:
    """A moment as the programme's clock read it: `Tue 3 Oct 2017 10:14`."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"
