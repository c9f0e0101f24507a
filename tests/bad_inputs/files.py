"""Damage to the file itself (empty, sizes, encodings), and the reference file unchanged."""

from __future__ import annotations

from collections.abc import Iterator

from tests.bad_inputs.base import (
    GIBBS,
    J_END,
    JSON,
    MAX_UPLOAD,
    SHORT,
    TITLE,
    YAML,
    Case,
    _cases,
    _edit,
)


def _padded(text: str, size: int, json_text: bool = False) -> str:
    """`text` made exactly `size` bytes long: comment lines (YAML) or spaces (JSON) added."""
    missing = size - len(text.encode("utf-8"))
    if json_text:
        return text[:-3] + " " * missing + text[-3:]
    line = "#" + "=" * 78 + "\n"
    lines, rest = divmod(missing, len(line))
    return text + line * lines + ("#" + "=" * (rest - 2) + "\n" if rest >= 2 else " " * rest)


def files() -> Iterator[Case]:
    """Damage to the file as a whole: empty, not a mapping, not UTF-8, odd line ends, too big."""
    yield from _cases(
        "degenerate",
        "yaml",
        {
            "empty": "",
            "whitespace": "  \n\n\t\n",
            "only-a-comment": "# a work programme, one day\n",
            "only-document-start": "---\n",
            "only-document-end": "...\n",
            "null": "null\n",
            "tilde": "~\n",
            "list-at-top": "- id: bromley-ecf-2017-18\n- title: Work Programme\n",
            "scalar-at-top": "bromley-ecf-2017-18\n",
            "number-at-top": "42\n",
            "empty-mapping": "{}\n",
            "two-documents": YAML + "---\n" + YAML,
            "whole-file-as-list": "- " + YAML.replace("\n", "\n  "),
        },
    )
    yield from _cases(
        "degenerate",
        "json",
        {
            "empty-list": "[]\n",
            "null": "null\n",
            "string": '"bromley-ecf-2017-18"\n',
            "empty-object": "{}\n",
            "the-list-at-top": "[\n" + JSON + "]\n",
            "cut-short": JSON[: len(JSON) // 2],
            "yaml-in-a-json-file": YAML,
            "trailing-comma": _edit(JSON, (J_END, ",\n}\n")),
            "comment": "// the programme\n" + JSON,
            "single-quotes": JSON.replace(
                '"id": "bromley-ecf-2017-18"', "'id': 'bromley-ecf-2017-18'"
            ),
        },
    )
    raw = YAML.encode("utf-8")
    title = TITLE.encode("utf-8")
    yield from _cases(
        "encoding",
        "yaml",
        {
            "latin-1-title": raw.replace(
                title, "title: Éducation, Enfants & Familles".encode("latin-1"), 1
            ),
            "utf-16": YAML.encode("utf-16"),
            "utf-8-surrogate-bytes": raw.replace(title, title + b" \xed\xa0\x80", 1),
            "overlong-slash": raw.replace(title, title + b" \xc0\xaf", 1),
            "cut-in-a-character": raw + b"# \xe2\x82",
            "lone-continuation-bytes": raw.replace(title, title + b" \x80\x80", 1),
        },
    )
    yield from _cases(
        "encoding",
        "json",
        {
            "latin-1-title": JSON.encode("utf-8").replace(
                b"Work Programme", "Programme de l'année".encode("latin-1"), 1
            ),
            "utf-16": JSON.encode("utf-16"),
        },
    )
    yield from _cases(
        "line-ends",
        "yaml",
        {
            "bom": "\ufeff" + YAML,
            "crlf": YAML.replace("\n", "\r\n"),
            "cr-only": YAML.replace("\n", "\r"),
            "no-final-newline": YAML.rstrip("\n"),
            "tab-after-colon": _edit(YAML, (TITLE, TITLE.replace("title: ", "title:\t"))),
        },
        refused=False,
    )
    yield from _cases(
        "line-ends",
        "json",
        {
            "bom": "\ufeff" + JSON,
            "crlf": JSON.replace("\n", "\r\n"),
            "tabs": JSON.replace("  ", "\t"),
        },
        refused=False,
    )
    yield from _cases(
        "tabs",
        "yaml",
        {
            "tab-indented-key": _edit(YAML, (GIBBS, GIBBS.replace("    ", "\t"))),
            "tab-indented-list": _edit(YAML, (SHORT, SHORT.replace("      ", "\t\t"))),
            "tab-indented-everything": YAML.replace("  ", "\t"),
        },
    )
    over = {"one-byte-over-5-mib": MAX_UPLOAD + 1}  # the service: 413; the CLI: not stated
    yield from _cases("oversized", "yaml", {k: _padded(YAML, n) for k, n in over.items()}, False)
    yield from _cases(
        "oversized", "json", {k: _padded(JSON, n, json_text=True) for k, n in over.items()}, False
    )
    yield from _cases(
        "at-size-limit",
        "json",
        {"exactly-5-mib": _padded(JSON, MAX_UPLOAD, json_text=True)},
        refused=False,
    )




def unchanged() -> Iterator[Case]:
    """The reference programme itself, as YAML and as JSON: both valid."""
    yield Case("unchanged.bromley.yaml", YAML, "unchanged", refused=False)
    yield Case("unchanged.bromley.json", JSON, "unchanged", refused=False)
