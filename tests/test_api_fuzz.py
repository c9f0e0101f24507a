"""Fuzz the service's OpenAPI spec with Schemathesis: no 5xx, and every answer matches the spec.

The spec under test is the app's own (`app.openapi()`, what it serves at /openapi.json). Every
operation is fuzzed with positive and negative data (100 cases each, about 1900 a database, seeded
per operation: the same cases every run) against a service seeded with real state: the Bromley
programme uploaded, plan 1 solved, published as plan 2, a private feed address. It runs on each
database the `database_url` fixture gives (SQLite, and PostgreSQL in CI).

Checks: not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance, response_headers_conformance and negative_data_rejection (invalid
input is refused with a 4xx). Not positive_data_acceptance: a string that fits the spec's upload
schema is not a valid programme, and 422 for it is right. Not the stateful or re-sending checks
(use_after_free, ensure_resource_availability, ignored_auth, unsupported_method...): they need
links or security schemes the spec does not declare (the clerk's token is a header parameter).

Why not `@schema.parametrize()`: a Schemathesis schema is made at import time, but each service
test gets a fresh database from the function-scoped `database_url` fixture. The lazy loader made
for that (`schemathesis.pytest.from_fixture`) fails on pytest 9.2: Schemathesis 4.32 sets
`request.node._nodeid`, which pytest 9.2 no longer has (AttributeError before any case runs). So
the test builds the schema itself from the app's spec (`schemathesis.openapi.from_dict`) and runs
one Hypothesis test per operation on `operation.as_strategy(...)`, Schemathesis' public API for
use with `@given`. Every operation runs even when one fails; the test then fails once, naming each
failing operation with Schemathesis' report and a curl line to reproduce it.

The app runs in-process under one Starlette TestClient, which owns its lifespan: leaving it closes
the job runner (waiting for a running solve) and disposes of the engine. Schemathesis reaches the
same app through an ASGI session it is handed but never enters, so it never starts a lifespan of
its own that would outlive the test. In-process, an exception the app does not handle reaches the
caller instead of a 500: it is reported as the server error it is, with the request.

Steering, never filtering: four requests in five carry the clerk's bearer token (a hook: the
header is otherwise random, and nearly every clerk-only operation would stop at 401). Schemathesis
dictionaries put the values the seeded service knows (programme, plans 1 and 2, body 'select', the
job, the feed token, its id, the revision in If-Match, a person) into their parameters in about
half the cases, with values that break parsers and databases beside them (NUL, superscript
digits, integers past 32 and 64 bits, a string past VARCHAR(200)). A dictionary entry is only
used in the generation mode it fits (an integer past a declared maximum only in negative cases),
so a negative case stays negative. Schemathesis never puts NUL in a path, so each operation also
gets explicit cases with NUL in each of its string path parameters, the others real.

The accounts' routes let the fuzzer revoke the clerk's own token, disable or demote its account
(once it has made another admin) and change the seeded clerk's role: after each change it makes
there, the two seeded accounts and the token are put back as seeded, so that every operation
after it is fuzzed as the clerk still.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from api.auth import digest
from api.storage import writing
from api.tables import Account, ApiToken
from tests.conftest import BROMLEY
from tests.service import AUTH, CLERK, make_app, publish, run_job, upload, working

#: Cases per operation, positive and negative data together (20 operations).
MAX_EXAMPLES = 100
SEED = 20171017
PID = "bromley-ecf-2017-18"

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]

#: Strings that break parsers and databases: NUL (PostgreSQL text cannot hold it), non-ASCII
#: digits (str.isdigit() says yes, int() may say no), past VARCHAR(200).
NASTY_STRINGS = ["\x00", "a\x00b", "\u00b2", "\u0663", "x" * 300]
#: The same for path segments, where Schemathesis drops NUL, "/" and "..": it never sends them.
NASTY_SEGMENTS = ["\u00b2", "\u0663", "x" * 300, "a b", "%"]
#: Header values travel as latin-1 (Schemathesis drops NUL and line breaks there).
NASTY_HEADERS = ['"\u00b2"', "\u00b9", '"1"1', "W/", '""', '"9999999999999"']
#: Integers at and past PostgreSQL's INTEGER (32 bits) and SQLite's (64 bits).
NASTY_INTEGERS = [0, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1]
#: NUL in an id: what a client can send (%00 in the path) and Schemathesis never generates.
NUL_ID = "a\x00b"

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow],
)

#: The seeded accounts: the clerk's token's admin (the shared token adopted), and a clerk.
ADMIN, CLERK_ACCOUNT = 1, 2
#: Addresses the fuzzer may make accounts for (each once).
EMAILS = [f"fuzz{n}@bromley.gov.uk" for n in range(5)]

#: Operations a fuzzer cannot be expected to get far in: both need a whole valid programme.
NO_2XX_EXPECTED = {
    "POST /programmes",
    "PUT /programmes/{pid}/source",
    "POST /programmes/{pid}/plans/{number}/suggest",  # random text is rarely a valid item
    "GET /programmes/{pid}/moderngov",  # the seeded Bromley names no Modern.gov site: 409
}


class ServerRaised(AssertionError):
    """The app raised instead of answering (a server would have answered 500), or the request
    could not be made at all: the chained exception's traceback says which."""


