"""The clerk's own placement (seed 000, Appendix 1, "Work Programme 2017/18") against our model.

data/bromley-ecf-2017-18.appendix1.plan.json is Appendix 1 entered by hand in the plan form:
exactly the rows the clerk's table shows at each meeting, nothing added. `check()` names every
way it differs from the programme's hard rules, and the solver is compared with it item by item.
"""

from __future__ import annotations

import pytest

from scheduler.check import check
from scheduler.plan.model import Plan, load_plan
from scheduler.programme.load import load_programme
from scheduler.programme.model import Programme
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY

APPENDIX1 = BROMLEY.with_name("bromley-ecf-2017-18.appendix1.plan.json")


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(BROMLEY)


@pytest.fixture(scope="module")
def appendix1() -> Plan:
    return load_plan(APPENDIX1)


def test_appendix1_breaches_only_standard_items_it_does_not_list(
    programme: Programme, appendix1: Plan
) -> None:
    breaches = check(programme, appendix1)

    # Every breach is R2 standing: a standing item of the programme that Appendix 1 does not
    # show. Select Committee standard items (agenda items 1, 3-7 and 9 of 28 June, seed 000
    # l.62-98): Appendix 1 lists only the action plan among them. Sub-committee standard items
    # (as minuted for its predecessor on 15 March 2017, l.1303-1316): Appendix 1 lists none.
    # The sub-committee's references are not missing from 23 January: it meets on 17 January,
    # after that agenda went out (15 January), so its minutes cannot be referred (DESIGN R2).
    assert [(b.rule, b.subject, b.message) for b in breaches] == [
        ("R2", "apologies", "R2 standing: apologies is missing from select-2017-06-27"),
        ("R2", "apologies", "R2 standing: apologies is missing from select-2017-10-17"),
        ("R2", "apologies", "R2 standing: apologies is missing from select-2018-01-23"),
        ("R2", "apologies", "R2 standing: apologies is missing from select-2018-02-27"),
        ("R2", "bpm-apologies", "R2 standing: bpm-apologies is missing from bpm-2017-07-18"),
        ("R2", "bpm-apologies", "R2 standing: bpm-apologies is missing from bpm-2017-09-26"),
        ("R2", "bpm-apologies", "R2 standing: bpm-apologies is missing from bpm-2018-01-17"),
        ("R2", "bpm-apologies", "R2 standing: bpm-apologies is missing from bpm-2018-03-28"),
        ("R2", "bpm-declarations", "R2 standing: bpm-declarations is missing from bpm-2017-07-18"),
        ("R2", "bpm-declarations", "R2 standing: bpm-declarations is missing from bpm-2017-09-26"),
        ("R2", "bpm-declarations", "R2 standing: bpm-declarations is missing from bpm-2018-01-17"),
        ("R2", "bpm-declarations", "R2 standing: bpm-declarations is missing from bpm-2018-03-28"),
        ("R2", "bpm-minutes", "R2 standing: bpm-minutes is missing from bpm-2017-07-18"),
        ("R2", "bpm-minutes", "R2 standing: bpm-minutes is missing from bpm-2017-09-26"),
        ("R2", "bpm-minutes", "R2 standing: bpm-minutes is missing from bpm-2018-01-17"),
        ("R2", "bpm-minutes", "R2 standing: bpm-minutes is missing from bpm-2018-03-28"),
        ("R2", "bpm-questions", "R2 standing: bpm-questions is missing from bpm-2017-07-18"),
        ("R2", "bpm-questions", "R2 standing: bpm-questions is missing from bpm-2017-09-26"),
        ("R2", "bpm-questions", "R2 standing: bpm-questions is missing from bpm-2018-01-17"),
        ("R2", "bpm-questions", "R2 standing: bpm-questions is missing from bpm-2018-03-28"),
        ("R2", "declarations", "R2 standing: declarations is missing from select-2017-06-27"),
        ("R2", "declarations", "R2 standing: declarations is missing from select-2017-10-17"),
        ("R2", "declarations", "R2 standing: declarations is missing from select-2018-01-23"),
        ("R2", "declarations", "R2 standing: declarations is missing from select-2018-02-27"),
        ("R2", "minutes-matters-outstanding", "R2 standing: minutes-matters-outstanding is missing from select-2017-06-27"),
        ("R2", "minutes-matters-outstanding", "R2 standing: minutes-matters-outstanding is missing from select-2017-10-17"),
        ("R2", "minutes-matters-outstanding", "R2 standing: minutes-matters-outstanding is missing from select-2018-01-23"),
        ("R2", "minutes-matters-outstanding", "R2 standing: minutes-matters-outstanding is missing from select-2018-02-27"),
        ("R2", "portfolio-holder-update", "R2 standing: portfolio-holder-update is missing from select-2017-06-27"),
        ("R2", "portfolio-holder-update", "R2 standing: portfolio-holder-update is missing from select-2017-10-17"),
        ("R2", "portfolio-holder-update", "R2 standing: portfolio-holder-update is missing from select-2018-01-23"),
        ("R2", "portfolio-holder-update", "R2 standing: portfolio-holder-update is missing from select-2018-02-27"),
        ("R2", "questions-to-chairman", "R2 standing: questions-to-chairman is missing from select-2017-06-27"),
        ("R2", "questions-to-chairman", "R2 standing: questions-to-chairman is missing from select-2017-10-17"),
        ("R2", "questions-to-chairman", "R2 standing: questions-to-chairman is missing from select-2018-01-23"),
        ("R2", "questions-to-chairman", "R2 standing: questions-to-chairman is missing from select-2018-02-27"),
        ("R2", "questions-to-portfolio-holder", "R2 standing: questions-to-portfolio-holder is missing from select-2017-06-27"),
        ("R2", "questions-to-portfolio-holder", "R2 standing: questions-to-portfolio-holder is missing from select-2017-10-17"),
        ("R2", "questions-to-portfolio-holder", "R2 standing: questions-to-portfolio-holder is missing from select-2018-01-23"),
        ("R2", "questions-to-portfolio-holder", "R2 standing: questions-to-portfolio-holder is missing from select-2018-02-27"),
        ("R2", "work-programme", "R2 standing: work-programme is missing from select-2017-06-27"),
        ("R2", "work-programme", "R2 standing: work-programme is missing from select-2017-10-17"),
        ("R2", "work-programme", "R2 standing: work-programme is missing from select-2018-01-23"),
        ("R2", "work-programme", "R2 standing: work-programme is missing from select-2018-02-27"),
    ]


