"""The web page's views: the programmes, the clerk's grid of a plan, where an item could go, a
job under way, the source, the public view; and signing in and out. Server-rendered HTML; forms
work without JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from api.accounts import check_password
from api.api_tokens import token_holder
from api.clerk_sessions import close_session, open_session
from api.errors import NotFound
from api.job_progress import job_page
from api.jobs import ACTIVE, ask_stop, job_state
from api.routes.common import OptionalNumber
from api.routes.plans import ItemId
from api.state import allowed_to_edit, public_base, state, why_not
from api.storage import reading
from api.store import programme_row, programme_version
from api.throttle import address
from api.web.form_values import short_name
from api.web.render import render
from api.web.session import ClerkPage, ReadingForm, safe_next, session_cookie, signed_in
from api.web.views import all_programmes, choices, programme_page, public_page
from api.web.where import where_page
from api.who import Who

# Every page shows whether the clerk is signed in: the session is looked up first, on the
# thread pool (the changing forms' routes look it up through ClerkForm).
router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
Page = HTMLResponse


@router.get("/", response_class=Page)
def home(request: Request) -> Response:
    """Every programme: the clerk opens one; anyone reads a published one."""
    return render(request, "home.html", programmes=all_programmes(state(request)))


@router.get("/sign-in", response_class=Page)
def sign_in_form(request: Request, next: str = "/") -> Response:
    return render(request, "sign_in.html", next=safe_next(next))


@router.post("/sign-in", response_class=Page)
def sign_in(
    request: Request,
    token: Annotated[str, Form(max_length=4096)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """An account's e-mail address and password (`api.accounts`), or one of its API tokens,
    opens a new session (one already held is closed: an id known before signing in is worth
    nothing after). Wrong tries are slowed down per address; wrong passwords also lock the
    account for a while."""
    s = state(request)
    guesser = address(request)
    wait = s.throttle.wait(guesser)
    if wait:  # many wrong sign-ins from this address: nothing is tried
        errors = {"sign-in": [f"sign-in: too many wrong tries: try again in {wait} seconds"]}
        refused = render(request, "sign_in.html", 429, next=safe_next(next), errors=errors)
        refused.headers["Retry-After"] = str(wait)
        return refused
    now = dt.datetime.now(dt.UTC)
    if email.strip():
        account = check_password(s.engine, email, password, now)
        who = None if account is None else Who.of(account)
        problem = (
            "e-mail or password: not right, or the account is locked for a quarter of an hour "
            "after five wrong passwords"
        )
    else:
        who = token_holder(s.engine, token.strip(), now) if token.strip() else None
        problem = "token: this is not an account's API token, or it was revoked"
    if who is None:
        s.throttle.failed(guesser)
        errors = {"sign-in": [problem]}
        return render(request, "sign_in.html", 401, next=safe_next(next), errors=errors)
    s.throttle.forget(guesser)
    return start_session(request, who, next)


def start_session(request: Request, who: Who, then: str | None) -> Response:
    """Sign `who` in: a new session (closing one the browser held), its cookie, and on to
    `then` (a path on this site; else the home page). Also the end of a single sign-on."""
    s = state(request)
    held = signed_in(request)
    if held:
        close_session(s.engine, held.sid)
    now = dt.datetime.now(dt.UTC)
    sid = open_session(s.engine, account=who.account, settings=s.settings, now=now, token=who.token)
    response = RedirectResponse(safe_next(then), status_code=303)
    session_cookie(response, request, sid, int(s.settings.session_lifetime.total_seconds()))
    return response


@router.post("/sign-out")
def sign_out(request: Request, posted: ReadingForm) -> Response:
    """The session is deleted on the server, and its cookie in the browser."""
    close_session(posted.s.engine, posted.session.sid)
    response = RedirectResponse("/", status_code=303)
    session_cookie(response, request, "", 0)
    return response


@router.get("/web/programmes/{pid}", response_class=Page)
def programme(request: Request, pid: str, s: ClerkPage, plan: OptionalNumber = None) -> Response:
    """The year as a grid for one plan (the newest unless `plan`), with everything the clerk
    does to it."""
    return show_programme(request, pid, plan)


#: What the page says after each change (`?done=`); any other value says nothing.
NOTICES = {
    "pinned": "Pinned. Re-plan to place the item there.",
    "unpinned": "Unpinned. Re-plan to let the solver place the item.",
    "moved": "Meeting moved. Re-plan to see what moves with it.",
    "cancelled": "Meeting cancelled. Re-plan to place its items elsewhere.",
    "restored": "Meeting restored. Re-plan to use it.",
    "added": "Meeting added. Re-plan to use it.",
    "saved": "Programme file saved as a new version. Re-plan to apply it.",
    "published": "Published: a new plan version; its calendar feeds are live.",
    "revoked": "Feed address revoked: it now answers 404.",
    "meeting-saved": "Meeting changed. Re-plan to see what moves with it.",
    "meeting-removed": "Meeting taken out of the programme. Re-plan to apply it.",
    "unchanged": "Nothing was changed.",
    "undone": "Undone: the programme is as it was before that change.",
    "moderngov": "Brought up to date from Modern.gov. Re-plan to see what moves with it.",
}


def show_programme(
    request: Request,
    pid: str,
    plan: int | None = None,
    status: int = 200,
    body: str | None = None,
    **context: object,
) -> Response:
    """The clerk's page (one committee's, with `body`); after a refused change, with its errors
    and the values entered."""
    page = programme_page(state(request), pid, plan, public_base(request), body)
    return render(
        request,
        "programme.html",
        status,
        page=page,
        choices=choices(page.programme, body),
        notice=NOTICES.get(request.query_params.get("done", "")),
        mine=mine(request, pid),
        **context,
    )


@router.get("/web/programmes/{pid}/committees/{body}", response_class=Page)
def committee(
    request: Request, pid: str, body: str, s: ClerkPage, plan: OptionalNumber = None
) -> Response:
    """One committee's year as a grid, with what the clerk does to it; its documents."""
    return show_programme(request, pid, plan, body=body)