@dataclass
class Seeded:
    """The service under test and the real values the fuzzer should sometimes hit."""

    app: FastAPI
    job: str
    token: str
    token_id: int


@pytest.fixture
def seeded(database_url: str) -> Iterator[Seeded]:
    """A fresh service on `database_url`: Bromley uploaded, solved (plan 1), published (plan 2),
    a private feed address for the clerk, and a clerk's account (CLERK_ACCOUNT)."""
    app = make_app(database_url)
    with TestClient(app) as client, working(database_url):
        assert upload(client, BROMLEY.read_text())["id"] == PID
        job = run_job(client, PID, time_limit=5.0)
        assert job["state"] == "done" and job["plan"] == 1, job
        assert publish(client, PID, 1)["number"] == 2
        response = client.post(
            f"/programmes/{PID}/feed-tokens",
            json={"subject": "clerk", "label": "fuzz"},
            headers=AUTH,
        )
        assert response.status_code == 201, response.text
        token = response.json()
        clerk = {"email": "clerk@bromley.gov.uk", "name": "Colin Clerk", "role": "clerk"}
        made = client.post("/accounts", json=clerk, headers=AUTH)
        assert made.json()["id"] == CLERK_ACCOUNT, made.text
        yield Seeded(app, job["id"], token["token"], token["id"])


@dataclass
class Tally:
    """The status codes each operation answered: for the failure message and the reach check."""

    statuses: defaultdict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def summary(self) -> str:
        total = sum(sum(codes.values()) for codes in self.statuses.values())
        return f"{total} cases\n" + "\n".join(
            f"  {label}: {sum(codes.values())} cases, {dict(sorted(codes.items()))}"
            for label, codes in sorted(self.statuses.items())
        )


def test_api_fuzz(seeded: Seeded) -> None:
    schema = schemathesis.openapi.from_dict(seeded.app.openapi(), config=_config(seeded))
    schema.app = seeded.app
    schema.hook(flatmap_case)
    session = _session(seeded.app)
    tally = Tally()
    failures: list[str] = []
    operations = [operation for methods in schema.values() for operation in methods.values()]
    assert len(operations) == 51, [op.label for op in operations]

    def call(case: schemathesis.Case) -> None:
        try:
            response = case.call(session=session)
        except Exception as error:
            raise ServerRaised(f"{error!r} on\n    {case.as_curl_command()}") from error
        finally:
            if case.method.upper() != "GET" and case.path.startswith(("/me", "/accounts")):
                _as_seeded(seeded.app)
        tally.statuses[case.operation.label][response.status_code] += 1
        case.validate_response(response, checks=CHECKS, transport_kwargs={"session": session})

    for operation in operations:
        strategy = st.one_of(*[operation.as_strategy(generation_mode=m) for m in GenerationMode])
        fuzz = given(case=strategy)(call)
        for case in _nul_cases(operation, seeded):
            fuzz = example(case=case)(fuzz)
        fuzz = FUZZ_SETTINGS(seed(SEED ^ zlib.crc32(operation.label.encode()))(fuzz))
        # every operation runs; their failures are reported together
        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}:\n{error}")
    assert not failures, "\n\n".join(failures) + "\n\nAnswers:\n" + tally.summary()

    # The steering works: everywhere, fuzzed requests got past the token, validation and the
    # lookups (a 412, a stale If-Match, shows it as well as a 2xx: the revision is compared last)
    unreached = [
        op.label
        for op in operations
        if op.label not in NO_2XX_EXPECTED
        and not any(200 <= code < 300 or code == 412 for code in tally.statuses[op.label])
    ]
    assert not unreached, f"never got far in {unreached}\n\nAnswers:\n{tally.summary()}"
    print(f"\n{tally.summary()}")  # with -s: what the fuzzer got, operation by operation


