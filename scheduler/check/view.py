"""A plan read against its programme, and the breaches the checks report."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from scheduler.check.facts import waited_for
from scheduler.plan.model import AgendaEntry, Plan, PlannedMeeting
from scheduler.programme.model import Body, Item, Meeting, Programme

#: The short name of each hard rule, as it opens a breach's message.
RULE_NAMES = {
    "R1": "placement",
    "R2": "standing",
    "R3": "recurring",
    "R4": "window",
    "R5": "pin",
    "R6": "capacity",
    "R7": "rotation",
    "R8": "people",
    "R9": "order",
    "R10": "frozen",
}


Finding = tuple[str, str]  # (subject, text) as a rule's body yields them
Pair = tuple[str, str | None]  # (item, occurrence)


@dataclass(frozen=True, order=True)
class Breach:
    """One breach of one hard rule.

    Attributes:
        rule: the rule id, "R1" to "R10".
        subject: the meeting id, item id, or "item@occurrence" the breach is about.
        message: the breach in plain words, opening with the rule, e.g.
            "R6 capacity: select-2017-10-17 uses 165 of 150 minutes".
    """

    rule: str
    subject: str
    message: str

    def __str__(self) -> str:
        return self.message


def breach(rule: str, subject: str, text: str) -> Breach:
    return Breach(rule, subject, f"{rule} {RULE_NAMES[rule]}: {text}")


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def subject_of(item: str, occurrence: str | None) -> str:
    return item if occurrence is None else f"{item}@{occurrence}"


@dataclass(frozen=True)
class Placed:
    """One agenda entry at a non-cancelled meeting of the programme."""

    entry: AgendaEntry
    meeting: Meeting
    body: Body

    @property
    def date(self) -> dt.date:
        return self.meeting.date

    @property
    def where(self) -> str:
        return self.meeting.key

    @property
    def subject(self) -> str:
        return subject_of(self.entry.item, self.entry.occurrence)

    @property
    def at(self) -> str:
        return f"{self.subject} is at {self.where} ({self.date})"


#: A conflict's member: a rule of DESIGN §4.5 and what it is about (`R6:main-2017-06-20:short`).
RULE_INSTANCE = re.compile(r"^R([1-9]|10):\S")


class View:
    """A plan read against its programme: the entries that count, by item."""

    def __init__(self, programme: Programme, plan: Plan) -> None:
        self.programme, self.plan = programme, plan
        self.planned: dict[str, PlannedMeeting] = {}
        for planned in plan.meetings:
            self.planned.setdefault(planned.id, planned)
        self.placed: list[Placed] = []
        for planned in self.planned.values():
            found = programme.meetings_by_id.get(planned.id)
            if found and found[1].status != "cancelled":
                self.placed += [Placed(e, found[1], found[0]) for e in planned.agenda]
        self.by_item: dict[str, list[Placed]] = defaultdict(list)
        for placed in self.placed:
            self.by_item[placed.entry.item].append(placed)
        self.unplaced = {(u.item, u.occurrence) for u in plan.unplaced}
        self.missing = {(u.item, u.occurrence): u.missing for u in plan.unplaced}
        self.conflict = {(u.item, u.occurrence): u.conflict for u in plan.unplaced}

    def at(self, item_id: str) -> list[Placed]:
        return self.by_item.get(item_id, [])

    def meetings_of(self, item_id: str) -> set[str]:
        return {p.where for p in self.at(item_id)}

    def listed_unplaced(self, item_id: str, occurrence: str | None) -> bool:
        return (item_id, occurrence) in self.unplaced or (item_id, None) in self.unplaced

    def unproven(self, item_id: str, occurrence: str | None, rule: str = "R1") -> bool:
        """A must item left out of a plan proven best without naming the conflict that keeps it
        out: one that holds its own rule instance (`R1:item`, an officer's `R7:item@person`)
        and rule instances only (DESIGN R1: left out only when no plan can hold it)."""
        named = self.conflict.get((item_id, occurrence)) or self.conflict.get((item_id, None))
        own = f"{rule}:{subject_of(item_id, occurrence)}"
        real = all(RULE_INSTANCE.match(name) for name in named or [])
        return self.plan.status == "optimal" and not (named and own in named and real)

    def left_out(self, item_id: str, occurrence: str | None, times: int) -> int:
        """How many of its `times` meetings the plan says it leaves out: its `missing`, or all
        of them when it is listed without; 0 when it is not listed."""
        if (item_id, occurrence) not in self.missing:
            return times if (item_id, None) in self.unplaced else 0
        return self.missing[item_id, occurrence] or times

    def entries(self) -> Iterator[tuple[Placed, Item]]:
        """Each counted entry with its programme item (entries of unknown items left out)."""
        for placed in self.placed:
            item = self.programme.items_by_id.get(placed.entry.item)
            if item is not None:
                yield placed, item


def held(view: View, item: Item, seen: frozenset[str]) -> bool:
    """True when something with no date holds it: its own (after/decision), or a partner's that
    it comes after or goes with; or a partner placed by another body (delegated). A partner
    merely left unplaced does not hold a must item: the programme is then infeasible (R1)."""
    if any(waited_for(view.programme, a)[0] is None for a in item.after if a.item is None):
        return True
    decision = view.programme.events_by_id.get(item.decision.event) if item.decision else None
    if decision is not None and not decision.date.known:
        return True
    for partner_id in [a.item for a in item.after if a.item] + [w for w in [item.with_] if w]:
        partner = view.programme.items_by_id.get(partner_id)
        if partner is None or partner_id in seen:
            continue
        if not partner.placed_here or held(view, partner, seen | {item.id}):
            return True
    return False


RuleBody = Callable[[View], Iterable[Finding]]
Check = Callable[[Programme, Plan], list[Breach]]


def hard(rule: str) -> Callable[[RuleBody], Check]:
    """Make a rule's body, which yields (subject, text), into its check of a programme's plan."""

    def wrap(body: RuleBody) -> Check:
        def check_rule(programme: Programme, plan: Plan) -> list[Breach]:
            return [breach(rule, s, text) for s, text in body(View(programme, plan))]

        check_rule.__name__ = check_rule.__qualname__ = f"check_{rule.lower()}"
        check_rule.__doc__ = body.__doc__
        return check_rule

    return wrap
