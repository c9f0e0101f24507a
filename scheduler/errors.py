"""The errors the library raises to its boundaries (CLI, API), and nothing else.

Every user-facing error carries located problems: the file, the path inside it and what is wrong,
so that the CLI can print them and exit 2 and the API can answer 422, never a traceback.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

#: Characters a terminal or a viewer would act on rather than show: bidirectional overrides and
#: isolates (text shown in another order than it is read), beside the control characters.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Longest value a message echoes; the rest is cut (a 5,000-digit number is not read).
SHOWN_LENGTH = 60


def printable(text: str) -> str:
    """`text` with every control character, lone surrogate and bidirectional override written
    as an escape (``\\x1b``, ``\\ud800``), so that a message is one line that only shows.

    >>> printable("Title\\x1b[31m")
    'Title\\\\x1b[31m'
    """
    if text.isprintable() or not any(_hidden(c) for c in text):
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if _hidden(c) else c for c in text)


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI


def shown(value: Any) -> str:
    """A value as a message quotes it: its repr, printable and cut to `SHOWN_LENGTH`."""
    try:
        text = repr(value)
    except ValueError:  # an integer with more digits than Python converts to text
        text = "a number of more than 4,300 digits"
    text = printable(text)
    if len(text) <= SHOWN_LENGTH:
        return text
    return f"{text[:SHOWN_LENGTH]}... ({len(text):,} characters)"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file.

    Attributes:
        file: the file's name as the user gave it.
        order: position in the file (line, or a path-order key) so problems sort in file order.
        location: the path inside the file, e.g. ``items[7] (camhs).witnesses[0]``; empty for
            the whole file.
        message: what is wrong, in plain words.
        line: 1-based line number where known.
    """

    file: str
    order: tuple[int, ...]
    location: str
    message: str
    line: int | None = None

    def __post_init__(self) -> None:
        # Whatever the file held, a problem's words are safe to print and to send as JSON.
        for name in ("file", "location", "message"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.location}: {self.message}"
            if self.location
            else (f"{where}: {self.message}")
        )


class ScrutinyError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(ScrutinyError):
    """Raised when an input file (programme or plan) cannot be read or is invalid.

    All problems found are reported at once, in file order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProgrammeError(InputError):
    """Raised when a programme file (DESIGN §4) is malformed or fails validation."""


class PlanFileError(InputError):
    """Raised when a plan file (DESIGN §8) is malformed or does not fit its programme."""
