"""The public work programme is made once per publication and answered as stored (ETag, 304),
as the calendar feeds are: no request from anybody makes the server build it again. The
clerk's documents of any plan are made on request, for the clerk only."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api import documents
from api.documents import public_path, store_public_document
from scheduler.outputs.document import Audience
from scheduler.outputs.report import RENDERERS, _merged
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from tests.conftest import BROMLEY, bromley_october_cancelled
from tests.service import AUTH, YAML, publish, run_job, upload

PID = "bromley-ecf-2017-18"
Render = Callable[[Programme, Plan, Audience], str | bytes]


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formats of every document made from now on, in order."""
    formats: list[str] = []

    def counted(fmt: str, render: Render) -> Render:
        def render_counted(programme: Programme, plan: Plan, audience: Audience) -> str | bytes:
            formats.append(fmt)
            time.sleep(0.05)  # long enough for requests at once to meet
            return render(programme, plan, audience)

        return render_counted

    wrapped = {fmt: counted(fmt, render) for fmt, render in RENDERERS.items()}
    monkeypatch.setattr(documents, "RENDERERS", wrapped)
    return formats


@pytest.fixture
def published(client: TestClient) -> dict[str, Any]:
    upload(client, BROMLEY.read_text())
    run_job(client, PID, time_limit=10)
    return publish(client, PID, 1)


def stored_paths(database_url: str) -> list[tuple[int, str]]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT plan, path FROM feeds WHERE path LIKE 'documents/%' ORDER BY plan, path")
        )
        found = [(plan, path) for plan, path in rows]
    engine.dispose()
    return found


def test_the_public_document_is_made_once_then_answered_as_stored(
    client: TestClient, published: dict[str, Any], made: list[str], database_url: str
) -> None:
    answers = [client.get(f"/programmes/{PID}/document?format=docx") for _ in range(3)]
    assert made == ["docx"]
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert len({a.headers["ETag"] for a in answers}) == 1
    first = answers[0]
    assert first.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert first.headers["content-disposition"] == f'inline; filename="{PID}.work-programme.docx"'
    assert first.headers["cache-control"] == "public, max-age=300"
    assert stored_paths(database_url) == [(published["number"], public_path("docx"))]


def test_the_public_document_answers_304_to_its_etag(
    client: TestClient, published: dict[str, Any]
) -> None:
    first = client.get(f"/programmes/{PID}/document")
    again = client.get(
        f"/programmes/{PID}/document", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["ETag"] == first.headers["ETag"]


def test_each_format_is_made_once_for_itself(
    client: TestClient, published: dict[str, Any], made: list[str]
) -> None:
    for fmt in ("md", "html", "docx", "md", "html", "docx"):
        assert client.get(f"/programmes/{PID}/document?format={fmt}").status_code == 200
    assert made == ["md", "html", "docx"]


def test_each_publication_gets_its_own_document(
    client: TestClient, published: dict[str, Any], database_url: str
) -> None:
    before = client.get(f"/programmes/{PID}/document?format=md")
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    edited = bromley_october_cancelled()
    r = client.put(
        f"/programmes/{PID}/source", content=edited.encode(), headers={**YAML, "If-Match": etag}
    )
    assert r.status_code == 200, r.text
    replanned = run_job(client, PID, kind="replan", time_limit=10, as_of="2017-10-01")
    again = publish(client, PID, replanned["plan"])
    after = client.get(f"/programmes/{PID}/document?format=md")
    assert after.headers["ETag"] != before.headers["ETag"] and after.text != before.text
    path = public_path("md")
    assert stored_paths(database_url) == [(published["number"], path), (again["number"], path)]


def test_requests_at_once_make_the_document_once(
    client: TestClient, published: dict[str, Any], made: list[str]
) -> None:
    engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    threads = [
        threading.Thread(target=store_public_document, args=(engine, PID, "docx")) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert made == ["docx"]


def test_nothing_published_has_no_public_document(client: TestClient, made: list[str]) -> None:
    upload(client, BROMLEY.read_text())
    r = client.get(f"/programmes/{PID}/document")
    assert r.status_code == 404 and "no published plan" in r.json()["detail"]
    assert client.get("/programmes/nope/document").status_code == 404
    assert made == []


def test_a_plans_document_is_made_for_the_clerk_only(
    client: TestClient, published: dict[str, Any], made: list[str]
) -> None:
    assert client.get(f"/programmes/{PID}/plans/1/document?format=docx").status_code == 401
    assert made == []
    clerk = client.get(f"/programmes/{PID}/plans/1/document?format=docx", headers=AUTH)
    assert clerk.status_code == 200 and made == ["docx"]


def test_a_meeting_row_is_merged_as_python_docx_merges_it() -> None:
    """The document's meeting rows are merged without python-docx's `merge`, which searches the
    whole table for the row and made a council's document quadratic: the XML is the same."""
    ours, theirs = docx.Document(), docx.Document()
    for out in (ours, theirs):
        table = out.add_table(rows=1, cols=2)
        for column, width in zip(table.columns, (4572000, 1463040), strict=True):
            column.width = width
        out.tables[0].add_row()
    first, second = theirs.tables[0].rows[1].cells
    first.merge(second)
    _merged(ours.tables[0].rows[1])
    assert ours.tables[0]._tbl.xml == theirs.tables[0]._tbl.xml
