"""A programme's warnings on standard error (DESIGN §4.6): what every verb that reads a
programme says first. Light: `scrutiny validate` loads nothing more."""

from __future__ import annotations

import sys

from scheduler.check.warnings import warnings_of
from scheduler.errors import printable
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme


def warn(p: Programme, previous: Plan | None = None) -> None:
    """Print what is legal but probably a slip; it never changes the exit code."""
    for warning in warnings_of(p, previous):
        print(f"warning: {printable(warning.text)}", file=sys.stderr)
