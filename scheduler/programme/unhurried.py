"""Reading a large programme without Python's cycle collector stopping it again and again.

Composing a council's file makes some 40,000 nodes and its programme as many objects: each few
hundred new objects set off a collection, and in a service holding other programmes in memory
each of those walks them all (an edit took three times as long). The objects read are freed by
their counts; cycles among them, if any, are collected once reading is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_READING = 0  # readings under way, in every thread
_WAS_ON = False


@contextmanager
def collecting_after() -> Iterator[None]:
    """The cycle collector held off while the block runs (in whatever threads read at once),
    then as it was."""
    global _READING, _WAS_ON
    with _LOCK:
        if _READING == 0:
            _WAS_ON = gc.isenabled()
            gc.disable()
        _READING += 1
    try:
        yield
    finally:
        with _LOCK:
            _READING -= 1
            if _READING == 0 and _WAS_ON:
                gc.enable()
