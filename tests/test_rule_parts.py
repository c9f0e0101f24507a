"""Each part of each hard rule (DESIGN §4.5), alone, in the manner of Timefold's ConstraintVerifier.

A part is one thing a rule says (`R8:overlap`: nobody at two meetings whose times overlap). Its
situation is the smallest programme where that part alone decides the answer, with:

- a hand-made plan that breaks that part and nothing else: `check()` reports exactly the
  breaches listed (rule, subject and message);
- the situation solved with every rule: a plan `check()` finds clean;
- the situation solved without the part's rule (its module dropped from the rules, or R10's
  frozen rule replaced by an empty one): breaking the part is attractive there (a preference,
  a more important item, or the previous plan's placements that re-planning keeps), and
  `check()` reports exactly that part's breaches.

Parts that need a plan to keep (R1 count, R7, R10) are re-planned against a hand-made previous
plan; the others are solved from scratch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from scheduler.check import check
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.replan import replan
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule
from scheduler.solver.solve import solve
from tests.programmes import programme
from tests.situations import (
    FAST_SECONDS,
    JUNE,
    JUNE_20,
    NOV_14,
    Agendas,
    Found,
    breach,
    found,
    main_body,
    other_body,
    plan_of,
    special,
)

OPTIONS = SolveOptions(time_limit=FAST_SECONDS)
CALLIN = "main-callin"


@dataclass(frozen=True)
class Part:
    """One rule part's situation.

    Attributes:
        programme: the (edited) programme.
        agendas: the hand-made plan that breaks only this part ...
        unplaced: ... and what it lists unplaced ...
        incomplete: ... and whether it says it leaves must items out (proven best).
        breaches: what `check()` finds in that plan, and in the plan solved without the
            part's rule (the situations are made so that the solver breaks the part just so).
        previous: the plan re-planned against (meeting id -> unit keys), if any.
        as_of: the re-planning date (R10), if any.
    """

    programme: Programme
    agendas: Agendas
    breaches: tuple[Found, ...]
    unplaced: tuple[str, ...] = ()
    incomplete: bool = False
    previous: Agendas | None = None
    as_of: dt.date | None = None

    def previous_plan(self) -> Plan | None:
        return None if self.previous is None else plan_of(self.programme, self.previous)

    def check(self, plan: Plan) -> list[Found]:
        return found(check(self.programme, plan, previous=self.previous_plan(), as_of=self.as_of))


def _pinned_with(name: str, meeting: str, partner: str) -> dict[str, Any]:
    """A short note pinned to `meeting` that goes `with` standing item `partner`: placing it
    forces the standing item onto that meeting, wherever the standing rule says it belongs."""
    return {"id": name, "meeting": meeting, "with": partner}


def _r1() -> dict[str, Part]:
    update = {"id": "update", "kind": "information", "times": 2}
    return {
        # Now wanted twice; last year's plan had it once, in June, and re-planning keeps that.
        "R1:count": Part(
            programme(update, meetings=["2017-06-20", "2017-11-14", "2018-02-13"]),
            {JUNE_20: ["update"]},
            (breach("R1", "update", f"update is at 1 meeting, not 2: {JUNE_20}"),),
            previous={JUNE_20: ["update"]},
        ),
        # (A must item is placed by S1's first stage, not by R1 alone; a plan proven best that
        # leaves one out names its conflict: tests/test_review_findings.py.)
    }


def _r2() -> dict[str, Part]:
    apologies = {"id": "apologies", "kind": "standing"}
    return {
        # A note at June needs the apologies there; a theme fills November, where the
        # apologies would only unbalance the agendas further.
        "R2:every-meeting": Part(
            programme(
                apologies, _pinned_with("note", JUNE_20, "apologies"),
                {"id": "theme", "kind": "substantive", "meeting": NOV_14},
            ),
            {JUNE_20: ["apologies", "note"], NOV_14: ["theme"]},
            (breach("R2", "apologies", f"apologies is missing from {NOV_14}"),),
        ),
        # A note pinned to each meeting, the special one too, each needing the apologies.
        "R2:special": Part(
            programme(
                apologies,
                _pinned_with("note-1", JUNE_20, "apologies"),
                _pinned_with("note-2", CALLIN, "apologies"),
                _pinned_with("note-3", NOV_14, "apologies"),
                bodies=[main_body("2017-06-20", special("2017-09-12"), "2017-11-14")],
            ),
            {JUNE_20: ["apologies", "note-1"], CALLIN: ["apologies", "note-2"],
             NOV_14: ["apologies", "note-3"]},
            (breach("R2", "apologies",
                    f"apologies is at {CALLIN}, where it does not belong: a special meeting"),),
        ),
        # The panel meets once, in September: its minutes are referred in November only.
        "R2:follows": Part(
            programme(
                {"id": "refs", "kind": "standing", "follows": "panel"},
                _pinned_with("note-1", JUNE_20, "refs"),
                _pinned_with("note-2", NOV_14, "refs"),
                bodies=[main_body(), other_body("panel", "2017-09-01")],
            ),
            {JUNE_20: ["note-1", "refs"], NOV_14: ["note-2", "refs"]},
            (breach("R2", "refs", f"refs is at {JUNE_20}, where it does not belong: "
                                  "no meeting of panel since the previous meeting of main and before "
                                  "its agenda is published"),),
        ),
    }


def _r3() -> dict[str, Part]:
    q1, q2 = "monitoring@2017/18 Q1", "monitoring@2017/18 Q2"
    return {
        # A short year: only the first quarter is released in it (30 June), wanted in June.
        "R3:release": Part(
            programme(
                {"id": "monitoring", "kind": "report", "every": "quarter", "priority": "normal",
                 "prefer": JUNE},
                meetings=["2017-06-20", "2017-07-20", "2017-09-20"], year="2017-05-10..2017-09-29",
            ),
            {JUNE_20: [q1]},
            (breach("R3", q1, f"{q1} is at {JUNE_20} (2017-06-20), before its release on "
                              "2017-06-30"),),
        ),
        # Two quarters released in the year, both wanted in December.
        "R3:apart": Part(
            programme(
                {"id": "monitoring", "kind": "report", "every": "quarter",
                 "prefer": "2017-12-01..2017-12-31"},
                meetings=["2017-07-20", "2017-12-20"], year="2017-05-10..2017-12-30",
            ),
            {"main-2017-12-20": [q1, q2]},
            (breach("R3", "monitoring", "monitoring has 2 occurrences at main-2017-12-20: "
                                        "2017/18 Q1, 2017/18 Q2"),),
        ),
    }


def _r4() -> dict[str, Part]:
    consult = {"id": "consult", "decision": {"event": "exec", "lead_days": 7}, "prefer": JUNE}
    return {
        # Allowed only from October, wanted in June.
        "R4:window": Part(
            programme({"id": "review", "window": "2017-10-01..2018-03-31", "prefer": JUNE}),
            {JUNE_20: ["review"]},
            (breach("R4", "review", f"review is at {JUNE_20} (2017-06-20), outside its window "
                                    "2017-10-01..2018-03-31"),),
        ),
        # The Executive decides on 20 November; November's meeting is only 6 days before.
        "R4:lead": Part(
            programme(
                {**consult, "prefer": "2017-11-01..2017-11-30"},
                events=[{"id": "exec", "title": "Executive", "date": "2017-11-20"}],
            ),
            {NOV_14: ["consult"]},
            (breach("R4", "consult", f"consult is at {NOV_14} (2017-11-14), after 2017-11-13, "
                                     "7 days before exec on 2017-11-20"),),
        ),
        # The decision has no date yet: the item waits, however much June wants it.
        "R4:waits": Part(
            programme(consult, events=[{"id": "exec", "title": "Executive", "date": None}]),
            {JUNE_20: ["consult"]},
            (breach("R4", "consult", f"consult is at {JUNE_20} (2017-06-20), but exec has no "
                                     "date: it must stay unplaced"),),
        ),
    }


def _r5() -> dict[str, Part]:
    return {
        "R5:pin": Part(
            programme({"id": "pinned", "meeting": NOV_14, "prefer": JUNE}),
            {JUNE_20: ["pinned"]},
            (breach("R5", "pinned", f"pinned is pinned to {NOV_14} but is at {JUNE_20}"),),
        ),
        # A call-in on the very day the item wants.
        "R5:special": Part(
            programme(
                {"id": "extra", "prefer": "2017-09-12..2017-09-12"},
                bodies=[main_body("2017-06-20", special("2017-09-12"), "2017-11-14")],
            ),
            {CALLIN: ["extra"]},
            (breach("R5", "extra", f"extra is at special meeting {CALLIN}, not pinned there"),),
        ),
    }


def _r6() -> dict[str, Part]:
    talk = {"minutes": 40, "prefer": JUNE}
    theme = {"kind": "substantive", "prefer": JUNE}
    return {
        "R6:minutes": Part(
            programme({"id": "talk-1", **talk}, {"id": "talk-2", **talk},
                      bodies=[main_body(minutes=60)]),
            {JUNE_20: ["talk-1", "talk-2"]},
            (breach("R6", JUNE_20, f"{JUNE_20} uses 80 of 60 minutes"),),
        ),
        "R6:limit": Part(
            programme({"id": "theme-1", **theme}, {"id": "theme-2", **theme}),
            {JUNE_20: ["theme-1", "theme-2"]},
            (breach("R6", JUNE_20, f"{JUNE_20} has 2 substantive items; the limit is 1"),),
        ),
    }


def _r7() -> dict[str, Part]:
    scrutiny = {"id": "scrutiny", "kind": "scrutiny", "rotation": {"a": 1, "b": 1},
                "per_meeting": 1}
    twice = {JUNE_20: ["scrutiny@a"], NOV_14: ["scrutiny@a"]}
    both = {JUNE_20: ["scrutiny@a", "scrutiny@b"]}
    return {
        # Last plan had officer A at both meetings and B at none.
        "R7:times": Part(
            programme(scrutiny), twice,
            (breach("R7", "scrutiny@a",
                    f"a is at 2 meetings for scrutiny, not 1: {JUNE_20}, {NOV_14}"),),
            unplaced=("scrutiny@b",),
            incomplete=True,
            previous=twice,
        ),
        # Last plan had both officers in June and nobody in November, now taken by a theme.
        "R7:per-meeting": Part(
            programme(scrutiny, {"id": "theme", "kind": "substantive", "meeting": NOV_14}),
            {**both, NOV_14: ["theme"]},
            (breach("R7", JUNE_20,
                    f"{JUNE_20} scrutinises 2 of the scrutiny rotation; it needs exactly 1"),
             breach("R7", NOV_14,
                    f"{NOV_14} scrutinises 0 of the scrutiny rotation; it needs exactly 1")),
            previous=both,
        ),
    }


def _r8() -> dict[str, Part]:
    return {
        # Wanted in June, when its witness is away.
        "R8:available": Part(
            programme({"id": "evidence", "witnesses": ["w"], "prefer": JUNE}),
            {JUNE_20: ["evidence"]},
            (breach("R8", "evidence", f"w is needed for evidence at {JUNE_20} but is "
                                      "unavailable on 2017-06-20"),),
        ),
        # Officer A presents at the committee (19:00-21:30) and at the panel (20:00) the same
        # evening; both want June.
        "R8:overlap": Part(
            programme(
                {"id": "budget", "presenters": ["a"], "prefer": JUNE},
                {"id": "housing", "body": "panel", "presenters": ["a"], "prefer": JUNE},
                bodies=[main_body(),
                        other_body("panel", "2017-06-20", "2017-11-21", start="20:00")],
            ),
            {JUNE_20: ["budget"], "panel-2017-06-20": ["housing"]},
            (breach("R8", JUNE_20, f"a is needed at {JUNE_20} (19:00-21:30) and at "
                                   "panel-2017-06-20 (20:00-22:30) on 2017-06-20"),),
        ),
    }


def _r9() -> dict[str, Part]:
    follow_up = {"id": "follow-up", "prefer": JUNE}
    three = ["2017-06-20", "2017-11-14", "2018-02-13"]
    inspection = {"id": "inspection", "title": "Inspection"}
    return {
        # 28 days after a theme pinned to November, wanted in June.
        "R9:after-item": Part(
            programme(
                {"id": "theme", "kind": "substantive", "meeting": NOV_14},
                {**follow_up, "after": {"item": "theme", "gap_days": 28}}, meetings=three,
            ),
            {JUNE_20: ["follow-up"], NOV_14: ["theme"]},
            (breach("R9", "follow-up", f"follow-up is at {JUNE_20} (2017-06-20), before "
                                       f"2017-12-12, 28 days after the last meeting of theme "
                                       f"on 2017-11-14"),),
        ),
        # A theme heard twice, in June and September; the follow-up wanted in August counts
        # from its first hearing only.
        "R9:after-last": Part(
            programme(
                {"id": "theme", "times": 2, "window": "2017-06-01..2017-09-30"},
                {**follow_up, "after": {"item": "theme", "gap_days": 28},
                 "prefer": "2017-08-01..2017-08-31"},
                meetings=["2017-06-20", "2017-08-01", "2017-09-12", "2017-11-14"],
            ),
            {JUNE_20: ["theme"], "main-2017-08-01": ["follow-up"], "main-2017-09-12": ["theme"]},
            (breach("R9", "follow-up", "follow-up is at main-2017-08-01 (2017-08-01), before "
                                       "2017-10-10, 28 days after the last meeting of theme "
                                       "on 2017-09-12"),),
        ),
        # The theme has no meeting in its window; the follow-up is wanted in June.
        "R9:after-unplaced": Part(
            programme(
                {"id": "theme", "window": "2018-03-01..2018-03-31"},
                {**follow_up, "after": {"item": "theme"}},
            ),
            {JUNE_20: ["follow-up"]},
            (breach("R9", "follow-up",
                    "follow-up is placed but theme is unplaced: it must stay unplaced"),),
            unplaced=("theme",),
        ),
        # Two weeks after an inspection on 1 October, wanted in June.
        "R9:after-event": Part(
            programme(
                {**follow_up, "after": {"event": "inspection", "gap_days": 14}},
                events=[{**inspection, "date": "2017-10-01"}],
            ),
            {JUNE_20: ["follow-up"]},
            (breach("R9", "follow-up", f"follow-up is at {JUNE_20} (2017-06-20), before "
                                       "2017-10-15, 14 days after inspection on 2017-10-01"),),
        ),
        # After an inspection with no date yet: it waits.
        "R9:event-waits": Part(
            programme(
                {**follow_up, "after": {"event": "inspection"}},
                events=[{**inspection, "date": None}],
            ),
            {JUNE_20: ["follow-up"]},
            (breach("R9", "follow-up", "follow-up is placed but inspection has no date yet: "
                                       "it must stay unplaced"),),
        ),
        # A witness session that goes with a theme pinned to November, itself wanted in June.
        "R9:with": Part(
            programme(
                {"id": "theme", "kind": "substantive", "meeting": NOV_14},
                {"id": "session", "kind": "witness-session", "with": "theme", "prefer": JUNE},
            ),
            {JUNE_20: ["session"], NOV_14: ["theme"]},
            (breach("R9", "session", f"session is at {JUNE_20} without theme"),
             breach("R9", "session", f"theme is at {NOV_14} without session")),
        ),
    }


def _r10() -> dict[str, Part]:
    theme = {"id": "theme", "kind": "substantive", "times": 2}
    late = {"id": "late", "kind": "substantive", "priority": "high",
            "window": "2017-11-01..2017-11-30"}
    return {
        # A theme heard in June and due again in November; a more important theme for
        # November's only substantive seat arrives in July. Dropping the first theme
        # altogether (June's hearing with it) would make room.
        "R10:keep": Part(
            programme(theme, late),
            {NOV_14: ["late"]},
            (breach("R10", JUNE_20, f"{JUNE_20} (2017-06-20) is frozen as of 2017-07-01 but "
                                    "its agenda changed: added nothing; removed theme"),),
            unplaced=("theme",),
            previous={JUNE_20: ["theme"], NOV_14: ["theme"]},
            as_of=dt.date(2017, 7, 1),
        ),
        # A request for November, made after November's reports were due (31 October).
        "R10:nothing-new": Part(
            programme({"id": "request", "window": "2017-11-01..2017-11-30"}),
            {NOV_14: ["request"]},
            (breach("R10", "request",
                    f"request is new at {NOV_14}, whose reports were due 2017-10-31"),),
            previous={},
            as_of=dt.date(2017, 11, 10),
        ),
    }


def parts() -> dict[str, Part]:
    """Every rule part's situation, by part key (`R8:overlap`)."""
    return {**_r1(), **_r2(), **_r3(), **_r4(), **_r5(), **_r6(), **_r7(), **_r8(), **_r9(),
            **_r10()}


