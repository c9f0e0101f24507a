"""The bad-input corpus (tests/bad_inputs.py) through the CLI and the service.

Every file ends valid, or refused cleanly (README "Bad input", DESIGN §4 and §10): exit 0 (1 for
a solve with no plan) or 2 with every line of stderr located and nothing on stdout; never a
traceback, never a raw control character or lone surrogate in what a terminal shows, never a
half-written plan; the service answers 200/201 or 413/422 naming the problems, never 500, and
still answers afterwards. Files that DESIGN §4 or the README call bad must be refused.
"""

from __future__ import annotations

import io
import re
import resource
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scheduler.cli import main
from scheduler.programme.load import parse_programme
from tests.bad_inputs import JSON, MAX_UPLOAD, YAML, Case, corpus
from tests.conftest import BROMLEY
from tests.service import AUTH, make_app, upload

CASES = corpus()
REFUSED = [case for case in CASES if case.refused]
#: A located message: FILE[:LINE]: [LOCATION: ]MESSAGE (as tests/test_bad_input_fuzz.py).
LOCATED = re.compile(r"^\S+?(:\d+)?: (\S.*: )?\S.*$")
#: What a terminal or a page must never be handed raw: C0 and C1 controls but newline, and
#: lone surrogates (they cannot even be written as UTF-8).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: How a 409 names the programme that already exists.
TAKEN = re.compile(r"programme '([a-z0-9-]+)' exists")
#: Kinds of one or two cases by nature: the reference itself, the file sizes, ordinary aliases.
SINGULAR = {"unchanged", "oversized", "at-size-limit", "yaml-alias-ordinary"}
#: Address space a run may add to this process's (see `bounded_memory`).
HEADROOM = 2 * 1024**3


@contextmanager
def bounded_memory() -> Iterator[None]:
    """Cap this process's address space at its present size plus HEADROOM while the body runs.

    The corpus holds alias bombs and deep nests on purpose: code that expands them would take
    the machine's memory before failing. Capped, it fails here with a MemoryError instead.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    statm = Path("/proc/self/statm")
    if not statm.exists():  # not Linux: no cap, as before
        yield
        return
    size = int(statm.read_text().split()[0]) * resource.getpagesize()
    cap = size + HEADROOM if hard == resource.RLIM_INFINITY else min(hard, size + HEADROOM)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@dataclass(frozen=True)
class Run:
    """One in-process run of the CLI: the input's path as given, exit code, stdout, stderr."""

    path: str
    code: int
    out: str
    err: str
    written: tuple[str, ...]


