"""Feeds from memory: which stored file an address finds, and the file's bytes, kept in each
server process so that a feed read need not go to the database (README, "Feeds from memory").

- **What an address finds** (its ETag, publication, programme, plan and path) is kept for at
  most `TTL` seconds. It is forgotten at once, in this process, by any transaction that
  revokes a feed address or publishes feeds: a session (every write of the service is one)
  that commits an UPDATE or DELETE of `feed_tokens` or `feeds`, or adds, changes or deletes
  their rows (`_watch_statements`, `_watch`). It is forgotten after the commit, and a lookup
  read before it is not kept, so that no read in between can keep the old answer. Another
  process on the same database (a worker of `scrutiny serve --workers N`, a second server)
  reads again within `TTL` seconds: that long, at most, a revoked address may answer there.
- Only addresses found are kept: a new address works at once, in every process, and an unknown
  or revoked one goes to the database each time, as it always did.
- **A file's bytes** are kept by programme, plan, path and ETag (a hash of the bytes: they
  cannot be stale), at most `BYTES` of them in all, the least recently used dropped first.

Entries hold token digests, never tokens; nothing is written anywhere.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from api.tables import FeedRow, FeedToken

#: Seconds another process may keep answering an address revoked (or a plan superseded) here.
TTL = 1.0
#: Lookups kept per process (only found ones; a few hundred bytes each).
LOOKUPS = 8192
#: Bytes of feeds kept per process.
BYTES = 32 * 1024 * 1024

_CHANGED = "scrutiny.feeds_changed"  # a session's info key: it wrote feeds or feed tokens
_WATCHED = (FeedRow, FeedToken)


class _Generation:
    """Counts the committed changes to feeds and feed tokens in this process."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.value += 1


GENERATION = _Generation()


@event.listens_for(Session, "do_orm_execute")
def _watch_statements(state: ORMExecuteState) -> None:
    """An UPDATE or DELETE statement of feeds or feed tokens (a revocation)."""
    if (state.is_update or state.is_delete) and any(
        m.class_ in _WATCHED for m in state.all_mappers
    ):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_flush")
def _watch(session: Session, _context: Any) -> None:
    """Feeds or feed tokens added, changed or deleted (a publication)."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, _WATCHED) for row in changed):
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _forget(session: Session) -> None:
    """Once committed, every lookup made before is stale. (A change rolled back leaves its mark
    to the session's next commit: one needless forgetting, never a missed one.)"""
    if session.info.pop(_CHANGED, False):
        GENERATION.bump()


@dataclass(frozen=True)
class Found:
    """A stored file an address finds."""

    etag: str
    published: dt.datetime | str  # as the driver gives it
    programme: str
    plan: int
    path: str


@dataclass(frozen=True)
class _Entry:
    found: Found
    generation: int
    read: float  # time.monotonic() when the database was asked


class FeedCache:
    """What addresses find, and files' bytes, for one database (see above).

    Args:
        find: the database's answer to a lookup's parameters (a row or None).
        read: a file's bytes by programme, plan and path.
        ttl, lookups, kept: the bounds above.
        clock: seconds, monotonic (tests pass their own).
    """

    def __init__(
        self,
        find: Callable[[Hashable, Mapping[str, Any]], Any],
        read: Callable[[str, int, str], bytes],
        *,
        ttl: float = TTL,
        lookups: int = LOOKUPS,
        kept: int = BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._find, self._read = find, read
        self.ttl, self.lookups, self.kept, self.clock = ttl, lookups, kept, clock
        self._found: OrderedDict[tuple[Hashable, ...], _Entry] = OrderedDict()
        self._bytes: OrderedDict[tuple[str, int, str, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def find(self, query: Hashable, params: Mapping[str, Any]) -> Found | None:
        """The file `query` finds with `params`, as of at most `ttl` seconds ago and after every
        change committed in this process; None when it finds none now."""
        key = (query, *params.values())
        now = self.clock()
        with self._lock:
            entry = self._found.get(key)
            if (
                entry is not None
                and entry.generation == GENERATION.value
                and now - entry.read < self.ttl
            ):
                self._found.move_to_end(key)
                return entry.found
        generation = GENERATION.value  # before the read: a change committed during it wins
        row = self._find(query, params)
        with self._lock:
            if row is None:
                self._found.pop(key, None)
                return None
            found = Found(*row)
            self._found[key] = _Entry(found, generation, now)
            self._found.move_to_end(key)
            while len(self._found) > self.lookups:
                self._found.popitem(last=False)
        return found

    def body(self, found: Found) -> bytes:
        """The bytes of the file found."""
        key = (found.programme, found.plan, found.path, found.etag)
        with self._lock:
            data = self._bytes.get(key)
            if data is not None:
                self._bytes.move_to_end(key)
                return data
        data = self._read(found.programme, found.plan, found.path)
        if len(data) > self.kept:
            return data
        with self._lock:
            if key not in self._bytes:
                self._bytes[key] = data
                self._size += len(data)
            while self._size > self.kept:
                _, dropped = self._bytes.popitem(last=False)
                self._size -= len(dropped)
        return data
