"""Words for people (issue 20, DESIGN §5 "Words"): what a clerk, a member or the public reads
speaks of meetings by body and date, of items by title and of people by name, and shows no rule
code, no id and no solver status; `--verbose` (and the JSON) keep the codes and ids.

Bromley as solved, and re-planned with 17 October 2017 cancelled as of 1 October: the work
programme in every format, and what `scrutiny solve` and `scrutiny replan` print.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import json
import re
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.cli.telling import summary
from scheduler.outputs.document import INCOMPLETE, document
from scheduler.outputs.feeds import feeds
from scheduler.outputs.report import html, markdown, word
from scheduler.plan.changes import changes_text, diff
from scheduler.plan.model import Plan, SolveStatus, Unplaced
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.programme.words import best_words
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, bromley_october_cancelled
from tests.docx_text import text
from tests.feed_parsers import events

OCTOBER = "select-2017-10-17"
CODE = re.compile(r"\b[RS]\d+\b")
SOLVER = ("objective", "bound", "optimal", "infeasible")
EMAIL = re.compile(r"<?[\w.+-]+@[\w.-]+>?")


@pytest.fixture(scope="module")
def bromley() -> tuple[Programme, Plan]:
    p = load_programme(BROMLEY)
    return p, solve(p)


@pytest.fixture(scope="module")
def cancelled(bromley: tuple[Programme, Plan]) -> tuple[Programme, Plan]:
    """17 October cancelled (the DCE scrutinised once), re-planned as of 1 October."""
    edited = parse_programme(bromley_october_cancelled(), "edited.yaml")
    return edited, replan(edited, bromley[1], as_of=dt.date(2017, 10, 1))


def ids(p: Programme) -> set[str]:
    """Every id of the programme: meetings, items, people, bodies and events."""
    return {
        *p.meetings_by_id,
        *(i.id for i in p.items),
        *(x.id for x in p.people),
        *(b.id for b in p.bodies),
        *(e.id for e in p.events),
    }


def ids_shown(p: Programme, shown: str) -> set[str]:
    """The programme's ids that `shown` uses as words (e-mail addresses aside: an address may
    hold a person's id, `philippa.gibbs@...`, and is what the clerk needs)."""
    words = EMAIL.sub(" ", html_text.unescape(shown))
    return {i for i in ids(p) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", words)}


def assert_words_only(p: Programme, shown: str, what: str) -> None:
    assert not CODE.findall(shown), f"{what}: rule codes {CODE.findall(shown)}"
    assert not ids_shown(p, shown), f"{what}: ids {ids_shown(p, shown)}"
    for word_ in SOLVER:
        assert word_ not in shown.casefold(), f"{what}: {word_}"


def formats(p: Programme, plan: Plan, audience: str) -> dict[str, str]:
    return {
        "md": markdown(p, plan, audience),  # type: ignore[arg-type]
        "html": html(p, plan, audience),  # type: ignore[arg-type]
        "docx": text(word(p, plan, audience)),  # type: ignore[arg-type]
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


# --- the work programme -------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["solved", "re-planned"])
def test_public_document_has_no_code_id_or_solver_status(
    bromley: tuple[Programme, Plan], cancelled: tuple[Programme, Plan], which: str
) -> None:
    p, plan = bromley if which == "solved" else cancelled
    assert plan.unplaced and any(r.rule for u in plan.unplaced for r in u.reasons)
    for fmt, shown in formats(p, plan, "public").items():
        assert_words_only(p, shown, f"{which} {fmt}")
        # What is not placed, and why, is the clerk's (issue 22).
        assert "Waits for the date of Local area SEND inspection" not in shown, fmt
    for fmt, shown in formats(p, plan, "clerk").items():
        assert "Waits for the date of Local area SEND inspection" in shown, fmt


def test_clerks_markdown_and_word_have_words_only_and_html_has_the_details(
    cancelled: tuple[Programme, Plan],
) -> None:
    p, plan = cancelled
    shown = formats(p, plan, "clerk")
    for fmt in ("md", "docx"):
        assert_words_only(p, shown[fmt], fmt)
    assert "<details><summary>Details</summary>R9 order:" in shown["html"]
    assert "R10 frozen: select-2017-06-27" in shown["html"]


def test_the_summary_says_what_is_placed_before_how_good(bromley: tuple[Programme, Plan]) -> None:
    p, plan = bromley
    assert document(p, plan, "public").summary == "92 agenda entries at 14 meetings."
    assert document(p, plan, "clerk").summary == (
        "92 agenda entries at 14 meetings; 2 not placed. The plan is proven best."
    )


def test_an_incomplete_plan_says_so_first_in_every_format(bromley: tuple[Programme, Plan]) -> None:
    """To the clerk, who can act on it; the public reads what is planned (issue 22)."""
    p, plan = bromley
    incomplete = plan.model_copy(update={"complete": False})
    assert document(p, plan, "clerk").notice == ""
    assert document(p, incomplete, "public").notice == ""
    for fmt, shown in formats(p, incomplete, "clerk").items():
        plain = html_text.unescape(shown).replace("\\", "")
        assert INCOMPLETE in plain, fmt
        assert plain.index(INCOMPLETE) < plain.index("London Borough of Bromley."), fmt


def test_an_officer_not_placed_is_named_not_given_by_id(bromley: tuple[Programme, Plan]) -> None:
    """A rotation officer's occurrence is their person id: the document shows their title,
    which names them, and how many of their sessions are missing."""
    p, plan = bromley
    officer = Unplaced(
        item="director-scrutiny",
        title="Scrutiny of a Chief Officer: Ade Adetosoye OBE, Deputy Chief Executive",
        occurrence="dce",
        missing=1,
        reasons=["Two sessions do not fit"],
    )
    short = plan.model_copy(update={"unplaced": [officer]})
    [row] = document(p, short, "clerk").unplaced
    assert row.item == (
        "Scrutiny of a Chief Officer: Ade Adetosoye OBE, Deputy Chief Executive "
        "(1 session not placed)"
    )
    assert "dce" not in markdown(p, short, "public")


# --- scrutiny solve and replan ------------------------------------------------------------------


def test_solve_prints_words_and_verbose_adds_codes_and_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    p = load_programme(BROMLEY)
    code, shown = run(capsys, "solve", str(BROMLEY), "-o", str(tmp_path / "plan.json"))
    assert code == 0
    assert (
        f"{BROMLEY}: Plan found: proven best. 92 agenda entries at 14 meetings, 2 not placed.\n"
        in shown
    )
    assert "  not placed: SEND Update following the Local Area Inspection: Waits for the date" in shown
    assert_words_only(p, shown.replace(str(BROMLEY), ""), "solve")
    code, shown = run(capsys, "solve", str(BROMLEY), "-o", str(tmp_path / "plan.json"), "--verbose")
    assert code == 0
    # S2: the SEND Strategy on 27 February, 32 days before the strategy's latest day (x 20).
    assert "(optimal in " in shown and "objective 675, bound 675)" in shown
    assert "Inspection [send-inspection-update]: Waits" in shown
    assert "      R9 order: waits for the date of 'Local area SEND inspection" in shown


def test_replan_prints_sentences_and_whom_to_tell_by_name_and_address(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    published, edited, new = tmp_path / "plan.json", tmp_path / "edited.yaml", tmp_path / "new.json"
    assert main(["solve", str(BROMLEY), "-o", str(published)]) == 0
    edited.write_text(bromley_october_cancelled())
    p = load_programme(edited)
    capsys.readouterr()
    args = ["replan", str(edited), "--against", str(published), "--as-of", "2017-10-01"]
    code, shown = run(capsys, *args, "-o", str(new))
    assert code == 0
    assert shown.startswith(
        "Education, Children & Families Select Committee, Tuesday 17 October 2017 is cancelled\n"
        "  tell: Emmanuel Arbenser, Councillor Nicholas Bennett J.P.,"
    )
    assert "Ade Adetosoye OBE <Ade.Adetosoye@bromley.gov.uk>" in shown
    assert (
        "Living in Care Council Presentation moves from Education, Children & Families Select "
        "Committee, Tuesday 17 October 2017 to Tuesday 23 January 2018\n"
        "  why: Education, Children & Families Select Committee, Tuesday 17 October 2017 is "
        "cancelled\n"
    ) in shown
    assert_words_only(p, shown.replace(str(edited), ""), "replan")
    plan = json.loads(new.read_text())
    assert all(c["text"] for c in plan["changes"])  # the sentence is in the JSON too
    code, shown = run(capsys, *args, "-o", str(new), "--verbose")
    assert code == 0
    assert "  [status meeting select-2017-10-17: scheduled -> cancelled]\n" in shown
    assert "  [moved living-in-care-council: select-2017-10-17 -> select-2018-01-23]\n" in shown
    assert "Ade Adetosoye OBE <Ade.Adetosoye@bromley.gov.uk> [dce]" in shown
    assert "R10 frozen: select-2017-06-27" in shown and "objective" in shown


# --- changes in words ---------------------------------------------------------------------------


def test_a_meeting_moved_to_another_day_and_hour_tells_its_people_once(
    bromley: tuple[Programme, Plan],
) -> None:
    """The date and the time stay two changes in the JSON; the text says both and lists the
    nineteen people to tell once."""
    p, plan = bromley
    moved = plan.model_copy(deep=True)
    october = next(m for m in moved.meetings if m.id == OCTOBER)
    october.date, october.start = dt.date(2017, 10, 18), dt.time(18, 30)
    changes = diff(p, plan, moved)
    assert [(c.meeting, c.change) for c in changes] == [(OCTOBER, "date"), (OCTOBER, "time")]
    assert [c.text for c in changes] == [
        "Education, Children & Families Select Committee, Tuesday 17 October 2017 moves to "
        "Wednesday 18 October 2017",
        "Education, Children & Families Select Committee, Wednesday 18 October 2017 now starts "
        "at 18:30, not 19:00",
    ]
    shown = changes_text(p, changes)
    assert shown.count("tell:") == 1
    assert shown.count("Councillor Nicholas Bennett J.P.") == 1
    assert len(changes[0].tell) >= 19


def test_changes_of_a_plan_written_before_sentences_are_put_in_words(
    cancelled: tuple[Programme, Plan],
) -> None:
    """An older plan's changes have no `text`: the programme names them."""
    p, plan = cancelled
    bare = [c.model_copy(update={"text": ""}) for c in plan.changes or []]
    shown = changes_text(p, bare)
    assert (
        "Scrutiny of a Chief Officer: Janet Bailey moves from Education, Children & Families "
        "Select Committee, Tuesday 17 October 2017 to Tuesday 27 February 2018"
    ) in shown
    assert_words_only(p, shown, "older plan")


def test_no_changes_is_said() -> None:
    p = load_programme(BROMLEY)
    assert changes_text(p, []) == "No changes.\n"


@pytest.mark.parametrize(
    ("status", "objective", "bound", "words"),
    [
        (SolveStatus.OPTIMAL, 35, 35, "proven best"),
        (SolveStatus.FEASIBLE, 1025, 1000, "within 2.4 % of the best possible"),
        (SolveStatus.FEASIBLE, 200, 100, "within 50 % of the best possible"),
        (SolveStatus.FEASIBLE, None, None, "not proven best"),
    ],
)
def test_the_solvers_numbers_in_words(
    status: SolveStatus, objective: int | None, bound: int | None, words: str
) -> None:
    plan = Plan(programme="x", status=status, objective=objective, bound=bound)
    assert summary(plan) == f"Plan found: {words}. 0 agenda entries at 0 meetings, 0 not placed."
    assert "objective" in summary(plan, verbose=True)


def test_best_words_never_rounds_a_gap_to_nothing() -> None:
    assert best_words(0.0001) == "within 0.1 % of the best possible"
    assert best_words(0) == "proven best"


@pytest.mark.parametrize("which", ["solved", "re-planned", "incomplete"])
def test_every_feed_reads_in_words(
    bromley: tuple[Programme, Plan], cancelled: tuple[Programme, Plan], which: str
) -> None:
    """What a calendar shows (summary, description, location) of every feed, public and
    personal, names no rule code, id or solver word; UIDs and URLs are for programs."""
    if which == "incomplete":
        p = parse_programme(bromley_october_cancelled(dce=2), "edited.yaml")
        plan = replan(p, bromley[1], as_of=dt.date(2017, 10, 1))
        assert not plan.complete
    else:
        p, plan = bromley if which == "solved" else cancelled
    read = 0
    for name, data in feeds(p, plan).items():
        for uid, event in events(data).items():
            shown = "\n".join(event.get(key, "") for key in ("SUMMARY", "DESCRIPTION", "LOCATION"))
            assert_words_only(p, shown.replace("\\n", "\n"), f"{which} {name} {uid}")
            read += 1
    assert read > 50  # every meeting in the body's feed, and again in each person's
