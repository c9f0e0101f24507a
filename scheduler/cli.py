"""The `scrutiny` command: thin verbs over the library.

Each verb parses its arguments, calls the library and turns library errors into a clean exit:
0 success, 1 the answer is "no" (breaches, infeasible), 2 bad input. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from scheduler.deadlines import RENDERERS, programme_deadlines
from scheduler.errors import InputError
from scheduler.model import Programme, load_programme

EXIT_OK, EXIT_NO, EXIT_BAD_INPUT = 0, 1, 2

Command = Callable[[argparse.Namespace], int]


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a programme file and summarise it.

    Example:
        scrutiny validate data/bromley-ecf-2017-18.yaml
    """
    p = load_programme(args.file)
    meetings = sum(len(b.meetings) for b in p.bodies)
    print(
        f"{args.file}: valid: {p.title}: {len(p.bodies)} bodies, {meetings} meetings, "
        f"{len(p.items)} items, {len(p.people)} people, {len(p.events)} events"
    )
    return EXIT_OK


def cmd_deadlines(args: argparse.Namespace) -> int:
    """Print every meeting's agenda publication, reports-due and public-questions deadlines.

    Example:
        scrutiny deadlines data/bromley-ecf-2017-18.yaml --format csv
    """
    p: Programme = load_programme(args.file)
    sys.stdout.write(RENDERERS[args.format](programme_deadlines(p)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every verb (its help text is the CLI reference)."""
    parser = argparse.ArgumentParser(
        prog="scrutiny", description="Plan a council scrutiny committee's year."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, func: Command, summary: str) -> argparse.ArgumentParser:
        doc = func.__doc__ or ""
        sub = verbs.add_parser(
            name,
            help=summary,
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(func=func)
        return sub

    sub = verb("validate", cmd_validate, "check a programme file")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub = verb("deadlines", cmd_deadlines, "print every meeting's deadlines")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("--format", choices=sorted(RENDERERS), default="table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except InputError as err:
        print(err, file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    raise SystemExit(main())
