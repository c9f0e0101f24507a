"""The verb that hands a plan to other systems: export (open data, and agendas for Modern.gov)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from scheduler.cli.documents import found_plan
from scheduler.cli.exits import EXIT_NO, EXIT_OK
from scheduler.files import write_atomically
from scheduler.outputs.agenda_csv import agenda_csv, agenda_rows
from scheduler.outputs.open_data import as_json, ocd_events, popolo
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.programme.words import count


def _events(p: Programme, plan: Plan) -> tuple[bytes, str]:
    events = ocd_events(p, plan)
    return as_json(events), f"{count(len(events), 'event')} (Open Civic Data, public)"


def _organizations(p: Programme, plan: Plan) -> tuple[bytes, str]:
    data = popolo(p)
    return as_json(data), f"{count(len(data['organizations']), 'organisation')} (Popolo, public)"


def _agendas(p: Programme, plan: Plan) -> tuple[bytes, str]:
    rows = len(agenda_rows(p, plan))
    return agenda_csv(p, plan), f"{count(rows, 'agenda item')} (CSV for Modern.gov, clerk)"


#: Each format of `--format`: the bytes written and what they are, in words.
WRITERS: dict[str, Callable[[Programme, Plan], tuple[bytes, str]]] = {
    "ocd-events": _events,
    "popolo": _organizations,
    "moderngov-csv": _agendas,
}


def cmd_export(args: argparse.Namespace) -> int:
    """Write the plan as open data, or its agendas for Modern.gov.

    ocd-events: every meeting of a public body with a fixed day as an Open Civic Data event
    (JSON): its status (confirmed, tentative, cancelled, or passed when it was before the plan
    was published), start and end with the zone's offset, venue, agenda in its printed order and
    participants. popolo: the public bodies as a Popolo organisation list (JSON), with their
    parent and their chair and vice-chair. Both are public: informal bodies are left out and an
    exempt item shows only as "Exempt item (Part 2)". Ids stay the same across re-plans and
    moves. Give the published plan (scrutiny publish).
    moderngov-csv: for the clerk, every meeting's items in agenda order (meeting, number, title,
    report authors, Part 2, ids), Part 2 items included with their titles, to paste or import
    into Modern.gov. With --body (repeatable), only those bodies' meetings. Use -o - to print.

    Example:
        scrutiny export data/bromley-ecf-2017-18.yaml out/published.json --format popolo -o -
    """
    found = found_plan(args, "export")
    if found is None:
        return EXIT_NO
    data, what = WRITERS[args.format](*found)
    if args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(args.output, data)
        print(f"{args.output}: {what}", file=sys.stderr)
    return EXIT_OK
