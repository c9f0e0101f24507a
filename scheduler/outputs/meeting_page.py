"""Where a meeting can be read about, and where it moved from: what a calendar event of it
links to and says (DESIGN §7, "Subscribed clients poll").
"""

from __future__ import annotations

import datetime as dt

from scheduler.plan.model import PlannedMeeting
from scheduler.programme.model import Body, Meeting, Programme


def meeting_page(
    programme: Programme,
    body: Body,
    meeting: str,
    held: Meeting | None,
    public_page: str | None,
) -> str | None:
    """The public page of meeting `meeting` of `body` (`held`: its entry in the programme, if
    it is still there).

    Modern.gov's page of it, when the programme names the council's Modern.gov and the meeting
    has its number there (with the committee's number too, when the body has one); else
    `public_page` (the programme's public page on the service) at the meeting's anchor, for a
    body the public may read of (an informal body's meetings are on no public page); else None.
    For example `https://democracy.example.gov.uk/ieListDocuments.aspx?CId=144&MId=4967`, or
    `https://scrutiny.example.gov.uk/public/riverside-2024-25#m-overview-2024-07-16`.
    """
    number = held.moderngov if held else None
    if programme.moderngov and number:
        committee = f"CId={body.moderngov}&" if body.moderngov else ""
        return f"{programme.moderngov}/ieListDocuments.aspx?{committee}MId={number}"
    if public_page and body.public:
        return f"{public_page}#m-{meeting}"
    return None


def moved_from(
    m: PlannedMeeting, held: Meeting | None, before: PlannedMeeting | None
) -> dt.date | None:
    """The day meeting `m` moved from: the programme's `moved_from` (the day it was first set
    for, the same in every plan version), else the day the plan published before (`before`,
    its version there) had it on; None when it is on that day, or was never elsewhere."""
    days = (held.moved_from if held else None, before.date if before else None)
    return next((day for day in days if day is not None and day != m.date), None)
