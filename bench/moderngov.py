"""The Modern.gov import and check (issue 24): how long each takes, beside the network's floor.

A council's Modern.gov on 127.0.0.1 (`CouncilSite`, http.server's ThreadingHTTPServer in a
thread) answers `GetCommittees`, `GetMeetings?lCommitteeId=..&sFromDate=dd/mm/yyyy&sToDate=..`
and `GetMeeting?lMeetingId=..` as the service does, from a programme: body i is committee
100 + i, the meetings are numbered from 1000 in the file's order, each with its day, status,
start, planned finish (start + agenda time) and location (venue); the busiest body's middle
meeting is a week later there. (A real GetMeeting answer carries the agenda too, and is larger.)
Sizes: Bromley (data/bromley-ecf-2017-18.yaml) and the council of DESIGN §9 (`bench.generate`).

Each round (R of them, after one not counted), one after another:

- floor: every call an import makes (GetCommittees, GetMeetings of each committee, GetMeeting
  of each meeting) as plain urllib GETs, nothing parsed;
- import -o: `scrutiny import moderngov SITE --committee ... -o new.yaml` as library calls
  (`fetch`, `new_programme`, the new file parsed);
- import --into: the programme carrying the site's numbers (its site, bodies and meetings)
  brought up to date: parsed, `fetch`, `updates`, `apply_edit`, the result parsed (one move);
- service GET and POST `/programmes/{id}/moderngov` through FastAPI's TestClient, on a fresh
  SQLite service (set up untimed) allowed to call 127.0.0.1/32 (SCRUTINY_MODERNGOV_PRIVATE's
  setting); the POST asks the site again and writes the move as a new version.

The table: each row's calls (counted by the site), median and least seconds, and the floor's
share of the median (the floor's median per call times the row's calls). Then, once per size,
the command line end to end in a process of its own (`-o`, then `--into`), wall seconds, as a
clerk waits. What each row finds is asserted (the bodies and meetings; exactly the one move),
never its time. How idle the machine was before each size is printed. Printed and written to
bench/MODERNGOV.md. Timing is measured here, never asserted in tests.

Run with `make bench`, or `python -m bench.moderngov [--rounds 5] [--sizes Bromley,council]`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import ipaddress
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from bench.generate import council, to_yaml
from bench.load import idle
from bench.run import BROMLEY, HERE, machine
from bench.starts import SCRUTINY
from scheduler.programme import moderngov_fetch
from scheduler.programme.edits import (
    ChangeEntry,
    ChangeMeeting,
    ChangeSettings,
    Edit,
    MoveMeeting,
    apply_edit,
)
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Body, Meeting, Programme
from scheduler.programme.moderngov_calls import Site
from scheduler.programme.moderngov_fetch import Asked, fetch
from scheduler.programme.moderngov_merge import new_programme, updates

ROUNDS = 5
#: Each size's programme file.
SIZES: dict[str, Callable[[], str]] = {
    "Bromley": BROMLEY.read_text,
    "council": lambda: to_yaml(council()),
}
FIRST_COMMITTEE, FIRST_MEETING = 100, 1000
#: How far away the far rows' site is: each answer waits this long.
AWAY = 0.05
MOVED_BY = dt.timedelta(days=7)
CLERK = "bench-moderngov-clerk-token-0123456789"
AUTH = {"Authorization": f"Bearer {CLERK}"}
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)
STATUS_WORDS = {  # Modern.gov's word for each status of a programme's meeting
    "scheduled": "Confirmed",
    "cancelled": "Cancelled",
    "postponed": "Postponed",
    "tentative": "Provisional",
}
SERVICE = "/mgWebService.asmx/"


# ----------------------------------------------------------------------------------------------
# The council's Modern.gov, on loopback


@dataclass(frozen=True)
class Listed:
    """A meeting on the site: its part of `GetMeetings`, and its whole `GetMeeting` answer."""

    number: int
    committee: int
    day: dt.date
    fragment: str
    detailed: bytes


def _text(words: str | None) -> str:
    """Text as Modern.gov writes it: HTML escaped again inside the XML; none a newline."""
    return "\n  " if not words else escape(html.escape(words, quote=False))


def _clock(at: dt.time | None) -> str | None:
    """`7.00 pm`, as Modern.gov gives a time."""
    return None if at is None else f"{at.hour % 12 or 12}.{at:%M} {'am' if at.hour < 12 else 'pm'}"


def _xml(root: str) -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?>\n{root}\n'.encode()


def _listed(number: int, committee: int, body: Body, m: Meeting, day: dt.date) -> Listed:
    start, minutes = m.start or body.start, body.agenda_minutes(m)
    end = None
    if start is not None and minutes is not None:
        end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
    plain = (
        f"<meeting><meetingid>{number}</meetingid><meetingdate>{day:%d/%m/%Y}</meetingdate>"
        f"<meetingstatus>{STATUS_WORDS[m.status]}</meetingstatus>"
        f"<meetingtime>{_text(_clock(start))}</meetingtime>"
    )
    details = (
        f"<meetingplannedfinishtime>{_text(_clock(end))}</meetingplannedfinishtime>"
        f"<meetinglocation>{_text(m.venue or body.venue)}</meetinglocation></meeting>"
    )
    return Listed(number, committee, day, plain + "</meeting>", _xml(plain + details))


@dataclass
class CouncilSite:
    """Modern.gov's answers for a programme (see the module), and how many calls it answered."""

    titles: dict[int, str]
    meetings: list[Listed]
    moved: str  # the key of the meeting a week later there than in the programme
    calls: int = 0
    counting: threading.Lock = field(default_factory=threading.Lock)
    away: float = 0.0  # seconds each answer waits, for a site that is not on loopback

    @classmethod
    def of(cls, p: Programme) -> CouncilSite:
        busiest = max(p.bodies, key=lambda b: len(b.meetings))
        held = [m for m in busiest.meetings if m.fixed and m.status != "cancelled"]
        moved = held[len(held) // 2].key
        titles = {FIRST_COMMITTEE + b: body.name for b, body in enumerate(p.bodies)}
        listed: list[Listed] = []
        for committee, body in zip(titles, p.bodies, strict=True):
            for m in body.meetings:
                day = m.date + (MOVED_BY if m.key == moved else dt.timedelta())
                listed.append(_listed(FIRST_MEETING + len(listed), committee, body, m, day))
        return cls(titles, listed, moved)

    def answer(self, call: str, query: dict[str, list[str]]) -> bytes | None:
        """The answer to one call; None for a call or number it does not know."""
        with self.counting:
            self.calls += 1
        time.sleep(self.away)
        number = int(next(iter(query.get("lCommitteeId") or query.get("lMeetingId") or []), -1))
        if call == "GetCommittees":
            return _xml(f"<committees>{''.join(map(_committee, self.titles.items()))}</committees>")
        if call == "GetMeetings" and number in self.titles:
            first, last = _day(query, "sFromDate", dt.date.min), _day(query, "sToDate", dt.date.max)
            within = "".join(
                m.fragment
                for m in self.meetings
                if m.committee == number and first <= m.day <= last
            )
            return _xml(
                f"<getmeetings><committee><committeeid>{number}</committeeid><committeetitle>"
                f"{_text(self.titles[number])}</committeetitle><committeemeetings>{within}"
                "</committeemeetings></committee></getmeetings>"
            )
        if call == "GetMeeting" and 0 <= number - FIRST_MEETING < len(self.meetings):
            return self.meetings[number - FIRST_MEETING].detailed
        return None

    def addresses(self, base: str, first: dt.date, last: dt.date) -> list[str]:
        """Every call an import of all its committees from `first` to `last` makes."""
        days = {"sFromDate": f"{first:%d/%m/%Y}", "sToDate": f"{last:%d/%m/%Y}"}
        return [
            f"{base}{SERVICE}GetCommittees",
            *(f"{base}{SERVICE}GetMeetings?" + urlencode({"lCommitteeId": n, **days})
              for n in self.titles),
            *(f"{base}{SERVICE}GetMeeting?lMeetingId={m.number}"
              for m in self.meetings if first <= m.day <= last),
        ]  # fmt: skip


def _committee(numbered: tuple[int, str]) -> str:
    number, title = numbered
    return (
        f"<committee><committeeid>{number}</committeeid><committeetitle>{_text(title)}"
        "</committeetitle><committeedeleted>False</committeedeleted><committeeexpired>False"
        "</committeeexpired><committeecategory>Scrutiny</committeecategory></committee>"
    )


def _day(query: dict[str, list[str]], name: str, unread: dt.date) -> dt.date:
    """A `dd/mm/yyyy` day; one it cannot read is ignored (`unread`), as Modern.gov does."""
    try:
        return dt.datetime.strptime((query.get(name) or [""])[0], "%d/%m/%Y").date()
    except ValueError:
        return unread


class _Server(ThreadingHTTPServer):
    site: CouncilSite


class _Answering(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        try:
            body = cast(_Server, self.server).site.answer(parts.path.partition(SERVICE)[2], query)
        except ValueError:  # a number that is not one
            body = None
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def serving(site: CouncilSite) -> Iterator[str]:
    """The site on a free port of 127.0.0.1, in a thread, while the block runs: its address."""
    server = _Server(("127.0.0.1", 0), _Answering)
    server.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# ----------------------------------------------------------------------------------------------
# The rows


@dataclass
class Size:
    """One size: its programme, its site, and the programme carrying the site's numbers."""

    name: str
    text: str
    programme: Programme
    site: CouncilSite
    base: str = ""
    numbered: str = ""

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        return cast(dt.date, self.programme.year.start), cast(dt.date, self.programme.year.end)


def numbered(s: Size) -> str:
    """The programme with its site, each body's committee number and each meeting's, by the
    edits that keep its comments (made in one reading of the file: `edits._passes`)."""
    numbers = [FIRST_MEETING + n for n in range(len(s.site.meetings))]
    edits: list[Edit] = [ChangeSettings({"moderngov": s.base})]
    bodies = zip(s.site.titles, s.programme.bodies, strict=True)
    edits += [ChangeEntry("bodies", b.id, {"moderngov": n}) for n, b in bodies]
    meetings = zip(numbers, (m for b in s.programme.bodies for m in b.meetings), strict=True)
    edits += [ChangeMeeting(m.key, {"moderngov": n}) for n, m in meetings]
    return apply_edit(s.text, "yaml", tuple(edits))


_PLAIN = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def floor(s: Size) -> None:
    for address in s.site.addresses(s.base, *s.days):
        with _PLAIN.open(address, timeout=60) as answer:
            answer.read()


def import_new(s: Size) -> None:
    site = Site(s.base)
    found = fetch(site, [str(n) for n in s.site.titles], *s.days)
    made = parse_programme(new_programme(found, site.base, "Council", *s.days), "new.yaml")
    bodies = [(b.name, len(b.meetings)) for b in made.bodies]
    assert bodies == [(b.name, len(b.meetings)) for b in s.programme.bodies], bodies


def import_into(s: Size) -> None:
    p = parse_programme(s.numbered, "numbered.yaml")
    asked = Asked.of(p)
    site = Site(asked.site or "")
    found = fetch(site, asked.committees, *s.days)
    edits = tuple(u.edit for u in updates(p, found, site.base) if u.edit is not None)
    moved = p.meetings_by_id[s.site.moved][1].date + MOVED_BY
    assert edits == (MoveMeeting(s.site.moved, moved),), edits
    parse_programme(apply_edit(s.numbered, "yaml", edits), "numbered.yaml as changed")


def import_first(s: Size) -> None:
    """The first import into the file as typed: the site written, every body and meeting
    linked (the one listed a week late is not known yet without its number: a new meeting)."""
    p = s.programme
    site = Site(s.base)
    found = fetch(site, [str(n) for n in s.site.titles], *s.days)
    edits = tuple(u.edit for u in updates(p, found, site.base) if u.edit is not None)
    changed = parse_programme(apply_edit(s.text, "yaml", edits), "first.yaml as changed")
    # Bodies sharing a name (the council's two SACREs) are told of, not guessed at.
    names = Counter(b.name for b in p.bodies)
    shared = sum(len(b.meetings) for b in p.bodies if names[b.name] > 1)
    linked = sum(m.moderngov is not None for b in changed.bodies for m in b.meetings)
    assert linked == len(s.site.meetings) - shared, (linked, len(s.site.meetings), shared)


def far(s: Size, at_once: int) -> None:
    """A new file from a site `AWAY` seconds away, asking `at_once` meetings at a time."""
    kept, moderngov_fetch.AT_ONCE, s.site.away = moderngov_fetch.AT_ONCE, at_once, AWAY
    try:
        import_new(s)
    finally:
        moderngov_fetch.AT_ONCE, s.site.away = kept, 0.0


def service_check(s: Size, folder: Path, timed: Callable[[str, Callable[[], Any]], Any]) -> None:
    """The service's GET and POST on a fresh database, each timed by `timed(row, call)`."""
    for old in folder.glob("scrutiny.db*"):
        old.unlink()
    database = f"sqlite:///{folder / 'scrutiny.db'}"
    settings = Settings(database_url=database, clerk_token=CLERK, moderngov_private=LOOPBACK)
    with TestClient(create_app(settings, announce=False)) as client:
        headers = {**AUTH, "Content-Type": "application/yaml"}
        sent = client.post("/programmes", content=s.numbered.encode(), headers=headers)
        assert sent.status_code == 201, sent.text
        where = f"/programmes/{s.programme.id}/moderngov"
        got = timed("service check GET", partial(client.get, where, headers=AUTH))
        assert got.status_code == 200 and len(got.json()["changes"]) == 1, got.text
        headers = {**AUTH, "If-Match": f'"{got.json()["revision"]}"'}
        digest = {"digest": got.json()["digest"]}
        done = timed(
            "service apply POST", partial(client.post, where, json=digest, headers=headers)
        )
        assert done.status_code == 200 and done.json()["programme"]["version"] == 2, done.text


# ----------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Measured:
    """Each row's seconds (one a round) and calls to the site."""

    site: CouncilSite
    seconds: dict[str, list[float]] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    keep: bool = True  # False in the round not counted

    def timed(self, row: str, call: Callable[[], Any]) -> Any:
        before = self.site.calls
        started = time.perf_counter()
        out = call()
        took = time.perf_counter() - started
        if self.keep:
            self.seconds.setdefault(row, []).append(took)
            self.calls[row] = self.site.calls - before
        return out


def command_line(s: Size, folder: Path, m: Measured) -> None:
    """`scrutiny import moderngov` in a process of its own, `-o` then `--into`, once each."""
    new, into = folder / "new.yaml", folder / "into.yaml"
    new.unlink(missing_ok=True)
    into.write_text(s.numbered)
    committees = [word for n in s.site.titles for word in ("--committee", str(n))]
    days = ["--from", s.days[0].isoformat(), "--to", s.days[1].isoformat()]
    runs = {
        "command line -o (once)": [s.base, *committees, *days, "-o", str(new)],
        "command line --into (once)": ["--into", str(into)],
    }
    for row, arguments in runs.items():
        command = [*SCRUTINY, "import", "moderngov", *arguments]
        done = m.timed(row, partial(subprocess.run, command, capture_output=True, check=False))
        assert done.returncode == 0, done.stderr.decode()
    assert into.read_text() != s.numbered and new.is_file()


def measure(name: str, rounds: int, folder: Path) -> tuple[Measured, float]:
    """One size's rows (`rounds` rounds after one not counted), and how idle the machine was
    before."""
    text = SIZES[name]()
    programme = parse_programme(text, f"{name}.yaml")
    s = Size(name, text, programme, CouncilSite.of(programme))
    m = Measured(s.site)
    with serving(s.site) as base:
        s.base = base
        s.numbered = numbered(s)
        quiet = idle()
        for round_ in range(rounds + 1):
            m.keep = round_ > 0
            m.timed("floor: the calls, plain GETs", partial(floor, s))
            m.timed("import -o new.yaml", partial(import_new, s))
            m.timed("import --into (one moved)", partial(import_into, s))
            m.timed("first import --into (links all)", partial(import_first, s))
            if name == "Bromley":  # the council's 576 calls 50 ms away: a minute a round
                m.timed("-o, site 50 ms away, 1 at once", partial(far, s, 1))
                m.timed(
                    f"-o, site 50 ms away, {moderngov_fetch.AT_ONCE} at once",
                    partial(far, s, moderngov_fetch.AT_ONCE),
                )
            service_check(s, folder, m.timed)
        command_line(s, folder, m)
    return m, quiet


def table(name: str, m: Measured) -> list[str]:
    """The size's lines of the table."""
    floor_row = next(iter(m.seconds))
    per_call = statistics.median(m.seconds[floor_row]) / m.calls[floor_row]
    lines = []
    for row, seconds in m.seconds.items():
        median = statistics.median(seconds)
        share = 100 * per_call * m.calls[row] / median
        lines.append(
            f"{name:<8} {row:<30} {m.calls[row]:>6} {median:>9.3f} {min(seconds):>8.3f} "
            f"{share:>8.0f}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds of each ({ROUNDS})")
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"of {', '.join(SIZES)}")
    args = parser.parse_args(argv)
    sizes = args.sizes.split(",")
    if args.rounds < 1 or not set(sizes) <= set(SIZES):
        parser.error(f"need --rounds >= 1 and sizes of {', '.join(SIZES)}")
    for name in ("no_proxy", "NO_PROXY"):  # loopback never through a proxy, here or in the CLI
        os.environ[name] = ",".join(filter(None, [os.environ.get(name), "127.0.0.1"]))
    lines = [f"{'size':<8} {'what':<30} {'calls':>6} {'median s':>9} {'least s':>8} {'floor %':>8}"]
    idleness = []
    with tempfile.TemporaryDirectory(prefix="bench-moderngov-") as tmp:
        for name in sizes:
            m, quiet = measure(name, args.rounds, Path(tmp))
            lines += table(name, m)
            idleness.append(f"{name} {quiet:.0%}")
    text = "\n".join(lines)
    print(text)
    print(f"idle before: {', '.join(idleness)}")
    (HERE / "MODERNGOV.md").write_text(
        "# The Modern.gov import and check (`python -m bench.moderngov`)\n\n"
        f"Machine: {machine()}.\n\nThe machine's CPU was idle before each size: "
        f"{', '.join(idleness)}.\n\nA council's Modern.gov on 127.0.0.1 (http.server in a "
        "thread) answering from the programme: Bromley (4 bodies, 14 meetings) and the "
        "synthetic council (64 bodies, 511 meetings). Each row's median and least wall seconds "
        f'over {args.rounds} rounds (after one not counted); "calls": the site\'s answers it '
        'asked for; "floor %": the share of the median that plain urllib GETs of as many '
        "calls take (the floor row's median per call). The command line rows are one run "
        "each, in a process of their own (its start included). The rows of a site 50 ms away "
        "wait that long before each answer, and ask for the meetings one at a time, or as the "
        "import does (a few at once).\n\n```\n" + text + "\n```\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
