"""Damage to the text's structure and characters: nesting, aliases, keys, escapes, e-mails, YAML's
own features."""

from __future__ import annotations

from collections.abc import Iterator

from tests.bad_inputs.base import (
    AFTER_EVENT,
    BPM_MEMBERS,
    DOE,
    EMAIL,
    FY,
    GIBBS,
    J_CAMHS,
    J_EMAIL,
    J_GIBBS,
    J_ID,
    J_MEMBERS,
    J_TITLE,
    JSON,
    LIMITS,
    ROTATION,
    SACRE,
    SCRUTINY_MINUTES,
    SHORT,
    TITLE,
    WITNESSES,
    YAML,
    Case,
    _after,
    _cases,
    _edit,
)
from tests.bad_inputs.dates import (
    TEXT_FIELDS,
)


def _laughs(levels: int = 10, width: int = 9, mapping: bool = False) -> str:
    """A flow collection of about 500 bytes whose last entry stands for width**levels leaves
    ("billion laughs"): each level is `width` aliases of the level before."""
    keys = "abcdefghijklmnopqrstuvwxyz"[:width]

    def level(n: int, entry: str) -> str:
        if mapping:
            return f"&l{n} {{" + ", ".join(f"{k}: {entry}" for k in keys) + "}"
        return f"&l{n} [" + ", ".join([entry] * width) + "]"

    parts = [level(0, "lol")] + [level(n, f"*l{n - 1}") for n in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


def structure() -> Iterator[Case]:
    """Deep nesting, aliases into themselves, alias bombs and keys that are not strings."""
    nesting: dict[str, str] = {}
    for depth in (100, 10_000, 100_000):
        nesting[f"yaml-flow-{depth}"] = _edit(
            YAML, (BPM_MEMBERS, f"    members: {'[' * depth}bennett{']' * depth}")
        )
        nesting[f"json-arrays-{depth}"] = _edit(
            JSON, (J_MEMBERS, f'"members": {"[" * depth}"x"{"]" * depth},')
        )
    for depth in (100, 10_000):
        nesting[f"yaml-block-sequences-{depth}"] = _edit(
            YAML, (BPM_MEMBERS, f"    members:\n      {'- ' * depth}bennett")
        )
        objects = '{"a": ' * depth + "1" + "}" * depth
        nesting[f"json-objects-{depth}"] = _edit(JSON, (J_MEMBERS, f'"members": {objects},'))
    nesting["yaml-block-mappings-100"] = _edit(
        YAML,
        (
            BPM_MEMBERS,
            "    members:\n"
            + "".join(f"{'  ' * (3 + n)}a:\n" for n in range(100))
            + "  " * 103
            + "x: 1",
        ),
    )
    nesting["yaml-flow-mappings-10000"] = _edit(
        YAML, (BPM_MEMBERS, f"    members: {'{a: ' * 10_000}1{'}' * 10_000}")
    )
    yield from _cases(
        "deep-nesting", "yaml", {k: v for k, v in nesting.items() if k.startswith("yaml")}
    )
    yield from _cases(
        "deep-nesting", "json", {k: v for k, v in nesting.items() if k.startswith("json")}
    )

    yield from _cases(
        "recursive-alias",
        "yaml",
        {
            "sequence-in-itself": _edit(YAML, (BPM_MEMBERS, "    members: &m [*m]")),
            "sequence-two-deep": _edit(
                YAML, (BPM_MEMBERS, "    members: &m [bennett, [collins, *m]]")
            ),
            "mapping-in-itself": _edit(YAML, ("deadlines:\n", "deadlines: &d\n  again: *d\n")),
            "whole-file-in-itself": "--- &root\n" + YAML + "again: *root\n",
            "key-in-itself": YAML + "? &k [*k]\n: 1\n",
            "after-in-itself": _edit(
                YAML,
                (AFTER_EVENT, "after: &a {event: send-strategy-published, gap_days: 0, again: *a}"),
            ),
        },
    )
    bombs = {
        "members-sequences": _edit(YAML, (BPM_MEMBERS, f"    members: {_laughs()}")),
        "members-mappings": _edit(YAML, (BPM_MEMBERS, f"    members: {_laughs(mapping=True)}")),
        "unknown-key": YAML + f"laughs: {_laughs()}\n",
        "title-from-elsewhere": _edit(YAML + f"laughs: {_laughs()}\n", (TITLE, "title: *l9")),
        "witnesses": _edit(YAML, (WITNESSES, f"witnesses: {_laughs(levels=9, width=10)}")),
        "wide-and-shallow": _edit(
            YAML,
            (
                BPM_MEMBERS,
                "    members: [&w ["
                + ", ".join(["x"] * 1000)
                + "], ["
                + ", ".join(["*w"] * 1000)
                + "]]",
            ),
        ),
        "unavailable-ranges": _after(YAML, DOE, f"    unavailable: {_laughs(levels=8)}\n"),
    }
    yield from _cases("alias-bomb", "yaml", bombs)
    select_members = (
        "    members: [bennett, reddin, botting, collins, cooke, dykes, harmer, pierce, wilkins,"
    )
    yield Case(
        "yaml-alias-ordinary.members-shared.yaml",
        _edit(
            YAML,
            (select_members, select_members.replace("members: [", "members: &select-members [")),
            (BPM_MEMBERS, "    members: *select-members"),
        ),
        "yaml-alias-ordinary",
        refused=False,
    )
    yield Case(
        "yaml-alias-ordinary.limits-shared.yaml",
        _edit(
            YAML,
            (LIMITS, "limits: &limits {substantive: 1, short: 2}"),
            ("    minutes: 120\n", "    minutes: 120\n    limits: *limits\n"),
        ),
        "yaml-alias-ordinary",
        refused=False,
    )

    yield from _cases(
        "complex-key",
        "yaml",
        {
            "top-sequence-key": YAML + "? [a, b]\n: 1\n",
            "top-mapping-key": YAML + "? {x: 1}\n: 1\n",
            "limits-sequence-key": _edit(
                YAML, (LIMITS, "limits: {substantive: 1, short: 2, [a, b]: 1}")
            ),
            "rotation-mapping-key": _edit(
                YAML, (ROTATION, "rotation: {dce: 2, doe: 1, {x: 1}: 1}")
            ),
            "date-key": YAML + "2017-06-28: meeting\n",
            "integer-key": YAML + "1: one\n",
            "null-key": YAML + "~: nothing\n",
            "multi-line-key": YAML + "? |\n  first line\n  second line\n: x\n",
            "escaped-newline-key": YAML + '"colour\\nsecond line": red\n',
            "merge-key": _after(YAML, GIBBS, "    <<: {role: Clerk}\n"),
        },
    )




def characters() -> Iterator[Case]:
    """Lone surrogates, NUL and other control characters, and terminal escape sequences in
    words, ids, references and keys, in YAML escapes, JSON escapes and raw bytes."""
    lone = {
        field: TEXT_FIELDS[field]("Bromley \\ud800 ECF")
        for field in (
            "title",
            "person-name",
            "special",
            "person-id",
            "witness-reference",
            "unknown-key",
            "timezone",
        )
    }
    lone |= {
        "json-title-high": _edit(JSON, (J_TITLE, '"title": "Work Programme \\ud83d"')),
        "json-title-low": _edit(JSON, (J_TITLE, '"title": "Work Programme \\udfff"')),
        "json-person-name": _edit(JSON, (J_GIBBS, '"name": "Philippa \\udc80 Gibbs",')),
        "json-key": _edit(JSON, (J_ID, J_ID + '\n  "colour\\ud800": "red",')),
        "json-id": _edit(JSON, (J_ID, '"id": "bromley-\\ud800",')),
    }
    yield from _cases(
        "lone-surrogate", "yaml", {k: v for k, v in lone.items() if not k.startswith("json")}
    )
    yield from _cases(
        "lone-surrogate", "json", {k: v for k, v in lone.items() if k.startswith("json")}
    )

    control = {
        "title-nul": TEXT_FIELDS["title"]("Work\\0Programme"),
        "title-backspaces": TEXT_FIELDS["title"]("Work Programme\\b\\b\\b\\b\\b\\b\\b\\bHacked"),
        "title-carriage-return": TEXT_FIELDS["title"]("Work Programme\\rHacked"),
        "title-newline": TEXT_FIELDS["title"]("Work Programme\\nsecond line"),
        "title-c1-csi": TEXT_FIELDS["title"]("Work\\x9b31mProgramme"),
        "title-next-line": TEXT_FIELDS["title"]("Work\\NProgramme"),
        "person-id-nul": TEXT_FIELDS["person-id"]("christie\\0"),
        "item-id-newline": TEXT_FIELDS["item-id"]("camhs\\nsecond-line"),
        "witness-reference-nul": TEXT_FIELDS["witness-reference"]("dce\\0"),
        "unknown-key-nul": TEXT_FIELDS["unknown-key"]("colour\\0"),
        "raw-nul-byte": _edit(YAML, (TITLE, "title: Work\0Programme")),
        "raw-escape-byte": _edit(YAML, (TITLE, "title: Work\x1b[31mProgramme")),
        "raw-escape-in-comment": _edit(
            YAML, ("# Reference programme", "# \x1b]0;owned\x07Reference programme")
        ),
    }
    yield from _cases("control-character", "yaml", control)
    yield from _cases(
        "control-character",
        "yaml",
        {  # not control characters, yet they move text
            "title-line-separator": TEXT_FIELDS["title"]("Work\\LProgramme"),
            "title-right-to-left-override": TEXT_FIELDS["title"]("Work \\u202eemmargorP"),
        },
        refused=False,
    )
    yield from _cases(
        "control-character",
        "json",
        {
            "title-nul": _edit(JSON, (J_TITLE, '"title": "Work\\u0000Programme"')),
            "id-nul": _edit(JSON, (J_CAMHS, '"id": "camhs\\u0000",')),
            "key-newline": _edit(JSON, (J_ID, J_ID + '\n  "colour\\nsecond line": "red",')),
            "raw-tab-in-string": _edit(JSON, (J_TITLE, '"title": "Work\tProgramme"')),
        },
    )

    escapes = {
        "sgr": "\\e[31mRED\\e[0m",
        "osc-title": "\\e]0;owned\\a",
        "clear-screen": "\\e[2J\\e[H",
    }
    terminal = {}
    for field in (
        "title",
        "person-name",
        "venue",
        "special",
        "person-id",
        "meeting-id",
        "witness-reference",
        "item-body-reference",
        "unknown-key",
        "timezone",
    ):
        for label, sequence in escapes.items():
            if label == "sgr" or field in ("title", "person-id"):
                terminal[f"{field}.{label}"] = TEXT_FIELDS[field](f"x{sequence}x")
    yield from _cases("terminal-escape", "yaml", terminal)
    yield from _cases(
        "terminal-escape",
        "json",
        {
            "title.sgr": _edit(JSON, (J_TITLE, '"title": "\\u001b[31mWork Programme\\u001b[0m"')),
            "id.osc-title": _edit(JSON, (J_CAMHS, '"id": "camhs\\u001b]0;owned\\u0007",')),
            "person-name.sgr": _edit(JSON, (J_GIBBS, '"name": "\\u001b[31mPhilippa Gibbs",')),
        },
    )


def emails() -> Iterator[Case]:
    """E-mail addresses that would break a calendar's ORGANIZER line or a mail header."""
    address = "philippa.gibbs@bromley.gov.uk"
    yield from _cases(
        "email-control",
        "yaml",
        {
            label: _edit(YAML, (EMAIL, f'    email: "{value}"'))
            for label, value in {
                "crlf-bcc": f"{address}\\r\\nBcc: everyone@example.com",
                "lf": f"{address}\\nX-Injected: 1",
                "nul": f"{address}\\0",
                "escape": f"\\e[31m{address}",
                "ics-property": f"{address}\\r\\nATTENDEE:mailto:evil@example.com",
            }.items()
        },
    )
    yield from _cases(
        "email-control",
        "json",
        {
            "crlf": _edit(JSON, (J_EMAIL, f'"email": "{address}\\r\\nBcc: everyone@example.com"')),
            "nul": _edit(JSON, (J_EMAIL, f'"email": "{address}\\u0000"')),
        },
    )
    yield from _cases(
        "email-odd",
        "yaml",
        {
            "not-an-address": _edit(YAML, (EMAIL, "    email: not an address")),
            "number": _edit(YAML, (EMAIL, "    email: 42")),
            "list": _edit(YAML, (EMAIL, f"    email: [{address}, {address}]")),
        },
        refused=False,
    )




def yaml_features() -> Iterator[Case]:
    """Tags, directives, broken syntax and YAML 1.1's surprises."""
    yield from _cases(
        "yaml-tag",
        "yaml",
        {
            "python-object": YAML + 'x: !!python/object/apply:os.system ["echo owned"]\n',
            "python-name": _edit(YAML, (TITLE, "title: !!python/name:os.system")),
            "unknown-local-tag": _edit(YAML, (TITLE, "title: !secret Work Programme")),
            "set-members": _edit(YAML, (BPM_MEMBERS, "    members: !!set {bennett, collins}")),
            "pairs-limits": _edit(
                YAML, (LIMITS, "limits: !!pairs [substantive: 1, substantive: 2]")
            ),
            "timestamp-meeting": _edit(YAML, (SHORT, "      - !!timestamp 2017-10-17T19:00:00Z ")),
        },
    )
    yield from _cases(
        "yaml-tag",
        "yaml",
        {
            "str-tag-date": _edit(YAML, (SHORT, "      - !!str 2017-10-17 ")),
            "binary-title": _edit(YAML, (TITLE, "title: !!binary V29yayBQcm9ncmFtbWU=")),
            "map-tag-on-list": _edit(YAML, (BPM_MEMBERS, "    members: !!map [bennett]")),
            "yaml-1-3-directive": "%YAML 1.3\n---\n" + YAML,
        },
        refused=False,
    )
    yield from _cases(
        "yaml-syntax",
        "yaml",
        {
            "unclosed-bracket": _edit(YAML, (BPM_MEMBERS, BPM_MEMBERS[:-1])),
            "unclosed-quote": _edit(
                YAML, ('financial_year_start: "04-01"', 'financial_year_start: "04-01')
            ),
            "bad-indentation": _edit(YAML, (GIBBS, "      name: Philippa Gibbs\n")),
            "stray-bracket": _edit(YAML, (TITLE, TITLE + "\n]")),
            "undefined-alias": _edit(YAML, (BPM_MEMBERS, "    members: *nobody")),
            "yaml-2-0-directive": "%YAML 2.0\n---\n" + YAML,
            "document-end-midway": _edit(YAML, ("\nbodies:\n", "\n...\nbodies:\n")),
            "anchor-without-node": _edit(YAML, (TITLE, "title: &a")),
        },
    )
    yield from _cases(
        "yaml-1-1-quirk",
        "yaml",
        {
            "nation-no": _edit(YAML, ("nation: england", "nation: no")),
            "informal-yes": _after(YAML, SACRE, "    informal: yes\n"),
            "verbal-on": _edit(
                YAML, ("    verbal: true             # no written report", "    verbal: on")
            ),
            "start-unquoted": _edit(
                YAML, ('    start: "19:00"           # l.44', "    start: 19:00           # l.44")
            ),
            "financial-year-unquoted": _edit(YAML, (FY, "financial_year_start: 04-01")),
            "minutes-octal": _edit(YAML, (SCRUTINY_MINUTES, "    minutes: 017")),
            "minutes-exponent": _edit(YAML, (SCRUTINY_MINUTES, "    minutes: 2e1")),
            "id-null": _edit(YAML, ("  - id: christie ", "  - id: null ")),
        },
        refused=False,
    )
