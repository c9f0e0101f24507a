"""Golden files: Bromley's plan JSON, its work programme in every format, and a re-plan, compared
whole.

The files were reviewed by a person against Appendix 1 of seed 000. After an intended change,
rewrite them with `make golden` and read the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from scheduler.outputs.report import html, markdown, word
from scheduler.programme.load import load_programme, parse_programme
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, bromley_october_cancelled, town_with_secrets
from tests.docx_text import text

GOLDEN = Path(__file__).parent / "golden"


def outputs() -> dict[str, str]:
    p = load_programme(BROMLEY)
    plan = solve(p).model_copy(update={"solve_seconds": 0.0})
    edited = parse_programme(bromley_october_cancelled(), "edited.yaml")
    town = parse_programme(town_with_secrets(), "town.yaml")
    new = replan(edited, plan, as_of=dt.date(2017, 10, 1)).model_copy(update={"solve_seconds": 0.0})
    return {
        "bromley.plan.json": plan.to_json(),
        "bromley.md": markdown(p, plan),
        "bromley.html": html(p, plan),
        # The Word document as python-docx reads it back: headings, paragraphs, table rows.
        "bromley.docx.txt": text(word(p, plan)),
        # What the public reads of a programme with exempt items and an informal body.
        "town.public.md": markdown(town, solve(town), "public"),
        # 17 October cancelled as of 1 October (README, "Re-planning").
        "bromley-october-cancelled.plan.json": new.to_json(),
    }


def test_bromley_outputs_match_golden_files() -> None:
    produced = outputs()
    if os.environ.get("REWRITE_GOLDEN") == "1":
        for name, text in produced.items():
            (GOLDEN / name).write_text(text)
    for name, text in produced.items():
        assert text == (GOLDEN / name).read_text(), f"{name} differs: run make golden and read the diff"
