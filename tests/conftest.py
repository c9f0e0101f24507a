"""Shared fixtures: sample files under tests/data/ are loaded by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from tests.browser import browser, live_url, page  # noqa: F401 - fixtures of the web page tests
from tests.service import (  # noqa: F401 - fixtures of the API tests
    POSTGRES,
    client,
    database_url,
    empty_database_url,
    migrated_postgres,
)

#: The job queue's worker processes run only on PostgreSQL (SCRUTINY_TEST_POSTGRES, set by
#: `.ci/run`): without it, their tests are not collected at all.
collect_ignore = [] if POSTGRES else ["test_queue_workers.py"]
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
BROMLEY = REPO / "data" / "bromley-ecf-2017-18.yaml"


def bromley_october_cancelled(dce: int = 1) -> str:
    """The Bromley file with 17 October 2017 cancelled and the DCE scrutinised `dce` times."""
    text = BROMLEY.read_text()
    edited = text.replace(
        "      - 2017-10-17 ", "      - {date: 2017-10-17, status: cancelled} ", 1
    )
    edited = edited.replace("rotation: {dce: 2,", f"rotation: {{dce: {dce},", 1)
    assert edited.count("status: cancelled") == text.count("status: cancelled") + 1
    assert f"rotation: {{dce: {dce}," in edited
    return edited


def bromley_unplannable() -> str:
    """The Bromley file where no plan exists at all: the Portfolio Holder, who presents a
    standing item at every Select Committee meeting, is away on 23 January 2018 (a standing
    item is no must item that a plan may leave out)."""
    data = yaml.safe_load(BROMLEY.read_text())
    holder = next(p for p in data["people"] if p["id"] == "fortune")
    holder["unavailable"] = ["2018-01-23"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.fixture
def sample_path() -> Callable[[str], Path]:
    """Path of a sample file in tests/data by name."""
    return lambda name: DATA / name


@pytest.fixture
def small_raw() -> dict[str, Any]:
    """The small sample programme as plain data, to mutate in a test."""
    data: dict[str, Any] = yaml.safe_load((DATA / "small.yaml").read_text())
    return data


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[Any], Path]:
    """Write data as a YAML file in a temporary folder and return its path."""

    def write(data: Any, name: str = "programme.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write


def town_with_secrets() -> str:
    """tests/data/feeds.yaml made to test what the public may not read: an item that waits a
    year after an exempt one (its reason names it), an exempt recurring item ({period} in its
    title), an exempt rotation, an item delegated from the informal panel, and a special
    meeting named after an exempt item."""
    text = (DATA / "feeds.yaml").read_text()
    named = 'special: "Call-in: Housing Repairs Contract Award (commercially sensitive)"'
    edited = text.replace('special: "Call-in: Housing allocations policy"', named, 1)
    assert named in edited
    return edited + (
        "  - {id: contract-review, title: Review of the Repairs Contract, body: overview,"
        " kind: short, after: {item: housing-contract, gap_days: 400}}\n"
        '  - {id: contract-monitoring, title: "Contract Monitoring {period}", body: overview,'
        " kind: substantive, every: half-year, exempt: 3, priority: low}\n"
        "  - {id: legal-scrutiny, title: Scrutiny of Legal Risk, body: overview, kind: scrutiny,"
        " rotation: {lawyer: 1}, per_meeting: 1, exempt: 5}\n"
        "  - {id: panel-referral, title: Referral from the Task Group, body: overview,"
        " kind: short, delegated_from: panel}\n"
    )


def public_secrets(p: Programme, plan: Plan) -> set[str]:
    """Everything the public may not read of `town_with_secrets`, taken from the clerk's view of
    the plan: every exempt title as placed or unplaced (periods filled in), exempt ids, the exempt
    rotation's officer, the informal panel's name and the special meeting named after an exempt
    item."""
    exempt = {i.id for i in p.items if p.part_2(i)}
    found = {e.title for m in plan.meetings for e in m.agenda if e.item in exempt}
    found |= {u.title for u in plan.unplaced if u.item in exempt}
    found |= exempt | {p.items_by_id[i].title.split(" {")[0] for i in exempt}
    found |= {p.people_by_id["lawyer"].name, p.bodies_by_id["panel"].name, "Call-in: Housing"}
    return found