#: The cookie that keeps the committees a clerk serves, by programme ("my committees").
MINE = "scrutiny-mine"
MINE_MOST = 60
MINE_LONGEST = 3000


def mine(request: Request, pid: str) -> list[str]:
    """The committees of programme `pid` the clerk has called theirs (kept in this browser)."""
    kept = request.cookies.get(MINE, "")
    return [e.split("/", 1)[1] for e in kept.split(",") if e.startswith(f"{pid}/") and _ours(e)]


def _ours(entry: str) -> bool:
    """A cookie entry this site wrote: `programme/committee`, both short names."""
    pid, slash, body = entry.partition("/")
    return bool(slash) and short_name(pid) and short_name(body)


@router.post("/web/programmes/{pid}/committees/{body}/mine")
def toggle_mine(request: Request, pid: str, body: str, posted: ReadingForm) -> Response:
    """Add the committee to "my committees", or take it off (kept in a cookie: accounts will
    keep it for each person)."""
    if not (short_name(pid) and short_name(body)):
        raise NotFound(f"no committee '{body}' in programme '{pid}'")
    kept = [e for e in request.cookies.get(MINE, "").split(",") if _ours(e)]
    entry = f"{pid}/{body}"
    kept = [e for e in kept if e != entry] if entry in kept else [*kept, entry]
    while len(",".join(kept)) > MINE_LONGEST:  # a cookie holds 4 KB: the oldest go
        kept.pop(0)
    response = RedirectResponse(f"/web/programmes/{pid}/committees/{body}", status_code=303)
    response.set_cookie(
        MINE,
        ",".join(kept[-MINE_MOST:]),
        max_age=400 * 24 * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/web/",
    )
    return response


@router.get("/web/programmes/{pid}/where", response_class=Page)
def where(request: Request, pid: str, item: ItemId, s: ClerkPage) -> Response:
    """Where could this item go? Every meeting of its body, best first, with what putting it
    there would cost or why it cannot go; "Put it here" pins it and re-plans."""
    return show_where(request, pid, item)


def show_where(
    request: Request, pid: str, item: str, status: int = 200, **context: object
) -> Response:
    """The options for an item of the programme; after a refused choice, with its errors."""
    page = where_page(state(request), pid, item)
    return render(request, "where.html", status, page=page, **context)


@router.get("/web/programmes/{pid}/source", response_class=Page)
def source(request: Request, pid: str, s: ClerkPage) -> Response:
    """The programme file, to edit as a whole."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        text = programme_version(session, pid).source
    return render(
        request, "source.html", pid=pid, revision=row.revision, version=row.version, text=text
    )


@router.get("/web/jobs/{job_id}", response_class=Page)
def job(request: Request, job_id: str, s: ClerkPage) -> Response:
    """A solve or re-plan under way (the page refreshes itself); when done, its plan."""
    found = job_state(s.engine, job_id)
    if found is None:
        raise NotFound(f"no job '{job_id}'")
    if found.state in ("done", "stopped") and found.plan is not None:
        return RedirectResponse(
            f"/web/programmes/{found.programme}?plan={found.plan}", status_code=303
        )
    view = job_page(s.engine, found)
    request.state.edits = why_not(s, s.by, found.programme) is None  # its Stop button
    return render(request, "job.html", job=found, active=found.state in ACTIVE, view=view)


@router.post("/web/jobs/{job_id}/stop")
def stop_job(request: Request, job_id: str, posted: ReadingForm) -> Response:
    """Stop the job: back to its page, which follows it to the best plan found by then."""
    found = job_state(posted.s.engine, job_id)
    if found is None:
        raise NotFound(f"no job '{job_id}'")
    allowed_to_edit(posted.s, posted.s.by, found.programme)
    ask_stop(posted.s.engine, job_id, posted.s.by)
    return RedirectResponse(f"/web/jobs/{job_id}", status_code=303)


@router.get("/public/{pid}", response_class=Page)
def public(request: Request, pid: str) -> Response:
    """The published programme as anyone may read it, with the public calendar feeds."""
    page = public_page(state(request), pid, public_base(request))
    return render(request, "public.html", page=page)
