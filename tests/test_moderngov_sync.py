"""Checking a programme against the council's Modern.gov in the service (issue 24, item 2):
`GET/POST /programmes/{id}/moderngov` and "Check Modern.gov" on the clerk's page.

The council is a server on loopback answering as Modern.gov does for the Bromley programme
(`Council`): its bodies numbered 301 to 304, its meetings 1001 to 1014 in the file's order.
The service connects to public addresses only (`api.outbound`): the tests allow 127.0.0.1
alone (SCRUTINY_MODERNGOV_PRIVATE), and show that anything else private is refused, the first
call's address and every redirect's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import html
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

import tests.browser
from api import moderngov_check, outbound
from api.app import create_app
from api.settings import SettingError, Settings
from scheduler.programme.differences import differences
from scheduler.programme.edits import ChangeEntry, ChangeMeeting, ChangeSettings, apply_edit
from scheduler.programme.load import parse_programme
from tests.browser import screenshot
from tests.browser import sign_in as sign_in_browser
from tests.conftest import BROMLEY
from tests.page_forms import form_data
from tests.service import AUTH, CLERK, YAML, run_job, sign_in, upload, working

PID = "bromley-ecf-2017-18"
API = f"/programmes/{PID}/moderngov"
PAGE = f"/web/programmes/{PID}"
#: Each body's Modern.gov number.
NUMBERS = {"select": 301, "bpm": 302, "schools-forum": 303, "sacre": 304}
LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.1/32"),)
BPM = "Education, Children & Families Budget & Performance Monitoring Sub-Committee"
SELECT = "Education, Children & Families Select Committee"
MOVE_WORDS = f"{BPM}, Tuesday 26 September 2017 moves to Tuesday 3 October 2017."


# ----------------------------------------------------------------------------------------------
# The council's Modern.gov, on loopback


@dataclass
class Council:
    """Modern.gov's answers for the Bromley programme: (number, committee, day, start) of each
    meeting; `moved`: meetings on another day there; `gone`: meetings it no longer lists. A path's first part says how it answers:
    `/broken` 500, `/slow` a second late, `/drip` a few bytes at a time, `/held` only once
    released, `/redirect` to the same call at the host `redirect_to` (or to it, an address)."""

    meetings: list[tuple[int, int, dt.date, dt.time | None]]
    names: dict[int, str]
    moved: dict[int, dt.date] = field(default_factory=dict)
    gone: set[int] = field(default_factory=set)
    asked: list[str] = field(default_factory=list)
    redirect_to: str = "127.0.0.2"
    port: int = 0
    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, call: str, query: dict[str, list[str]]) -> bytes:
        if call == "GetCommittees":
            listed = "".join(
                f"<committee><committeeid>{n}</committeeid><committeetitle>{_text(name)}"
                "</committeetitle><committeedeleted>False</committeedeleted><committeeexpired>"
                "False</committeeexpired><committeecategory>Scrutiny</committeecategory>"
                "</committee>"
                for n, name in self.names.items()
            )
            return _xml(f"<committees>{listed}</committees>")
        if call == "GetMeetings":
            number = int(query["lCommitteeId"][0])
            listed = "".join(
                self._meeting(m) for m in self.meetings if m[1] == number and m[0] not in self.gone
            )
            return _xml(
                f"<getmeetings><committee><committeeid>{number}</committeeid><committeetitle>"
                f"{_text(self.names[number])}</committeetitle><committeemeetings>{listed}"
                "</committeemeetings></committee></getmeetings>"
            )
        wanted = int(query["lMeetingId"][0])
        [one] = [m for m in self.meetings if m[0] == wanted]
        return _xml(self._meeting(one).replace("</meeting>", _DETAILS + "</meeting>"))

    def _meeting(self, m: tuple[int, int, dt.date, dt.time | None]) -> str:
        number, _, day, start = m
        day = self.moved.get(number, day)
        time_of_day = "" if start is None else f"{start.hour % 12 or 12}.{start:%M} {start:%p}"
        return (
            f"<meeting><meetingid>{number}</meetingid><meetingdate>{day:%d/%m/%Y}</meetingdate>"
            "<meetingstatus>Confirmed</meetingstatus>"
            f"<meetingtime>{time_of_day.lower() or chr(10) + '  '}</meetingtime></meeting>"
        )


_DETAILS = (
    "<meetingplannedfinishtime>\n  </meetingplannedfinishtime><meetinglocation>\n"
    "  </meetinglocation>"
)


def _text(words: str) -> str:
    """Text as Modern.gov writes it: HTML, escaped again inside the XML."""
    return escape(html.escape(words, quote=False))


def _xml(root: str) -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?>\n{root}\n'.encode()


BROMLEY_MEETINGS = [
    (body, m)
    for body in parse_programme(BROMLEY.read_text(), "bromley.yaml").bodies
    for m in body.meetings
]
#: Each meeting's id in the file, by its Modern.gov number.
MEETING_IDS = {1001 + n: m.key for n, (_, m) in enumerate(BROMLEY_MEETINGS)}
COUNCIL = Council(
    meetings=[
        (1001 + n, NUMBERS[body.id], m.date, m.start or body.start)
        for n, (body, m) in enumerate(BROMLEY_MEETINGS)
    ],
    names={NUMBERS[body.id]: body.name for body, _ in BROMLEY_MEETINGS},
)


class _Modern(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        COUNCIL.asked.append(self.path)
        parts = urlsplit(self.path)
        mode, _, call = parts.path.partition("/mgWebService.asmx/")
        if mode == "/broken":
            self.send_error(500, "Internal Server Error")
            return
        if mode == "/redirect":
            there = f"http://{COUNCIL.redirect_to}:{COUNCIL.port}/mgWebService.asmx/{call}"
            there += f"?{parts.query}" if parts.query else ""
            target = COUNCIL.redirect_to if "://" in COUNCIL.redirect_to else there
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "/slow":
            time.sleep(1.0)
        if mode == "/held":
            COUNCIL.entered.set()
            COUNCIL.release.wait(30)
        body = COUNCIL.answer(call, parse_qs(parts.query))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        if mode != "/drip":
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the slow answer's caller has given up
                self.wfile.write(body)
            return
        self.send_header("Connection", "close")
        self.end_headers()
        # Ten bytes a tenth of a second: never late for the socket, late for the call (until
        # the service cuts it off).
        with contextlib.suppress(OSError):
            for at in range(0, len(body), 10):
                self.wfile.write(body[at : at + 10])
                self.wfile.flush()
                time.sleep(0.1)

    def log_message(self, *_: object) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def council_base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Modern)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    COUNCIL.port = server.server_address[1]
    try:
        yield f"http://127.0.0.1:{COUNCIL.port}"
    finally:
        COUNCIL.release.set()
        server.shutdown()


@pytest.fixture
def site(council_base: str) -> Iterator[str]:
    """The council's site as it is: every meeting where the programme has it."""
    COUNCIL.moved.clear()
    COUNCIL.gone.clear()
    COUNCIL.asked.clear()
    COUNCIL.redirect_to = "127.0.0.2"
    COUNCIL.entered.clear()
    COUNCIL.release.clear()
    yield council_base
    COUNCIL.release.set()


