"""`/health`'s look at the database: at most one at a time, on a thread of its own, and an
answer within `WAIT` seconds whatever the database does.

A database that stops answering without closing its connections (hung, or behind a network
that holds packets) would keep a plain `SELECT 1` waiting for as long as it lasts, and each
request to `/health` another thread with it. Here every request shares the look under way, and
waits for it at most `WAIT` seconds: "not answering" is an answer too.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as Late

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from api.storage import reading

WAIT = 5.0  # seconds a request waits for the database's answer


class Probe:
    """Looks whether the database answers, one look at a time."""

    def __init__(self, wait: float = WAIT) -> None:
        self.wait = wait
        self._lock = threading.Lock()
        self._look: Future[bool] | None = None

    def answers(self, engine: Engine) -> bool | None:
        """True when the database answered, False when it refused (out of reach, or an
        error), None when it did not answer within `wait` seconds."""
        with self._lock:
            if self._look is None or self._look.done():
                self._look = Future()
                # a daemon thread: a look a hung database holds never keeps the process alive
                thread = threading.Thread(
                    target=_answer, args=(self._look, engine), name="health", daemon=True
                )
                thread.start()
            under_way = self._look
        try:
            return under_way.result(timeout=self.wait)
        except Late:
            return None


def _answer(future: Future[bool], engine: Engine) -> None:
    future.set_result(look(engine))


def look(engine: Engine) -> bool:
    """One `SELECT 1`: whether it was answered."""
    try:
        with reading(engine) as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