def _config(seeded: Seeded) -> schemathesis.Config:
    """Schemathesis' settings: a dictionary for each parameter that names something, its real
    values weighing as much as the nasty values of its kind, drawn in 3 cases of 5; nasty values
    for any other string or integer in 1 case of 10."""
    known: dict[str, list[Any]] = {
        "path.pid": [PID],
        "path.number": [1, 2],
        "path.first": [1, 2],
        "path.second": [1, 2],
        "path.body": ["select"],
        "path.job_id": [seeded.job],
        "path.token": [seeded.token],
        "path.token_id": [seeded.token_id],
        "path.account": [CLERK_ACCOUNT],
        "path.domain": ["bromley.gov.uk"],
        "body.email": EMAILS,
        "query.version": [1],
        # the programme's revision is 2 after the seeding; each publication adds one
        "header.if-match": ['"2"', 'W/"2"', '"3"', '"4"', '"5"', '"1"'],
        "body.subject": ["clerk", "bennett"],
        "query.item": ["camhs"],
        "body.item": ["camhs"],
        "body.meeting": ["select-2017-10-17"],
    }

    def nasty(key: str, values: list[Any]) -> list[Any]:
        if key.startswith("header."):
            return NASTY_HEADERS
        if isinstance(values[0], int):
            return NASTY_INTEGERS
        return NASTY_SEGMENTS if key.startswith("path.") else NASTY_STRINGS

    def weighed(key: str, values: list[Any]) -> list[Any]:
        bad = nasty(key, values)
        return values * -(-len(bad) // len(values)) + bad

    return schemathesis.Config.from_dict(
        {
            "dictionaries": {
                **{key: {"values": weighed(key, values)} for key, values in known.items()},
                "strings": {"values": NASTY_STRINGS},
                "integers": {"values": NASTY_INTEGERS},
            },
            "parameters": {
                **{key: {"dictionary": key, "probability": 0.6} for key in known},
                "body.label": {"dictionary": "strings", "probability": 0.2},
            },
            "generation": {
                "dictionaries": {
                    "string": {"dictionary": "strings", "probability": 0.1},
                    "integer": {"dictionary": "integers", "probability": 0.1},
                },
            },
        }
    )


def _nul_cases(operation: schemathesis.APIOperation, seeded: Seeded) -> Iterator[schemathesis.Case]:
    """For each string path parameter, a request with NUL in it and every other part real."""
    real: dict[str, Any] = {
        "pid": PID,
        "number": 1,
        "first": 1,
        "second": 2,
        "body": "select",
        "job_id": seeded.job,
        "token": seeded.token,
        "token_id": seeded.token_id,
        "account": CLERK_ACCOUNT,
        "domain": "bromley.gov.uk",
    }
    names = [parameter.name for parameter in operation.path_parameters]
    headers = {**AUTH}
    if any(parameter.name.lower() == "if-match" for parameter in operation.headers):
        headers["If-Match"] = '"2"'
    body: dict[str, Any] = {}
    if operation.method.upper() == "POST" and operation.path.endswith("/jobs"):
        body = {"body": {"time_limit": 1.0}, "media_type": "application/json"}
    elif operation.path.endswith("/feed-tokens") and operation.method.upper() == "POST":
        body = {"body": {"subject": "clerk"}, "media_type": "application/json"}
    elif operation.method.upper() == "PUT":
        body = {"body": BROMLEY.read_text(), "media_type": "application/yaml"}
    for name in names:
        if isinstance(real[name], str):
            path = {other: real[other] for other in names} | {name: NUL_ID}
            yield operation.Case(path_parameters=path, headers=headers, **body)


def _as_seeded(app: FastAPI) -> None:
    """The seeded accounts and the clerk's token as they were seeded (see the module)."""
    with writing(app.state.scrutiny.engine) as session:
        for number, role in ((ADMIN, "admin"), (CLERK_ACCOUNT, "clerk")):
            session.execute(
                update(Account)
                .where(Account.id == number)
                .values(role=role, disabled=False, failures=0, locked_until=None)
            )
        session.execute(
            update(ApiToken).where(ApiToken.digest == digest(CLERK)).values(revoked=None)
        )


def _session(app: Any) -> Any:
    """A requests session into the app. Not entered: entering would start a lifespan that
    Schemathesis keeps for the rest of the process; the fixture's TestClient runs the only one."""
    return asgi.get_client(app)


def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
    """Four requests in five carry the clerk's token, in either generation mode (True first:
    Hypothesis leans towards the first entry, and shrinks towards it)."""
    clerk = st.sampled_from([True, True, True, True, False])
    return clerk.map(
        lambda yes: _with_header(case, "Authorization", AUTH["Authorization"]) if yes else case
    )


def _with_header(case: schemathesis.Case, name: str, value: str) -> schemathesis.Case:
    if case.headers is None:
        case.headers = {}
    for key in [k for k in case.headers if k.lower() == name.lower()]:
        del case.headers[key]
    case.headers[name] = value
    return case
