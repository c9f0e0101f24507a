"""An agenda as it is printed: each entry with its number and the heading it goes under.

The calendar feeds number a meeting's agenda this way, and the exports (`outputs.open_data`,
`outputs.agenda_csv`) follow them: the numbers a member reads in a calendar are the numbers in
the open data and in the clerk's agenda for Modern.gov.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.outputs.sections import SECTIONS, council_headings, positioned, section
from scheduler.plan.model import AgendaEntry
from scheduler.programme.model import Programme


def printed(p: Programme, agenda: Sequence[AgendaEntry]) -> list[tuple[int, str, AgendaEntry]]:
    """(number from 1, heading, entry) in the order the agenda prints: under the council's own
    headings where its items give them (`council_headings`), else in the plan's order under
    each entry's section (`SECTIONS`); an entry the programme puts first or last, and one under
    no heading of the council's, has the heading ""."""
    groups = council_headings(p, agenda)
    if groups is None:
        headed = [("" if positioned(p, e) else SECTIONS[section(p, e)], e) for e in agenda]
    else:
        headed = [(heading, e) for heading, entries in groups for e in entries]
    return [(n, heading, entry) for n, (heading, entry) in enumerate(headed, start=1)]
