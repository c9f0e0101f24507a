"""Asking a council's Modern.gov web service, or a folder of its saved answers (issue 24).

`Site` calls `BASE/mgWebService.asmx/CALL?...` over HTTP(S): dates go as `dd/mm/yyyy` (the
service silently ignores an ISO date and answers with every meeting it has), each call stops
after `TIMEOUT` seconds, and an answer larger than `MOST_BYTES` is refused. `Folder` reads the
same answers saved as files, for councils whose service refuses scripts, and for tests:
`GetCommittees.xml`, `GetMeetings-<committee id>.xml` (or one `GetMeetings.xml` for all) and
`GetMeeting-<meeting id>.xml` (where a meeting has none, it is known by `GetMeetings` alone).
Either way a call that fails is a `ModernGovError` naming the
call and why (`NoAnswer` for one given up for its time), and nothing is half-read: the caller
gets every answer or an error. `Site` opens its calls with urllib's own opener, or with the
one it is given (the service's, which connects only to public addresses: `api.outbound`).
"""

from __future__ import annotations

import datetime as dt
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Protocol

from scheduler.programme.moderngov import ModernGovError

#: Seconds a call may take: some councils' services take most of a minute to answer.
TIMEOUT = 60.0
#: The most an answer may hold: a council's meetings over a year are a few hundred kilobytes.
MOST_BYTES = 20_000_000
#: The service's path under a council's site.
SERVICE = "mgWebService.asmx"


class Answers(Protocol):
    """Where Modern.gov's answers come from: its web service, or a folder of them."""

    def committees(self) -> tuple[bytes, str]: ...
    def meetings(self, committee: int, first: dt.date, last: dt.date) -> tuple[bytes, str]: ...
    def meeting(self, meeting: int) -> tuple[bytes, str] | None:
        """One meeting's answer; None where a folder holds none for it."""


class NoAnswer(ModernGovError):
    """A call given up: no answer within its time."""


def _day(day: dt.date) -> str:
    """A date as the service reads it (`dd/mm/yyyy`)."""
    return day.strftime("%d/%m/%Y")


class Site:
    """A council's Modern.gov web service, at its site's address (`https://democracy.x.gov.uk`).

    Each answer comes with where it came from (the call's address), for messages. `opener`:
    what opens the calls (default: urllib's, with the environment's proxies).
    """

    def __init__(
        self,
        base: str,
        timeout: float = TIMEOUT,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        try:
            parts = urllib.parse.urlsplit(base.strip())
        except ValueError:  # an unclosed [ of an IPv6 address
            raise ModernGovError(base, "this is not a web address") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ModernGovError(base, "a Modern.gov site's address starts http:// or https://")
        if "@" in parts.netloc:  # a name and password, which messages would print
            raise ModernGovError(
                "the site's address", "give it without a name and password (name:password@)"
            )
        try:
            _ = parts.port  # urllib checks that it is a port (0 to 65535)
        except ValueError:
            raise ModernGovError(base, "the address's port is not from 0 to 65535") from None
        self.base = base.strip().rstrip("/")
        if self.base.endswith(SERVICE):
            self.base = self.base[: -len(SERVICE)].rstrip("/")
        self.timeout = timeout
        self.opener = opener

    def committees(self) -> tuple[bytes, str]:
        return self._call("GetCommittees", {})

    def meetings(self, committee: int, first: dt.date, last: dt.date) -> tuple[bytes, str]:
        query = {"lCommitteeId": str(committee), "sFromDate": _day(first), "sToDate": _day(last)}
        return self._call("GetMeetings", query)

    def meeting(self, meeting: int) -> tuple[bytes, str]:
        return self._call("GetMeeting", {"lMeetingId": str(meeting)})

    def _call(self, call: str, query: dict[str, str]) -> tuple[bytes, str]:
        address = f"{self.base}/{SERVICE}/{call}"
        if query:
            address += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(address, headers={"Accept": "text/xml"})
        opened = (self.opener or _OPENER).open
        try:
            with opened(request, timeout=self.timeout) as answer:
                body = self._read(answer, address)
        except ModernGovError:  # too large or too late, said by `_read`
            raise
        except urllib.error.HTTPError as err:
            raise ModernGovError(address, f"the service answered {err.code} {err.reason}") from None
        except http.client.HTTPException as err:  # cut short, or not HTTP at all
            problem = f"the answer broke off or is not HTTP: {type(err).__name__}"
            raise ModernGovError(address, problem) from None
        except TimeoutError:
            raise self._late(address) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, TimeoutError):  # no connection within the time
                raise self._late(address) from None
            raise ModernGovError(address, f"the service could not be reached: {reason}") from None
        except ValueError as err:  # a host name no DNS can ask for ("a..b", a label too long)
            raise ModernGovError(address, f"the address cannot be used: {err}") from None
        return body, address

    def _read(self, answer: http.client.HTTPResponse, address: str) -> bytes:
        """The answer, read as it comes, within the call's time (a service sending a byte now
        and then is given up as one sending none) and its size."""
        deadline = time.monotonic() + self.timeout
        parts: list[bytes] = []
        size = 0
        while part := answer.read1(65536):
            parts.append(part)
            size += len(part)
            if size > MOST_BYTES:
                raise ModernGovError(address, f"the answer is larger than {MOST_BYTES:,} bytes")
            if time.monotonic() > deadline:
                raise self._late(address)
        return b"".join(parts)

    def _late(self, address: str) -> NoAnswer:
        late = f"no answer within {self.timeout:g} seconds: try again later"
        return NoAnswer(address, late)


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) addresses only (urllib's own follow ftp too)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"{msg}, to {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


#: The command line's opener: urllib's (the environment's proxies), redirects to http(s) only.
_OPENER = urllib.request.build_opener(_WebRedirects)


class Folder:
    """Modern.gov's answers saved as files in one folder (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise ModernGovError(str(folder), "no such folder of saved answers")
        self.folder = folder

    def committees(self) -> tuple[bytes, str]:
        return self._read("GetCommittees.xml")

    def meetings(self, committee: int, first: dt.date, last: dt.date) -> tuple[bytes, str]:
        return self._read(f"GetMeetings-{committee}.xml", "GetMeetings.xml")

    def meeting(self, meeting: int) -> tuple[bytes, str] | None:
        if not (self.folder / f"GetMeeting-{meeting}.xml").is_file():
            return None  # saved without its details: the meeting is known by GetMeetings alone
        return self._read(f"GetMeeting-{meeting}.xml")

    def _read(self, *names: str) -> tuple[bytes, str]:
        for name in names:
            path = self.folder / name
            if path.is_file():
                if path.stat().st_size > MOST_BYTES:
                    raise ModernGovError(str(path), f"larger than {MOST_BYTES:,} bytes")
                return path.read_bytes(), str(path)
        raise ModernGovError(str(self.folder / names[0]), "no such saved answer")
