"""Pages from Jinja2 templates (shipped with the package, autoescaped), with what every page
needs: whether the clerk is signed in, the form key, and the service's public address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.state import state
from api.web.session import form_key, signed_in
from scheduler.deadlines import long_day, short_day

templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
templates.env.filters["long_day"] = long_day
templates.env.filters["short_day"] = short_day


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    s = state(request)
    clerk = signed_in(request)
    context.update(
        clerk=clerk,
        form_key=form_key(s) if clerk else "",
        errors=context.get("errors") or {},
        values=context.get("values") or {},
    )
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response