def run_cli(case: Case, verb: str) -> Run:
    """Run `scrutiny VERB FILE` in-process on the case written to a fresh directory; any
    output goes to a directory of its own, listed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / case.name
        path.write_bytes(case.data)
        output = Path(folder) / "out"
        output.mkdir()
        argv = [verb, str(path)]
        if verb == "solve":
            argv += ["-o", str(output / "plan.json"), "--time-limit", "2"]
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err), bounded_memory():
            code = main(argv)
        written = tuple(sorted(p.name for p in output.iterdir()))
    return Run(str(path), code, out.getvalue(), err.getvalue(), written)


@cache
def validated(case: Case) -> Run:
    """`scrutiny validate` of the case, run once for the tests that need it."""
    return run_cli(case, "validate")


def raw_controls(text: str) -> list[str]:
    """The raw control characters in `text`, escaped for the failure message."""
    return sorted({repr(c) for c in RAW_CONTROL.findall(text)})


def assert_clean(case: Case, verb: str, run: Run) -> None:
    """The invariants of every run: a known exit code, nothing raw on either stream, located
    messages on exit 2, a plan file only from a solve that made one."""
    codes = (0, 1, 2) if verb == "solve" else (0, 2)
    assert run.code in codes, f"exit {run.code}: {run.err[-2000:]}"
    assert not raw_controls(run.err), f"raw {raw_controls(run.err)} on stderr: {run.err[-2000:]!r}"
    assert not raw_controls(run.out), f"raw {raw_controls(run.out)} on stdout"
    if run.code == 2:
        assert run.out == ""
        lines = run.err.split("\n")[:-1] if run.err.endswith("\n") else run.err.split("\n")
        assert lines and lines[0], "exit 2 without a message"
        for line in lines:
            assert line.startswith(f"{run.path}:") and LOCATED.match(line), f"not located: {line!r}"
    # A solve that made a plan wrote it whole; "no plan" (exit 1) may write the partial plan
    # (DESIGN §4.5 R1) or nothing; anything else writes nothing, not even a temporary file.
    allowed: dict[int, list[tuple[str, ...]]] = (
        {0: [("plan.json",)], 1: [(), ("plan.json",)]} if verb == "solve" else {}
    )
    assert run.written in allowed.get(run.code, [()]), f"exit {run.code} left {run.written}"


def test_the_corpus_has_every_kind_of_damage_several_times() -> None:
    kinds = Counter(case.kind for case in CASES)
    assert len(CASES) >= 320
    assert {kind for kind, n in kinds.items() if n < 3} <= SINGULAR, kinds
    base = {".yaml": YAML.encode(), ".json": JSON.encode()}
    same = [c.name for c in CASES if c.kind != "unchanged" and c.data == base[c.name[-5:]]]
    assert same == [], "a mutation that changes nothing"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_ends_valid_or_refuses_with_located_messages(case: Case) -> None:
    assert_clean(case, "validate", validated(case))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_deadlines_ends_with_a_table_or_refuses_with_located_messages(case: Case) -> None:
    assert_clean(case, "deadlines", run_cli(case, "deadlines"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_solve_writes_a_whole_plan_or_nothing(case: Case) -> None:
    assert_clean(case, "solve", run_cli(case, "solve"))


class Service:
    """The service under test, with each case's upload answer kept for the tests that need it."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.answers: dict[str, tuple[int, Any]] = {}

    def send(self, case: Case) -> tuple[int, Any]:
        """Upload the case (POST; when valid and its id exists, PUT over that programme):
        the status and the decoded JSON answer."""
        if case.name not in self.answers:
            headers = {**AUTH, "Content-Type": case.media_type}
            with bounded_memory():
                response = self.client.post("/programmes", content=case.data, headers=headers)
            if response.status_code == 409:
                pid = self.programme_id(case, response.json()["detail"])
                etag = self.client.get(f"/programmes/{pid}").headers["ETag"]
                with bounded_memory():
                    response = self.client.put(
                        f"/programmes/{pid}/source",
                        content=case.data,
                        headers={**headers, "If-Match": etag},
                    )
            assert response.status_code != 500, response.text[-2000:]
            self.answers[case.name] = (response.status_code, response.json())
        return self.answers[case.name]

    @staticmethod
    def programme_id(case: Case, detail: str) -> str:
        """The id a 409 says is taken: from its words, else from the file itself."""
        if match := TAKEN.search(detail):
            return match[1]
        name = "upload.json" if case.name.endswith(".json") else "upload.yaml"
        return parse_programme(case.data.decode("utf-8"), name).id


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service for the whole corpus, holding Bromley from the start (so that a valid
    mutation of it is an edit, PUT, as well as an upload)."""
    database = tmp_path_factory.mktemp("corpus") / "scrutiny.db"
    app = make_app(f"sqlite:///{database}")
    with TestClient(app, raise_server_exceptions=False) as client:
        upload(client, BROMLEY.read_text())
        yield Service(client)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_an_upload_is_taken_or_refused_naming_the_problems(service: Service, case: Case) -> None:
    status, body = service.send(case)
    if len(case.data) > MAX_UPLOAD:
        assert status == 413, body
    assert status in (200, 201, 413, 422), body
    if status in (413, 422):
        assert body["detail"], body
        assert not raw_controls(body["detail"]), body["detail"]
    if status == 422:
        assert body["problems"], body
        for problem in body["problems"]:
            assert problem["file"] in ("upload.yaml", "upload.json"), problem
            assert problem["message"], problem
            said = f"{problem['location']}: {problem['message']}"
            assert not raw_controls(said), f"raw {raw_controls(said)} in {said!r}"


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_a_file_the_design_calls_bad_is_refused_by_cli_and_service(
    service: Service, case: Case
) -> None:
    """DESIGN §4 / README "Bad input": impossible dates, wrong types, unknown keys, dangling
    references, duplicate keys, control characters in words and ids, undecodable files ... are
    refused; a clean exit 0 on them is a rule silently dropped."""
    run = validated(case)
    assert run.code == 2, f"validate took it: {run.out[-500:]!r}"
    status, _ = service.send(case)
    assert status in (413, 422), f"the service answered {status}"


def test_the_service_still_answers_after_every_upload(service: Service) -> None:
    assert service.client.get("/").status_code == 200
    listed = service.client.get("/programmes")
    assert listed.status_code == 200
    assert "bromley-ecf-2017-18" in [p["id"] for p in listed.json()]
