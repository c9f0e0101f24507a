"""What the "Where could this go?" page shows (DESIGN §5): for an item of the programme or a
new one, every meeting of its body, best first, in words: the cost of putting it there or why
it cannot go. The options are the API's (`api.routes.plans`), measured against the plan a
re-plan starts from, since choosing one pins the item and re-plans from that plan."""

from __future__ import annotations

from dataclasses import dataclass

from api.jobs import replan_base
from api.routes.plans import programme_and_plan, suggest_places, suggested
from api.state import State
from api.storage import reading
from api.store import programme_row
from scheduler.plan.suggestions import Option, pin_refusal
from scheduler.programme.model import Programme
from scheduler.programme.words import contact_words, item_words, meeting_words


@dataclass(frozen=True)
class Place:
    """One meeting for the item: the option, the meeting by body and date, and whom to tell by
    name and e-mail address."""

    option: Option
    meeting: str
    tell: tuple[str, ...]


@dataclass(frozen=True)
class WherePage:
    """Everything the page shows. `item` is None for a new item (not in the file: it cannot be
    chosen until it is); `revision` is the programme's when the options were worked out."""

    pid: str
    title: str
    body: str
    revision: int
    against: int
    published: bool
    item: str | None
    places: tuple[Place, ...]

    @property
    def possible(self) -> list[Place]:
        return [p for p in self.places if p.option.possible]

    @property
    def impossible(self) -> list[Place]:
        return [p for p in self.places if not p.option.possible]


def where_page(s: State, pid: str, item: str | None, new_item: str | None = None) -> WherePage:
    """The options for `item`, or for the item entry `new_item` (YAML text).

    Raises:
        ApiError: no such programme, item or plan (404); an item a pin cannot place or a new
            item's problems, located in its text (422); nothing to re-plan against (409).
    """
    # The revision is read before the options are worked out: a choice made on the page is
    # refused if the programme changed since, never made against a newer one.
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        revision, published, against = row.revision, row.published, replan_base(session, row)
    programme, plan = programme_and_plan(s, pid, against)
    if item is not None:
        options = suggest_places(pid, against, item, s)
    else:
        options = suggested(programme, plan, None, (new_item or "", "yaml"), against)
    places = tuple(Place(o, _meeting(programme, o), _contacts(programme, o.tell)) for o in options)
    found = programme.meetings_by_id.get(options[0].meeting) if options else None
    return WherePage(
        pid=pid,
        title=item_words(programme, item) if item is not None else "the new item",
        body=found[0].name if found else "its body",
        revision=revision,
        against=against,
        published=against == published,
        item=item,
        places=places,
    )


def askable(programme: Programme) -> frozenset[str]:
    """The items a pin can place (once, at one meeting): those the page asks about."""
    return frozenset(i.id for i in programme.items if pin_refusal(i) is None)


def _meeting(programme: Programme, option: Option) -> str:
    """The option's meeting by body and day, or what is known of a day not fixed yet ("January
    2025, date to be fixed"): the option's date stands only for a meeting the programme lacks."""
    known = option.meeting in programme.meetings_by_id
    return meeting_words(programme, option.meeting, None if known else option.date)


def _contacts(programme: Programme, people: list[str]) -> tuple[str, ...]:
    return tuple(contact_words(programme, person) for person in people)
