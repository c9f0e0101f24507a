"""The `scrutiny` command end to end, in-process: exit codes and output."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scheduler.cli import build_parser, main
from scheduler.outputs import deadline_table, report
from scheduler.outputs.formats import DEADLINE_FORMATS, DOCUMENT_FORMATS
from tests.conftest import BROMLEY, bromley_october_cancelled

ROOT = Path(__file__).parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_bromley(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(BROMLEY))
    assert (code, err) == (0, "")
    assert out.startswith(f"{BROMLEY}: valid: Education, Children & Families Work Programme 2017/18: 4 bodies, 14 meetings")


def test_validate_bad_file_exits_2_with_located_message(
    capsys: pytest.CaptureFixture[str], sample_path: Callable[[str], Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(sample_path("small.yaml").read_text().replace("witnesses: [witness]}", "witnesses: [ghost]}"))
    code, out, err = run(capsys, "validate", str(bad))
    assert (code, out) == (2, "")
    assert err == f"{bad}:66: items[4] (theme-witnesses).witnesses[0]: 'ghost' is not in people\n"


def test_deadlines_table_has_the_seed_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", str(BROMLEY))
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("Wed 28 Jun 2017"))
    assert row.split("  ")[0] == "Wed 28 Jun 2017"
    assert "Tue 20 Jun 2017" in row  # agenda published, as the seed's letter is dated
    assert "Thu 22 Jun 2017" in row  # public questions by 17:00


def test_deadlines_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", str(BROMLEY), "--format", "json")
    assert code == 0
    rows = {r["meeting"]: r for r in json.loads(out)}
    assert rows["select-2017-06-27"] == {
        "meeting": "select-2017-06-27",
        "body": "select",
        "date": "2017-06-28",
        "when": "",
        "start": "19:00",
        "status": "scheduled",
        "agenda_publication": "2017-06-20",
        "reports_due": "2017-06-14",
        "public_questions": "2017-06-22T17:00",
        "preparation": "2017-06-28T18:30",
    }
    assert len(rows) == 14


def test_deadlines_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", str(BROMLEY), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert rows[0]["meeting"] == "select-2017-06-27"


def test_deadlines_of_informal_and_cancelled_meetings(
    capsys: pytest.CaptureFixture[str], sample_path: Callable[[str], Path], tmp_path: Path
) -> None:
    text = sample_path("small.yaml").read_text().replace("- 2018-01-23", "- {date: 2018-01-23, status: cancelled}")
    path = tmp_path / "p.yaml"
    path.write_text(text)
    code, out, _ = run(capsys, "deadlines", str(path), "--format", "json")
    assert code == 0
    rows = {r["meeting"]: r for r in json.loads(out)}
    assert rows["panel-2017-11-01"]["agenda_publication"] == ""  # informal: no statutory publication
    assert rows["panel-2017-11-01"]["public_questions"] == ""
    assert rows["panel-2017-11-01"]["reports_due"] == "2017-10-18"
    assert rows["main-2018-01-23"]["status"] == "cancelled"
    assert rows["main-2018-01-23"]["reports_due"] == ""


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "deadlines", "no/such.yaml")
    assert (code, out, err) == (2, "", "no/such.yaml: no such file\n")


VERBS = [
    "validate", "deadlines", "solve", "check", "replan", "suggest", "feeds", "publish", "report",
    "schema", "init", "serve", "import", "export", "admin", "worker",
]


@pytest.mark.parametrize("verb", VERBS)
def test_help_of_every_verb(capsys: pytest.CaptureFixture[str], verb: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main([verb, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: scrutiny {verb}" in out
    assert "Example:" in out


def test_every_verb_is_tested_for_help() -> None:
    actions = build_parser()._actions
    verbs = next(a.choices for a in actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(verbs) == sorted(VERBS)


def test_solve_writes_plan_and_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_plan, out_md = tmp_path / "plan.json", tmp_path / "wp.md"
    code, out, err = run(capsys, "solve", str(BROMLEY), "-o", str(out_plan), "--markdown", str(out_md))
    assert code == 0
    assert "Plan found: proven best." in err and "2 not placed" in err
    plan = json.loads(out_plan.read_text())
    assert (plan["format"], plan["programme"], plan["status"]) == ("scrutiny-plan/1", "bromley-ecf-2017-18", "optimal")
    assert out_md.read_text().startswith("# Education, Children & Families Work Programme 2017/18")
    code, out, _ = run(capsys, "check", str(BROMLEY), str(out_plan))
    assert (code, out) == (0, f"{out_plan}: no breaches\n")


def test_solve_markdown_to_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "solve", str(BROMLEY), "-o", str(tmp_path / "p.json"), "--markdown", "-")
    assert code == 0
    assert "## Education, Children & Families Select Committee: 28 June 2017" in out


def test_solve_that_cannot_hold_a_must_item_writes_the_best_plan_and_exits_1(
    capsys: pytest.CaptureFixture[str], sample_path: Callable[[str], Path], tmp_path: Path
) -> None:
    text = sample_path("small.yaml").read_text().replace(
        "kind: short, meeting: main-2017-06-27}", "kind: short, meeting: main-2017-06-27, minutes: 500, priority: must}"
    )
    programme = tmp_path / "p.yaml"
    programme.write_text(text)
    existing = tmp_path / "plan.json"
    existing.write_text("old plan")
    code, out, err = run(capsys, "solve", str(programme), "-o", str(existing))
    assert (code, out) == (1, "")
    assert err.splitlines()[1].startswith("This plan places everything it can, but not 1 must item")
    assert "Wednesday 28 June 2017 has 150 minutes for its agenda" in err
    assert "R6" not in err  # codes only with --verbose
    plan = json.loads(existing.read_text())
    assert plan["complete"] is False
    code, out, err = run(capsys, "solve", str(programme), "-o", str(existing), "--verbose")
    assert code == 1 and "conflict: R1:pinned, R6:main-2017-06-27:minutes" in err


def test_check_reports_breaches_with_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "plan.json"
    assert main(["solve", str(BROMLEY), "-o", str(good)]) == 0
    plan = json.loads(good.read_text())
    june = plan["meetings"][0]
    june["agenda"] = [a for a in june["agenda"] if a["item"] != "adult-education"]
    june["minutes_used"] -= 15
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(plan))
    capsys.readouterr()
    code, out, _ = run(capsys, "check", str(BROMLEY), str(bad))
    assert code == 1
    assert "adult-education" in out and out.startswith("R1")


def test_check_bad_plan_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text('{"format": "scrutiny-plan/1", "programme": "bromley-ecf-2017-18", "status": "great"}')
    code, out, err = run(capsys, "check", str(BROMLEY), str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"{bad}: status: input should be")


def test_check_plan_of_another_programme_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "plan.json"
    other.write_text('{"programme": "elsewhere", "status": "optimal"}')
    code, _, err = run(capsys, "check", str(BROMLEY), str(other))
    assert code == 2
    assert err == f"{other}: programme: the plan is for 'elsewhere', not 'bromley-ecf-2017-18'\n"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """The Bromley plan as published, solved through the CLI."""
    plan = tmp_path / "published.json"
    assert main(["solve", str(BROMLEY), "-o", str(plan)]) == 0
    return plan


def cancel_october(tmp_path: Path, dce: int) -> Path:
    edited = tmp_path / "edited.yaml"
    edited.write_text(bromley_october_cancelled(dce))
    return edited


def test_replan_writes_the_plan_and_prints_the_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, published: Path
) -> None:
    edited, new = cancel_october(tmp_path, dce=1), tmp_path / "new.json"
    capsys.readouterr()
    code, out, err = run(capsys, "replan", str(edited), "--against", str(published),
                         "--as-of", "2017-10-01", "-o", str(new))
    assert code == 0
    assert out.startswith(
        "Education, Children & Families Select Committee, Tuesday 17 October 2017 is cancelled\n"
    )
    assert (
        "Scrutiny of a Chief Officer: Janet Bailey, Interim Director: Children's Social Care moves "
        "from Education, Children & Families Select Committee, Tuesday 17 October 2017 to "
        "Tuesday 27 February 2018\n"
    ) in out
    assert "  why: Education, Children & Families Select Committee, Tuesday 17 October 2017 is cancelled\n" in out
    assert "the fewest the rules allow (proven)" in err
    plan = json.loads(new.read_text())
    # Only the October meeting's part is searched: the 5 short items pinned to June and the
    # budget sub-committee's 22 placements are held as published (`solver.held`).
    assert plan["disruption"] == {"moved": 6, "weight": 6, "bound": 6, "proven": True, "held": 27}
    assert plan["changes"][0] == {
        "item": None, "occurrence": None, "meeting": "select-2017-10-17", "change": "status",
        "from": "scheduled", "to": "cancelled", "tell": plan["changes"][0]["tell"], "reasons": [],
        "text": "Education, Children & Families Select Committee, Tuesday 17 October 2017 is cancelled",
    }
    code, out, _ = run(capsys, "check", str(edited), str(new), "--against", str(published),
                       "--as-of", "2017-10-01")
    assert (code, out) == (0, f"{new}: no breaches\n")
    free = tmp_path / "free.json"  # re-planned with no date: June's agenda is not frozen
    assert main(["replan", str(edited), "--against", str(published), "-o", str(free)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "check", str(edited), str(free), "--against", str(published),
                       "--as-of", "2017-10-01")
    assert code == 1
    assert out.startswith("R10 frozen: select-2017-06-27 (2017-06-28) is frozen as of 2017-10-01")


def test_replan_that_cannot_hold_a_session_writes_the_best_plan_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, published: Path
) -> None:
    new = tmp_path / "new.json"
    code, out, err = run(capsys, "replan", str(cancel_october(tmp_path, dce=2)), "--against",
                         str(published), "-o", str(new))
    assert code == 1
    assert "comes off the agenda" in out and "every officer keeps one session" in out
    assert "This plan places everything it can, but not 1 scrutiny session" in err
    assert json.loads(new.read_text())["complete"] is False


def test_replan_bad_date_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, published: Path
) -> None:
    with pytest.raises(SystemExit) as caught:  # argparse's own exit, code 2
        main(["replan", str(BROMLEY), "--against", str(published), "--as-of", "2017-02-30",
              "-o", str(tmp_path / "n.json")])
    assert caught.value.code == 2
    assert "argument --as-of: '2017-02-30' is not a date" in capsys.readouterr().err
    assert not (tmp_path / "n.json").exists()


def test_replan_against_a_missing_or_foreign_plan_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing, foreign = tmp_path / "missing.json", tmp_path / "foreign.json"
    foreign.write_text('{"programme": "elsewhere", "status": "optimal"}')
    code, _, err = run(capsys, "replan", str(BROMLEY), "--against", str(missing), "-o", "n.json")
    assert code == 2 and err.startswith(f"{missing}: ")
    code, _, err = run(capsys, "replan", str(BROMLEY), "--against", str(foreign), "-o", "n.json")
    assert code == 2
    assert err == f"{foreign}: programme: the plan is for 'elsewhere', not 'bromley-ecf-2017-18'\n"
    assert not Path("n.json").exists()


def test_a_long_solve_shows_each_stages_progress_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    from scheduler.cli.solving import progress

    progress(0.4, 120.0, 100.0, ("S1",))  # a short solve says nothing
    progress(3.0, 3_000_000.0, 3_000_000.0, ("S1",))
    progress(12.5, 1_250_000.0, 1_000_000.0, ("S2", "S4", "S5"))
    err = capsys.readouterr().err
    assert err == (
        "     3.0 s  placing the other items, by priority: proven best\n"
        "    12.5 s  dates, spacing and even agendas: within 20 % of the best possible\n"
    )


def modules_after(call: str, heavy: tuple[str, ...]) -> list[str]:
    """The modules whose names start with one of `heavy` that a fresh Python has loaded after
    `call` (lines run with `main` imported from scheduler.cli)."""
    code = (
        "import sys, contextlib, io, json\n"
        "from scheduler.cli import main\n"
        f"{call}"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({heavy!r}))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found: list[str] = json.loads(loaded.stdout)
    return found


def test_help_loads_no_verb_and_nothing_heavy() -> None:
    """`scrutiny --help` starts at once (issue 23: it took 1.3-1.6 s, loading OR-Tools, pandas
    and python-docx for every verb): no verb's module, no solver, no documents, no service."""
    loaded = modules_after(
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n",
        ("docx", "ortools", "pandas", "api", "pydantic", "scheduler.cli.plans",
         "scheduler.cli.documents"),
    )  # fmt: skip
    assert loaded == []


def test_the_formats_offered_are_those_written() -> None:
    assert set(DEADLINE_FORMATS) == set(deadline_table.RENDERERS)
    assert set(DOCUMENT_FORMATS) == set(report.RENDERERS)


def test_validate_loads_no_rule_checks_no_documents_no_solver() -> None:
    """`scrutiny validate` answers at once (issue 23): the programme and its warnings only, no
    rule checks, documents or solver, and of the holidays library's countries only the United
    Kingdom (importing its package of countries imports all 250)."""
    loaded = modules_after(
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    assert main(['validate', {str(BROMLEY)!r}]) == 0\n",
        ("docx", "ortools", "api", "scheduler.check.rules", "scheduler.check.r1",
         "scheduler.outputs.document", "scheduler.cli.plans", "holidays.countries"),
    )  # fmt: skip
    assert loaded == []
