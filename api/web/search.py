"""Find a committee, an item or a person in a programme by a word of its name: for a council's
64 committees, 2,500 items and 400 people, where a clerk would otherwise scroll."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from api.storage import reading
from api.store import programme_at
from api.web.render import render
from api.web.session import ClerkPage
from scheduler.programme.model import Programme
from scheduler.programme.words import count

router = APIRouter(include_in_schema=False)
#: Matches shown of each kind at most.
SHOWN = 50
LONGEST = 100


@dataclass(frozen=True)
class Found:
    """What a search finds: each a name to show, where it is, and the page that changes it."""

    name: str
    where: str
    href: str
    change: str


def search(p: Programme, words: str) -> dict[str, list[Found]]:
    """The committees, items and people whose names (and for items, their committee's; for
    people, their role and e-mail address) hold every word of `words`, whatever the case."""
    wanted = words.casefold().split()
    base = f"/web/programmes/{p.id}"

    def hits(text: str) -> bool:
        folded = text.casefold()
        return bool(wanted) and all(w in folded for w in wanted)

    bodies = p.bodies_by_id
    found: dict[str, list[Found]] = {"Committees": [], "Items": [], "People": []}
    for b in p.bodies:
        if hits(b.name):
            found["Committees"].append(
                Found(
                    b.name,
                    count(len(b.meetings), "meeting"),
                    f"{base}/committees/{b.id}",
                    f"{base}/bodies/{b.id}/edit",
                )
            )
    for i in p.items:
        body = bodies[i.body].name if i.body in bodies else i.body
        if hits(f"{i.title} {body}"):
            found["Items"].append(
                Found(
                    i.title,
                    body,
                    f"{base}/committees/{i.body}",
                    f"{base}/items/{i.id}/edit",
                )
            )
    for person in p.people:
        if hits(" ".join(filter(None, (person.name, person.role, person.email)))):
            found["People"].append(
                Found(
                    person.name,
                    person.role or "",
                    f"{base}/people/{person.id}/edit",
                    f"{base}/people/{person.id}/edit",
                )
            )
    return found


@router.get("/web/programmes/{pid}/search")
def find(request: Request, pid: str, s: ClerkPage, q: str = "") -> Response:
    words = q[:LONGEST]
    with reading(s.engine) as session:
        p = programme_at(session, pid)
    found = search(p, words)
    return render(request, "search.html", programme=p, q=words, found=found, shown=SHOWN)
