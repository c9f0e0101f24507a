"""The service end to end, in-process: every resource, auth, If-Match, feeds and their caching.

Each test runs on a fresh database: SQLite, and PostgreSQL when the CI provides one.
What the service answers is compared with what the library makes of the same input, so the
service is shown to add storage and HTTP, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from scheduler.check import check
from scheduler.errors import ProgrammeError
from scheduler.outputs.exempt import Secrets
from scheduler.outputs.feeds import feeds
from scheduler.outputs.report import html
from scheduler.plan.changes import diff
from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from tests.conftest import BROMLEY, bromley_october_cancelled, town_with_secrets
from tests.docx_text import text as docx_text
from tests.service import (
    AUTH,
    CLERK,
    YAML,
    make_app,
    publish,
    run_job,
    solved_and_published,
    upload,
)

PID = "bromley-ecf-2017-18"


@pytest.fixture
def published(client: TestClient) -> dict[str, Any]:
    """Bromley uploaded, solved (plan 1) and published (plan 2)."""
    return solved_and_published(client, BROMLEY.read_text(), PID)


def plan_json(client: TestClient, number: int) -> Plan:
    response = client.get(f"/programmes/{PID}/plans/{number}", headers=AUTH)
    assert response.status_code == 200
    return Plan.model_validate_json(response.content)


def token(client: TestClient, subject: str, pid: str = PID) -> dict[str, Any]:
    response = client.post(
        f"/programmes/{pid}/feed-tokens", json={"subject": subject}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


# -- programmes -------------------------------------------------------------------------------


def test_an_uploaded_programme_is_kept_as_sent(client: TestClient) -> None:
    source = BROMLEY.read_text()
    response = client.post("/programmes", content=source.encode(), headers=YAML)
    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/programmes/{PID}"
    assert response.json()["title"] == "Education, Children & Families Work Programme 2017/18"
    stored = client.get(f"/programmes/{PID}/source", headers=AUTH)
    assert stored.text == source
    assert stored.headers["content-type"].startswith("application/yaml")
    again = client.post("/programmes", content=source.encode(), headers=YAML)
    assert again.status_code == 409


def test_an_invalid_programme_gets_422_with_the_problems_the_cli_prints(
    client: TestClient,
) -> None:
    bad = BROMLEY.read_text().replace("witnesses: [", "witnesses: [nobody-here, ", 1)
    with pytest.raises(ProgrammeError) as expected:
        parse_programme(bad, "upload.yaml")
    response = client.post("/programmes", content=bad.encode(), headers=YAML)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [f"{p['file']}:{p['line']}: {p['location']}: {p['message']}" for p in problems] == [
        str(p) for p in expected.value.problems
    ]
    assert "'nobody-here' is not in people" in problems[0]["message"]
    assert client.get("/programmes").json() == []  # nothing half-made


def test_uploads_that_are_not_yaml_or_json_text_are_refused(client: TestClient) -> None:
    form = {**AUTH, "Content-Type": "text/plain"}
    assert client.post("/programmes", content=b"id: x", headers=form).status_code == 415
    latin = client.post("/programmes", content="title: caf\xe9".encode("latin-1"), headers=YAML)
    assert latin.status_code == 422
    assert latin.json()["problems"][0]["message"] == "cannot be read: it is not UTF-8 text"
    as_json = {**AUTH, "Content-Type": "application/json"}
    broken = client.post("/programmes", content=b'{"id": ', headers=as_json)
    assert broken.status_code == 422
    assert broken.json()["problems"][0]["file"] == "upload.json"


def test_editing_needs_the_clerks_token(client: TestClient) -> None:
    source = BROMLEY.read_text().encode()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {CLERK}"}):
        response = client.post(
            "/programmes", content=source, headers={**headers, "Content-Type": "application/yaml"}
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    upload(client, BROMLEY.read_text())
    assert client.get(f"/programmes/{PID}/source").status_code == 401
    assert client.get(f"/programmes/{PID}/plans").status_code == 401
    assert client.get(f"/programmes/{PID}").status_code == 200  # public: no titles of items


def test_two_clerks_edit_from_the_same_version_one_wins_the_other_gets_412(
    client: TestClient,
) -> None:
    upload(client, BROMLEY.read_text())
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    first = BROMLEY.read_text().replace("title: Education", "title: First clerk's Education", 1)
    second = BROMLEY.read_text().replace("title: Education", "title: Second clerk's Education", 1)
    won = client.put(
        f"/programmes/{PID}/source", content=first.encode(), headers={**YAML, "If-Match": etag}
    )
    lost = client.put(
        f"/programmes/{PID}/source", content=second.encode(), headers={**YAML, "If-Match": etag}
    )
    assert won.status_code == 200 and won.headers["ETag"] == '"2"'
    assert lost.status_code == 412
    assert "revision 2, not 1" in lost.json()["detail"]
    versions = client.get(f"/programmes/{PID}/versions", headers=AUTH).json()
    assert [v["number"] for v in versions] == [1, 2]
    assert client.get(f"/programmes/{PID}/source", headers=AUTH).text == first
    assert (
        client.get(f"/programmes/{PID}/source?version=1", headers=AUTH).text == BROMLEY.read_text()
    )
    # the second clerk reloads and makes the edit again: nothing lost
    retry = client.put(
        f"/programmes/{PID}/source", content=second.encode(), headers={**YAML, "If-Match": '"2"'}
    )
    assert retry.status_code == 200 and retry.json()["version"] == 3


def test_an_edit_without_if_match_gets_428_and_changes_nothing(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    response = client.put(f"/programmes/{PID}/source", content=BROMLEY.read_bytes(), headers=YAML)
    assert response.status_code == 428
    assert client.get(f"/programmes/{PID}").json()["revision"] == 1


def test_a_file_of_another_programme_cannot_replace_this_one(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    other = BROMLEY.read_text().replace(f"id: {PID}", "id: another-programme", 1)
    response = client.put(
        f"/programmes/{PID}/source", content=other.encode(), headers={**YAML, "If-Match": '"1"'}
    )
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["location"], problem["line"]) == (
        "id",
        1 + BROMLEY.read_text().split("\n").index(f"id: {PID}"),
    )
    assert client.get(f"/programmes/{PID}").json()["revision"] == 1


# -- jobs and plans ---------------------------------------------------------------------------


def test_a_solve_job_makes_a_plan_that_passes_every_rule(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    job = run_job(client, PID, time_limit=10)
    assert job["state"] == "done" and job["plan"] == 1 and job["progress"] == 1.0
    assert job["objective"] == job["bound"] and job["gap"] == 0.0
    plan = plan_json(client, 1)
    programme = parse_programme(BROMLEY.read_text(), "bromley.yaml")
    assert plan.status.value == "optimal"
    assert check(programme, plan) == []
    [summary] = client.get(f"/programmes/{PID}/plans", headers=AUTH).json()
    assert summary["kind"] == "solve" and summary["current"] is False


def test_bad_job_requests_are_refused(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    too_long = client.post(f"/programmes/{PID}/jobs", json={"time_limit": 10_000}, headers=AUTH)
    assert too_long.status_code == 422
    assert too_long.json()["problems"][0]["location"] == "body.time_limit"
    replan = client.post(f"/programmes/{PID}/jobs", json={"kind": "replan"}, headers=AUTH)
    assert replan.status_code == 409  # no plan yet to re-plan against
    assert client.post("/programmes/nope/jobs", json={}, headers=AUTH).status_code == 404
    assert client.get("/jobs/nope", headers=AUTH).status_code == 404


def test_one_job_at_a_time_per_programme_and_a_dead_ones_is_interrupted(
    client: TestClient, database_url: str
) -> None:
    upload(client, BROMLEY.read_text())
    engine = create_engine(database_url)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    with engine.begin() as conn:  # a job another process was running
        conn.execute(
            text(
                "INSERT INTO jobs (id, programme, kind, programme_version, time_limit, state,"
                " runner, heartbeat, solutions, elapsed, message, created) VALUES"
                " ('elsewhere', :pid, 'solve', 1, 30, 'running', 'other', :now, 0, 0, '', :now)"
            ),
            {"pid": PID, "now": dt.datetime.now(dt.UTC)},
        )
    busy = client.post(f"/programmes/{PID}/jobs", json={}, headers=AUTH)
    assert busy.status_code == 409 and "elsewhere" in busy.json()["detail"]
    with engine.begin() as conn:  # ... whose process then died: its heartbeat stops
        conn.execute(text("UPDATE jobs SET heartbeat = :old"), {"old": old})
    engine.dispose()
    assert run_job(client, PID, time_limit=10)["state"] == "done"  # the dead one does not block
    assert client.get("/jobs/elsewhere", headers=AUTH).json()["state"] == "interrupted"


def test_publishing_records_a_new_version_and_refuses_stale_plans(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    run_job(client, PID, time_limit=10)
    no_match = client.post(f"/programmes/{PID}/plans/1/publish", headers=AUTH)
    assert no_match.status_code == 428
    published = publish(client, PID, 1)
    assert (published["number"], published["kind"], published["based_on"]) == (2, "publish", 1)
    assert plan_json(client, 2).published is not None
    stale = client.post(f"/programmes/{PID}/plans/1/publish", headers={**AUTH, "If-Match": '"1"'})
    assert stale.status_code == 412
    edited = bromley_october_cancelled()
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    client.put(
        f"/programmes/{PID}/source", content=edited.encode(), headers={**YAML, "If-Match": etag}
    )
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    old = client.post(f"/programmes/{PID}/plans/1/publish", headers={**AUTH, "If-Match": etag})
    assert old.status_code == 409
    assert "re-plan first" in old.json()["detail"]


def test_a_replan_moves_the_least_and_its_changes_are_the_diff(
    client: TestClient, published: dict[str, Any]
) -> None:
    edited = bromley_october_cancelled()
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    assert (
        client.put(
            f"/programmes/{PID}/source", content=edited.encode(), headers={**YAML, "If-Match": etag}
        ).status_code
        == 200
    )
    job = run_job(client, PID, kind="replan", time_limit=10, as_of="2017-10-01")
    assert job["state"] == "done" and job["against"] == published["number"]
    plan = plan_json(client, job["plan"])
    previous = plan_json(client, published["number"])
    programme = parse_programme(edited, "edited.yaml")
    assert check(programme, plan, previous=previous, as_of=dt.date(2017, 10, 1)) == []
    assert plan.changes and plan.disruption is not None
    response = client.get(
        f"/programmes/{PID}/plans/{published['number']}/diff/{job['plan']}", headers=AUTH
    )
    assert response.status_code == 200
    expected = [c.model_dump(mode="json", by_alias=True) for c in diff(programme, previous, plan)]
    assert response.json()["changes"] == expected
    assert any(c["meeting"] == "select-2017-10-17" for c in expected if "meeting" in c)
    republished = publish(client, PID, job["plan"])
    assert client.get(f"/programmes/{PID}").json()["published"] == republished["number"]


def test_before_the_first_publication_a_replan_moves_the_least_from_the_newest_draft(
    client: TestClient,
) -> None:
    upload(client, BROMLEY.read_text())
    first = run_job(client, PID)["plan"]
    run_job(client, PID, kind="replan", time_limit=10)  # against plan 1, the only draft
    job = run_job(client, PID, kind="replan", time_limit=10)
    assert job["state"] == "done" and job["against"] == first + 1
    plan = plan_json(client, job["plan"])
    assert plan.changes == [] and plan.disruption is not None  # nothing edited: nothing moves
    assert publish(client, PID, job["plan"])["based_on"] == job["plan"]


def test_a_replan_against_a_plan_no_longer_published_cannot_be_published(
    client: TestClient, published: dict[str, Any]
) -> None:
    edited = bromley_october_cancelled()
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    client.put(
        f"/programmes/{PID}/source", content=edited.encode(), headers={**YAML, "If-Match": etag}
    )
    replanned = run_job(client, PID, kind="replan", time_limit=10)["plan"]
    fresh = run_job(client, PID, time_limit=10)["plan"]
    now_published = publish(client, PID, fresh)["number"]
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    late = client.post(
        f"/programmes/{PID}/plans/{replanned}/publish", headers={**AUTH, "If-Match": etag}
    )
    assert late.status_code == 409
    assert f"plan {now_published} has been published since: re-plan again" in late.json()["detail"]


# -- documents and deadlines ------------------------------------------------------------------


def test_documents_are_the_librarys_for_the_published_plan(
    client: TestClient, published: dict[str, Any]
) -> None:
    programme = parse_programme(BROMLEY.read_text(), "bromley.yaml")
    plan = plan_json(client, published["number"])
    public = client.get(f"/programmes/{PID}/document?format=html")
    assert (
        public.status_code == 200 and public.headers["content-type"] == "text/html; charset=utf-8"
    )
    assert public.text == html(programme, plan, "public")
    word = client.get(f"/programmes/{PID}/plans/1/document?format=docx", headers=AUTH)
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "Education, Children & Families Work Programme 2017/18" in docx_text(word.content)
    assert client.get(f"/programmes/{PID}/plans/1/document").status_code == 401


def test_deadlines_are_not_public_before_a_plan_is_published(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    assert client.get(f"/programmes/{PID}/deadlines").status_code == 404


def test_deadlines_are_served_in_every_format(
    client: TestClient, published: dict[str, Any]
) -> None:
    rows = client.get(f"/programmes/{PID}/deadlines").json()
    june = next(r for r in rows if r["date"] == "2017-06-28")
    assert (june["agenda_publication"], june["public_questions"]) == (
        "2017-06-20",
        "2017-06-22T17:00",
    )
    csv = client.get(f"/programmes/{PID}/deadlines?format=csv")
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.text.splitlines()[0].startswith("meeting,body,date,when,start,status")


# -- feeds ------------------------------------------------------------------------------------


def _library_feeds(client: TestClient, number: int) -> dict[str, bytes]:
    """The library's feeds as the service publishes them: with no SCRUTINY_PUBLIC_URL, linked
    to no page of the service (a request's Host is never written into them)."""
    programme = parse_programme(BROMLEY.read_text(), "bromley.yaml")
    return feeds(programme, plan_json(client, number))


def test_public_feeds_are_the_librarys_with_validators_and_304(
    client: TestClient, published: dict[str, Any]
) -> None:
    url = f"/programmes/{PID}/feeds/public/select.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.content == _library_feeds(client, published["number"])["public/select.ics"]
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    moment = dt.datetime.fromisoformat(published["published"])
    assert modified == format_datetime(moment, usegmt=True)
    cached = client.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b"" and cached.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(f"/programmes/{PID}/feeds/public/nobody.ics").status_code == 404


def test_private_feeds_by_token_and_revoked_tokens_are_not_found(
    client: TestClient, published: dict[str, Any]
) -> None:
    library = _library_feeds(client, published["number"])
    person = parse_programme(BROMLEY.read_text(), "b.yaml").people[0].id
    mine, clerks = token(client, person), token(client, "clerk")
    assert len(mine["token"]) >= 22  # 128 bits or more, URL-safe base64
    mine_url = f"/programmes/{PID}/feeds/private/{mine['token']}.ics"
    assert mine["url"].endswith(mine_url)
    response = client.get(mine_url)
    assert response.status_code == 200 and response.content == library[f"people/{person}.ics"]
    assert response.headers["Cache-Control"] == "private, no-cache"
    clerk_feed = client.get(f"/programmes/{PID}/feeds/private/{clerks['token']}.ics")
    assert clerk_feed.content == library["clerk.ics"]
    listed = client.get(f"/programmes/{PID}/feed-tokens", headers=AUTH).json()
    assert [t["subject"] for t in listed] == [person, "clerk"]
    assert all("token" not in t and "digest" not in t for t in listed)
    assert (
        client.delete(f"/programmes/{PID}/feed-tokens/{mine['id']}", headers=AUTH).status_code
        == 204
    )
    assert client.get(mine_url).status_code == 404
    assert (
        client.delete(f"/programmes/{PID}/feed-tokens/{mine['id']}", headers=AUTH).status_code
        == 204
    )
    assert client.delete(f"/programmes/{PID}/feed-tokens/999", headers=AUTH).status_code == 404
    assert client.get(f"/programmes/{PID}/feeds/private/{'x' * 43}.ics").status_code == 404
    unknown = client.post(
        f"/programmes/{PID}/feed-tokens", json={"subject": "nobody"}, headers=AUTH
    )
    assert unknown.status_code == 422


def test_a_valid_token_does_not_open_another_programmes_feed(
    client: TestClient, published: dict[str, Any]
) -> None:
    town = town_with_secrets()
    other = upload(client, town)["id"]
    job = run_job(client, other, time_limit=10)
    publish(client, other, job["plan"])
    mine = token(client, "clerk")  # a clerk's feed of Bromley
    assert client.get(f"/programmes/{other}/feeds/private/{mine['token']}.ics").status_code == 404
    assert client.get(f"/programmes/{PID}/feeds/private/{mine['token']}.ics").status_code == 200


def test_tokens_are_stored_only_as_hashes(
    client: TestClient, published: dict[str, Any], database_url: str
) -> None:
    secret = token(client, "clerk")["token"]
    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = [
            str(row)
            for table in ("feed_tokens", "settings")
            for row in conn.execute(text(f"SELECT * FROM {table}"))
        ]
    engine.dispose()
    assert stored and not any(secret in row or CLERK in row for row in stored)


def test_public_answers_never_name_an_exempt_item(client: TestClient) -> None:
    town = town_with_secrets()
    pid = upload(client, town)["id"]
    job = run_job(client, pid, time_limit=10)
    publish(client, pid, job["plan"])
    programme = parse_programme(town, "town.yaml")
    secrets = Secrets(programme)
    public = [
        "/programmes",
        f"/programmes/{pid}",
        f"/programmes/{pid}/deadlines",
        f"/programmes/{pid}/deadlines?format=table",
        f"/programmes/{pid}/document?format=html",
        f"/programmes/{pid}/document?format=md",
        *(f"/programmes/{pid}/feeds/public/{b.id}.ics" for b in programme.bodies),
    ]
    seen = 0
    for url in public:
        response = client.get(url)
        if response.status_code == 404:
            continue  # the informal panel has no public feed
        assert response.status_code == 200, url
        assert not secrets.named_in(response.text), url
        seen += 1
    word = client.get(f"/programmes/{pid}/document?format=docx")
    assert not secrets.named_in(docx_text(word.content))
    assert client.get(f"/programmes/{pid}/feeds/public/panel.ics").status_code == 404
    assert seen == len(public) - 1
    # while the clerk's own document does name them: the check above can see a title
    clerk = client.get(f"/programmes/{pid}/plans/{job['plan']}/document", headers=AUTH)
    assert secrets.named_in(clerk.text)


# -- the service itself -----------------------------------------------------------------------


def test_migrations_make_exactly_the_tables_the_code_uses(empty_database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from api.tables import Base

    make_app(empty_database_url)  # migrates
    engine = create_engine(empty_database_url)

    def ours(name: str | None, kind: str, parent: object) -> bool:
        """Not the job queue's own tables (Procrastinate's schema, on PostgreSQL)."""
        return not (name or "").startswith("procrastinate_")

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        differences = compare_metadata(context, Base.metadata)
        queue = {t for t in inspect(conn).get_table_names() if not ours(t, "table", None)}
    engine.dispose()
    assert differences == []
    expected = (
        {"procrastinate_jobs", "procrastinate_workers"} if "postgresql" in empty_database_url else set()
    )
    assert expected <= queue and (queue == set()) == (expected == set())


def test_a_stored_file_refused_by_newer_checks_is_409_and_names_nothing(
    client: TestClient,
) -> None:
    """A file stored before a check was added (here: a meeting id naming an exempt item) failed
    to validate on every read, and the public answers listed its problems, quoting the exempt
    title. Now 409 in words, with no problem listed, and the failure is not parsed again."""
    town = town_with_secrets()
    pid = upload(client, town)["id"]
    publish(client, pid, run_job(client, pid)["plan"])
    older = town.replace("overview-2018-02-07-callin", "overview-callin-housing-contract")
    engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE programme_versions SET source = :s WHERE programme = :p"),
            {"s": older, "p": pid},
        )
    for path in (f"/programmes/{pid}/deadlines", f"/public/{pid}"):
        answer = client.get(path)
        assert answer.status_code == 409, path
        assert "Housing Repairs" not in answer.text and "no longer passes" in answer.text
