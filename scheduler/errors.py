"""The errors the library raises to its boundaries (CLI, API), and nothing else.

Every user-facing error carries located problems: the file, the path inside it and what is wrong,
so that the CLI can print them and exit 2 and the API can answer 422, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


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
