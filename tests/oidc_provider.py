"""A real OpenID provider in the tests: node's certified `oidc-provider` (tests/oidc/provider.mjs,
installed from package-lock.json) on loopback, started for the tests that need it and killed
after; and a person signing in at it without a browser (its own login and consent forms, posted
as a browser would).

The provider is named `localhost` while the service is at 127.0.0.1: two sites, as a council's
provider and this service are, so that the browser's cookie rules are the real ones.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from api.settings import Settings

REPO = Path(__file__).parent.parent
SCRIPT = REPO / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "scrutiny-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only-0123456789"
#: Where TestClient's service is: the callback the provider sends people back to.
TEST_SERVER = "http://testserver"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def settings(self, database_url: str) -> Settings:
        """The service's settings with this provider as its single sign-on."""
        return Settings(
            database_url=database_url,
            oidc_issuer=self.issuer,
            oidc_client_id=self.client_id,
            oidc_client_secret=self.client_secret,
        )


@contextlib.contextmanager
def running(redirect_uri: str, log: Path) -> Iterator[Provider]:
    """The provider, its one client sending people back to `redirect_uri`; answering its
    discovery document before it is given, killed at the end whatever happened. Its output
    goes to `log`."""
    command = ["node", str(SCRIPT), "0", "localhost", CLIENT_ID, CLIENT_SECRET, redirect_uri]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        issuer = _issuer(process, log)
        with httpx.Client(timeout=5, trust_env=False) as http:
            _answering(http, f"{issuer}/.well-known/openid-configuration", process, log)
        yield Provider(issuer, CLIENT_ID, CLIENT_SECRET, redirect_uri)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _issuer(process: subprocess.Popen[bytes], log: Path) -> str:
    """The issuer the provider prints once it listens."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the provider exited:\n{log.read_text()}"
        for line in log.read_text().splitlines():
            if line.startswith('{"issuer"'):
                issuer: str = json.loads(line)["issuer"]
                return issuer
        time.sleep(0.05)
    raise AssertionError(f"the provider did not start:\n{log.read_text()}")


def _answering(http: httpx.Client, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the provider exited:\n{log.read_text()}"
        with contextlib.suppress(httpx.TransportError):
            if http.get(url).status_code == 200:
                return
        time.sleep(0.05)
    raise AssertionError(f"the provider's discovery did not answer:\n{log.read_text()}")


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """The provider, sending people back to TestClient's service."""
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with running(f"{TEST_SERVER}/sign-in/sso/callback", log) as provider:
        yield provider


def sign_in_at_provider(address: str, login: str) -> str:
    """Follow the service's redirect `address` to the provider, sign in there as `login` (any
    password), consent, and return the address the provider sends the browser back to."""
    with httpx.Client(timeout=10, trust_env=False) as http:
        answer = http.get(address)
        for _ in range(12):
            if answer.is_redirect:
                location = urljoin(str(answer.url), answer.headers["Location"])
                if not location.startswith(str(answer.url.copy_with(path="/", query=None))):
                    return location  # away from the provider: back to the service
                answer = http.get(location)
                continue
            assert answer.status_code == 200, answer.text
            action = re.search(r'<form[^>]* action="([^"]+)"', answer.text)
            prompt = re.search(r'name="prompt" value="(\w+)"', answer.text)
            assert action and prompt, answer.text
            fields = {"prompt": prompt.group(1)}
            if prompt.group(1) == "login":
                fields |= {"login": login, "password": "anything"}
            answer = http.post(urljoin(str(answer.url), unescape(action.group(1))), data=fields)
    raise AssertionError("the provider did not send the browser back")
