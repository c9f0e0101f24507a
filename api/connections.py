"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for each request's head.

uvicorn closes a connection left idle after an answer (`timeout_keep_alive`), but waits for ever
on one that has just opened, and for the rest of a request head once its first byte came: a
client sending a byte now and then would hold a connection, and a few hundred such clients every
connection (`limit_concurrency`). Here a connection must bring a whole request line and headers
within `timeout_keep_alive` seconds of opening, or of its last answer, or it is closed. The body
has its own deadline (`api.limits`).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol


class H11WithHeadDeadline(H11Protocol):
    """h11, where each request's head must arrive within `timeout_keep_alive` seconds."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head(None)

    def on_response_complete(self) -> None:
        answered = self.cycle  # before a pipelined request, already here, starts its own
        super().on_response_complete()
        self._await_head(answered)

    def _await_head(self, last: object) -> None:
        """Close the connection unless a request after `last` (a cycle; None: none yet) has
        brought its head by the deadline: each request head makes a new cycle."""

        def check() -> None:
            if self.cycle is last and not self.transport.is_closing():
                self.transport.close()

        self.loop.call_later(self.timeout_keep_alive, check)
