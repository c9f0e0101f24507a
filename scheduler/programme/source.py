"""Reading YAML or JSON input files while keeping where each value came from.

Validation errors must name the file, the path inside it and the entry (DESIGN §4). This module
reads the raw data, remembers the line of every node, and renders a path such as
``('items', 7, 'witnesses', 0)`` as ``items[7] (camhs).witnesses[0]``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import Problem, printable, shown

PathKey = tuple[str | int, ...]

#: The largest programme file read: a whole council's programme is about 0.5 MiB.
MAX_BYTES = 5 * 2**20
#: The largest plan file read: a whole council's plan is a few MiB.
MAX_PLAN_BYTES = 32 * 2**20
#: The deepest nesting a file may have: a programme goes six levels deep.
MAX_DEPTH = 32
#: The most entries YAML aliases (*name) may stand for, in all.
MAX_ALIASED = 10_000

# YAML 1.1 reads an unquoted 19:00 as the base-60 integer 1140; programmes are full of times,
# so this loader knows only decimal, octal and hex integers.
_INT_PATTERN = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*|0o?[0-7_]+|0x[0-9a-fA-F_]+)$")


class Loader(yaml.SafeLoader):
    """Safe loader that knows only decimal, octal and hex integers and refuses nesting deeper
    than `MAX_DEPTH` while composing (PyYAML composes by recursion)."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        depth = getattr(self, "_depth", 0)
        if depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=_TOO_DEEP, problem_mark=self.peek_event().start_mark)
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT_PATTERN, list("-+0123456789"))


def _construct_int(loader: Loader, node: yaml.ScalarNode) -> int:
    """An integer as the resolver above reads them, also under an explicit `!!int`: YAML 1.1's
    base-60 form ("59:59:...") takes time quadratic in its length, so it is no integer here
    (its text goes on to the model, which says what is wrong)."""
    text = str(loader.construct_scalar(node))
    if not _INT_PATTERN.match(text) or len(text) > 100:
        raise ValueError(f"{text[:20]!r} is not a whole number")
    return int(yaml.SafeLoader.construct_yaml_int(loader, node))


Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class TrustedLoader(getattr(yaml, "CSafeLoader", Loader)):  # type: ignore[misc]
    """`Loader`'s reading, composed by libyaml (five times faster on a council's file), for text
    this service has read with `Loader` already (a stored version, and its edits by
    `programme.edits`, which add values of a few levels): libyaml composes by recursion in C,
    which `Loader`'s depth limit keeps from ever meeting a file nested too deep for it."""


TrustedLoader.yaml_implicit_resolvers = Loader.yaml_implicit_resolvers
TrustedLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


@dataclass
class Source:
    """Raw data of one input file with the line of each path.

    Attributes:
        file: the name to show in messages.
        data: the parsed value (dicts keep file order).
        lines: 1-based line of each path that YAML gave (empty for JSON).
    """

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        """A problem at `path`, located and ordered by its place in the file."""
        key = tuple(path)
        return Problem(
            file=self.file,
            order=(self._line(key), *self._positions(key)),
            location=self.render(key),
            message=message,
            line=self._line(key) or None,
        )

    def render(self, path: PathKey) -> str:
        """``('items', 7, 'witnesses', 0)`` -> ``items[7] (camhs).witnesses[0]``."""
        out = ""
        node: Any = self.data
        for step in path:
            if isinstance(step, int):
                if not isinstance(node, list):
                    continue  # a single entry written where a list may stand (after: {...})
                out += f"[{step}]"
                node = node[step] if isinstance(node, list) and step < len(node) else None
                label = _label(node)
                if label:
                    out += f" ({label})"
            else:
                out += f".{step}" if out else step
                node = node.get(step) if isinstance(node, dict) else None
        return out

    def _line(self, path: PathKey) -> int:
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]]
        return 0

    def _positions(self, path: PathKey) -> tuple[int, ...]:
        """Position of each step among its siblings: file order when lines are unknown."""
        out: list[int] = []
        node: Any = self.data
        for step in path:
            if isinstance(node, dict):
                keys = list(node)
                out.append(keys.index(step) if step in node else len(keys))
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int):
                out.append(step)
                node = node[step] if step < len(node) else None
            else:
                out.append(0)
                node = None
        return tuple(out)


def _label(node: Any) -> str | None:
    """What names a list entry in messages: its id, else its date (meetings)."""
    if isinstance(node, dict):
        value = node.get("id")
        if value is None and "date" in node:
            value = node["date"]
        return None if value is None else str(value)
    return str(node) if isinstance(node, date) else None


def read_source(
    path: str | Path, display: str | None = None, limit: int = MAX_BYTES
) -> Source | Problem:
    """Read a YAML or JSON file of at most `limit` bytes. Returns the Source, or the Problem
    that stops reading it."""
    text = read_text(path, display, limit)
    return text if isinstance(text, Problem) else parse_source(text, display or str(path))


