"""`scheduler.outputs.exempt`, the one place that decides what the public may not read (DESIGN
§2, §7): `Secrets` finds text naming an exempt (Part 2) item, and the public document and feeds
redact what it finds.

Each case asserts both what `Secrets.named_in` says and the exact redacted output the public
reads: what the public document says of an item carried forward (withheld, or shown as
written), or a special meeting's label in the document and the public feed (replaced by
"special meeting").
"""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.outputs.document import WITHHELD, Aside, document
from scheduler.outputs.exempt import EXEMPT, Secrets
from scheduler.outputs.feeds import feeds
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import solve
from tests.feed_parsers import events

CLERK_ITEMS: list[dict[str, Any]] = [
    {"id": "libraries", "title": "Library Opening Hours", "kind": "short"},
    {"id": "foster-care-contract", "title": "Foster Care Contract", "kind": "report", "exempt": 3},
    {
        "id": "contract-monitoring",
        "title": "Contract Monitoring {period}",
        "kind": "report",
        "every": "half-year",
        "exempt": 3,
        "priority": "low",
    },
    {
        "id": "outturn",
        "title": "Budget Outturn {fy}",
        "kind": "report",
        "every": "quarter",
        "exempt": 1,
        "priority": "low",
    },
    {
        "id": "carers-evidence",
        "title": "Evidence from Foster Carers",
        "kind": "witness-session",
        "with": "foster-care-contract",
    },
]


def town(items: list[dict[str, Any]] = CLERK_ITEMS, special: str | None = None) -> Programme:
    """One committee meeting twice (and once specially, when `special` labels it), with these
    items: by default a public one, three exempt ones (one titled with {period}, one with
    {fy}) and a witness session that goes with an exempt item."""
    meetings: list[Any] = ["2017-06-20", "2017-11-14"]
    if special is not None:
        meetings.append({"id": "main-callin", "date": "2017-07-11", "special": special})
    return Programme.model_validate(
        {
            "id": "town",
            "council": "Town Council",
            "title": "Town Scrutiny 2017/18",
            "year": "2017-05-10..2018-05-15",
            "bodies": [
                {"id": "main", "name": "Main Committee", "minutes": 600, "meetings": meetings}
            ],
            "items": [{"body": "main", **item} for item in items],
        }
    )


def public_reason(p: Programme, text: str) -> str:
    """What the public document says of the public item `libraries` carried forward to next
    year with `text` as the plan's reason (the clerk's says `text` as written). The public
    reads no unplaced item's reasons at all (issue 22): nothing there to withhold."""
    plan = Plan.model_validate(
        {
            "programme": p.id,
            "status": "optimal",
            "carried_forward": [{"item": "libraries", "title": "Library Opening Hours", "text": text}],
            "unplaced": [
                {"item": "libraries", "title": "Library Opening Hours", "reasons": [text]}
            ],
        }
    )
    [clerk] = document(p, plan, "clerk").carried_forward
    assert clerk == Aside("Library Opening Hours", "Main Committee", text, "libraries")
    assert document(p, plan, "public").unplaced == ()
    [public] = document(p, plan, "public").carried_forward
    assert (public.item, public.id) == ("Library Opening Hours", "libraries")
    return public.text


def full_width(text: str) -> str:
    """`text` in full-width forms (U+FF01..U+FF5E, the ideographic space)."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) for c in text)


def assert_named(p: Programme, text: str) -> None:
    assert Secrets(p).named_in(text), text
    assert public_reason(p, text) == WITHHELD


def assert_not_named(p: Programme, text: str) -> None:
    assert not Secrets(p).named_in(text), text
    assert public_reason(p, text) == text


# --- named by id --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "R9 order: main-2017-06-20 is before the last foster-care-contract (2017-11-14)",
        "R1 placement: 'Something' (foster-care-contract) must go to 1 meeting(s)",
        "waits for FOSTER-CARE-CONTRACT",
        "R9 order: main-2017-06-20: it comes after outturn, which is not placed",
        "R6 capacity: compete with carers-evidence",
    ],
)
def test_a_reason_naming_an_exempt_item_by_its_id_is_withheld(text: str) -> None:
    """The solver's reasons name items by id ("the last foster-care-contract"): an exempt
    item's id, or its witness session's, in any case, is a secret."""
    assert_named(town(), text)


# --- named by title -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Foster Care Contract",
        "R6 capacity: main-2017-06-20 already holds 1 report (Foster Care Contract)",
        "FOSTER CARE CONTRACT",
        "foster   care\tcontract",
        "Fostér-Cäre Contract",
        full_width("Foster Care Contract"),  # compatibility forms fold to plain letters
        "Foster\u00adCare Contract",  # a soft hyphen in the middle
        "fostercarecontract",
    ],
)
def test_a_text_naming_an_exempt_title_in_any_case_accent_or_spacing_is_withheld(
    text: str,
) -> None:
    """An exempt item's title is found whatever its letter case, accents, spacing or
    punctuation (`programme.mentions.folded`)."""
    assert_named(town(), text)


@pytest.mark.parametrize(
    "text",
    [
        "R6 capacity: main-2017-11-14 already holds 1 report (Contract Monitoring 1st Half)",
        "contract monitoring 2nd half",
        "Contract Monitoring",  # {period} may stand for nothing
        "Budget Outturn 2017/18",
        "R1 placement: 'Budget Outturn 2016/17' (outturn@2016/17 Q4) must go to 1 meeting(s)",
    ],
)
def test_a_text_naming_an_exempt_title_with_its_period_or_year_filled_in_is_withheld(
    text: str,
) -> None:
    """{period} and {fy} in an exempt title stand for any text: "Contract Monitoring 1st Half"
    and "Budget Outturn 2017/18" name the items titled "Contract Monitoring {period}" and
    "Budget Outturn {fy}"."""
    assert_named(town(), text)


def test_a_witness_session_going_with_an_exempt_item_is_named_by_its_title() -> None:
    """A witness session `with` an exempt item is exempt too, and so is one `with` that
    session: their titles are secrets."""
    items = [
        *CLERK_ITEMS,
        {
            "id": "second-session",
            "title": "Further Evidence from the Agency",
            "kind": "witness-session",
            "with": "carers-evidence",
        },
    ]
    p = town(items)
    assert_named(p, "R6 capacity: main-2017-06-20 is full (Evidence from Foster Carers)")
    assert_named(p, "further evidence from the agency")


# --- not named ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Foster Care",  # part of a title only
        "Care Contract",
        "Contract",
        "Contract Monitor 1st Half",  # a shorter word than the title's
        "Budget Out",  # shorter than the title's "Outturn"
        "Evidence from Carers",
        "R4 window: main-2017-06-20 is outside 2017-09-01..2018-02-28",
        "",
    ],
)
def test_a_text_that_merely_shares_words_with_an_exempt_title_is_shown(text: str) -> None:
    """Part of an exempt title, or a shorter word than one of its words, names nothing: the
    public reads the reason as written."""
    assert_not_named(town(), text)


def test_a_public_items_own_title_and_id_are_shown() -> None:
    """The public item's title and id name no exempt item."""
    p = town()
    assert_not_named(p, "R9 order: it comes after libraries (Library Opening Hours)")


