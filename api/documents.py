"""The work-programme document: made on request for the clerk, and made once per publication for
the public.

Anybody may read the published programme, and the Word document of a whole council takes
seconds of CPU to make: made for each request, it would let anybody keep the server busy. So the
public document is made on its first request after a publication, and stored with the plan's
calendar feeds (the `feeds` table, under `documents/`, where no feed's path begins), from where
every later request and every worker process serves it. It is made one at a time in each process:
requests that come meanwhile wait, then find it stored.
"""

from __future__ import annotations

import contextlib
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from api.errors import Conflict
from api.storage import reading, writing
from api.store import etag, plan_of, programme_at, published_row
from api.tables import FeedRow, PlanRow
from scheduler.outputs.bodies import only
from scheduler.outputs.document import Audience
from scheduler.outputs.report import RENDERERS
from scheduler.programme.model import Programme

_MAKING = threading.Lock()  # one document made at a time in this process, however many asked


def rendered(
    programme: Programme, row: PlanRow, fmt: str, audience: Audience, body: str | None = None
) -> bytes:
    """The work programme of plan `row`, as `audience` may read it, in `fmt` (md, html, docx);
    with `body`, of that committee only (`scheduler.outputs.bodies.only`).

    Raises:
        Conflict: the plan placed nothing (infeasible, or no solution in time).
    """
    plan = plan_of(row)
    if not plan.status.found:
        raise Conflict(f"plan {row.number} is {plan.status.value}: there is no programme to show")
    if body is not None:
        programme, plan = only(programme, plan, [body])
    made = RENDERERS[fmt](programme, plan, audience)
    return made.encode() if isinstance(made, str) else made


def public_path(fmt: str) -> str:
    """Where the public document in `fmt` is stored among its plan's feeds."""
    return f"documents/work-programme.public.{fmt}"


def store_public_document(engine: Engine, pid: str, fmt: str) -> None:
    """Make and store the public document of the programme's published plan, unless it is
    stored already.

    Raises:
        NotFound: no such programme, or nothing published yet.
    """
    path = public_path(fmt)
    with _MAKING:
        with reading(engine) as session:
            row = published_row(session, pid)
            if session.get(FeedRow, (pid, row.number, path)) is not None:
                return
            programme = programme_at(session, pid, row.programme_version)
        data = rendered(programme, row, fmt, "public")
        stored = FeedRow(programme=pid, plan=row.number, path=path, etag=etag(data), body=data)
        # another worker process may have stored it first: the same bytes
        with contextlib.suppress(IntegrityError), writing(engine) as session:
            session.add(stored)
