""" "Check Modern.gov" on the clerk's page (issue 24): what the council's Modern.gov says that
the programme does not, in words, with "Apply these changes"; then back to the programme's
page, where the changes are listed as not planned yet and a re-plan is offered.

The checks and the edit are the API's (`api.moderngov_check`): the same words, the same
refusals. The routes are plain functions, run on the thread pool while the site is asked.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from api.errors import ApiError, PreconditionRequired, Stale
from api.moderngov_check import Changed, Checked, SiteFailed, apply, check
from api.state import state
from api.storage import reading
from api.store import programme_row
from api.web.form_values import revision_of
from api.web.problems import said
from api.web.render import render
from api.web.session import ClerkForm, EditingPage
from scheduler.errors import InputError

router = APIRouter(include_in_schema=False)


@router.get("/web/programmes/{pid}/moderngov", response_class=HTMLResponse)
def check_page(request: Request, pid: str, s: EditingPage) -> Response:
    """Modern.gov asked: its changes in words, to apply; or why it could not be asked."""
    try:
        checked = check(s, pid)
    except ApiError as err:
        return _refused(request, pid, err)
    return _show(request, pid, checked)


@router.post("/web/programmes/{pid}/moderngov")
def apply_changes(request: Request, pid: str, posted: ClerkForm) -> Response:
    """Modern.gov asked again and, if it says what the clerk read, its changes made one new
    version; back to the programme's page. If it says something else now, that is shown to
    apply instead."""
    digest = str(posted.form.get("digest", "")) or None
    try:
        _, row = apply(posted.s, pid, revision_of(posted.form), digest)
    except Changed as err:
        return _show(request, pid, err.checked, 409, changed=err.detail)
    except (ApiError, InputError) as err:
        return _refused(request, pid, err)
    done = "moderngov" if row is not None else "unchanged"
    return RedirectResponse(f"/web/programmes/{pid}?done={done}", status_code=303)


def _show(
    request: Request, pid: str, checked: Checked, status: int = 200, **context: object
) -> Response:
    title = _title(request, pid)
    return render(
        request, "moderngov.html", status, pid=pid, title=title, checked=checked, **context
    )


def _refused(request: Request, pid: str, err: ApiError | InputError) -> Response:
    """The page saying why nothing was asked or changed (the API's words)."""
    if isinstance(err, InputError):  # where in the programme, in words, then what
        status = 422
        messages = [f"{said(p.location, None)}: {p.message}" for p in err.problems]
    elif isinstance(err, Stale | PreconditionRequired):
        status, messages = err.status, [AGAIN]
    else:
        status, messages = err.status, [err.detail]
    where = err.where if isinstance(err, SiteFailed) else None
    title = _title(request, pid)
    return render(
        request,
        "moderngov.html",
        status,
        pid=pid,
        title=title,
        checked=None,
        failed=messages,
        where=where,
    )


#: A check made against another version of the programme than the one there now.
AGAIN = (
    "The programme was changed since you checked Modern.gov, so nothing was applied: check "
    "Modern.gov again, and apply what it says then."
)


def _title(request: Request, pid: str) -> str:
    with reading(state(request).engine) as session:
        return programme_row(session, pid).title
