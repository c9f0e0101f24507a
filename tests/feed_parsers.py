"""Reading our feeds as real clients do, with parsers that did not write them, and RFC 5545 form.

Each reader maps every event's UID to its start: a timed start in UTC (`2017-06-28T18:00:00Z`),
an all-day start as its date. Python's icalendar (the writer, read back after a byte-exact round
trip) and vobject (which uses the feed's own VTIMEZONE), then ical.js (Thunderbird's parser, also
using the VTIMEZONE) and node-ical (IANA zones by TZID) through Node, all files in one run.

`every_properties_reading` has the same four read what a subscribed client acts on besides the
times: how often to read the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL), and each event's
URL, TRANSP and STATUS.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import icalendar
import vobject

REPO = Path(__file__).parent.parent
NODE_SCRIPT = REPO / "tests" / "js" / "parse_feeds.mjs"

Starts = dict[str, str]
#: {"refresh": [REFRESH-INTERVAL, X-PUBLISHED-TTL], "events": {uid: [URL, TRANSP, STATUS]}}
Properties = dict[str, Any]


def _start(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"floating time {value}"
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def with_icalendar(data: bytes) -> Starts:
    """icalendar's reading; the bytes must come back unchanged from a round trip."""
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.to_ical(sorted=False) == data, "icalendar round trip changed the bytes"
    return {str(e["UID"]): _start(e.decoded("DTSTART")) for e in calendar.walk("VEVENT")}


def with_vobject(data: bytes) -> Starts:
    """vobject's reading, through the feed's own VTIMEZONE."""
    calendar = vobject.readOne(data.decode("utf-8"))
    events = calendar.contents.get("vevent", [])
    return {e.uid.value: _start(e.dtstart.value) for e in events}


def properties_with_icalendar(data: bytes) -> Properties:
    """icalendar's reading of the refresh and of each event's URL, TRANSP and STATUS."""
    calendar = icalendar.Calendar.from_ical(data)
    interval = calendar.get("REFRESH-INTERVAL")
    refresh = [
        interval.to_ical().decode() if interval else None,
        _text(calendar, "X-PUBLISHED-TTL"),
    ]
    events = {
        str(e["UID"]): [_text(e, "URL"), _text(e, "TRANSP"), _text(e, "STATUS")]
        for e in calendar.walk("VEVENT")
    }
    return {"refresh": refresh, "events": events}


def _text(component: Any, name: str) -> str | None:
    value = component.get(name)
    return None if value is None else str(value)


def properties_with_vobject(data: bytes) -> Properties:
    """vobject's reading of the refresh and of each event's URL, TRANSP and STATUS."""
    calendar = vobject.readOne(data.decode("utf-8"))

    def value(component: Any, name: str) -> str | None:
        found = component.contents.get(name)
        return str(found[0].value) if found else None

    refresh = [value(calendar, "refresh-interval"), value(calendar, "x-published-ttl")]
    events = {
        e.uid.value: [value(e, "url"), value(e, "transp"), value(e, "status")]
        for e in calendar.contents.get("vevent", [])
    }
    return {"refresh": refresh, "events": events}


def every_properties_reading(files: list[Path]) -> dict[Path, dict[str, Properties]]:
    """For each file: parser name -> its reading of the refresh and of URL, TRANSP, STATUS."""
    node = with_node(files, "--properties")
    return {
        f: {
            "icalendar": properties_with_icalendar(f.read_bytes()),
            "vobject": properties_with_vobject(f.read_bytes()),
            **node[f],
        }
        for f in files
    }


def with_node(files: list[Path], *options: str) -> dict[Path, dict[str, Any]]:
    """ical.js's and node-ical's readings of every file, from one Node process (with
    `--properties`: of the refresh and the events' URL, TRANSP and STATUS; else the starts)."""
    result = subprocess.run(
        ["node", str(NODE_SCRIPT), *options, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "TZ": "UTC"},
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, dict[str, Any]] = json.loads(result.stdout)
    return {Path(name): readings for name, readings in parsed.items()}


def every_reading(files: list[Path]) -> dict[Path, dict[str, Starts]]:
    """For each file: parser name -> its UID -> start map."""
    node = with_node(files)
    return {
        f: {
            "icalendar": with_icalendar(f.read_bytes()),
            "vobject": with_vobject(f.read_bytes()),
            **node[f],
        }
        for f in files
    }


def unfolded(data: bytes) -> list[str]:
    """The content lines, unfolded (RFC 5545 §3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def text_of(data: bytes) -> str:
    """Everything a reader could see: unfolded and unescaped."""
    text = "\n".join(unfolded(data))
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)


def form_problems(data: bytes) -> list[str]:
    """What in the bytes breaks RFC 5545's form, RFC 5546's PUBLISH or our VTIMEZONE rule."""
    problems = []
    if b"\n" in data.replace(b"\r\n", b""):
        problems.append("a line ends without CR LF")
    if not data.endswith(b"\r\n"):
        problems.append("the last line does not end with CR LF")
    long = [line for line in data.split(b"\r\n") if len(line) > 75]
    if long:
        problems.append(f"{len(long)} line(s) longer than 75 octets, e.g. {long[0][:40]!r}")
    lines = unfolded(data)
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines if line]
    for required in ("PRODID", "VERSION"):
        if names.count(required) != 1:
            problems.append(f"VCALENDAR needs one {required}")
    for n, event in enumerate(_components(lines, "VEVENT")):
        props = [line.split(":", 1)[0].split(";", 1)[0] for line in event]
        for required in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE", "SUMMARY", "STATUS"):
            if props.count(required) != 1:
                problems.append(f"VEVENT {n} has {props.count(required)} {required}")
        if "METHOD" in names and "ORGANIZER" not in props:
            problems.append(f"VEVENT {n}: METHOD:PUBLISH without ORGANIZER")
    zones = {line.split(":", 1)[1] for line in lines if line.startswith("TZID:")}
    used = set(re.findall(r";TZID=([^:;]+)", "\n".join(lines)))
    if used - zones:
        problems.append(f"no VTIMEZONE for {sorted(used - zones)}")
    if any(line.startswith("RDATE") for line in lines):
        problems.append("VTIMEZONE with RDATE lists: write yearly RRULEs")
    return problems


def _components(lines: list[str], name: str) -> list[list[str]]:
    found: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}" and current is not None:
            found.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return found


def events(data: bytes) -> dict[str, dict[str, str]]:
    """UID -> {property name: raw value} of every VEVENT (unfolded, still escaped)."""
    out = {}
    for event in _components(unfolded(data), "VEVENT"):
        props = {}
        for line in event:
            head, _, value = line.partition(":")
            props[head.split(";", 1)[0]] = value
        out[props["UID"]] = props
    return out
