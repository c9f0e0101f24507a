"""Request bodies within bounds: whose, how large and how slow (DESIGN §10: no request, signed
in or not, can exhaust the server's memory, disk or connections).

FastAPI reads a JSON or form body before it runs a route's dependencies, the clerk's check among
them, and Starlette writes a multipart form to disk as it comes. So this middleware decides
before any of the body is read:

- Without the clerk's credential, only the sign-in form may send a body: URL-encoded (no
  multipart parser, no temporary file), at most `SIGN_IN`. Any other route gets an empty body
  instead of the one sent and answers as it does to anybody: 401, or the sign-in page.
- With it, a request may send as much as its route needs: a programme file `PROGRAMME`,
  anything else `FIELDS`.
- A Content-Length over the cap is refused (413) at once. A body sent without one (chunked) is
  counted as it streams in, and the first chunk past the cap is refused (413) too.
- The whole body must arrive within the body deadline (`Settings.body_seconds`), or 408.

Every refusal is the service's usual answer, JSON `{"detail": ...}` or the web page's error page,
and closes the connection, whose unread body could not carry another request.

Plain ASGI: a request that declares no body (no Content-Length, no Transfer-Encoding: every feed
read) passes after one look at its headers; HTTP/1.1 sends no body without one of them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.api_tokens import token_holder
from api.routes.common import MAX_UPLOAD, media_type
from api.state import state
from api.web.errors import error_page, is_page
from api.web.session import signed_in

KIB = 1024
SIGN_IN_PATH = "/sign-in"
FORM = "application/x-www-form-urlencoded"
#: The routes that take a programme file: the API's upload and edit, the web page's forms.
PROGRAMME_PATHS = re.compile(r"/(?:web/)?programmes(?:/[^/]+/source)?")
CLOSE = (b"connection", b"close")


@dataclass(frozen=True)
class Cap:
    """The most a request may send, and what a refusal says of it."""

    size: int
    says: str


#: The sign-in form: the token (43 characters) and the page to go back to.
SIGN_IN = Cap(4 * KIB, "the sign-in form is at most 4 KiB")
#: The clerk's JSON (a job, a feed address) and the web page's forms of a few fields.
FIELDS = Cap(
    64 * KIB,
    "this request's body is at most 64 KiB (a programme file goes to POST /programmes or"
    " PUT /programmes/{id}/source)",
)
#: A programme file: the upload's own limit, and room for a form's other fields and encoding.
PROGRAMME = Cap(
    MAX_UPLOAD + FIELDS.size, f"a programme file is at most {MAX_UPLOAD // KIB // KIB} MiB"
)


def is_clerk(request: Request) -> bool:
    """Whether the request carries an account's credential: an API token, or the web page's
    sign-in (any role: a reader's suggestions have bodies too). The one place the limits ask;
    the routes check it again, with the role, and give the answers (a wrong token is counted
    against its sender there, not here). Reads the database: call it on the thread pool."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    now = dt.datetime.now(dt.UTC)
    if scheme.lower() == "bearer" and token_holder(state(request).engine, token.strip(), now):
        return True
    return bool(signed_in(request))


def declared_body(scope: Scope) -> int | None:
    """The body the request says it sends: its Content-Length, -1 when its length is not said
    (chunked), None when it sends none."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            if not value.isdigit():  # the server lets only numbers through; if not, count
                return -1
            return int(value) or None
        if name == b"transfer-encoding":
            return -1
    return None


class BodyLimits:
    """Refuses bodies too large, too slow, or sent without the clerk's credential (see above).

    Args:
        app: the application within.
        seconds: how long the whole body may take to arrive.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = None if scope["type"] != "http" else declared_body(scope)
        if length is None:
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        request = Request(scope)
        if scope["path"] == SIGN_IN_PATH and scope["method"] == "POST":
            if media_type(request) != FORM:
                detail = f"the sign-in form is sent as {FORM}, as the page sends it"
                await refuse(request, receive, send, 415, detail)
                return
            cap = SIGN_IN
        elif await run_in_threadpool(is_clerk, request):
            cap = PROGRAMME if PROGRAMME_PATHS.fullmatch(scope["path"]) else FIELDS
        else:
            await self.app(scope, _no_body(), _closing(send))
            return
        if length > cap.size:
            await refuse(request, receive, send, 413, f"the request is too large: {cap.says}")
            return
        body = _Body(receive, send, cap, deadline, self.seconds)
        await self.app(scope, body.receive, body.send)


async def refuse(request: Request, receive: Receive, send: Send, status: int, detail: str) -> None:
    """Answer before the body is read, as the service answers errors, and close."""
    if is_page(request):
        answer = error_page(request, status, detail)
    else:
        answer = JSONResponse({"detail": detail}, status_code=status)
    answer.headers["Connection"] = "close"
    await answer(request.scope, receive, send)


def _no_body() -> Receive:
    """The body a request without the clerk's credential shows a route: none. The one sent is
    never read (nor, with Expect: 100-continue, even asked for)."""
    told = False

    async def receive() -> Message:
        nonlocal told
        if told:  # what a server says once the body is over and the answer under way
            return {"type": "http.disconnect"}
        told = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


def _closing(send: Send) -> Send:
    """`send` with the answer closing the connection."""

    async def closing(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), CLOSE]
        await send(message)

    return closing


class _Body:
    """The body as the route reads it: counted against its cap, by the deadline. A refusal is
    raised as HTTPException from `receive`, in the middle of the route's read, so that the
    route's own error answers say it (FastAPI passes HTTPException through its body parsing)."""

    def __init__(
        self, receive: Receive, send: Send, cap: Cap, deadline: float, seconds: float
    ) -> None:
        self._receive, self._send, self._closing = receive, send, _closing(send)
        self.cap, self.deadline, self.seconds = cap, deadline, seconds
        self.read = 0
        self.over = False  # the whole body was read, or the client left

    async def receive(self) -> Message:
        if self.over:
            return await self._receive()
        try:
            async with asyncio.timeout_at(self.deadline):
                message = await self._receive()
        except TimeoutError:
            detail = f"the request's body did not arrive within {self.seconds:g} s"
            raise HTTPException(408, detail) from None
        if message["type"] == "http.request":
            self.read += len(message.get("body", b""))
            if self.read > self.cap.size:
                raise HTTPException(413, f"the request is too large: {self.cap.says}")
            self.over = not message.get("more_body", False)
        else:
            self.over = True
        return message

    async def send(self, message: Message) -> None:
        """An answer given before the whole body was read closes the connection."""
        await (self._send if self.over else self._closing)(message)
