"""A reader's API token changes nothing (issue 25): Schemathesis over every API operation, every
request carrying a reader's bearer token, against the service `test_api_fuzz` seeds (Bromley
solved, published, a private feed address). Afterwards every table of what the service knows
holds the same rows as before, and no answer was a server error.

Left out of the comparison, because reading may change them: an API token's last use (written
on use, at most every `api.api_tokens.TOUCH_EVERY`) and an account's wrong passwords and lock
(nothing here signs in). The public work programme is stored among the feeds the first time
anybody reads it, signed in or not (a cache): it is read in each format before the first
snapshot, so that the feeds are compared whole.

The cases are `test_api_fuzz`'s: the same dictionaries put the seeded service's real ids (the
programme, its plans, the job, the feed address) into about half the parameters, nasty values
beside them, positive and negative data, seeded per operation; fewer of them. Every request
carries the reader's token, whatever was generated for the header, so that each gets past the
sign-in: to its answer, or to the role check that refuses it.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from typing import Any, get_args

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine, select

from api.accounts import create_account
from api.api_tokens import make_token
from api.routes.plans import Format
from api.tables import Base
from api.who import Who
from tests.test_api_fuzz import (  # noqa: F401 - `seeded` is the fixture
    NO_2XX_EXPECTED,
    PID,
    SEED,
    Seeded,
    ServerRaised,
    Tally,
    _config,
    _session,
    _with_header,
    seeded,
)

#: Cases per operation, positive and negative data together: enough for each to meet the real
#: ids (the test's last check says so), few enough to take seconds.
READER_EXAMPLES = 12
NOW = dt.datetime(2017, 10, 3, 10, 14, tzinfo=dt.UTC)

#: The tables of what the service knows, and the columns a read may change (left out).
COMPARED: dict[str, tuple[str, ...]] = {
    "programmes": (),
    "programme_versions": (),
    "plans": (),
    "feeds": (),
    "feed_tokens": (),
    "jobs": (),
    "grants": (),
    "accounts": ("failures", "locked_until"),
    "api_tokens": ("last_used",),
    "sso_domains": (),
    "audit_events": (),
}

#: A reader's own API tokens are theirs to make and revoke (`/me/tokens`): not fuzzed here,
#: where revoking the token the requests carry would stop the rest of the run.
THEIR_OWN = {"POST /me/tokens", "DELETE /me/tokens/{number}"}

READER_SETTINGS = settings(
    max_examples=READER_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def reader_token(seeded: Seeded) -> Iterator[str]:  # noqa: F811
    """The API token of a reader's account on the seeded service."""
    engine = seeded.app.state.scrutiny.engine
    made = create_account(engine, "reader@bromley.gov.uk", "Rita Reader", "reader", None, NOW)
    yield make_token(engine, Who.of(made), made.id, "fuzzing as a reader", NOW)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the compared tables, in primary-key order, without the left-out columns."""
    rows = {}
    with engine.connect() as connection:
        for name, left_out in COMPARED.items():
            table = Base.metadata.tables[name]
            columns = [c for c in table.columns if c.name not in left_out]
            query = select(*columns).order_by(*table.primary_key.columns)
            rows[name] = [tuple(row) for row in connection.execute(query)]
    return rows


def test_a_readers_token_changes_nothing(seeded: Seeded, reader_token: str) -> None:  # noqa: F811
    engine = seeded.app.state.scrutiny.engine
    public = TestClient(seeded.app)  # not entered: the fixture's client runs the lifespan
    for fmt in get_args(Format):
        assert public.get(f"/programmes/{PID}/document?format={fmt}").status_code == 200
    before = snapshot(engine)
    schema = schemathesis.openapi.from_dict(seeded.app.openapi(), config=_config(seeded))
    schema.app = seeded.app

    @schema.hook("map_case")
    def as_reader(_: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
        return _with_header(case, "Authorization", f"Bearer {reader_token}")

    session = _session(seeded.app)
    tally = Tally()
    failures: list[str] = []

    def call(case: schemathesis.Case) -> None:
        try:
            response = case.call(session=session)
        except Exception as error:
            raise ServerRaised(f"{error!r} on\n    {case.as_curl_command()}") from error
        tally.statuses[case.operation.label][response.status_code] += 1
        case.validate_response(response, checks=[not_a_server_error])

    operations = [
        operation
        for methods in schema.values()
        for operation in methods.values()
        if operation.label not in THEIR_OWN
    ]
    for operation in operations:
        strategy = st.one_of(*[operation.as_strategy(generation_mode=m) for m in GenerationMode])
        fuzz = given(case=strategy)(call)
        fuzz = READER_SETTINGS(seed(SEED ^ zlib.crc32(operation.label.encode()))(fuzz))
        try:  # every operation runs; their failures are reported together
            fuzz()
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}:\n{error}")
    after = snapshot(engine)
    changed = [name for name in COMPARED if before[name] != after[name]]
    answers = f"\n\nTables changed: {changed}\n\nAnswers:\n{tally.summary()}"
    assert not failures, "\n\n".join(failures) + answers
    assert not changed, f"a reader's requests changed what the service knows{answers}"
    # Every operation was met with the seeded service's real ids at least once: a reading one
    # answered, a changing one refused the reader (403 comes before any lookup, so this says
    # only that the reader got past the sign-in)
    unmet = [
        op.label
        for op in operations
        if op.label not in NO_2XX_EXPECTED and not _met(tally.statuses[op.label])
    ]
    assert not unmet, f"never reached {unmet}\n\nAnswers:\n{tally.summary()}"
    print(f"\n{tally.summary()}")  # with -s: what a reader got, operation by operation


def _met(codes: dict[int, int]) -> bool:
    return any(200 <= code < 300 or code == 403 for code in codes)