# Every Appendix 1 placement of a non-standing item that the solver should agree with:
# (item, occurrence) -> the meetings Appendix 1 gives it.
CLERK = {
    ("adult-education", None): ["select-2017-06-27"],
    ("camhs", None): ["select-2017-10-17"],
    ("yos", None): ["select-2017-10-17"],
    ("troubled-families", None): ["select-2018-01-23"],
    ("early-years", None): ["select-2018-02-27"],
    ("adoption-annual-report", "2016/17"): ["bpm-2017-07-18"],
    ("private-fostering-report", "2016/17"): ["bpm-2017-07-18"],
    ("bscb-annual-report", "2016/17"): ["bpm-2017-09-26"],
    ("director-scrutiny", "dce"): ["select-2017-06-27", "select-2018-02-27"],
    ("director-scrutiny", "doe"): ["select-2017-10-17"],
    ("director-scrutiny", "dcsc"): ["select-2018-01-23"],
}

# The programme encodes no order for the one-off rotation officers (doe, dcsc: once each), so
# October or January is a tie for them that the solver breaks the other way from the clerk.
TIED = {("director-scrutiny", "doe"), ("director-scrutiny", "dcsc")}
# Reviewed against Appendix 1 after the SEND strategy got its rough date ("early 2018", l.2085):
# see `test_send_strategy_takes_february_from_early_years`.
REVIEWED = {("early-years", None)}


@pytest.fixture(scope="module")
def solved(programme: Programme) -> Plan:
    return solve(programme)


def _meetings(plan: Plan, item: str, occurrence: str | None) -> list[str]:
    return [m for i, o, m in plan.placements() if (i, o) == (item, occurrence)]


def test_appendix1_file_has_the_clerks_placements(appendix1: Plan) -> None:
    for (item, occurrence), meetings in CLERK.items():
        assert _meetings(appendix1, item, occurrence) == meetings, (item, occurrence)


@pytest.mark.parametrize(
    ("item", "occurrence"),
    [
        pytest.param(item, occurrence, id=f"{item}@{occurrence}" if occurrence else item)
        for item, occurrence in CLERK
        if (item, occurrence) not in TIED | REVIEWED
    ],
)
def test_solver_places_it_where_appendix1_does(
    solved: Plan, item: str, occurrence: str | None
) -> None:
    assert _meetings(solved, item, occurrence) == CLERK[item, occurrence]


def test_director_order_is_a_tie_the_solver_breaks_the_other_way(
    programme: Programme, solved: Plan
) -> None:
    """Appendix 1 has the Director of Education in October and Children's Social Care in
    January; the solver has the reverse. Nothing in the programme orders them: forcing the
    clerk's order (swapping the two in the solved plan) keeps every rule, and no soft goal
    tells them apart: each appears once, for the same minutes."""
    assert _meetings(solved, "director-scrutiny", "dcsc") == ["select-2017-10-17"]
    assert _meetings(solved, "director-scrutiny", "doe") == ["select-2018-01-23"]
    swapped = solved.model_copy(deep=True)
    for meeting in swapped.meetings:
        for entry in meeting.agenda:
            if entry.item == "director-scrutiny" and entry.occurrence in ("doe", "dcsc"):
                other = "dcsc" if entry.occurrence == "doe" else "doe"
                person = programme.people_by_id[other]
                entry.occurrence, entry.people = other, [other]
                entry.title = f"Scrutiny of a Chief Officer: {person.name}, {person.role}"
    assert check(programme, swapped) == []
    for item, occurrence in TIED:
        assert _meetings(swapped, item, occurrence) == CLERK[item, occurrence]


def test_send_strategy_takes_february_from_early_years(programme: Programme, solved: Plan) -> None:
    """Appendix 1 leaves the SEND Strategy out (the strategy was to be published "in early
    2018", l.2085) and gives 27 February to Early Years. Known now as January to March 2018, the
    strategy is scrutinised at the first meeting that may follow it and comes nearest its
    latest day, 27 February, marked provisional until it is published; the SEND Strategy is
    listed before Early Years (min. 51, l.533 and l.536), so Early Years, with one substantive
    item a meeting, is the one not placed. A clerk who would rather wait says `deferred:
    next-year` on the strategy, and the plan is Appendix 1's again."""
    february = next(m for m in solved.meetings if m.id == "select-2018-02-27")
    assert [(e.item, e.provisional) for e in february.agenda if e.kind == "substantive"] == [
        ("send-strategy", True)
    ]
    assert "early-years" in {u.item for u in solved.unplaced}
    waiting = programme.model_copy(
        update={
            "items": [
                i.model_copy(update={"deferred": "next-year"}) if i.id == "send-strategy" else i
                for i in programme.items
            ]
        }
    )
    assert _meetings(solve(waiting), "early-years", None) == CLERK["early-years", None]
