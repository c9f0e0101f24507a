"""Damage to names and references: duplicates, reserved and exempt names, and the classic
mistakes (wrong types, missing keys, dangling references)."""

from __future__ import annotations

from collections.abc import Iterator

from tests.bad_inputs.base import (
    AFTER_EVENT,
    BPM_MEMBERS,
    CAMHS,
    GIBBS,
    ITEMS,
    J_CAMHS,
    J_EMAIL,
    J_END,
    J_ID,
    J_MEMBERS,
    J_MINUTES,
    J_SACRE,
    J_SHORT,
    J_TITLE,
    JSON,
    MOVED,
    PIN,
    ROTATION,
    SACRE,
    SACRE_MEETINGS,
    SCRUTINY_MINUTES,
    SHORT,
    TITLE,
    WINDOW,
    WITNESSES,
    YAML,
    YEAR,
    Case,
    _after,
    _cases,
    _edit,
)


def _exempt_camhs_and_october(meeting: str) -> str:
    """CAMHS exempt (Part 2), and the Select Committee's October meeting written as `meeting`."""
    return _edit(_after(YAML, CAMHS, "    exempt: 3\n"), (SHORT, f"      - {meeting} "))


def duplicates_and_names() -> Iterator[Case]:
    """Keys written twice (JSON takes the last silently), ids that collide with the service's
    own words, and meeting names that repeat an exempt item's."""
    yield from _cases(
        "duplicate-key",
        "json",
        {
            "exempt-twice": _edit(
                JSON, (J_CAMHS, J_CAMHS + '\n      "exempt": 3,\n      "exempt": 3,')
            ),
            "exempt-then-null": _edit(
                JSON, (J_CAMHS, J_CAMHS + '\n      "exempt": 3,\n      "exempt": null,')
            ),
            "informal-twice": _edit(
                JSON, (J_SACRE, J_SACRE + '\n      "informal": true,\n      "informal": false,')
            ),
            "programme-id-twice": _edit(JSON, (J_ID, J_ID + '\n  "id": "another-programme",')),
            "items-twice": _edit(JSON, (J_END, ',\n  "items": []\n}\n')),
            "email-twice": _edit(
                JSON, (J_EMAIL, J_EMAIL + ',\n      "email": "someone.else@example.com"')
            ),
        },
    )
    yield from _cases(
        "duplicate-key",
        "yaml",
        {
            "exempt-twice": _after(YAML, CAMHS, "    exempt: 3\n    exempt: 3\n"),
            "exempt-quoted-and-plain": _after(YAML, CAMHS, '    exempt: 3\n    "exempt": 4\n'),
            "informal-twice": _after(YAML, SACRE, "    informal: true\n    informal: false\n"),
            "explicit-key-twice": _after(YAML, CAMHS, "    ? exempt\n    : 3\n    exempt: 3\n"),
        },
    )
    yield from _cases(
        "duplicate-id",
        "yaml",
        {
            "person": _edit(YAML, ("  - id: christie ", "  - id: gibbs ")),
            "item": _edit(YAML, ("  - id: troubled-families\n", "  - id: camhs\n")),
            "body": _edit(YAML, (SACRE, "  - id: schools-forum\n")),
            "meeting-date": _edit(YAML, (SHORT, "      - 2018-01-23 ")),
            "meeting-moved-onto-another": _edit(YAML, (SHORT, "      - 2017-06-27 ")),
            "explicit-meeting-id-clash": _edit(
                YAML, (SHORT, "      - {id: select-2018-01-23, date: 2017-10-17} ")
            ),
            "event": _edit(YAML, ("{id: send-inspection, ", "{id: send-strategy-published, ")),
        },
    )
    person = "  - id: {id}\n    name: The Clerk\n"
    yield from _cases(
        "reserved-id",
        "yaml",
        {
            "person-clerk": _after(YAML, "people:\n", person.format(id="clerk")),
            "gibbs-renamed-clerk": YAML.replace("gibbs", "clerk"),
            "person-public": _after(YAML, "people:\n", person.format(id="public")),
            "body-clerk": _edit(YAML, (SACRE, "  - id: clerk\n")),
            "item-clerk": _edit(YAML, ("  - id: troubled-families\n", "  - id: clerk\n")),
        },
        refused=False,
    )
    yield Case(
        "reserved-id.person-clerk.json",
        _edit(JSON, ('"people": [\n', '"people": [\n    {"id": "clerk", "name": "The Clerk"},\n')),
        "reserved-id",
        refused=False,
    )

    title = "Child and Adolescent Mental Health Services (CAMHS)"
    yield from _cases(
        "exempt-name",
        "yaml",
        {
            "meeting-id-is-the-item-id": _exempt_camhs_and_october("{id: camhs, date: 2017-10-17}"),
            "meeting-id-names-the-item": _exempt_camhs_and_october(
                "{id: select-camhs-review, date: 2017-10-17}"
            ),
            "meeting-id-upper-case": _exempt_camhs_and_october("{id: CAMHS, date: 2017-10-17}"),
            "meeting-id-with-spaces": _exempt_camhs_and_october(
                '{id: "  camhs  ", date: 2017-10-17}'
            ),
            "special-is-the-title": _exempt_camhs_and_october(
                f'{{date: 2017-10-17, special: "{title}"}}'
            ),
            "special-upper-case": _exempt_camhs_and_october(
                f'{{date: 2017-10-17, special: "{title.upper()}"}}'
            ),
            "special-extra-spaces": _exempt_camhs_and_october(
                f'{{date: 2017-10-17, special: "  {title.replace(" ", "   ")}  "}}'
            ),
            "special-tab-inside": _exempt_camhs_and_october(
                f'{{date: 2017-10-17, special: "Call-in:\\t{title}"}}'
            ),
            "special-names-pinned-item": _after(
                _exempt_camhs_and_october(
                    f'{{id: select-callin, date: 2017-10-17, special: "Call-in: {title.upper()}"}}'
                ),
                CAMHS,
                "    meeting: select-callin\n",
            ),
        },
        refused=False,
    )
    yield Case(
        "exempt-name.special-upper-case.json",
        _edit(
            JSON,
            (J_CAMHS, J_CAMHS + '\n      "exempt": 3,'),
            (J_SHORT, f'{{"date": "2017-10-17", "special": "{title.upper()}"}},'),
        ),
        "exempt-name",
        refused=False,
    )


