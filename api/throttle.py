"""Slowing down whoever guesses the clerk's token: failed sign-ins and wrong bearer tokens,
counted per client address.

Five failures within a quarter of an hour are free (a clerk mistypes); the fifth makes the
address wait 30 seconds, and each further failure doubles the wait, up to a quarter of an hour.
While it waits, every attempt from the address is answered 429 with Retry-After at once, the
right token too (else the answer would tell a guess right from wrong): nothing ever sleeps,
on the event loop or a worker thread. A success forgets the address.

Memory is bounded: the addresses are kept in least-recently-failed order, and beyond `capacity`
the oldest is forgotten. The count is per process: with several workers, each keeps its own.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.exceptions import HTTPException

FREE_FAILURES = 5
WINDOW = 15 * 60.0  # seconds: failures further apart than this start the count again
FIRST_WAIT = 30.0
LONGEST_WAIT = 15 * 60.0
CAPACITY = 4096


class TooManyFailures(HTTPException):
    """Raised for a bearer token from an address that must wait (answered 429, Retry-After)."""

    def __init__(self, wait: int) -> None:
        super().__init__(
            429,
            f"too many wrong tokens from this address: try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


@dataclass
class _Failures:
    count: int
    last: float  # when the last failure was
    until: float  # no attempt before this


class Throttle:
    """Failures per client address; thread-safe (the routes run on a thread pool).

    Args:
        capacity: how many addresses are remembered at most.
        clock: seconds, monotonic (tests pass their own).
    """

    def __init__(
        self, capacity: int = CAPACITY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._failures: OrderedDict[str, _Failures] = OrderedDict()
        self._capacity = capacity
        self._clock = clock
        self._lock = threading.Lock()

    def wait(self, address: str) -> int:
        """Whole seconds before `address` may try again; 0: now."""
        with self._lock:
            failures = self._failures.get(address)
        if failures is None:
            return 0
        return max(0, math.ceil(failures.until - self._clock()))

    def failed(self, address: str) -> None:
        """Count a wrong token from `address`."""
        now = self._clock()
        with self._lock:
            failures = self._failures.pop(address, None)
            if failures is None or now - failures.last > WINDOW:
                failures = _Failures(0, now, now)
            failures.count += 1
            failures.last = now
            if failures.count >= FREE_FAILURES:
                doublings = min(failures.count - FREE_FAILURES, 10)  # no huge powers
                failures.until = now + min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)
            self._failures[address] = failures  # the most recent last
            while len(self._failures) > self._capacity:
                self._failures.popitem(last=False)

    def forget(self, address: str) -> None:
        """A success: the address starts again with nothing counted."""
        with self._lock:
            self._failures.pop(address, None)


def address(request: Request) -> str:
    """The client's address (behind a proxy, as uvicorn's proxy headers give it)."""
    return request.client.host if request.client else ""
