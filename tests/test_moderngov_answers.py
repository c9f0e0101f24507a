"""Modern.gov's answers read (`scheduler.programme.moderngov`, issue 24): the real answers of
one council (tests/data/moderngov, with its README), and answers of our own for the service's
known habits; anything unreadable is a located error, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scheduler.programme.moderngov import (
    Committee,
    Meeting,
    ModernGovError,
    committees,
    meeting,
    meetings,
)

ANSWERS = Path(__file__).parent / "data" / "moderngov"


def answer(name: str) -> bytes:
    return (ANSWERS / name).read_bytes()


def test_the_committees_of_a_council() -> None:
    found = committees(answer("GetCommittees.xml"), "GetCommittees.xml")
    assert found == [
        Committee(312, "Appointment Sub Committee for Director of Adult Social Services",
                  deleted=False, expired=True, category="Governance and Decision Making Committees"),
        Committee(163, "Art Galleries Committee", deleted=False, expired=False,
                  category="Governance and Decision Making Committees"),
        Committee(144, "Audit Committee", deleted=False, expired=False,
                  category="Governance and Decision Making Committees"),
    ]  # fmt: skip


def test_a_committees_meetings_with_their_dd_mm_yyyy_dates_and_statuses() -> None:
    assert meetings(answer("GetMeetings.xml"), "GetMeetings.xml") == [
        Meeting(4966, 144, dt.date(2026, 1, 13), "cancelled", dt.time(10, 0)),
        Meeting(4967, 144, dt.date(2026, 2, 10), "scheduled", dt.time(10, 0)),
    ]


def test_one_meeting_with_its_planned_finish_and_place() -> None:
    found = meeting(answer("GetMeeting.xml"), "GetMeeting.xml", committee=144)
    assert found == Meeting(
        4967, 144, dt.date(2026, 2, 10), "scheduled", dt.time(10, 0), dt.time(14, 0),
        "Council Antechamber, Level 2, Town Hall Extension",
    )  # fmt: skip


def test_the_services_habits() -> None:
    """Provisional is pencilled in, Postponed kept; an empty time is none; `13:30`, `2 pm` and
    `12.30 pm` are read as the clock says; a committee with no meetings adds none."""
    assert meetings(answer("GetMeetings-traps.xml"), "traps") == [
        Meeting(5001, 200, dt.date(2026, 6, 3), "tentative", dt.time(13, 30)),
        Meeting(5002, 200, dt.date(2026, 7, 8), "postponed", None),
        Meeting(5003, 200, dt.date(2026, 9, 16), "scheduled", dt.time(14, 0)),
        Meeting(5004, 200, dt.date(2026, 10, 14), "scheduled", dt.time(12, 30)),
    ]


def test_html_escaped_in_a_title_is_read_as_the_text_it_stands_for() -> None:
    text = (
        "<committees><committee><committeeid>200</committeeid>"
        "<committeetitle>Children &amp;amp; Young People</committeetitle>"
        "<committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired>"
        "<committeecategory>\n   </committeecategory></committee></committees>"
    )
    [found] = committees(text, "inline")
    assert (found.title, found.category) == ("Children & Young People", "")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<getmeetings><committee", "not XML Modern.gov gives"),
        ("<html><body>Service unavailable</body></html>", "expected a <getmeetings> answer, not <html>"),
        ("<getmeetings><committee><committeeid>x</committeeid></committee></getmeetings>",
         "<committeeid> should be a whole number, not 'x'"),
        ("<getmeetings><committee><committeeid>" + "9" * 5000 + "</committeeid></committee>"
         "</getmeetings>", "<committeeid> should be a whole number, not '" + "9" * 40 + "...'"),
        ("<getmeetings><committee><committeeid>²</committeeid></committee></getmeetings>",
         "<committeeid> should be a whole number, not '²'"),
        ("<getmeetings><committee><committeeid>1</committeeid><committeemeetings><meeting>"
         "<meetingid>2</meetingid><meetingdate>2026-02-10</meetingdate></meeting>"
         "</committeemeetings></committee></getmeetings>",
         "the date '2026-02-10' is not dd/mm/yyyy"),
        ("<getmeetings><committee><committeeid>1</committeeid><committeemeetings><meeting>"
         "<meetingid>2</meetingid><meetingdate>10/02/2026</meetingdate>"
         "<meetingtime>13.75 pm</meetingtime></meeting></committeemeetings></committee>"
         "</getmeetings>",
         "the time '13.75 pm' has no such hour"),
        ("<getmeetings><committee><committeeid>1</committeeid><committeemeetings><meeting>"
         "<meetingid>2</meetingid><meetingdate>10/02/2026</meetingdate>"
         "<meetingstatus>Adjourned sine die</meetingstatus></meeting></committeemeetings>"
         "</committee></getmeetings>",
         "status 'adjourned sine die' is not one Modern.gov is known to give"),
    ],
)  # fmt: skip
def test_an_answer_it_cannot_read_says_which_and_why(text: str, problem: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        meetings(text, "https://example.org/mgWebService.asmx/GetMeetings")
    assert str(raised.value).startswith("https://example.org/mgWebService.asmx/GetMeetings")
    assert problem in raised.value.problem


def test_an_answer_that_defines_entities_is_refused_unread() -> None:
    """A server we do not control may send a billion laughs: defusedxml refuses it."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<committees><committee><committeeid>1</committeeid>"
        "<committeetitle>&lol2;</committeetitle></committee></committees>"
    )
    with pytest.raises(ModernGovError) as raised:
        committees(bomb, "bomb")
    assert raised.value.problem == (
        "it declares XML entities or outside references, which are refused unread"
    )
