"""Input a clerk can type, or an attacker can upload, never crashes a verb: each is a located
problem on standard error and exit 2, and nothing is written (DESIGN §4; issue "Bad input never
crashes it"). Each test names the defect it guards against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from scheduler.check import check
from scheduler.check.facts import periods as checked_periods
from scheduler.cli import main
from scheduler.errors import ProgrammeError
from scheduler.outputs.exempt import Secrets
from scheduler.outputs.feeds import feeds
from scheduler.outputs.report import html, markdown
from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.programme.references import check_references
from scheduler.solver.build import SolveOptions
from scheduler.solver.expand import periods as expanded_periods
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, town_with_secrets
from tests.programmes import programme

TEXT = BROMLEY.read_text()


def edited(old: str, new: str) -> str:
    """The Bromley file with one text replaced (it must be there)."""
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, name: str = "bad.yaml"
) -> list[str]:
    """`scrutiny validate` of `text`: exit 2, nothing on standard output; the messages."""
    file = tmp_path / name
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = main(["validate", str(file)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    lines = err.splitlines()
    assert lines and all(line.startswith(f"{file}") for line in lines), err
    return [line.removeprefix(str(file)) for line in lines]


# --- impossible dates: a located problem, never a traceback --------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      - 2018-01-23           # l.130",
            "      - 2017-02-30           # l.130",
            ":142: bodies[0] (select).meetings[2]: 2017-02-30 is not a date: February 2017 has 28 days",
        ),
        (
            "      - 2018-01-23           # l.130; Appendix 1 l.2244",
            "      - {date: 2018-02-29}",
            ":142: bodies[0] (select).meetings[2] (2018-02-29).date: 2018-02-29 is not a date: February 2018 has 28 days",
        ),
        (
            'financial_year_start: "04-01"',
            "financial_year_start: 02-30",
            ":18: financial_year_start: 02-30: a year starts on day 01 to 28, which every month has",
        ),
        (
            "year: 2017-05-10..2018-05-15",
            "year: 2017-05-10..2018-13-15",
            ":15: year: 2018-13-15 is not a date: there is no month 13",
        ),
        (
            "title: SEND five-year strategy published, date: 2018-01..2018-03",
            "title: SEND five-year strategy published, date: 2018-04-31",
            ":193: events[0] (send-strategy-published).date: 2018-04-31 is not a date: April 2018 has 30 days",
        ),
    ],
)
def test_impossible_date_is_a_located_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert refused(capsys, tmp_path, edited(old, new)) == [message]


def test_impossible_date_in_an_unavailability_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_raw: dict[str, object]
) -> None:
    small_raw["people"][0]["unavailable"] = ["2017-08-01..2017-08-32"]  # type: ignore[index]
    (line,) = refused(capsys, tmp_path, yaml.safe_dump(small_raw, sort_keys=False))
    assert line.endswith(".unavailable[0]: 2017-08-32 is not a date: August 2017 has 31 days")


def test_dates_far_outside_any_programme_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = edited("title: Local area SEND inspection (Ofsted and CQC), date: null",
                  "title: Local area SEND inspection (Ofsted and CQC), date: 9999-12-31")
    (line,) = refused(capsys, tmp_path, text)
    assert line.endswith("events[1] (send-inspection).date: 9999-12-31 is not in the years 1900-2199")


# --- what the parser refuses: nesting, aliases, keys, numbers, characters ------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000, "nested more than 32 levels"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested more than 32 levels"),
        ("shallow-but-deep.json", "[" * 500 + "]" * 500, "nested more than 32 levels"),
        ("recursive.yaml", "id: x\nitems: &a [*a]\n", "refers to the entry it is inside"),
        ("complex-key.yaml", "? [a, b]\n: 1\n", "a key must be a plain word"),
        ("surrogate.yaml", 'id: x\ntitle: "T\\ud800"\n', "title: 'T\\ud800' holds half a character"),
        ("surrogate.json", '{"id": "x", "title": "T\\ud800"}', "title: 'T\\ud800' holds half a"),
        ("digits.json", '{"id": ' + "9" * 5000 + "}", "a number has more than 4,300 digits"),
    ],
)
def test_unreadable_structure_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str, message: str
) -> None:
    (line,) = refused(capsys, tmp_path, text, name)
    assert message in line


def test_an_explicit_base_60_integer_is_no_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`!!int "59:59:..."` is YAML 1.1's base-60 form, which PyYAML reads in quadratic time: a
    4.8 MB one ran for minutes. It is read as text, and the model refuses it."""
    text = edited("    minutes: 150\n", '    minutes: !!int "' + ":".join(["59"] * 200_000) + '"\n')
    (line,) = refused(capsys, tmp_path, text)
    assert line.startswith(":134: bodies[0] (select).minutes: input should be a valid integer")


