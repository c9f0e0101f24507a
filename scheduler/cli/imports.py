"""The verb that takes a council's committees and meetings from its Modern.gov (issue 24)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scheduler.cli.exits import EXIT_BAD_INPUT, EXIT_OK
from scheduler.files import write_atomically
from scheduler.programme.edits import EditError, Format, apply_edit
from scheduler.programme.load import parse_programme, read_programme
from scheduler.programme.moderngov import ModernGovError
from scheduler.programme.moderngov_calls import Answers, Folder, Site
from scheduler.programme.moderngov_fetch import Asked, fetch
from scheduler.programme.moderngov_merge import new_programme, updates
from scheduler.programme.words import count


def cmd_import(args: argparse.Namespace) -> int:
    """Take committees and their meetings from the council's Modern.gov.

    Each --committee (its Modern.gov number, or its name) is asked for with its meetings from
    --from to --to: their days, start times, planned finish (as the meeting's agenda minutes),
    location (as the venue), and cancelled, postponed or provisional status. Either the site is
    asked (SITE, each call within --timeout seconds), or --from-files DIR is read: the
    service's answers saved as GetCommittees.xml, GetMeetings-<committee>.xml and
    GetMeeting-<meeting>.xml, for a council whose site refuses scripts.

    With -o, a new programme file is written: its bodies and their meetings, to which people
    and items are added. With --into, an existing file is brought up to date, every comment and
    every line not changed kept: a meeting whose day changed is moved (it keeps its calendar
    entry), a cancelled one cancelled, a new one added. Each change is printed. Each meeting
    remembers its Modern.gov number, so that the next import finds it wherever it moved.
    Nothing is written unless every call succeeded and the file is valid. With --into alone,
    the file says what to ask: its `moderngov` site, its bodies' Modern.gov numbers and its year.

    Examples:
        scrutiny import moderngov https://democracy.example.gov.uk --committee "Audit Committee" \\
            --from 2026-05-20 --to 2027-05-19 -o programme.yaml
        scrutiny import moderngov --from-files answers/ --committee 144 \\
            --from 2026-05-20 --to 2027-05-19 --into programme.yaml
        scrutiny import moderngov --into programme.yaml
    """
    if not 0 < args.timeout <= 600:
        return _refused("--timeout is seconds, more than 0 and at most 600")
    programme = read_programme(_read(Path(args.into)), args.into)[0] if args.into else None
    asked = Asked.of(programme) if programme is not None else None
    site = args.site or (asked.site if asked else None)
    committees = args.committee or (asked.committees if asked else [])
    first = args.start or (asked.first if asked else None)
    last = args.end or (asked.last if asked else None)
    if site is None and args.from_files is None:
        return _refused("give the Modern.gov site's address, or --from-files DIR")
    if not committees:
        return _refused("name each committee with --committee (its number or its name)")
    if first is None or last is None:
        return _refused("give the first and last day with --from and --to")
    try:
        answers: Answers = (
            Folder(Path(args.from_files)) if args.from_files else Site(site or "", args.timeout)
        )
        found = fetch(answers, committees, first, last)
        site = Site(site).base if site else None
    except ModernGovError as err:
        return _refused(str(err))
    if programme is None:
        council = args.council or _council(site)
        text = new_programme(found, site, council, first, last)
        parse_programme(text, args.output)  # a programme it writes is one it reads
        write_atomically(args.output, text)
        meetings = sum(len(f.meetings) for f in found)
        said = f"{count(len(found), 'committee')}, {count(meetings, 'meeting')}"
        print(f"{args.output}: {said}", file=sys.stderr)
        return EXIT_OK
    path = Path(args.into)
    changes = updates(programme, found, site)
    for change in changes:
        print(f"- {change.words}")
    edits = tuple(c.edit for c in changes if c.edit is not None)
    if not edits:
        print(f"{args.into}: up to date with Modern.gov", file=sys.stderr)
        return EXIT_OK
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    try:
        text = apply_edit(_read(path), fmt, edits)
    except EditError as err:
        print(f"scrutiny import: {args.into}: {err}; nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    parse_programme(text, args.into)
    write_atomically(path, text)
    print(f"{args.into}: {count(len(edits), 'change')} from Modern.gov", file=sys.stderr)
    return EXIT_OK


def _refused(problem: str) -> int:
    print(f"scrutiny import: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _council(site: str | None) -> str:
    """A council's name guessed from its site's address (democracy.example.gov.uk: Example
    Council), for a new file; the clerk corrects it."""
    host = (urlsplit(site).hostname or "") if site else ""
    words = [
        w
        for w in host.split(".")
        if w not in {"democracy", "moderngov", "committees", "www", "gov", "uk", "org", "cmis"}
    ]
    return f"{words[0].replace('-', ' ').title()} Council" if words else "Council"
