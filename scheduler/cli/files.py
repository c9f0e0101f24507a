"""The verbs that write a programme file's companions: its JSON Schema, and a starting file.

Neither reads a programme nor loads the solver: both answer at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from scheduler.cli.exits import EXIT_BAD_INPUT, EXIT_OK
from scheduler.files import write_atomically
from scheduler.programme.fields import DateRange
from scheduler.programme.load import parse_programme
from scheduler.programme.schema import schema_text
from scheduler.programme.starter import default_year, starter, year_of


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the programme file's JSON Schema (draft 2020-12), for editors' completion.

    Every key with what it says, the forms dates and times take, and the kinds, statuses and
    other words a key accepts. An editor that reads JSON Schema completes and checks the file as
    it is typed: in VS Code with the YAML extension, put the schema beside the file and start
    the file with the line `# yaml-language-server: $schema=programme.schema.json`. The schema
    checks shapes only: `scrutiny validate` checks the rest (that an id names a person, ...).

    Example:
        scrutiny schema -o programme.schema.json
    """
    text = schema_text()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text)
        print(f"{args.output}: the programme file's JSON Schema", file=sys.stderr)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """Write a starting programme file to fill in: every top-level key with a comment saying
    what it is, one committee with two meetings, two people, an item of each common kind and
    an event, dated inside --year (by default the coming municipal year, 20 May to 19 May). It
    validates and solves as it is. It refuses to replace a file unless --force.

    Example:
        scrutiny init --council "Riverside District Council" --year 2026-05-20..2027-05-19 \
            -o riverside.yaml
    """
    if args.output != "-" and Path(args.output).exists() and not args.force:
        print(
            f"init: {args.output} exists: give another name, or --force to replace it",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    year = args.year or default_year(dt.date.today())
    text = starter(year, args.council, args.title)
    parse_programme(text, args.output)  # as every file it writes must: checked first
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text)
        print(
            f"{args.output}: a starting programme: fill it in, then scrutiny validate "
            f"{args.output}",
            file=sys.stderr,
        )
    return EXIT_OK


def year_range(text: str) -> DateRange:
    """`--year FROM..TO`: the programme's first and last day (argparse's type)."""
    try:
        return year_of(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