def test_yaml_alias_bomb_is_refused_without_expanding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """479 bytes of nested aliases stood for billions of entries and killed the service."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    (line,) = refused(capsys, tmp_path, "\n".join(lines) + "\n")
    assert "aliases (*name) expand to over 10,000 entries" in line


def test_a_few_aliases_are_still_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = edited('start: "19:00"           # l.44', 'start: &evening "19:00"  # l.44')
    text = text.replace('    start: "19:00"\n', "    start: *evening\n", 1)
    assert "*evening" in text
    file = tmp_path / "aliases.yaml"
    file.write_text(text)
    assert main(["validate", str(file)]) == 0, capsys.readouterr().err


def test_a_huge_integer_is_located_and_cut_short(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = edited("    minutes: 150\n", "    minutes: " + "9" * 5000 + "\n")
    (line,) = refused(capsys, tmp_path, text)
    assert line.startswith(":134: bodies[0] (select).minutes: ")
    assert "characters)" in line and len(line) < 300


def test_json_duplicate_keys_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A second key silently won: it could un-exempt an item or make an informal body public."""
    data = yaml.safe_load(TEXT)
    text = json.dumps(data, default=str).replace(
        '"kind": "other"', '"kind": "other", "informal": true, "informal": false', 1
    )
    assert '"informal": false' in text
    (line,) = refused(capsys, tmp_path, text, "bad.json")
    assert line.endswith(": bodies[2] (schools-forum): duplicate key 'informal'")


def test_a_file_over_five_mib_is_refused_unread(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (line,) = refused(capsys, tmp_path, TEXT + "#" * (5 * 2**20))
    assert line == ": the file is over 5 MiB"


def test_terminal_escapes_are_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = edited("  - id: bennett   ", '  - id: "bennett\\e]0;owned\\a"   ')
    lines = refused(capsys, tmp_path, text)
    assert any("bennett\\x1b]0;owned\\x07" in line for line in lines)
    assert not any("\x1b" in line or "\x07" in line for line in lines)


def test_an_email_with_a_line_break_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A CR/LF in an address broke every calendar feed it was written into."""
    text = edited("email: philippa.gibbs@bromley.gov.uk",
                  'email: "philippa.gibbs@bromley.gov.uk\\r\\nATTENDEE:x"')
    (line,) = refused(capsys, tmp_path, text)
    assert line.startswith(":78: people[14] (gibbs).email: 'philippa.gibbs@bromley.gov.uk\\r\\nATTENDEE:x'")


def test_a_person_cannot_be_called_clerk(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A person with the id `clerk` was given the clerk's feed of every deadline."""
    text = edited("  - id: bennett   ", "  - id: clerk   ").replace("bennett", "clerk")
    assert refused(capsys, tmp_path, text) == [
        ":31: people[0] (clerk).id: 'clerk' is kept for the clerk's calendar of every "
        "deadline: give this person another id"
    ]


# --- numbers that passed validate and crashed a later verb ---------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("    minutes: 150\n", "    minutes: 100000\n", "bodies[0] (select).minutes"),
        ("    release_days: 60         # assumption, see above",
         "    release_days: 771", "items[35] (capital-programme).release_days"),
        ("rotation: {dce: 2,", "rotation: {dce: 100000,", "items[9] (director-scrutiny).rotation.dce"),
        ("    per_meeting: 1", "    per_meeting: 1000", "items[9] (director-scrutiny).per_meeting"),
        ("    limits: {substantive: 1", "    limits: {substantive: 100000", "bodies[0] (select).limits.substantive"),
    ],
)
def test_numbers_are_bounded_where_the_model_takes_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str, where: str
) -> None:
    (line,) = refused(capsys, tmp_path, edited(old, new))
    assert f": {where}: input should be less than or equal to " in line


@pytest.mark.parametrize(
    "item",
    [
        {"id": "x", "minutes": 1441},
        {"id": "x", "times": 367},
        {"id": "x", "after": {"item": "y", "gap_days": 733}},
        {"id": "x", "decision": {"event": "e", "lead_days": 733}},
        {"id": "x", "every": "quarter", "release_days": 733},
    ],
)
def test_item_numbers_past_their_bound_are_refused(item: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="less than or equal to"):
        programme(item, {"id": "y"}, events=[{"id": "e", "title": "E", "date": "2018-01-01"}])