PARTS = parts()


def solved(part: Part, without: str | None, monkeypatch: pytest.MonkeyPatch) -> Plan:
    """The part's situation solved (or re-planned) with every rule but `without`."""
    rules = [r for r in HARD_RULES if r.id != without]
    if without == "R10":
        monkeypatch.setattr("scheduler.solver.replan.frozen", lambda *_: Rule("R10", "frozen"))
    previous = part.previous_plan()
    if previous is None:
        return solve(part.programme, OPTIONS, rules=rules)
    return replan(part.programme, previous, as_of=part.as_of, options=OPTIONS, rules=rules)


def test_every_hard_rule_has_parts() -> None:
    rules = {key.partition(":")[0] for key in PARTS}
    assert rules == {r.id for r in HARD_RULES} | {"R10"}


@pytest.mark.parametrize("key", list(PARTS))
def test_hand_made_plan_breaks_only_its_part(key: str) -> None:
    part = PARTS[key]
    plan = plan_of(part.programme, part.agendas, part.unplaced, incomplete=part.incomplete)
    assert part.check(plan) == list(part.breaches)


@pytest.mark.parametrize("key", list(PARTS))
def test_part_holds_when_solved(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    part = PARTS[key]
    plan = solved(part, None, monkeypatch)
    assert plan.status is SolveStatus.OPTIMAL, plan.explanation
    assert part.check(plan) == []


@pytest.mark.parametrize("key", list(PARTS))
def test_part_breach_reported(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    part = PARTS[key]
    plan = solved(part, key.partition(":")[0], monkeypatch)
    assert plan.status.found, plan.explanation
    assert part.check(plan) == list(part.breaches)