def test_a_programme_without_exempt_items_withholds_nothing() -> None:
    """No exempt item: nothing is a secret, not even the words "Exempt item (Part 2)"."""
    public = [i for i in CLERK_ITEMS if i["id"] == "libraries"]
    for p in (town(public), town([])):
        for text in ("Library Opening Hours", EXEMPT, "", "contract"):
            assert not Secrets(p).named_in(text), text
    assert_not_named(town(public), "Foster Care Contract")


def test_a_title_that_is_only_a_placeholder_does_not_withhold_everything() -> None:
    """An exempt title of nothing but "{period}" would match any text if looked for: only the
    item's id names it."""
    items = [
        CLERK_ITEMS[0],
        {
            "id": "quarterly-secret",
            "title": "{period}",
            "kind": "report",
            "every": "quarter",
            "exempt": 3,
            "priority": "low",
        },
    ]
    p = town(items)
    assert_not_named(p, "R4 window: main-2017-06-20 is outside 2017-09-01..2018-02-28")
    assert_named(p, "R9 order: it comes after quarterly-secret")


# --- a special meeting's label ------------------------------------------------------------------


def _labels(label: str) -> tuple[str, str, str, str]:
    """(public heading, clerk heading, public feed SUMMARY, clerk feed SUMMARY) of the special
    meeting labelled `label`."""
    p = town(special=label)
    plan = solve(p, SolveOptions(time_limit=5))
    headings = {
        audience: next(
            s.heading for s in document(p, plan, audience).sittings if s.meeting == "main-callin"
        )
        for audience in ("public", "clerk")
    }
    built = feeds(p, plan)
    key = "town.main-callin@scrutiny-scheduler"
    public = events(built["public/main.ics"])[key]["SUMMARY"]
    clerk = events(built["clerk.ics"])[key]["SUMMARY"]
    return headings["public"], headings["clerk"], public, clerk


def test_a_special_meetings_label_naming_an_exempt_item_is_replaced_in_public() -> None:
    """A special meeting called to discuss an exempt item ("Call-in: foster care contract
    award") is "special meeting" to the public, in the document and the feed; the clerk reads
    the label."""
    label = "Call-in: foster care contract award"
    assert Secrets(town()).named_in(label)
    assert _labels(label) == (
        "Main Committee: 11 July 2017 (special meeting)",
        f"Main Committee: 11 July 2017 ({label})",
        "Main Committee: special meeting",
        f"Main Committee: {label}",
    )


def test_a_special_meetings_label_naming_a_filled_exempt_title_is_replaced_in_public() -> None:
    """A label naming "Contract Monitoring 1st Half" names "Contract Monitoring {period}"."""
    label = "Extraordinary: Contract Monitoring 1st Half"
    assert _labels(label)[::2] == (
        "Main Committee: 11 July 2017 (special meeting)",
        "Main Committee: special meeting",
    )


def test_a_special_meetings_label_naming_nothing_exempt_is_shown() -> None:
    """A label that names no exempt item is everybody's to read."""
    label = "Call-in: Library Opening Hours"
    assert not Secrets(town()).named_in(label)
    assert _labels(label) == (
        f"Main Committee: 11 July 2017 ({label})",
        f"Main Committee: 11 July 2017 ({label})",
        f"Main Committee: {label}",
        f"Main Committee: {label}",
    )
