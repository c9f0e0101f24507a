"""How the page answers what it cannot do: sign in first, a stale or foreign form, or an error
page in words (never the API's JSON, never a traceback)."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from api.headers import secure
from api.web import page_path
from api.web.render import render
from api.web.session import BadFormKey, SignInFirst


def is_page(request: Request) -> bool:
    """A request for the web page (HTML answers), not the API (JSON answers)."""
    return page_path(request.url.path)


def error_page(request: Request, status: int, detail: str) -> Response:
    return render(request, "error.html", status, status_code=status, detail=detail)


def install(app: FastAPI) -> None:
    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        """A defect of ours: said in words (the traceback goes to the server's log only).
        Starlette sends this answer from its outermost layer, outside the middleware that adds
        the security headers: they are added here."""
        detail = "internal error: the service could not do this; it has been logged"
        if is_page(request):
            answer = error_page(request, 500, detail)
        else:
            answer = JSONResponse({"detail": detail}, status_code=500)
        return secure(answer, request.url.path)

    @app.exception_handler(SignInFirst)
    async def sign_in_first(_: Request, err: SignInFirst) -> Response:
        return RedirectResponse(err.location, status_code=303)

    @app.exception_handler(BadFormKey)
    async def bad_form_key(request: Request, _: BadFormKey) -> Response:
        detail = "this form did not come from this site's page: reload the page and try again"
        return error_page(request, 403, detail)
