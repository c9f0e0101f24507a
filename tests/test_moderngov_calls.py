"""Asking Modern.gov (`scheduler.programme.moderngov_calls`, issue 24): a service on loopback
answering as a council's does, one that fails, one too slow and one too large; and a folder of
saved answers. Every failure names the call and why."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scheduler.programme import moderngov_calls
from scheduler.programme.moderngov import ModernGovError, committees, meetings
from scheduler.programme.moderngov_calls import Folder, Site

ANSWERS = Path(__file__).parent / "data" / "moderngov"
ASKED: list[str] = []


class _Council(BaseHTTPRequestHandler):
    """A council's service: the saved answers; `/broken` answers 500, `/slow` sleeps, `/away`
    redirects to ftp, `/drip` answers a byte every tenth of a second."""

    def do_GET(self) -> None:
        ASKED.append(self.path)
        if self.path.startswith("/slow/"):
            time.sleep(1.0)
        if self.path.startswith("/broken/"):
            self.send_error(500, "Internal Server Error")
            return
        if self.path.startswith("/away/"):  # moved to where only a file reader would go
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/GetCommittees.xml")
            self.end_headers()
            return
        if self.path.startswith("/drip/"):  # a byte now and then, never too late for a read
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
            return
        call = urlsplit(self.path).path.rsplit("/", 1)[-1]
        body = (ANSWERS / f"{call}.xml").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def council() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Council)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_the_service_is_asked_with_its_own_dates(council: str) -> None:
    ASKED.clear()
    site = Site(council + "/")
    text, where = site.meetings(144, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert where.startswith(f"{council}/mgWebService.asmx/GetMeetings?")
    query = parse_qs(urlsplit(ASKED[-1]).query)
    assert query == {"lCommitteeId": ["144"], "sFromDate": ["01/01/2026"],
                     "sToDate": ["31/03/2026"]}  # fmt: skip
    assert [m.id for m in meetings(text, where)] == [4966, 4967]
    text, where = Site(f"{council}/mgWebService.asmx").committees()
    assert where == f"{council}/mgWebService.asmx/GetCommittees"
    assert len(committees(text, where)) == 3


def test_a_service_that_fails_says_which_call_and_how(council: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        Site(council + "/broken").meeting(4967)
    assert raised.value.where == f"{council}/broken/mgWebService.asmx/GetMeeting?lMeetingId=4967"
    assert raised.value.problem == "the service answered 500 Internal Server Error"


def test_a_service_too_slow_is_given_up(council: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        Site(council + "/slow", timeout=0.2).committees()
    assert raised.value.problem == "no answer within 0.2 seconds: try again later"


def test_a_service_dripping_its_answer_is_given_up_at_the_calls_time(council: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        Site(council + "/drip", timeout=0.5).committees()
    assert raised.value.problem == "no answer within 0.5 seconds: try again later"


def test_a_redirect_is_followed_to_web_addresses_only(council: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        Site(council + "/away").committees()
    assert raised.value.problem.startswith("the service answered 302 Found, to ftp://127.0.0.1/")


@pytest.mark.parametrize(
    ("base", "problem"),
    [
        ("http://[::1", "this is not a web address"),
        ("https://clerk:secret@democracy.example.gov.uk", "give it without a name and password "
         "(name:password@)"),
    ],
)  # fmt: skip
def test_an_address_that_cannot_be_used_is_refused(base: str, problem: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        Site(base)
    assert raised.value.problem == problem
    assert "secret" not in str(raised.value)


def test_a_host_no_dns_can_ask_for_is_refused() -> None:
    with pytest.raises(ModernGovError) as raised:
        Site("http://a..b").committees()
    assert raised.value.problem.startswith("the address cannot be used")


def test_an_answer_too_large_is_refused(council: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moderngov_calls, "MOST_BYTES", 100)
    with pytest.raises(ModernGovError) as raised:
        Site(council).committees()
    assert raised.value.problem == "the answer is larger than 100 bytes"


def test_a_service_nobody_answers_at() -> None:
    with pytest.raises(ModernGovError) as raised:
        Site("http://127.0.0.1:9", timeout=2).committees()
    assert raised.value.problem.startswith("the service could not be reached")


@pytest.mark.parametrize("base", ["democracy.example.gov.uk", "file:///etc", "ftp://x/y"])
def test_only_a_web_address_is_a_site(base: str) -> None:
    with pytest.raises(ModernGovError) as raised:
        Site(base)
    assert raised.value.problem == "a Modern.gov site's address starts http:// or https://"


def test_a_folder_of_saved_answers(tmp_path: Path) -> None:
    folder = Folder(ANSWERS)
    text, where = folder.meetings(144, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert where == str(ANSWERS / "GetMeetings.xml")  # one answer for every committee
    assert [m.id for m in meetings(text, where)] == [4966, 4967]
    assert folder.meeting(4966) is None  # saved without its details
    with pytest.raises(ModernGovError) as raised:
        Folder(tmp_path).committees()
    assert (raised.value.where, raised.value.problem) == (
        str(tmp_path / "GetCommittees.xml"), "no such saved answer",
    )  # fmt: skip
    with pytest.raises(ModernGovError, match="no such folder"):
        Folder(tmp_path / "nowhere")
