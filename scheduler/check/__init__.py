"""Check any plan, hand-made or solved, against the hard rules R1-R10 (DESIGN §4.5).

Each rule is restated here in plain Python, one module per rule (`check_r1` ... `check_r10`,
in order in `CHECKS`), sharing no code with the solver so that a solved plan is verified by code
that does not share its bugs. The programme is the truth (dates, minutes, people); entries at
unknown or cancelled meetings count for nothing but their own R1 breach. Plan conventions:

- `occurrence` is None for an ordinary or standing item, the period label ("2017/18 Q1",
  "2017/18 H2") for a recurring item, and the person's id for a rotation (scrutiny) item.
- Whatever is not placed is in `plan.unplaced` as (item, occurrence); an entry whose occurrence
  is None covers every occurrence of the item.
"""

from __future__ import annotations

import datetime as dt
import importlib

from scheduler.check.view import Breach
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme


def check(
    programme: Programme, plan: Plan, *, previous: Plan | None = None, as_of: dt.date | None = None
) -> list[Breach]:
    """Every breach of every hard rule by `plan` (`check.rules`, loaded here when a plan is
    first checked: reading a programme's warnings, `check.warnings`, needs none of the rules)."""
    rules = importlib.import_module("scheduler.check.rules")
    found: list[Breach] = rules.check(programme, plan, previous=previous, as_of=as_of)
    return found
