"""The answers of a council's Modern.gov web service, read (issue 24, DESIGN §10).

Modern.gov's `mgWebService.asmx` answers plain XML to `GetCommittees`, `GetMeetings` and
`GetMeeting`. What it says is read here into plain records, whatever its known habits:

- dates are `dd/mm/yyyy`;
- times come as `10.00 am`, `2.00 pm` or `13:30`, or an element holding only a newline and
  spaces for none;
- titles and text hold HTML escaped inside the XML (`&amp;amp;` for an ampersand);
- statuses seen are Confirmed, Cancelled, Provisional and Postponed.

The XML is read by `defusedxml`, which refuses entity expansion and external references: an
answer comes from a server we do not control. Anything it cannot read is a `ModernGovError`
that says which answer and what is wrong, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from scheduler.programme.model import MeetingStatus

#: Modern.gov's statuses, as a programme says them (Confirmed is an ordinary meeting, and a
#: Provisional one is pencilled in).
STATUSES: dict[str, MeetingStatus] = {
    "confirmed": "scheduled",
    "cancelled": "cancelled",
    "postponed": "postponed",
    "provisional": "tentative",
}
#: The most digits an id has (Modern.gov's are database numbers).
_DIGITS = 18
_TIME = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


class ModernGovError(ValueError):
    """An answer that cannot be read: `where` names the answer (a URL or file), `problem` says
    what is wrong with it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


@dataclass(frozen=True)
class Committee:
    """A committee as `GetCommittees` lists it."""

    id: int
    title: str
    deleted: bool
    expired: bool
    category: str


@dataclass(frozen=True)
class Meeting:
    """A meeting as `GetMeetings` lists it (and `GetMeeting` adds its finish and place)."""

    id: int
    committee: int
    date: dt.date
    status: MeetingStatus
    start: dt.time | None
    finish: dt.time | None = None
    location: str | None = None


def committees(text: bytes | str, where: str) -> list[Committee]:
    """The committees of a `GetCommittees` answer, in its order."""
    root = _root(text, where, "committees")
    return [
        Committee(
            id=_number(c, "committeeid", where),
            title=_text(c, "committeetitle") or "",
            deleted=_truth(c, "committeedeleted"),
            expired=_truth(c, "committeeexpired"),
            category=_text(c, "committeecategory") or "",
        )
        for c in root.iter("committee")
    ]


def meetings(text: bytes | str, where: str) -> list[Meeting]:
    """The meetings of a `GetMeetings` answer, each with its committee's id, in its order."""
    root = _root(text, where, "getmeetings")
    found = []
    for committee in root.iter("committee"):
        owner = _number(committee, "committeeid", where)
        for m in committee.iter("meeting"):
            found.append(_meeting(m, owner, where))
    return found


def meeting(text: bytes | str, where: str, committee: int) -> Meeting:
    """The meeting of a `GetMeeting` answer, with its planned finish and location."""
    root = _root(text, where, "meeting")
    plain = _meeting(root, committee, where)
    finish = _time(_text(root, "meetingplannedfinishtime"), where)
    return Meeting(
        id=plain.id,
        committee=committee,
        date=plain.date,
        status=plain.status,
        start=plain.start,
        finish=finish,
        location=_text(root, "meetinglocation"),
    )


def _meeting(m: Element, committee: int, where: str) -> Meeting:
    number = _number(m, "meetingid", where)
    here = f"{where}, meeting {number}"
    status = (_text(m, "meetingstatus") or "confirmed").lower()
    if status not in STATUSES:
        raise ModernGovError(here, f"status {status!r} is not one Modern.gov is known to give")
    return Meeting(
        id=number,
        committee=committee,
        date=_date(_text(m, "meetingdate"), here),
        status=STATUSES[status],
        start=_time(_text(m, "meetingtime"), here),
    )


def _root(text: bytes | str, where: str, tag: str) -> Element:
    """The answer's root element, which must be `tag`."""
    try:
        root: Element = fromstring(text)
    except ParseError as err:
        raise ModernGovError(where, f"not XML Modern.gov gives: {err}") from None
    except DefusedXmlException:
        problem = "it declares XML entities or outside references, which are refused unread"
        raise ModernGovError(where, problem) from None
    if root.tag != tag:
        raise ModernGovError(where, f"expected a <{tag}> answer, not <{root.tag}>")
    return root


def _text(element: Element, tag: str) -> str | None:
    """A child's text, HTML unescaped and trimmed; None when empty or missing."""
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    return html.unescape(child.text).strip() or None


def _truth(element: Element, tag: str) -> bool:
    return (_text(element, tag) or "").lower() == "true"


def _number(element: Element, tag: str, where: str) -> int:
    text = _text(element, tag)
    if text is None or not (text.isascii() and text.isdigit() and len(text) <= _DIGITS):
        shown = text if text is None or len(text) <= 40 else text[:40] + "..."
        raise ModernGovError(where, f"<{tag}> should be a whole number, not {shown!r}")
    return int(text)


def _date(text: str | None, where: str) -> dt.date:
    """A `dd/mm/yyyy` date."""
    try:
        day, month, year = (int(part) for part in (text or "").split("/"))
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        raise ModernGovError(where, f"the date {text!r} is not dd/mm/yyyy") from None


def _time(text: str | None, where: str) -> dt.time | None:
    """`10.00 am`, `2.00 pm`, `2 pm` or `13:30`; None for none."""
    if text is None:
        return None
    found = _TIME.match(text)
    if found is None:
        raise ModernGovError(where, f"the time {text!r} is not one Modern.gov is known to give")
    hour, minute, half = int(found[1]), int(found[2] or 0), (found[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ModernGovError(where, f"the time {text!r} has no such hour")
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ModernGovError(where, f"the time {text!r} has no such hour")
    return dt.time(hour, minute)