def test_every_number_at_its_bound_still_gives_deadlines_and_an_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The bounds are where the later verbs still work (a huge number passed validate and
    crashed deadlines and solve): at every bound, deadlines are printed and solve answers."""
    data = yaml.safe_load(TEXT)
    data["deadlines"] = {"agenda_clear_days": 60, "reports_due_working_days": 60,
                         "questions_working_days": 60, "preparation_minutes": 1440}
    data["bodies"][0]["minutes"] = 1440
    data["bodies"][0]["limits"] = {"substantive": 100, "short": 100}
    items = {item["id"]: item for item in data["items"]}
    items["capital-programme"]["release_days"] = 732
    items["director-scrutiny"]["rotation"] = {"dce": 366, "doe": 366, "dcsc": 366}
    items["director-scrutiny"]["per_meeting"] = 10
    items["landscape-witnesses"]["times"] = 366
    items["camhs"]["minutes"] = 1440
    file = tmp_path / "bounds.yaml"
    file.write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["deadlines", str(file)]) == 0
    assert "Wed 28 Jun 2017" in capsys.readouterr().out
    plan = tmp_path / "plan.json"
    code = main(["solve", str(file), "-o", str(plan), "--time-limit", "5"])
    err = capsys.readouterr().err
    assert code == 1 and plan.exists()  # the best plan: the rotation cannot be filled
    assert "has 4 meetings left for 1098 sessions of Scrutiny of a Chief Officer" in err


# --- the solver and the checker agree where they used to differ ----------------------------


def test_expand_and_check_enumerate_the_same_periods_for_a_long_release() -> None:
    """release_days of 771 made expand and check enumerate different periods (the CLI refused
    its own plan as a solver bug): with the bound, the earliest financial years are looked at
    by both. A July financial year lets 700 days reach back three years."""
    item = {"id": "x", "every": "quarter", "release_days": 700}
    p = programme(item, financial_year_start="07-01")
    expanded = {label: release for label, _, _, release in expanded_periods(p, p.items[0])}
    assert expanded == checked_periods(p, p.items[0])
    assert "2014/15 Q4" in expanded


def test_a_meeting_across_the_clock_change_ends_by_time_passed() -> None:
    """check added the minutes on the wall clock while expand did it in UTC: a 90-minute
    meeting from 01:00 on the night the clocks go back ends at 01:30, not 02:30, and an officer
    can go on to a meeting at 02:00."""
    p = _clock_change_night()
    plan = solve(p, SolveOptions(time_limit=5))
    placed = {e.item for m in plan.meetings for e in m.agenda}
    assert {"one", "two"} <= placed
    assert {m.id: f"{m.end:%H:%M}" for m in plan.meetings} == {"main-2017-10-29": "01:30", "side-2017-10-29": "03:00"}
    assert check(p, plan) == []


def _clock_change_night() -> Programme:
    """Two meetings on the night the clocks go back; the first ends at the second 01:30."""
    return programme(
        {"id": "one", "presenters": ["a"], "meeting": "main-2017-10-29"},
        {"id": "two", "body": "side", "presenters": ["a"], "meeting": "side-2017-10-29"},
        bodies=[
            {"id": "main", "name": "Main", "minutes": 90,
             "meetings": [{"date": "2017-10-29", "start": "01:00"}]},
            {"id": "side", "name": "Side", "minutes": 60,
             "meetings": [{"date": "2017-10-29", "start": "02:00"}]},
        ],
    )


def test_a_plan_read_back_from_its_file_gives_the_same_feeds() -> None:
    """The plan holds times as its JSON writes them: an end at the hour the clocks repeat is
    the same time solved here as read back from the file, and so are the feeds' bytes."""
    p = _clock_change_night()
    plan = solve(p, SolveOptions(time_limit=5))
    again = Plan.model_validate_json(plan.to_json())
    assert again == plan
    assert feeds(p, again) == feeds(p, plan)


# --- exempt items: named in any letter case or spacing -------------------------------------


@pytest.mark.parametrize(
    "meeting_id",
    ["callin-housing-contract", "housing-repairs-contract-award-commercially-sensitive"],
)
def test_a_meeting_id_naming_an_exempt_item_is_refused(meeting_id: str) -> None:
    """Meeting ids are public (feed UIDs, page addresses): one naming an exempt item by its id
    or its title was published."""
    text = (Path(__file__).parent / "data" / "feeds.yaml").read_text()
    bad = text.replace("overview-2018-02-07-callin", meeting_id)
    assert bad != text
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(bad, "town.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"town.yaml:33: bodies[0] (overview).meetings[4] ({meeting_id}).id: the id '{meeting_id}' "
        "names the exempt item at items[2], and ids are public (calendar addresses): choose one "
        "that does not"
    ]  # the message names the item by its place, never by its title: it is no less secret


