"""A re-plan searches only what the edit touched (`solver.held`, `solver.proofs`, issue 23).

Bromley's model has a few independent parts: the select committee's items (one of which no plan
can place), six short items pinned to its meetings, and the budget sub-committee's items.
A part is held as published when the published plan still has all of it and is proven best at
placing there; holding must never change what the re-plan achieves (a property on random
programmes: the same value at every stage as a re-plan that searches everything).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given, note

from scheduler.check import check
from scheduler.plan.changes import movable_meetings
from scheduler.plan.model import Plan, SolveStatus, unit_key
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.solver import held
from scheduler.solver.build import build
from scheduler.solver.parts import Component, components
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, bromley_october_cancelled
from tests.replan_strategies import disrupted
from tests.strategies import load, programme_data
from tests.test_replan_properties import OPTIONS, PROPERTY, Edited

#: The budget sub-committee's September meeting moved a day (keeping its id): nothing is lost.
BPM_MOVED = ("      - 2017-09-26           # Appendix 1 l.2224",
             "      - {date: 2017-09-27, moved_from: 2017-09-26}")
#: The budget sub-committee's agendas 25 minutes shorter: its published agendas no longer fit.
BPM_SHORTER = ("    minutes: 120", "    minutes: 95")
#: The select committee's CAMHS item's first meeting.
CAMHS = "select-2017-06-27"
#: The select committee's agendas 10 minutes longer: its part of the model changes.
SELECT_LONGER = ("    minutes: 150", "    minutes: 160")


def edited(*replacements: tuple[str, str]) -> Programme:
    text = BROMLEY.read_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return parse_programme(text, "edited.yaml")


@pytest.fixture(scope="module")
def published() -> Plan:
    plan = solve(parse_programme(BROMLEY.read_text(), "bromley.yaml"))
    assert plan.status is SolveStatus.OPTIMAL
    return plan


def placements(plan: Plan) -> set[tuple[str, str | None, str]]:
    """Every non-standing placement: (item, occurrence, meeting)."""
    return {(a.item, a.occurrence, m.id) for m in plan.meetings for a in m.agenda
            if a.kind != "standing"}


def search_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold nothing: every component searched, as before `solver.held`."""

    def nothing(*args: Any) -> tuple[list[Component], list[Component]]:
        found: list[Component] = args[1]
        return [], list(found)

    monkeypatch.setattr(held, "untouched", nothing)


def test_a_fresh_plan_keeps_the_proof_of_each_part_that_leaves_something_out(
    published: Plan,
) -> None:
    # Only the select committee's part leaves something out (an item with no room): one proof,
    # with its placing goals' values (must items, then the others, without constants).
    assert len(published.proven_parts) == 1
    [values] = published.proven_parts.values()
    assert len(values) == 2


def test_an_edit_that_leaves_every_part_as_it_was_searches_nothing(published: Plan) -> None:
    programme = edited(BPM_MOVED)
    plan = replan(programme, published)
    assert plan.disruption is not None and plan.disruption.proven
    assert plan.disruption.held == len(placements(published))  # every placement
    assert placements(plan) == placements(published)
    assert plan.proven_parts == published.proven_parts  # the proof carries on
    assert check(programme, plan) == []


def with_camhs(programme: Programme, plan: Plan) -> set[tuple[str, str | None, str]]:
    """The placements of `plan` in the part of the model that holds the select committee's
    CAMHS item: every select item but those pinned to a meeting of their own, which are parts
    apart (five short items in June, one in October)."""
    built = build(programme, previous=movable_meetings(programme, plan))
    names = [var.name for var in built.model.proto.variables]
    part = next(c for c in components(built.model) if f"x:camhs:{CAMHS}" in
                {names[var] for var in c.variables})
    mine = {names[var] for var in part.variables}
    return {p for p in placements(plan) if f"x:{unit_key(p[0], p[1])}:{p[2]}" in mine}


def test_a_proof_that_does_not_match_the_plan_is_not_trusted(published: Plan) -> None:
    programme = edited(BPM_MOVED)
    forged = published.model_copy(
        update={"proven_parts": {k: [v[0], v[1] + 1] for k, v in published.proven_parts.items()}}
    )
    plan = replan(programme, forged)
    assert plan.disruption is not None and plan.disruption.proven
    searched = with_camhs(programme, published)
    assert len(searched) == 15
    assert plan.disruption.held == len(placements(published)) - len(searched)
    assert placements(plan) == placements(published)


def test_an_edit_inside_a_part_has_it_searched(published: Plan) -> None:
    programme = edited(SELECT_LONGER)
    plan = replan(programme, published)
    assert plan.disruption is not None and plan.disruption.proven
    searched = with_camhs(programme, published)
    assert plan.disruption.held == len(placements(published)) - len(searched)
    assert set(plan.proven_parts) != set(published.proven_parts)  # a new model, a new digest


def test_a_part_the_rules_now_refuse_is_searched_and_the_rest_still_held(published: Plan) -> None:
    """The budget sub-committee's agendas cut to 95 minutes: its published agendas no longer
    fit, so its part is searched; the select committee's parts, checked with it at first, are
    each checked alone and held."""
    programme = edited(BPM_SHORTER)
    plan = replan(programme, published)
    assert plan.disruption is not None and plan.disruption.proven
    assert plan.disruption.moved > 0 and check(programme, plan, previous=published) == []
    budget = {p for p in placements(published) if p[2].startswith("bpm-")}
    assert plan.disruption.held == len(placements(published)) - len(budget)


def test_a_cancelled_meeting_searches_its_own_committee_only(published: Plan) -> None:
    programme = parse_programme(bromley_october_cancelled(1), "cancelled.yaml")
    plan = replan(programme, published)
    assert plan.disruption is not None and plan.disruption.proven
    # The October meeting's own item and the CAMHS part are searched; the rest held.
    october = {p for p in placements(published) if p[2] == "select-2017-10-17"}
    searched = with_camhs(programme, published) | october
    kept = placements(published) - searched
    assert plan.disruption.held == len(kept) == 27
    assert kept <= placements(plan)
    assert (
        "27 placements stay as published without a search: in their part of the programme no "
        "plan could place more or move less."
    ) in plan.explanation


def test_holding_gives_what_searching_everything_gives(
    published: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = parse_programme(bromley_october_cancelled(1), "cancelled.yaml")
    plan = replan(programme, published)
    search_everything(monkeypatch)
    full = replan(programme, published)
    assert full.disruption is not None and full.disruption.held == 0
    assert [lv.value for lv in plan.levels] == [lv.value for lv in full.levels]
    assert placements(plan) == placements(full)


@PROPERTY
@given(disrupted(programme_data()))
def test_holding_never_changes_what_a_replan_achieves(edited: Edited) -> None:
    """Every stage reaches the same value holding the untouched parts as searching all."""
    old, new, edit = edited
    event(f"edit: {edit}")
    previous = solve(load(old), OPTIONS)
    if previous.status is not SolveStatus.OPTIMAL:
        return
    programme = load(new)
    plan = replan(programme, previous, options=OPTIONS)
    with pytest.MonkeyPatch.context() as patch:
        search_everything(patch)
        full = replan(programme, previous, options=OPTIONS)
    note(f"held:\n{plan.to_json()}\nsearched:\n{full.to_json()}")
    assert plan.status == full.status
    if plan.status is not SolveStatus.OPTIMAL:
        return
    assert plan.disruption is not None
    event(f"held some: {plan.disruption.held > 0}")
    assert [lv.value for lv in plan.levels] == [lv.value for lv in full.levels]
    assert check(programme, plan, previous=previous) == []
