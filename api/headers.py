"""Security headers on every answer: what a browser may load, frame or send on.

The web page's answers get a Content-Security-Policy that allows this site's own stylesheet and
script and nothing inline: an injected `<script>` or `onclick=` would not run. Every other answer
(JSON, calendar feeds, the work-programme document) loads nothing at all; only the document's own
`<style>` block is allowed, as it must stay one self-contained file to save and send
(`default-src 'none'` stops any injected CSS from fetching anything). No answer may be framed
(clickjacking), none sends a Referer (feed addresses carry their secret in the path), and none
may be sniffed into another type than it says.

Plain ASGI, so that it costs the feeds' hot path one list of constant headers.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web import page_path

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
OTHER_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none';"
    " form-action 'none'"
)
COMMON = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def _raw(policy: str) -> list[tuple[bytes, bytes]]:
    headers = {**COMMON, "Content-Security-Policy": policy}
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


PAGE_HEADERS = _raw(PAGE_POLICY)
OTHER_HEADERS = _raw(OTHER_POLICY)


def headers_for(path: str) -> list[tuple[bytes, bytes]]:
    """The security headers of an answer to `path`."""
    return PAGE_HEADERS if page_path(path) else OTHER_HEADERS


def secure(response: Response, path: str) -> Response:
    """`response` with the security headers: for answers made outside the middleware (the
    answer to an unexpected error is sent by Starlette's outermost layer)."""
    response.raw_headers.extend(headers_for(path))
    return response


class SecurityHeaders:
    """Adds the security headers to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"])

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_secured)