def test_many_exempt_items_and_meeting_ids_validate_in_linear_time() -> None:
    """Every exempt name was searched in every id, folding the id each time: 1,000 exempt items
    and 3,000 meeting ids took 15 s. One pattern for all names, each id folded once."""
    meetings = [{"id": f"main-sitting-{n}", "date": "2017-06-20"} for n in range(3000)]
    items = [{"id": f"secret-{n}", "title": f"Contract {n} award", "exempt": 3} for n in range(1000)]
    p = programme(*items, bodies=[{"id": "main", "name": "Main", "meetings": meetings}])
    problems = check_references(p)
    assert problems == []


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Acme Contract Monitoring {period}", "Call-in: Acme Contract Monitoring"),
        ("{fy} Acme Contract Review", "Call-in: Acme contract review"),
        ("Fostér Care Contract", "Call-in: FOSTER care contract"),
    ],
)
def test_an_exempt_name_is_found_with_placeholders_at_its_ends_and_without_accents(
    title: str, label: str
) -> None:
    p = programme({"id": "zzq", "title": title, "exempt": 3, "kind": "substantive"})
    assert Secrets(p).named_in(label)
    assert not Secrets(p).named_in("Call-in: Acme Parking Review")


def test_a_special_label_naming_an_exempt_item_in_other_letters_is_withheld() -> None:
    """exempt.py matched titles exactly: a label with the title in capitals or with extra
    spaces was published on the public page, documents and feeds."""
    text = town_with_secrets().replace(
        "Call-in: Housing Repairs Contract Award (commercially sensitive)",
        "Call-in:  HOUSING repairs   contract-award (Commercially Sensitive)",
    )
    p = parse_programme(text, "town.yaml")
    plan = solve(p, SolveOptions(time_limit=5))
    public = [markdown(p, plan, "public"), html(p, plan, "public")]
    public += [data.decode() for name, data in feeds(p, plan).items() if name.startswith("public/")]
    assert all("HOUSING repairs" not in shown for shown in public)
    assert all("Housing Repairs" not in shown for shown in public)
    assert "HOUSING repairs" in markdown(p, plan, "clerk")


def test_check_shows_a_hand_made_plans_escapes_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = json.loads((BROMLEY.parent / "bromley-ecf-2017-18.appendix1.plan.json").read_text())
    plan["meetings"][0]["id"] = "select-\x1b[2J"
    file = tmp_path / "hand.plan.json"
    file.write_text(json.dumps(plan))
    assert main(["check", str(BROMLEY), str(file)]) == 1
    out = capsys.readouterr().out
    assert "the programme has no meeting select-\\x1b[2J" in out and "\x1b" not in out


def test_a_meeting_at_a_time_the_clocks_skip_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """01:30 on 25 March 2018 never shows on a clock in London; calendar programs read it an
    hour apart (the feeds' property test found it)."""
    text = edited("      - 2018-02-27           # l.131", '      - {date: 2018-03-25, start: "01:30"}  # l.131')
    assert refused(capsys, tmp_path, text) == [
        ":143: bodies[0] (select).meetings[3] (2018-03-25): 01:30 on Sunday 25 March 2018 does "
        "not exist in Europe/London: the clocks go forward over it; start the meeting earlier or later"
    ]


def test_meetings_that_overlap_in_the_repeated_hour_are_seen_to_overlap() -> None:
    """On the night the clocks go back, 00:30 for 90 minutes ends at 01:00 the second time; a
    meeting at 01:30 the first time is inside it. Times of one zone were compared by the clock
    (01:30 after 01:00), by the solver and the checker alike."""

    def night(side_start: str) -> Programme:
        return programme(
            {"id": "one", "presenters": ["a"], "meeting": "main-2017-10-29"},
            {"id": "two", "body": "side", "presenters": ["a"], "meeting": "side-2017-10-29"},
            bodies=[
                {"id": "main", "name": "Main", "minutes": 90,
                 "meetings": [{"date": "2017-10-29", "start": "00:30"}]},
                {"id": "side", "name": "Side", "minutes": 30,
                 "meetings": [{"date": "2017-10-29", "start": side_start}]},
            ],
        )

    p = night("01:30")
    plan = solve(p, SolveOptions(time_limit=5))
    assert len([e for m in plan.meetings for e in m.agenda]) == 1  # the solver: one of the two
    assert check(p, plan) == []
    apart = solve(night("03:00"), SolveOptions(time_limit=5))  # both placed, then the clock
    both = plan.model_copy(deep=True)                          # shows their real times
    for meeting in both.meetings:
        source = next(m for m in apart.meetings if m.id == meeting.id)
        meeting.agenda, meeting.minutes_used = source.agenda, source.minutes_used
    both.unplaced = []
    assert [b.rule for b in check(p, both)] == ["R8"]
