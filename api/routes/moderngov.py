"""Modern.gov against a programme, for scripts (issue 24): `GET /programmes/{id}/moderngov`
answers what the council's Modern.gov says that the programme's newest version does not (each
change in words, its edit under `details`; what is only told apart); `POST` makes those
changes one new version, against If-Match (`api.moderngov_check` does both).

A site refused by the service answers 409, one that fails 502, one too slow 504: words in
`detail` first, the call and its problem under `details`. The routes are plain functions,
run on FastAPI's thread pool while the site is asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.moderngov_check import Checked, SiteFailed, apply, check, details
from api.routes.common import answers, etag_headers, programme_out, programme_warnings
from api.schemas import ProgrammeSaved
from api.state import Editor, IfMatch
from api.storage import reading
from api.store import programme_row
from scheduler.programme.moderngov_merge import Update

router = APIRouter(tags=["moderngov"])


class UpdateOut(BaseModel):
    words: str = Field(description="the change in words: the meeting by committee and day")
    details: dict[str, Any] | None = Field(
        description="the edit it makes: its kind and fields (ids, ISO dates); none for what "
        "is only told"
    )


class CommitteeOut(BaseModel):
    body: str
    name: str
    moderngov: int


class CheckOut(BaseModel):
    programme: str
    revision: int = Field(description="the revision checked: send it in If-Match to apply")
    version: int
    site: str
    first: dt.date = Field(description="the first day asked for (the programme's year)")
    last: dt.date
    committees: list[CommitteeOut]
    agree: bool = Field(description="nothing to change and nothing to tell")
    changes: list[UpdateOut]
    notices: list[UpdateOut] = Field(description="told, not changed (nothing is removed)")
    digest: str = Field(description="what was found: send it to apply only the same")


class ApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    digest: str | None = Field(None, pattern="^[0-9a-f]{32}$", description="from the check")


class ApplyOut(BaseModel):
    applied: list[UpdateOut]
    notices: list[UpdateOut]
    programme: ProgrammeSaved


def check_out(pid: str, c: Checked) -> CheckOut:
    return CheckOut(
        programme=pid,
        revision=c.revision,
        version=c.version,
        site=c.site,
        first=c.first,
        last=c.last,
        committees=[CommitteeOut(body=b.id, name=b.name, moderngov=n) for b, n in c.numbered],
        agree=c.agree,
        changes=[_update_out(u) for u in c.changes],
        notices=[_update_out(u) for u in c.notices],
        digest=c.digest,
    )


def _update_out(u: Update) -> UpdateOut:
    return UpdateOut(words=u.words, details=details(u.edit))


def _site_failed(err: SiteFailed) -> JSONResponse:
    body: dict[str, Any] = {
        "detail": err.detail,
        "details": {"where": err.where, "problem": err.problem},
    }
    if err.status == 409:
        body["problems"] = [
            {"file": "programme", "line": None, "location": "moderngov", "message": err.detail}
        ]
    return JSONResponse(body, status_code=err.status)


SITE_ANSWERS: dict[int | str, dict[str, Any]] = {
    **answers(401, 404, 409),
    502: {"description": "the council's site failed, or answered what cannot be read"},
    503: {"description": "too many checks under way: try again in a minute"},
    504: {"description": "the council's site did not answer in time"},
}


@router.get("/programmes/{pid}/moderngov", response_model=CheckOut, responses=SITE_ANSWERS)
def get_check(pid: str, s: Editor) -> Response:
    """What the council's Modern.gov says that the programme's newest version does not:
    each change in words, with its edit under `details`, and what is only told. Asks the site
    (up to three minutes); changes nothing."""
    try:
        checked = check(s, pid)
    except SiteFailed as err:
        return _site_failed(err)
    body = check_out(pid, checked).model_dump(mode="json")
    headers = {"ETag": f'"{checked.revision}"'}
    return JSONResponse(body, headers=headers)


@router.post(
    "/programmes/{pid}/moderngov",
    response_model=ApplyOut,
    responses={**SITE_ANSWERS, **answers(400, 412, 428)},
)
def post_apply(pid: str, s: Editor, if_match: IfMatch, wanted: ApplyIn | None = None) -> Response:
    """Modern.gov's changes made one new programme version (its file edited entry by entry,
    comments kept), against the revision in If-Match (412 if old); with `digest`, only if
    Modern.gov still says what that check found (409 if not). No changes: no new version."""
    try:
        checked, row = apply(s, pid, if_match, wanted.digest if wanted else None)
    except SiteFailed as err:
        return _site_failed(err)
    with reading(s.engine) as session:
        row = row or programme_row(session, pid)
        saved = ProgrammeSaved(
            **programme_out(row).model_dump(), warnings=programme_warnings(session, row)
        )
    out = ApplyOut(
        applied=[_update_out(u) for u in checked.changes],
        notices=[_update_out(u) for u in checked.notices],
        programme=saved,
    )
    return JSONResponse(out.model_dump(mode="json"), headers=etag_headers(row))
