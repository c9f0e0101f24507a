"""Personal calendar feed addresses from the web page: made (then shown on a page of their own,
once, to copy, subscribe to or e-mail to their owner) and revoked (after a page that asks first).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request, Response

from api.errors import NotFound
from api.routes.common import Number, OptionalNumber
from api.schemas import TokenIn
from api.state import State, public_base
from api.storage import reading
from api.store import (
    feed_tokens,
    make_feed_token,
    private_url,
    programme_at,
    programme_row,
    revoke_feed_token,
)
from api.tables import FeedToken
from api.web.actions import REFUSED, _back, _field, _refused
from api.web.form_values import hidden_number
from api.web.mail import mailto
from api.web.render import render
from api.web.session import ClerkForm, EditingPage, signed_in
from api.web.views import Link
from scheduler.programme.model import Person, Programme

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
FEED_LINKS = "/web/programmes/{pid}/feed-links"
CLERK = "The clerk (every deadline)"


def _back_to(pid: str, plan: int | None) -> str:
    """The programme's page (the plan version it showed), at its calendar feeds."""
    return f"/web/programmes/{pid}" + (f"?plan={plan}" if plan else "") + "#feeds"


@dataclass(frozen=True)
class MadeFeed:
    """A feed address just made, for the page that shows it once: whose it is and how to send
    it to them."""

    title: str  # the programme's
    person: Person | None  # None: the clerk's own
    note: str
    link: Link
    back: str

    @property
    def who(self) -> str:
        return self.person.name if self.person else CLERK

    @property
    def mailto(self) -> str:
        """A draft e-mail to its owner (to nobody yet for the clerk's own) with the address."""
        to = [self.person.email] if self.person and self.person.email else []
        greeting = f"Dear {self.person.name}," if self.person else "Hello,"
        letter = "\n".join(
            [
                greeting,
                "",
                f"Here is your personal calendar address for the {self.title}. It holds the "
                "meetings and deadlines that concern you, and keeps itself up to date as the "
                "programme changes:",
                "",
                self.link.url,
                "",
                "To subscribe, add it to your calendar as a calendar from the internet (in "
                "Outlook: Add calendar, Subscribe from web), or open this link on your phone:",
                self.link.webcal,
                "",
                "Please keep it to yourself: anyone who has the address can read the calendar.",
            ]
        )
        return mailto(to, f"Your calendar for the {self.title}", letter + "\n")


@router.post(FEED_LINKS)
def new_feed_link(request: Request, pid: str, posted: ClerkForm) -> Response:
    """A secret feed address for a person or the clerk: shown on a page of its own, this once."""
    form = posted.form
    try:
        wanted = TokenIn.model_validate(
            {"subject": _field(form, "subject"), "label": str(form.get("label", ""))}
        )
        _, token = make_feed_token(posted.s.engine, pid, wanted.subject, wanted.label, posted.s.by)
        with reading(posted.s.engine) as session:
            programme = programme_at(session, pid)
    except REFUSED as err:
        return _refused(request, pid, form, "feed", err)
    person = programme.people_by_id.get(wanted.subject)
    link = Link(person.name if person else CLERK, private_url(public_base(request), pid, token))
    back = _back_to(pid, hidden_number(form.get("plan")))
    made = MadeFeed(programme.title, person, wanted.label, link, back)
    return render(request, "feed_made.html", 201, made=made)


@router.get(FEED_LINKS + "/{number}/revoke")
def confirm_revoke(
    request: Request, pid: str, number: Number, s: EditingPage, plan: OptionalNumber = None
) -> Response:
    """Whose address this is, and its note: revoke it, or keep it."""
    return _confirm(request, s, pid, number, plan)


@router.post(FEED_LINKS + "/{number}/revoke")
def revoke_feed_link(request: Request, pid: str, number: Number, posted: ClerkForm) -> Response:
    """Revoke the address once confirmed; without the confirmation, ask first."""
    form = posted.form
    if form.get("confirmed") != "yes":
        return _confirm(request, posted.s, pid, number, hidden_number(form.get("plan")))
    try:
        revoke_feed_token(posted.s.engine, pid, number, posted.s.by)
    except REFUSED as err:
        return _refused(request, pid, form, "feed", err)
    return _back(pid, form, "revoked")


def _confirm(request: Request, s: State, pid: str, number: int, plan: int | None) -> Response:
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        token = next((t for t in feed_tokens(session, pid) if t.id == number), None)
        programme = programme_at(session, pid)
    if token is None:
        raise NotFound(f"programme '{pid}' has no feed address {number}")
    return render(
        request,
        "revoke_feed.html",
        title=row.title,
        pid=pid,
        token=token,
        who=whose(programme, token),
        plan=plan,
        back=_back_to(pid, plan),
    )


def whose(programme: Programme, token: FeedToken) -> str:
    """The name of the address's owner (as the programme has it now)."""
    person = programme.people_by_id.get(token.subject)
    return person.name if person else CLERK if token.subject == "clerk" else token.subject
