"""Pages from Jinja2 templates (shipped with the package, autoescaped), with what every page
needs: whether the clerk is signed in and the form key (as the page's routes looked them up),
never cached (Cache-Control: no-store: a page may hold the form key or the clerk's view)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web.session import known
from scheduler.programme.words import (
    count,
    day_words,
    long_day,
    range_words,
    rough_words,
    short_day,
)

#: The service's clock for the clerk (the programmes' own zone is Europe/London by default).
LONDON = ZoneInfo("Europe/London")
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
templates.env.filters["long_day"] = long_day
templates.env.filters["short_day"] = short_day
templates.env.filters["day_words"] = day_words
templates.env.filters["rough_words"] = rough_words
templates.env.filters["count"] = count
templates.env.filters["range_words"] = lambda r: range_words(r.start, r.end)


def clock_time(at: dt.datetime) -> str:
    """When something was done, as the clerk's clock read it: `3 Oct 2017 10:14`."""
    local = at.replace(tzinfo=at.tzinfo or dt.UTC).astimezone(LONDON)
    return f"{local.day} {local:%b %Y %H:%M}"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = known(request)
    context.update(
        clerk=session is not None,
        admin=session is not None and session.who.administers,
        # whether the role changes anything: forms that change a programme are shown only then
        # (the routes refuse them anyway, and a clerk's programmes not given to them too)
        editor=session is not None and getattr(request.state, "edits", session.who.edits),
        single_sign_on=request.app.state.scrutiny.settings.single_sign_on,
        form_key=session.form_key if session else "",
        errors=context.get("errors") or {},
        values=context.get("values") or {},
    )
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


templates.env.filters["clock_time"] = clock_time