def read_text(
    path: str | Path, display: str | None = None, limit: int = MAX_BYTES
) -> str | Problem:
    """A file's text of at most `limit` bytes, as written (its line endings too), or the
    Problem that stops reading it."""
    name = display or str(path)
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        return Problem(name, (0,), "", "no such file")
    except OSError as err:
        return Problem(name, (0,), "", f"cannot be read: {err.strerror or err}")
    if len(raw) > limit:
        return Problem(name, (0,), "", f"the file is over {limit // 2**20} MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return Problem(name, (line,), "", "cannot be read: it is not UTF-8 text", line)
    return text


def parse_source(text: str, name: str, trusted: bool = False) -> Source | Problem:
    """Parse `text` as JSON when the name ends in .json, else YAML.

    Whatever the text holds, the answer is a Source or a located Problem: nesting deeper than
    `MAX_DEPTH`, YAML aliases that expand past `MAX_ALIASED` entries or into themselves, keys
    that are not plain values, duplicate keys and lone surrogates are all refused here.
    `trusted`: the text was read so before (or is an edit of such a text): it is composed by
    libyaml (`TrustedLoader`).
    """
    if not text.strip():
        return Problem(name, (0,), "", "the file is empty")
    parsed = _parse_json(text, name) if name.endswith(".json") else _parse_yaml(text, name, trusted)
    if isinstance(parsed, Problem):
        return parsed
    found = list(_unreadable(parsed.data))
    return parsed.problem(*found[0]) if found else parsed


def _parse_json(text: str, name: str) -> Source | Problem:
    try:
        data = json.loads(text, object_pairs_hook=_Keyed.of)
    except json.JSONDecodeError as err:
        return Problem(name, (err.lineno,), "", f"invalid JSON: {err.msg}", err.lineno)
    except RecursionError:
        return Problem(name, (0,), "", _TOO_DEEP)
    except ValueError:  # the one other refusal of json: an integer Python will not convert
        return Problem(name, (0,), "", "invalid JSON: a number has more than 4,300 digits")
    return Source(name, data)


def _parse_yaml(text: str, name: str, trusted: bool = False) -> Source | Problem:
    try:
        node = _composed(text, trusted)
        if node is None:
            return Problem(name, (0,), "", "the file is empty")
        lines: dict[PathKey, int] = {}
        data = _Builder(Loader(""), lines).build(node, ())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(x for x in (err.context, err.problem) if x)
        return Problem(name, (line,), "", f"invalid YAML: {what}", line or None)
    except yaml.YAMLError as err:
        return Problem(name, (0,), "", f"invalid YAML: {err}")
    return Source(name, data, lines)


def _composed(text: str, trusted: bool) -> yaml.Node | None:
    """The text composed: by libyaml if trusted, unless it refuses what PyYAML reads (libyaml
    is stricter in a few corners: `{a:}`), then as any file is."""
    if trusted:
        try:
            return yaml.compose(text, Loader=TrustedLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=Loader)


_TOO_DEEP = f"the file is nested more than {MAX_DEPTH} levels deep: a programme needs far fewer"


class _Keyed(dict[Any, Any]):
    """A JSON object that remembers the keys it was given twice (the last value is kept)."""

    twice: list[str]

    @classmethod
    def of(cls, pairs: list[tuple[str, Any]]) -> _Keyed:
        keyed = cls(pairs)
        keyed.twice = [key for key, count in Counter(k for k, _ in pairs).items() if count > 1]
        return keyed


def _unreadable(data: Any) -> Iterator[tuple[PathKey, str]]:
    """(path, problem) of what no programme may hold, walked without recursion: nesting too
    deep, a JSON key given twice, a lone surrogate (half of a character, which no file, terminal
    or database can hold)."""
    stack: list[tuple[PathKey, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if len(path) > MAX_DEPTH:
            yield (), _TOO_DEEP
            return
        if isinstance(node, _Keyed) and node.twice:
            yield path, f"duplicate key '{node.twice[0]}'"
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and _surrogate(key):
                    yield path, f"the key {shown(key)} holds half a character (a lone surrogate)"
                stack.append(((*path, str(key)), value))
        elif isinstance(node, list):
            stack.extend(((*path, index), value) for index, value in enumerate(node))
        elif isinstance(node, str) and _surrogate(node):
            yield path, f"{shown(node)} holds half a character (a lone surrogate)"


def _surrogate(text: str) -> bool:
    return not text.isascii() and any("\ud800" <= c <= "\udfff" for c in text)


class _Builder:
    """Plain Python values from a composed YAML document, with each node's line.

    Aliases are expanded as YAML says, but at most `MAX_ALIASED` entries in all (a few hundred
    bytes of aliases can otherwise stand for billions of entries) and never into themselves.
    """

    def __init__(self, loader: Loader, lines: dict[PathKey, int]) -> None:
        self.loader = loader
        self.lines = lines
        self.inside: set[int] = set()  # the nodes being built, outermost to here
        self.seen: set[int] = set()  # nodes built once: a second visit is through an alias
        self.aliased = 0

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if id(node) in self.inside:
            raise _refused(node, "an alias (*name) refers to the entry it is inside")
        if len(path) > MAX_DEPTH:
            raise _refused(node, _TOO_DEEP)
        if id(node) in self.seen:
            self.aliased += 1
            if self.aliased > MAX_ALIASED:
                raise _refused(node, f"aliases (*name) expand to over {MAX_ALIASED:,} entries")
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self.inside.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        finally:
            self.inside.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _refused(key_node, "a key must be a plain word, not a list or a mapping")
            key = self._scalar(key_node)
            if key in out:
                raise _refused(key_node, f"duplicate key '{printable(str(key))}'")
            out[key] = self.build(value_node, (*path, str(key)))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """The scalar's value; its text when that value cannot be made (2017-02-30 looks like
        a date and is none; an integer of 5,000 digits): the model then says what is wrong."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            return node.value


def _refused(node: yaml.Node, problem: str) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=node.start_mark)
