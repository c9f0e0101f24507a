"""Where could it go? One option per meeting of an item's body, best first (DESIGN §5).

Plain data: `scheduler.solver.suggest` works the options out; the CLI prints them, the API
answers them as JSON. Choosing one is pinning the item there (`meeting:`) and re-planning.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from scheduler.plan.model import Change, IsoDate, Reasons
from scheduler.programme.model import Item


class Option(BaseModel):
    """Putting one item at one meeting: what that would cost, or why it cannot go there.

    Attributes:
        meeting: the meeting's id.
        date: the meeting's day; null while it is not fixed (DESIGN §4.6).
        when: what is known of a day not fixed (`2025-01`), else null.
        text: for people: the meeting by body and date, then the cost in words; or, when it
            cannot go, the reason first.
        possible: a re-plan with the item pinned there would place it there.
        here: the plan has it at this meeting already.
        moves: the other items that would move (`moved` changes: item, occurrence, from, to),
            among those the item can reach (`scheduler.solver.neighbourhood`).
        drops: the other items that would be left out (`unplaced` changes), likewise.
        preferences_lost: days outside `prefer` added, summed over the items placed later
            than they like (the asked item included).
        tell: everyone to tell (ids): the people of the asked item and of every item moved or
            left out.
        cost: orders the options: what is left out weighs most (by priority), then what moves
            (witnesses weigh more), then days outside `prefer`. 0 when impossible.
        proven: every stage of the re-plan behind it was proven optimal (exact, for the part
            of the programme it re-plans: `scheduler.solver.suggest`).
        reasons: why it cannot go there (empty when possible).
    """

    model_config = ConfigDict(extra="forbid")

    meeting: str
    date: IsoDate | None
    when: str | None = None
    text: str
    possible: bool
    here: bool = False
    moves: list[Change] = []
    drops: list[Change] = []
    preferences_lost: int = 0
    tell: list[str] = []
    cost: int = 0
    proven: bool = True
    reasons: Reasons = []


def pin_refusal(item: Item) -> str | None:
    """Why a pin cannot place the item (it goes to every meeting, to several, or elsewhere), or
    None when it can: only such an item can be asked where it could go."""
    if item.kind == "standing":
        return "a standing item goes to every meeting: there is nowhere to choose"
    if item.every or item.rotation:
        return "a recurring or rotation item goes to several meetings: a pin places it at one"
    if item.times != 1:
        return f"it goes to {item.times} meetings: a pin places it at one"
    if item.delegated_to is not None:
        return f"it is taken by {item.delegated_to}, outside this programme"
    if item.carried_forward and item.deferred is None:
        return "it is wanted only after this programme ends: it is carried forward to next year"
    return None  # a suggested or deferred item too: asking where it could go is taking it up


def taken_up(item: Item) -> Item:
    """A suggested or deferred item as it is once the clerk takes it up (pins it): placed here
    like any other (`scheduler.programme.edits` drops the same keys from the file)."""
    return item.model_copy(update={"suggested": False, "deferred": None})


def best_first(options: list[Option]) -> list[Option]:
    """Possible before impossible, then the cheapest (where it is now first among equals),
    then the earliest."""
    return sorted(
        options,
        key=lambda o: (not o.possible, o.cost, not o.here, o.date or dt.date.max, o.meeting),
    )


def options_text(options: list[Option]) -> str:
    """One line per meeting, best first, for a terminal: the possible ones numbered, the
    others marked `-`."""
    lines = [
        f"{f'{rank}.' if option.possible else '-':<3} {option.text}\n"
        for rank, option in enumerate(options, start=1)
    ]
    return "".join(lines)
