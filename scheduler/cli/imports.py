"""The verb that takes a council's committees and meetings from its Modern.gov (issue 24)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scheduler.cli.exits import EXIT_BAD_INPUT, EXIT_OK
from scheduler.errors import Problem, ProgrammeError
from scheduler.files import write_atomically
from scheduler.programme.edits import EditError, Format, apply_edit
from scheduler.programme.load import parse_programme
from scheduler.programme.moderngov import ModernGovError
from scheduler.programme.moderngov_calls import Answers, Folder, Site
from scheduler.programme.moderngov_fetch import Asked, Found, fetch
from scheduler.programme.moderngov_merge import Update, new_programme, updates
from scheduler.programme.source import read_text
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
    and items are added (never over a file without --force; '-' prints it). With --into, an
    existing file is brought up to date, every comment and every line not changed kept: a
    meeting whose day changed is moved (it keeps its calendar entry), a cancelled one
    cancelled, a new one added; one Modern.gov does not list is only told of. Each change is
    printed. Each meeting remembers its Modern.gov number, so that the next import finds it
    wherever it moved. Nothing is written unless every call succeeded and the file is valid.
    With --into alone, the file says what to ask: its `moderngov` site, its bodies' Modern.gov
    numbers and its year.

    Example:
        scrutiny import moderngov https://democracy.example.gov.uk --committee "Audit Committee" \\
            --from 2026-05-20 --to 2027-05-19 -o programme.yaml
        scrutiny import moderngov --from-files answers/ --committee 144 \\
            --from 2026-05-20 --to 2027-05-19 --into programme.yaml
        scrutiny import moderngov --into programme.yaml
    """
    if not 0 < args.timeout <= 600:
        return _refused("--timeout is seconds, more than 0 and at most 600")
    if args.output and args.output != "-" and Path(args.output).exists() and not args.force:
        return _refused(f"{args.output} exists: give --force to replace it, or --into to update it")
    text = _text(Path(args.into)) if args.into else None
    programme = parse_programme(text, args.into) if text is not None else None
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
    if programme is None or text is None:
        council = args.council or _council(site)
        return _new(args.output, new_programme(found, site, council, first, last), found)
    return _update(Path(args.into), text, updates(programme, found, site))


def _new(output: str, text: str, found: list[Found]) -> int:
    try:
        parse_programme(text, output)  # a programme it writes is one it reads
    except ProgrammeError as err:
        return _refused(f"Modern.gov's meetings do not make a valid programme:\n{err}")
    if output == "-":
        sys.stdout.write(text)
    else:
        write_atomically(output, text)
    meetings = sum(len(f.meetings) for f in found)
    said = f"{count(len(found), 'committee')}, {count(meetings, 'meeting')}"
    print(f"{output}: {said}", file=sys.stderr)
    return EXIT_OK


def _update(path: Path, text: str, changes: list[Update]) -> int:
    """Make the changes in the file, every other line as it was, and print them; or nothing."""
    edits = tuple(c.edit for c in changes if c.edit is not None)
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    try:
        changed = apply_edit(text, fmt, edits)
        parse_programme(changed, str(path))  # read as its kind of file (YAML or JSON)
    except (EditError, ProgrammeError) as err:
        said = f"{path} is left as it was: Modern.gov's changes cannot be made (the lines are "
        return _refused(f"{said}those the file would have):\n{err}")
    for change in changes:
        print(f"- {change.words}")
    if not edits:
        print(f"{path}: up to date with Modern.gov", file=sys.stderr)
        return EXIT_OK
    write_atomically(path, changed)
    print(f"{path}: {count(len(edits), 'change')} from Modern.gov", file=sys.stderr)
    return EXIT_OK


def _refused(problem: str) -> int:
    print(f"scrutiny import: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _text(path: Path) -> str:
    """The file's text as written (its line endings too), or the problem that stops reading it."""
    text = read_text(path)
    if isinstance(text, Problem):
        raise ProgrammeError([text])
    return text


def _council(site: str | None) -> str:
    """A council's name guessed from its site's address (democracy.example.gov.uk: Example
    Council), for a new file; the clerk corrects it."""
    host = (urlsplit(site).hostname or "") if site else ""
    words = [
        w
        for w in host.split(".")
        if w
        and w not in {"democracy", "moderngov", "committees", "www", "gov", "uk", "org", "cmis"}
    ]
    return f"{words[0].replace('-', ' ').title()} Council" if words else "Council"
