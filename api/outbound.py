"""The service's own calls to an address a clerk gives it (a council's Modern.gov): to the
public internet only, each in its time.

The address is the clerk's to write, so it could name this machine, its cloud's metadata
service or a server inside the council's network (server-side request forgery). Every
connection, the first and each redirect's, resolves its host and is refused when any of its
addresses is not public (loopback, private, link-local, multicast, reserved, unspecified or
otherwise not global), unless it lies in a network the service allows
(SCRUTINY_MODERNGOV_PRIVATE, for a council whose Modern.gov is on its intranet). It then
connects to the very address it checked: a name that answers differently a moment later (DNS
rebinding) gains nothing. The environment's proxies are not used (a proxy would resolve the
name itself, unchecked), and only http and https are spoken.

Time: a connection is shut `per_call` seconds after it began, and every one when the whole
piece of work has had `whole` seconds: a server that sends a byte a minute holds no thread.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
from functools import partial
from socket import getaddrinfo
from types import TracebackType
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Every address: what SCRUTINY_MODERNGOV_PRIVATE=1 allows.
EVERY_NETWORK: tuple[Network, ...] = (
    ipaddress.IPv4Network("0.0.0.0/0"),
    ipaddress.IPv6Network("::/0"),
)
#: Why an address is not public, in the order asked (a loopback address is private too).
_KINDS = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address (the service's own machine)"),
    ("is_link_local", "a link-local address (such as a cloud's metadata service)"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),
    ("is_private", "a private address"),
)


class Refused(ConnectionRefusedError):
    """A connection the service will not make: its words say to what, and why."""


def not_public(ip: Address) -> str | None:
    """Why `ip` is not on the public internet, in words; None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for flag, words in _KINDS:
        if getattr(ip, flag):
            return words
    return None if ip.is_global else "not a public address"


def _address(sockaddr: tuple[Any, ...]) -> Address:
    """The address of a resolved socket address (an IPv6 one without its zone)."""
    return ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])


class Outbound:
    """The connections of one piece of work: checked, timed, and all shut at its end.

    Use it as a context manager around the work, and open its calls with `opener()`. After
    the work, `refused` says which connection was refused and why, `cut` whether one was shut
    for its time, and `late` whether the whole ran out of time.
    """

    def __init__(
        self, allowed: tuple[Network, ...] = (), per_call: float = 60.0, whole: float = 180.0
    ) -> None:
        self.allowed, self.per_call, self.whole = allowed, per_call, whole
        self.refused: str | None = None
        self.cut = False
        self.late = False
        self._ends = time.monotonic() + whole
        self._open: list[tuple[float, socket.socket]] = []
        self._changed = threading.Condition()
        self._done = False
        self._watch = threading.Thread(target=self._watching, name="outbound-watch", daemon=True)

    def __enter__(self) -> Outbound:
        self._ends = time.monotonic() + self.whole
        self._watch.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._changed:
            self._done = True
            left, self._open = self._open, []
            self._changed.notify()
        for _, sock in left:
            _shut(sock)
        self._watch.join()

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener of http(s) calls through this work's connections, following redirects
        (each checked as the first), with no proxy and no other scheme."""
        opener = urllib.request.OpenerDirector()
        for handler in (
            _HttpHandler(self),
            _HttpsHandler(self, ssl.create_default_context()),
            urllib.request.HTTPRedirectHandler(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
            urllib.request.UnknownHandler(),
        ):
            opener.add_handler(handler)
        return opener

    def connect(
        self, host: str, port: int, timeout: float | None, tls: ssl.SSLContext | None = None
    ) -> socket.socket:
        """A connection to `host`, at one of its addresses once every one is checked; over
        TLS for `host` with `tls`.

        Raises:
            Refused: an address of `host` is not public nor allowed.
            TimeoutError: the whole work's time is over.
            OSError: no address of `host` could be reached.
        """
        started = time.monotonic()
        if started >= self._ends:
            self.late = True
            raise TimeoutError(f"the {self.whole:g} seconds for all the calls are over")
        found = [(i[0], i[4]) for i in getaddrinfo(host, port, type=socket.SOCK_STREAM)]
        for _, sockaddr in found:
            self._check(host, _address(sockaddr))
        ends = min(started + min(timeout or self.per_call, self.per_call), self._ends)
        failed: OSError = OSError(f"{host} has no address")
        for family, sockaddr in found:
            wait = ends - time.monotonic()  # each address only the call's time that is left
            if wait <= 0:
                self.late = self.late or time.monotonic() >= self._ends
                raise TimeoutError(f"no connection to {host} within the call's time")
            raw = socket.socket(family, socket.SOCK_STREAM)
            raw.settimeout(wait)
            try:
                raw.connect(sockaddr)
            except OSError as err:
                raw.close()
                failed = err
                continue
            if tls is None:
                self._watched(raw, min(started + self.per_call, self._ends))
                return raw
            sock = tls.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False)
            self._watched(sock, min(started + self.per_call, self._ends))
            try:
                sock.do_handshake()
            except OSError:
                sock.close()
                raise
            return sock
        raise failed

    def _check(self, host: str, ip: Address) -> None:
        why = not_public(ip)
        if why is None or any(ip in network for network in self.allowed):
            return
        self.refused = (
            f"{host} is at {ip}, {why}, which the service does not connect to unless "
            "SCRUTINY_MODERNGOV_PRIVATE allows it"
        )
        raise Refused(self.refused)

    def _watched(self, sock: socket.socket, deadline: float) -> None:
        with self._changed:
            self._open.append((deadline, sock))
            self._changed.notify()

    def _watching(self) -> None:
        """Shut each connection at its deadline, until the work is done."""
        with self._changed:
            while not self._done:
                now = time.monotonic()
                due = [(d, s) for d, s in self._open if d <= now or s.fileno() == -1]
                for deadline, sock in due:
                    self._open.remove((deadline, sock))
                    if sock.fileno() != -1:  # still open: the call is over its time
                        self.cut = True
                        self.late = self.late or now >= self._ends
                        _shut(sock)
                soonest = min((d for d, _ in self._open), default=None)
                self._changed.wait(None if soonest is None else soonest - now)


def _shut(sock: socket.socket) -> None:
    """Stop a connection, whichever thread is reading it (the plain socket's shutdown: an
    SSL socket's would first forget its TLS state under the reader)."""
    with contextlib.suppress(OSError):  # closed already
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _HttpConnection(http.client.HTTPConnection):
    def __init__(self, host: str, *, outbound: Outbound, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._outbound = outbound

    def connect(self) -> None:
        self.sock = self._outbound.connect(self.host, self.port, self.timeout)


class _HttpsConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, *, outbound: Outbound, tls: ssl.SSLContext, **kwargs: Any
    ) -> None:
        super().__init__(host, context=tls, **kwargs)
        self._outbound, self._tls = outbound, tls

    def connect(self) -> None:
        self.sock = self._outbound.connect(self.host, self.port, self.timeout, self._tls)


class _HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, outbound: Outbound) -> None:
        super().__init__()
        self._outbound = outbound

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_HttpConnection, outbound=self._outbound), req)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, outbound: Outbound, tls: ssl.SSLContext) -> None:
        super().__init__(context=tls)
        self._outbound, self._tls = outbound, tls

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        made = partial(_HttpsConnection, outbound=self._outbound, tls=self._tls)
        return self.do_open(made, req)