def bromley(site: str | None, meetings: bool = True, numbers: dict[str, int] = NUMBERS) -> str:
    """The Bromley file with its Modern.gov site, its bodies' numbers and (`meetings`) its
    meetings', written in by the edits that keep its comments."""
    edits: list[Any] = [ChangeSettings({"moderngov": site})] if site else []
    edits += [ChangeEntry("bodies", body, {"moderngov": n}) for body, n in numbers.items()]
    if meetings:
        edits += [ChangeMeeting(key, {"moderngov": n}) for n, key in MEETING_IDS.items()]
    return apply_edit(BROMLEY.read_text(), "yaml", tuple(edits))


def service(database_url: str, allowed: tuple[Any, ...] = LOOPBACK_ONLY) -> FastAPI:
    settings = Settings(database_url=database_url, clerk_token=CLERK, moderngov_private=allowed)
    return create_app(settings, announce=False)


@pytest.fixture
def ours(database_url: str) -> Iterator[TestClient]:
    """A client of a service that may call 127.0.0.1 (and nothing else off the internet)."""
    with TestClient(service(database_url)) as c, working(database_url):
        yield c


def checked(client: TestClient, status: int = 200) -> dict[str, Any]:
    response = client.get(API, headers=AUTH)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def applied(client: TestClient, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """POST what a check found, against the revision it checked."""
    headers = {**AUTH, "If-Match": f'"{body["revision"]}"'}
    response = client.post(API, json={"digest": body["digest"]}, headers=headers)
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    return answer


def source(client: TestClient, version: int) -> str:
    response = client.get(f"/programmes/{PID}/source?version={version}", headers=AUTH)
    assert response.status_code == 200
    return response.text


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(line before, line after) of each line replaced, added ("", line) or taken out."""
    old, new = before.splitlines(), after.splitlines()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            out += [(a, b) for a, b in zip(old[i1:i2] or [""], new[j1:j2] or [""], strict=False)]
    return out


# ----------------------------------------------------------------------------------------------
# The API


def test_a_first_check_numbers_every_meeting_then_they_agree(ours: TestClient, site: str) -> None:
    upload(ours, bromley(site, meetings=False))
    first = checked(ours)
    assert (first["revision"], first["version"], first["site"]) == (1, 1, site)
    assert (first["first"], first["last"]) == ("2017-05-10", "2018-05-15")
    assert [c["moderngov"] for c in first["committees"]] == [301, 302, 303, 304]
    assert first["agree"] is False and first["notices"] == []
    assert len(first["changes"]) == 14
    assert first["changes"][0] == {
        "words": f"{SELECT}, Wednesday 28 June 2017: linked to its meeting in Modern.gov.",
        "details": {
            "kind": "change-meeting",
            "meeting": "select-2017-06-27",
            "changes": {"moderngov": 1001},
        },
    }
    # The days asked for are the programme's year, as Modern.gov reads dates.
    asked = [parse_qs(urlsplit(a).query) for a in COUNCIL.asked if "GetMeetings?" in a]
    assert [q["lCommitteeId"] for q in asked] == [["301"], ["302"], ["303"], ["304"]]
    assert {(q["sFromDate"][0], q["sToDate"][0]) for q in asked} == {("10/05/2017", "15/05/2018")}

    done = applied(ours, first)
    assert (done["programme"]["version"], done["programme"]["revision"]) == (2, 2)
    assert [c["words"] for c in done["applied"]] == [c["words"] for c in first["changes"]]
    again = checked(ours)
    assert (again["agree"], again["changes"], again["notices"]) == (True, [], [])
    # Nothing to apply: no new version.
    assert applied(ours, again)["programme"]["version"] == 2


def test_a_meeting_moved_there_is_one_move_here_and_nothing_else(
    ours: TestClient, site: str
) -> None:
    upload(ours, bromley(site))
    COUNCIL.moved[1006] = dt.date(2017, 10, 3)
    found = checked(ours)
    assert found["changes"] == [
        {
            "words": MOVE_WORDS,
            "details": {
                "kind": "move-meeting",
                "meeting": "bpm-2017-09-26",
                "date": "2017-10-03",
                "start": None,
            },
        }
    ]
    assert found["notices"] == [] and found["agree"] is False
    response = ours.get(API, headers=AUTH)
    assert response.headers["ETag"] == '"1"'

    done = applied(ours, found)
    assert done["programme"]["version"] == 2
    assert done["applied"] == found["changes"]
    versions = ours.get(f"/programmes/{PID}/versions", headers=AUTH).json()
    assert [v["number"] for v in versions] == [1, 2]  # one new version
    before, after = source(ours, 1), source(ours, 2)
    # Only that meeting's line, its comment kept; every other line byte for byte.
    assert changed_lines(before, after) == [
        (
            "      - {date: 2017-09-26, moderngov: 1006}           # Appendix 1 l.2224",
            "      - {date: 2017-10-03, moved_from: 2017-09-26, moderngov: 1006}"
            "           # Appendix 1 l.2224",
        )
    ]
    said = differences(parse_programme(before, "1.yaml"), parse_programme(after, "2.yaml"))
    assert [(d.kind, d.meeting, d.day) for d in said] == [("moved", "bpm-2017-09-26", "2017-10-03")]
    assert checked(ours)["agree"] is True


def test_an_apply_against_an_old_revision_is_refused_and_changes_nothing(
    ours: TestClient, site: str
) -> None:
    upload(ours, bromley(site))
    COUNCIL.moved[1006] = dt.date(2017, 10, 3)
    found = checked(ours)
    text = source(ours, 1).replace("title: Education", "title: Edited Education", 1)
    edited = ours.put(
        f"/programmes/{PID}/source", content=text.encode(), headers={**YAML, "If-Match": '"1"'}
    )
    assert edited.status_code == 200
    asked = len(COUNCIL.asked)
    refused = applied(ours, found, 412)
    assert refused["detail"] == (
        f"programme '{PID}' is at revision 2, not 1: somebody else changed it; check "
        "Modern.gov again"
    )
    assert len(COUNCIL.asked) == asked  # refused before the site was asked
    without = ours.post(API, headers=AUTH)
    assert without.status_code == 428
    versions = ours.get(f"/programmes/{PID}/versions", headers=AUTH).json()
    assert len(versions) == 2


def test_an_apply_after_modern_gov_changed_again_is_refused(ours: TestClient, site: str) -> None:
    upload(ours, bromley(site))
    COUNCIL.moved[1006] = dt.date(2017, 10, 3)
    found = checked(ours)
    COUNCIL.moved[1013] = dt.date(2017, 7, 13)  # SACRE moves too, after the clerk read it
    refused = applied(ours, found, 409)
    assert refused["detail"].startswith("Modern.gov has changed since it was checked")
    assert ours.get(f"/programmes/{PID}").json()["version"] == 1
    # Without a digest, what Modern.gov says then is applied.
    done = ours.post(API, headers={**AUTH, "If-Match": '"1"'})
    assert done.status_code == 200
    assert [c["details"]["meeting"] for c in done.json()["applied"]] == [
        "bpm-2017-09-26",
        "sacre-2017-07-12",
    ]


def test_a_meeting_modern_gov_no_longer_lists_is_told_never_removed(
    ours: TestClient, site: str
) -> None:
    upload(ours, bromley(site))
    COUNCIL.gone.add(1014)
    found = checked(ours)
    assert (found["agree"], found["changes"]) == (False, [])
    assert found["notices"] == [
        {
            "words": "SACRE, Wednesday 6 December 2017: Modern.gov does not list it between "
            "Wednesday 10 May 2017 and Tuesday 15 May 2018. It is left as it is: cancel or remove "
            "it here if it is not to be held.",
            "details": None,
        }
    ]
    done = applied(ours, found)
    assert (done["applied"], done["programme"]["version"]) == ([], 1)


def test_no_site_or_no_numbered_committee_is_409_in_words(ours: TestClient, site: str) -> None:
    upload(ours, BROMLEY.read_text())
    answer = checked(ours, 409)
    assert answer["detail"] == (
        "the programme names no Modern.gov site: give its address in the programme's "
        "settings (Modern.gov address)"
    )
    assert answer["problems"][0]["location"] == "moderngov"
    response = ours.post(API, headers={**AUTH, "If-Match": '"1"'})
    assert response.status_code == 409
    text = apply_edit(BROMLEY.read_text(), "yaml", ChangeSettings({"moderngov": site}))
    put = ours.put(
        f"/programmes/{PID}/source", content=text.encode(), headers={**YAML, "If-Match": '"1"'}
    )
    assert put.status_code == 200
    assert checked(ours, 409)["detail"] == (
        "no committee of the programme has its Modern.gov number: give it in each "
        "committee's form (Modern.gov committee number)"
    )
    assert COUNCIL.asked == []


def test_a_number_modern_gov_does_not_have_is_409(ours: TestClient, site: str) -> None:
    upload(ours, bromley(site, numbers={**NUMBERS, "sacre": 999}))
    assert checked(ours, 409)["detail"] == (
        f"Modern.gov at {site} has no committee numbered 999 (SACRE): correct the number in "
        "the committee's form"
    )


def test_a_site_that_fails_is_502_in_words_never_500(ours: TestClient, site: str) -> None:
    upload(ours, bromley(f"{site}/broken"))
    answer = checked(ours, 502)
    assert answer["detail"] == (
        f"Modern.gov at {site}/broken did not answer as it should (the service answered 500 "
        "Internal Server Error). Nothing was changed: try again later, or ask the council's "
        "Modern.gov administrator."
    )
    assert answer["details"] == {
        "where": f"{site}/broken/mgWebService.asmx/GetCommittees",
        "problem": "the service answered 500 Internal Server Error",
    }
    refused = ours.post(API, headers={**AUTH, "If-Match": '"1"'})
    assert refused.status_code == 502
    assert ours.get(f"/programmes/{PID}").json()["version"] == 1


def test_a_site_nobody_answers_at_is_502(database_url: str) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    with TestClient(service(database_url)) as client:
        upload(client, bromley(closed))
        answer = checked(client, 502)
    assert answer["detail"].startswith(
        f"Modern.gov at {closed} did not answer as it should (the service could not be reached:"
    )


def test_a_site_too_slow_is_504(
    ours: TestClient, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moderngov_check, "PER_CALL", 0.3)
    upload(ours, bromley(f"{site}/slow"))
    answer = checked(ours, 504)
    assert answer["detail"] == (
        f"Modern.gov at {site}/slow did not answer within 0.3 seconds. Nothing was changed: "
        "try again later."
    )
    assert answer["details"]["where"] == f"{site}/slow/mgWebService.asmx/GetCommittees"


def test_an_answer_that_drips_is_cut_at_its_time(
    ours: TestClient, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A byte now and then keeps a socket's timeout from ever passing: the call's own time
    stops it."""
    monkeypatch.setattr(moderngov_check, "PER_CALL", 0.5)
    upload(ours, bromley(f"{site}/drip"))
    assert checked(ours, 504)["detail"] == (
        f"Modern.gov at {site}/drip did not answer within 0.5 seconds. Nothing was changed: "
        "try again later."
    )
    # Cut off in the middle of the first answer: never read whole, nothing more asked.
    assert [urlsplit(a).path for a in COUNCIL.asked] == ["/drip/mgWebService.asmx/GetCommittees"]


def test_a_check_is_stopped_when_its_whole_time_is_over(
    ours: TestClient, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moderngov_check, "WHOLE", 0.5)
    upload(ours, bromley(f"{site}/drip"))
    assert checked(ours, 504)["detail"] == (
        f"Modern.gov at {site}/drip did not give every answer within 0.5 seconds. Nothing was "
        "changed: try again later."
    )
    assert [urlsplit(a).path for a in COUNCIL.asked] == ["/drip/mgWebService.asmx/GetCommittees"]


def test_one_check_at_a_time_per_programme(ours: TestClient, site: str) -> None:
    upload(ours, bromley(f"{site}/held"))
    first: list[int] = []
    running = threading.Thread(target=lambda: first.append(ours.get(API, headers=AUTH).status_code))
    running.start()
    assert COUNCIL.entered.wait(30)
    second = checked(ours, 409)
    assert second["detail"] == (
        "Modern.gov is being checked for this programme already: wait for that check to end, "
        "then check again"
    )
    COUNCIL.release.set()
    running.join(30)
    assert first == [200]
    assert checked(ours)["agree"] is True  # the check after it runs


def test_only_the_clerk_checks_or_applies(ours: TestClient, site: str) -> None:
    upload(ours, bromley(site))
    assert ours.get(API).status_code == 401
    assert ours.post(API, headers={"If-Match": '"1"'}).status_code == 401
    assert ours.get(API, headers={"Authorization": "Bearer wrong"}).status_code == 401
    page = ours.get(f"{PAGE}/moderngov", follow_redirects=False)
    assert page.status_code in (303, 307) and page.headers["location"].startswith("/sign-in")
    sign_in(ours)
    forged = ours.post(f"{PAGE}/moderngov", data={"form_key": "0" * 64, "revision": "1"})
    assert forged.status_code == 403
    assert COUNCIL.asked == []


# ----------------------------------------------------------------------------------------------
# Only the public internet (SSRF)


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("127.0.0.1", "a loopback address (the service's own machine)"),
        ("::1", "a loopback address (the service's own machine)"),
        ("::ffff:127.0.0.1", "a loopback address (the service's own machine)"),
        ("10.1.2.3", "a private address"),
        ("192.168.4.7", "a private address"),
        ("172.16.0.1", "a private address"),
        ("169.254.169.254", "a link-local address (such as a cloud's metadata service)"),
        ("fe80::1", "a link-local address (such as a cloud's metadata service)"),
        ("224.0.0.251", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "not a public address"),
        ("fc00::1", "a private address"),
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_what_is_not_public(address: str, words: str | None) -> None:
    assert outbound.not_public(ipaddress.ip_address(address)) == words


def test_a_site_on_loopback_is_refused_without_the_setting(client: TestClient, site: str) -> None:
    upload(client, bromley(site))
    answer = checked(client, 409)
    refusal = (
        "127.0.0.1 is at 127.0.0.1, a loopback address (the service's own machine), which the "
        "service does not connect to unless SCRUTINY_MODERNGOV_PRIVATE allows it"
    )
    assert answer["detail"] == f"The service does not ask Modern.gov at {site}: {refusal}."
    assert answer["details"]["problem"] == refusal
    assert COUNCIL.asked == []  # not a byte was sent


def test_a_site_over_https_on_loopback_is_refused_too(client: TestClient, site: str) -> None:
    upload(client, bromley(site.replace("http://", "https://")))
    assert "127.0.0.1 is at 127.0.0.1, a loopback address" in checked(client, 409)["detail"]
    assert COUNCIL.asked == []


def test_a_site_over_https_is_spoken_to_in_tls(ours: TestClient, site: str) -> None:
    """The council's server speaks plain http: the TLS handshake with it fails, once its
    address has passed the check."""
    tls = site.replace("http://", "https://")
    upload(ours, bromley(tls))
    answer = checked(ours, 502)
    assert answer["detail"].startswith(
        f"Modern.gov at {tls} did not answer as it should (the service could not be reached: "
    )
    assert "SSL" in answer["details"]["problem"]


def test_a_redirect_to_another_private_address_is_refused(ours: TestClient, site: str) -> None:
    upload(ours, bromley(f"{site}/redirect"))
    answer = checked(ours, 409)
    assert "127.0.0.2 is at 127.0.0.2, a loopback address" in answer["detail"]
    assert [urlsplit(a).path for a in COUNCIL.asked] == [
        "/redirect/mgWebService.asmx/GetCommittees"
    ]


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("file:///etc/passwd", "the service answered 302 Found - Redirection to url "),
        ("ftp://127.0.0.1/GetCommittees", "the service could not be reached: unknown url type"),
    ],
)
def test_a_redirect_to_another_scheme_is_not_followed(
    ours: TestClient, site: str, target: str, problem: str
) -> None:
    COUNCIL.redirect_to = target
    upload(ours, bromley(f"{site}/redirect"))
    answer = checked(ours, 502)
    assert answer["details"]["problem"].startswith(problem)


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A resolver of made-up names (name -> its addresses); other names as the system has them.
    Every name asked is kept under "asked"."""
    made: dict[str, list[str]] = {"asked": []}
    real = socket.getaddrinfo

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        made["asked"].append(host)
        if host not in made:
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in made[host]
        ]

    monkeypatch.setattr(outbound, "getaddrinfo", resolve)
    return made


def test_a_redirect_to_a_name_of_the_metadata_service_is_refused(
    ours: TestClient, site: str, names: dict[str, list[str]]
) -> None:
    names["metadata.example"] = ["169.254.169.254"]
    COUNCIL.redirect_to = "metadata.example"
    upload(ours, bromley(f"{site}/redirect"))
    assert (
        "metadata.example is at 169.254.169.254, a link-local address (such as a cloud's "
        "metadata service)" in checked(ours, 409)["detail"]
    )


def test_a_name_with_any_private_address_is_refused(
    ours: TestClient, site: str, names: dict[str, list[str]]
) -> None:
    names["council.example"] = ["93.184.215.14", "10.0.0.7"]
    port = urlsplit(site).port
    upload(ours, bromley(f"http://council.example:{port}"))
    assert "council.example is at 10.0.0.7, a private address" in checked(ours, 409)["detail"]


def test_the_address_checked_is_the_address_connected_to(
    ours: TestClient, site: str, names: dict[str, list[str]]
) -> None:
    """council.example is no name the system can resolve: the check succeeds only because each
    connection goes to the address the service resolved and checked, once per call."""
    names["council.example"] = ["127.0.0.1"]
    port = urlsplit(site).port
    upload(ours, bromley(f"http://council.example:{port}"))
    assert checked(ours)["agree"] is True
    assert names["asked"] == ["council.example"] * len(COUNCIL.asked)


def test_a_host_of_many_addresses_has_the_calls_time_for_them_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Six addresses that take no connection (a listener whose queue is full): the first
    takes the call's whole time, and no other is tried after it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = [socket.socket() for _ in range(4)]
    for waiting in queued:
        waiting.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            waiting.connect(("127.0.0.1", port))
    six = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))] * 6
    monkeypatch.setattr(outbound, "getaddrinfo", lambda *_, **__: six)
    made: list[int] = []

    class Counted(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(outbound.socket, "socket", Counted)
    try:
        with (
            outbound.Outbound(outbound.EVERY_NETWORK, per_call=0.5) as out,
            pytest.raises(TimeoutError),
        ):
            out.connect("council.example", port, None)
    finally:
        for sock in [*queued, listener]:
            sock.close()
    assert len(made) == 1


def test_the_setting_reads_any_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "SCRUTINY_MODERNGOV_PRIVATE"
    monkeypatch.delenv(name, raising=False)
    assert Settings.from_environment().moderngov_private == ()
    monkeypatch.setenv(name, "1")
    assert Settings.from_environment().moderngov_private == outbound.EVERY_NETWORK
    monkeypatch.setenv(name, "10.20.0.0/16, 192.168.4.7")
    assert Settings.from_environment().moderngov_private == (
        ipaddress.ip_network("10.20.0.0/16"),
        ipaddress.ip_network("192.168.4.7/32"),
    )
    monkeypatch.setenv(name, "10.20.1.0/16")
    with pytest.raises(SettingError, match="give 1 \\(any address\\), or networks such as"):
        Settings.from_environment()


# ----------------------------------------------------------------------------------------------
# The clerk's page


def test_the_page_lists_the_move_applies_it_and_offers_the_re_plan(
    ours: TestClient, site: str
) -> None:
    upload(ours, bromley(site))
    assert run_job(ours, PID, time_limit=10)["state"] == "done"
    sign_in(ours)
    page = ours.get(PAGE).text
    assert 'id="check-moderngov"' in page
    assert ours.get(f"{PAGE}/moderngov").text.count("Modern.gov and this programme agree.") == 1

    COUNCIL.moved[1006] = dt.date(2017, 10, 3)
    shown = ours.get(f"{PAGE}/moderngov").text
    assert html.escape(MOVE_WORDS, quote=False) in shown
    assert "agree" not in shown
    form = form_data(shown, f"{PAGE}/moderngov")
    done = ours.post(f"{PAGE}/moderngov", data=form, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"{PAGE}?done=moderngov")
    after = ours.get(done.headers["location"]).text
    assert "Brought up to date from Modern.gov. Re-plan to see what moves with it." in after
    assert 'id="pending-heading"' in after and 'id="replan"' in after
    assert html.escape(
        f"Meeting moved: {BPM}, Tuesday 26 September 2017, now Tuesday 3 October 2017",
        quote=False,
    ) in " ".join(after.split())
    # The same form again: its revision is old now.
    stale = ours.post(f"{PAGE}/moderngov", data=form)
    assert stale.status_code == 412
    assert "The programme was changed since you checked Modern.gov, so nothing was applied" in (
        html.unescape(stale.text)
    )
    assert "is at revision" not in stale.text


def test_the_page_shows_what_modern_gov_says_now_when_it_changed_since(
    ours: TestClient, site: str
) -> None:
    upload(ours, bromley(site))
    sign_in(ours)
    COUNCIL.moved[1006] = dt.date(2017, 10, 3)
    form = form_data(ours.get(f"{PAGE}/moderngov").text, f"{PAGE}/moderngov")
    COUNCIL.moved[1013] = dt.date(2017, 7, 13)
    COUNCIL.gone.add(1014)
    again = ours.post(f"{PAGE}/moderngov", data=form)
    assert again.status_code == 409
    assert "Modern.gov has changed since it was checked" in again.text
    listed = re.findall(r"<li>([^<]+)</li>", again.text.split('id="moderngov-changes"')[1])
    assert [html.unescape(w) for w in listed[:2]] == [
        MOVE_WORDS,
        "SACRE, Wednesday 12 July 2017 moves to Thursday 13 July 2017.",
    ]
    assert "To look at yourself (1)" in again.text
    assert ours.get(f"/programmes/{PID}").json()["version"] == 1
    now = ours.post(
        f"{PAGE}/moderngov",
        data=form_data(again.text, f"{PAGE}/moderngov"),
        follow_redirects=False,
    )
    assert now.status_code == 303
    assert ours.get(f"/programmes/{PID}").json()["version"] == 2


def test_the_page_says_why_nothing_was_asked(client: TestClient, site: str) -> None:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    assert 'id="check-moderngov"' not in client.get(PAGE).text  # no site: no button
    refused = client.get(f"{PAGE}/moderngov")
    assert refused.status_code == 409
    assert "the programme names no Modern.gov site" in refused.text


def test_the_page_says_a_site_failed(ours: TestClient, site: str) -> None:
    upload(ours, bromley(f"{site}/broken"))
    sign_in(ours)
    failed = ours.get(f"{PAGE}/moderngov")
    assert failed.status_code == 502
    assert "Modern.gov was not checked" in failed.text
    assert html.escape(f"Modern.gov at {site}/broken did not answer as it should") in failed.text


@pytest.fixture
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser's service (tests.browser.live_url) may call 127.0.0.1."""
    monkeypatch.setattr(tests.browser, "make_app", service)


def test_a_clerk_checks_modern_gov_and_applies_the_move(
    loopback_allowed: None, site: str, page: Page
) -> None:
    response = page.request.post("/programmes", data=bromley(site).encode(), headers=YAML)
    assert response.status == 201
    sign_in_browser(page, PAGE)
    page.click("#solve")
    page.wait_for_url("**plan=1")
    COUNCIL.moved[1006] = dt.date(2017, 10, 3)

    with page.expect_navigation():
        page.click("#check-moderngov")
    expect(page.locator("#moderngov-changes li")).to_have_text([MOVE_WORDS])
    screenshot(page, "moderngov-check")
    with page.expect_navigation():
        page.click("#apply-moderngov")
    expect(page.locator("p.notice[role=status]").first).to_have_text(
        "Brought up to date from Modern.gov. Re-plan to see what moves with it."
    )
    pending = page.locator("section.pending-edits li[data-version='2']")
    expect(pending).to_contain_text(
        f"Meeting moved: {BPM}, Tuesday 26 September 2017, now Tuesday 3 October 2017"
    )
    expect(page.locator("[data-pending=moved]")).to_contain_text("moved to Tuesday 3 October 2017")