CAMHS_ITEM = (
    "  - id: camhs\n    title: Child and Adolescent Mental Health Services (CAMHS)\n    body: select\n"
    "    kind: substantive\n"
)


def _camhs(*lines: str) -> str:
    """The Bromley file with `lines` added to the CAMHS item."""
    return _after(YAML, CAMHS_ITEM, "".join(f"    {line}\n" for line in lines))


def classic_damage() -> Iterator[Case]:
    """Wrong types, missing keys, unknown keys and references to nothing."""
    yield from _cases(
        "wrong-type",
        "yaml",
        {
            "minutes-words": _edit(YAML, (SCRUTINY_MINUTES, "    minutes: ninety")),
            "minutes-fraction": _edit(YAML, (SCRUTINY_MINUTES, "    minutes: 1.5")),
            "minutes-negative": _edit(YAML, (SCRUTINY_MINUTES, "    minutes: -5")),
            "members-string": _edit(YAML, (BPM_MEMBERS, "    members: bennett")),
            "meetings-mapping": _edit(YAML, (SACRE_MEETINGS, "      a: 2017-07-12\n")),
            "items-mapping": _edit(YAML, (ITEMS, "\nitems: {}\nold_items:\n")),
            "people-null": _edit(YAML, ("people:\n", "people: null\nold_people:\n")),
            "title-list": _edit(YAML, (TITLE, "title: [Work, Programme]")),
            "title-number": _edit(YAML, (TITLE, "title: 2017")),
            "meeting-date-number": _edit(YAML, (SHORT, "      - 20171017 ")),
            "meeting-date-timestamp": _edit(YAML, (SHORT, "      - 2017-10-17T19:00:00 ")),
            "meeting-list": _edit(YAML, (SHORT, "      - [2017-10-17] ")),
            "start-integer": _edit(
                YAML, ('    start: "19:00"           # l.44', "    start: 1900           # l.44")
            ),
            "start-24-00": _edit(
                YAML, ('    start: "19:00"           # l.44', '    start: "24:00"           # l.44')
            ),
            "start-unquoted-seconds": _edit(
                YAML,
                ('    start: "19:00"           # l.44', "    start: 19:00:00           # l.44"),
            ),
            "kind-unknown": _edit(YAML, ("    kind: sub-committee", "    kind: panel")),
            "priority-unknown": _camhs("priority: urgent"),
            "exempt-8": _camhs("exempt: 8"),
            "nation-unknown": _edit(YAML, ("nation: england", "nation: france")),
            "timezone-unknown": _edit(
                YAML, ("timezone: Europe/London", "timezone: Mars/Olympus_Mons")
            ),
            "timezone-path": _edit(
                YAML, ("timezone: Europe/London", "timezone: ../../../../etc/passwd")
            ),
            "id-not-a-slug": _edit(YAML, ("id: bromley-ecf-2017-18", "id: Bromley ECF 2017/18")),
            "year-reversed": _edit(YAML, (YEAR, "year: 2018-05-15..2017-05-10")),
            "year-twice-two-dots": _edit(YAML, (YEAR, "year: 2017-05-10..2017-09-01..2018-05-15")),
            "after-numbers": _camhs("after: [1, 2]"),
            "after-both-targets": _camhs("after: {item: yos, event: send-inspection}"),
            "rotation-list": _edit(YAML, (ROTATION, "rotation: [dce, doe, dcsc]")),
            "window-list": _edit(YAML, (WINDOW, "    window: [2017-06-01, 2017-06-30]")),
            "witnesses-string": _edit(YAML, (WITNESSES, "witnesses: gamble")),
        },
    )
    yield from _cases(
        "wrong-type",
        "json",
        {
            "members-object": _edit(JSON, (J_MEMBERS, '"members": {"a": 1},')),
            "title-null": _edit(JSON, (J_TITLE, '"title": null')),
            "meeting-date-number": _edit(JSON, (J_SHORT, "20171017,")),
        },
    )
    yield from _cases(
        "missing-key",
        "yaml",
        {
            "programme-id": _edit(YAML, ("id: bromley-ecf-2017-18\n", "")),
            "title": _edit(YAML, (TITLE, "")),
            "year": _edit(YAML, (YEAR + "\n", "")),
            "person-name": _edit(YAML, (GIBBS, "")),
            "item-body": _edit(YAML, (CAMHS_ITEM, CAMHS_ITEM.replace("    body: select\n", ""))),
            "item-kind": _edit(
                YAML, (CAMHS_ITEM, CAMHS_ITEM.replace("    kind: substantive\n", ""))
            ),
            "item-id": _edit(YAML, (CAMHS + "    title:", "  - title:")),
            "meeting-date": _edit(YAML, (MOVED, "{moved_from: 2017-06-27}")),
        },
    )
    yield from _cases(
        "missing-key",
        "json",
        {
            "programme-id": _edit(JSON, (J_ID + "\n", "")),
            "title": _edit(JSON, (J_TITLE + ",\n", "")),
        },
    )
    yield from _cases(
        "unknown-key",
        "yaml",
        {
            "top-level": YAML + "colour: red\n",
            "body-typo": _edit(YAML, ("    chair: bennett ", "    chairman: bennett ")),
            "item": _camhs("window_end: 2018-03-31"),
            "meeting": _edit(YAML, (SHORT, '      - {date: 2017-10-17, time: "18:30"} ')),
            "after": _edit(YAML, (AFTER_EVENT, "after: {event: send-strategy-published, gap: 3}")),
            "cyrillic-i-in-key": _edit(YAML, (TITLE, TITLE.replace("title", "t\u0456tle"))),
            "key-with-trailing-space": _edit(YAML, (TITLE, TITLE.replace("title:", '"title ":'))),
        },
    )
    yield from _cases(
        "unknown-key", "json", {"top-level": _edit(JSON, (J_ID, J_ID + '\n  "colour": "red",'))}
    )
    yield from _cases(
        "dangling-reference",
        "yaml",
        {
            "witness": _edit(YAML, (WITNESSES, "witnesses: [gamble, nobody-here]")),
            "presenter": _edit(
                YAML, ("presenters: [doe]        # l.2268", "presenters: [nobody]     # l.2268")
            ),
            "item-body": _edit(
                YAML, (CAMHS_ITEM, CAMHS_ITEM.replace("body: select", "body: no-such-body"))
            ),
            "parent": _edit(YAML, ("    parent: select", "    parent: nowhere")),
            "clerk": _edit(YAML, ("    clerk: gibbs ", "    clerk: nobody ")),
            "pin-unknown-meeting": _edit(
                YAML, (PIN, "    meeting: select-2099-01-01   # the first")
            ),
            "pin-other-bodys-meeting": _edit(
                YAML, (PIN, "    meeting: bpm-2017-07-18   # the first")
            ),
            "after-item": _camhs("after: {item: no-such-item}"),
            "after-event": _edit(YAML, (AFTER_EVENT, "after: {event: no-such-event}")),
            "decision-event": _camhs("decision: {event: no-such-event, lead_days: 7}"),
            "with": _edit(
                YAML, ("    with: childrens-services-landscape", "    with: no-such-item")
            ),
            "rotation-person": _edit(YAML, (ROTATION, "rotation: {dce: 2, nobody: 1, dcsc: 1}")),
        },
    )
    yield from _cases(
        "reference-cycle",
        "yaml",
        {
            "with-itself": _edit(
                YAML, ("    with: childrens-services-landscape", "    with: landscape-witnesses")
            ),
            "after-itself": _camhs("after: {item: camhs}"),
            "parent-itself": _edit(YAML, ("    parent: select", "    parent: bpm")),
            "after-cycle": _after(
                _camhs("after: {item: troubled-families}"),
                "  - id: troubled-families\n",
                "    after: {item: camhs}\n",
            ),
            "with-cycle": _after(
                _camhs("with: troubled-families"),
                "  - id: troubled-families\n",
                "    with: camhs\n",
            ),
            "parent-cycle": _after(YAML, "    kind: committee\n", "    parent: bpm\n"),
            "follows-itself": _edit(YAML, ("    follows: bpm", "    follows: select")),
        },
        refused=False,
    )
    yield from _cases(
        "lenient-or-refused",
        "yaml",
        {
            "minutes-boolean": _edit(YAML, (SCRUTINY_MINUTES, "    minutes: true")),
            "design-4-6-key-suggested": _camhs("suggested: true"),
            "design-4-6-month-date": _edit(
                YAML, (SHORT, "      - {id: select-2017-10, date: 2017-10, status: tentative} ")
            ),
            "exempt-as-text": _camhs('exempt: "3"'),
            "minutes-as-text": _edit(YAML, (SCRUTINY_MINUTES, '    minutes: "20"')),
            "person-and-body-share-an-id": _edit(YAML, (SACRE, "  - id: christie\n")),
            "pin-cancelled-meeting": _edit(
                YAML,
                (SHORT, "      - {date: 2017-10-17, status: cancelled} "),
                (PIN, "    meeting: select-2017-10-17   # the first"),
            ),
        },
        refused=False,
    )
    yield from _cases(
        "lenient-or-refused",
        "json",
        {"minutes-as-text": _edit(JSON, (J_MINUTES, '"minutes": "150",'))},
        refused=False,
    )
