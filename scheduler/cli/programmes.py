"""The verbs of a programme alone: validate it, print its deadlines. They load no plan checks
and no solver, so that they answer at once."""

from __future__ import annotations

import argparse
import sys

from scheduler.cli.exits import EXIT_OK
from scheduler.cli.slips import warn
from scheduler.dates.deadlines import programme_deadlines
from scheduler.outputs.deadline_table import RENDERERS
from scheduler.programme.load import load_programme


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a programme file and summarise it; print its warnings (DESIGN §4.6) on standard
    error: legal, but probably a slip (a weekend meeting, an overlap). They never change the
    exit code.

    Example:
        scrutiny validate data/bromley-ecf-2017-18.yaml
    """
    p = load_programme(args.file)
    meetings = sum(len(b.meetings) for b in p.bodies)
    print(
        f"{args.file}: valid: {p.title}: {len(p.bodies)} bodies, {meetings} meetings, "
        f"{len(p.items)} items, {len(p.people)} people, {len(p.events)} events"
    )
    warn(p)
    return EXIT_OK


def cmd_deadlines(args: argparse.Namespace) -> int:
    """Print every meeting's agenda publication, reports-due and public-questions deadlines.

    Example:
        scrutiny deadlines data/bromley-ecf-2017-18.yaml --format csv
    """
    p = load_programme(args.file)
    sys.stdout.write(RENDERERS[args.format](programme_deadlines(p)))
    return EXIT_OK
