"""The clerk's forms for the file's lists (DESIGN §10, "The clerk never needs the file"): add,
change or take out an item, a person, a committee or an event; and the page that lists them
all. Each form writes the file through the edits that keep its comments
(`scheduler.programme.edits_entries`), as a new programme version; a refused one comes back with
each problem beside the field it concerns and everything entered kept.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from api.storage import reading
from api.store import programme_version
from api.web import entry_forms as ef
from api.web.fields import FORMS, NOUNS
from api.web.form_values import FormProblem, Shown, changes, revision_of
from api.web.problems import placed
from api.web.render import render
from api.web.session import ClerkForm, ClerkPage, EditingPage
from api.web.views import ONE_PAGE
from scheduler.programme.edits import AddEntry, ChangeEntry, RemoveEntry
from scheduler.programme.edits_source import Collection

router = APIRouter(include_in_schema=False)

#: What the list page says after each change (`?done=`).
NOTICES = {
    "added": "Added. Re-plan to place it.",
    "saved": "Saved as a new version of the programme. Re-plan to apply it.",
    "removed": "Taken out of the programme. Re-plan to apply it.",
    "unchanged": "Nothing was changed.",
    "meeting-added": "Meeting added. Re-plan to use it.",
    "programme-made": "The programme is made: add its committees, meetings, people and items.",
}


@router.get("/web/programmes/{pid}/entries")
def contents(request: Request, pid: str, s: ClerkPage) -> Response:
    """Everything in the programme, to change: its items by committee, its people, committees
    (with their meetings) and events, and the year's settings."""
    stored = ef.Stored(s, pid)
    p = stored.programme
    wanted = request.query_params.get("body")
    shown = None  # every committee in full
    if len(p.bodies) > ONE_PAGE or wanted:  # a council: one committee at a time
        shown = [b for b in p.bodies if b.id == wanted]
    return render(
        request,
        "entries.html",
        programme=p,
        shown_bodies=shown,
        notice=NOTICES.get(request.query_params.get("done", "")),
    )


@router.get("/web/programmes/{pid}/file")
def download_file(pid: str, s: ClerkPage) -> Response:
    """The programme file as it stands (its newest version), comments and all."""
    with reading(s.engine) as session:
        stored = programme_version(session, pid)
    fmt = "json" if stored.format == "json" else "yaml"
    return Response(
        stored.source.encode(),
        media_type="application/json" if fmt == "json" else "application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{pid}.{fmt}"'},
    )


