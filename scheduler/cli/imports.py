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
from scheduler.programme.moderngov_fetch import fetch
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
    Nothing is written unless every call succeeded and the file is valid.

    Examples:
        scrutiny import moderngov https://democracy.example.gov.uk --committee "Audit Committee" \\
            --from 2026-05-20 --to 2027-05-19 -o programme.yaml
        scrutiny import moderngov --from-files answers/ --committee 144 \\
            --from 2026-05-20 --to 2027-05-19 --into programme.yaml
    """
    if args.site is None and args.from_files is None:
        print(
            "scrutiny import: give the Modern.gov site's address, or --from-files DIR",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if not 0 < args.timeout <= 600:
        print("scrutiny import: --timeout is seconds, more than 0 and at most 600", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        answers: Answers = (
            Folder(Path(args.from_files)) if args.from_files else Site(args.site, args.timeout)
        )
        found = fetch(answers, args.committee, args.start, args.end)
    except ModernGovError as err:
        print(f"scrutiny import: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    site = Site(args.site).base if args.site else None
    if args.output:
        council = args.council or _council(site)
        text = new_programme(found, site, council, args.start, args.end)
        parse_programme(text, args.output)  # a programme it writes is one it reads
        write_atomically(args.output, text)
        meetings = sum(len(f.meetings) for f in found)
        said = f"{count(len(found), 'committee')}, {count(meetings, 'meeting')}"
        print(f"{args.output}: {said}", file=sys.stderr)
        return EXIT_OK
    path = Path(args.into)
    programme, _ = read_programme(_read(path), args.into)
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