def _routes(collection: Collection) -> None:
    """The five routes of one list's forms."""
    noun = NOUNS[collection][0]
    fields = FORMS[collection]
    base = f"/web/programmes/{{pid}}/{collection}"
    back = f"/web/programmes/{{pid}}/entries#{collection}"

    def new_form(request: Request, pid: str, s: EditingPage) -> Response:
        stored = ef.Stored(s, pid)
        bodies = stored.programme.bodies
        body = request.query_params.get("body") or (bodies[0].id if len(bodies) == 1 else None)
        if collection == "items" and body not in stored.programme.bodies_by_id:
            return render(request, "choose_body.html", programme=stored.programme)
        preset = {"body": body} if collection == "items" else {}
        return _page(request, stored, None, ef.values(fields, preset))

    def add(request: Request, pid: str, posted: ClerkForm) -> Response:
        stored = ef.Stored(posted.s, pid)
        entered: Shown = {}
        try:
            new, entered = changes(
                fields, {}, posted.form, ef.options(stored.programme, fields, _body(posted.form))
            )
            if not new.get("id"):
                raise FormProblem("id: give it a short name")
            ef.save(posted, pid, AddEntry(collection, new))
        except ef.REFUSED as err:
            problems = placed(err, stored.at(collection, None), fields, stored.programme)
            shown = entered or ef.kept(err, posted.form)
            return _page(request, stored, None, shown, err, problems, revision_of(posted.form))
        return ef.done(back.format(pid=pid), "added")

    def edit_form(request: Request, pid: str, eid: str, s: EditingPage) -> Response:
        stored = ef.Stored(s, pid)
        return _page(request, stored, eid, ef.values(fields, stored.raw(collection, eid)))

    def save(request: Request, pid: str, eid: str, posted: ClerkForm) -> Response:
        stored = ef.Stored(posted.s, pid)
        raw = stored.raw(collection, eid)
        entered: Shown = {}
        try:
            new, entered = changes(
                fields, raw, posted.form, ef.options(stored.programme, fields, raw.get("body"))
            )
            if new:
                ef.save(posted, pid, ChangeEntry(collection, eid, new))
        except ef.REFUSED as err:
            problems = placed(err, stored.at(collection, eid), fields, stored.programme)
            shown = ef.values(fields, raw) | (entered or ef.kept(err, posted.form))
            return _page(request, stored, eid, shown, err, problems, revision_of(posted.form))
        return ef.done(back.format(pid=pid), "saved" if new else "unchanged")

    def confirm(request: Request, pid: str, eid: str, s: EditingPage) -> Response:
        stored = ef.Stored(s, pid)
        return _confirm(request, stored, eid)

    def remove(request: Request, pid: str, eid: str, posted: ClerkForm) -> Response:
        stored = ef.Stored(posted.s, pid)
        stored.raw(collection, eid)  # 404 for one not there
        try:
            ef.save(posted, pid, RemoveEntry(collection, eid))
        except ef.REFUSED as err:
            return _confirm(request, stored, eid, err)
        return ef.done(back.format(pid=pid), "removed")

    def _page(
        request: Request,
        stored: ef.Stored,
        eid: str | None,
        shown: Shown,
        err: Exception | None = None,
        problems: dict[str, list[str]] | None = None,
        revision: int | None = None,
    ) -> Response:
        pid = stored.programme.id
        body = shown.get("body") if collection == "items" else None
        if eid is None:
            heading, action, out = f"Add {ef.a(noun)}", f"{base}/new", None
        else:
            named = ef.name(stored.raw(collection, eid))
            heading, action = f"Change the {noun}: {named}", f"{base}/{eid}/edit"
            out = f"{base}/{eid}/remove".format(pid=pid)
        return ef.form_page(
            request,
            stored,
            heading=heading,
            action=action.format(pid=pid),
            sections=ef.sections(fields),
            entered=shown,
            back=back.format(pid=pid),
            err=err,
            problems=problems,
            remove=out,
            revision=revision,
            body=body if isinstance(body, str) and body else None,
        )

    def _confirm(
        request: Request, stored: ef.Stored, eid: str, err: Exception | None = None
    ) -> Response:
        pid = stored.programme.id
        named = ef.name(stored.raw(collection, eid))
        return ef.confirm_page(
            request,
            pid,
            question=f"Take the {noun} '{named}' out of the programme?",
            note="The programme file keeps everything else. Anything that names it must be "
            "changed first: you will be told what.",
            action=f"{base}/{eid}/remove".format(pid=pid),
            yes=f"Take the {noun} out",
            back=f"{base}/{eid}/edit".format(pid=pid),
            revision=stored.revision,
            err=err,
            problems=[]
            if err is None
            else [m for ms in placed(err, "", (), stored.programme).values() for m in ms],
        )

    routes: list[tuple[str, Callable[..., Response], str]] = [
        (f"{base}/new", new_form, "GET"),
        (f"{base}/new", add, "POST"),
        (f"{base}/{{eid}}/edit", edit_form, "GET"),
        (f"{base}/{{eid}}/edit", save, "POST"),
        (f"{base}/{{eid}}/remove", confirm, "GET"),
        (f"{base}/{{eid}}/remove", remove, "POST"),
    ]
    for path, endpoint, method in routes:
        router.add_api_route(path, endpoint, methods=[method], response_class=Response)


for _collection in ("items", "people", "bodies", "events"):
    _routes(_collection)


def _body(form: FormData) -> str | None:
    """The body a new item's form names: its items and meetings are the ones offered."""
    found = form.get("body")
    return found if isinstance(found, str) and found else None
