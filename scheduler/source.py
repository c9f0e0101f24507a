"""Reading YAML or JSON input files while keeping where each value came from.

Validation errors must name the file, the path inside it and the entry (DESIGN §4). This module
reads the raw data, remembers the line of every node, and renders a path such as
``('items', 7, 'witnesses', 0)`` as ``items[7] (camhs).witnesses[0]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import Problem

PathKey = tuple[str | int, ...]

# YAML 1.1 reads an unquoted 19:00 as the base-60 integer 1140; programmes are full of times,
# so this loader knows only decimal, octal and hex integers.
_INT_PATTERN = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*|0o?[0-7_]+|0x[0-9a-fA-F_]+)$")


class Loader(yaml.SafeLoader):
    """Safe loader that records node lines and refuses duplicate keys."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT_PATTERN, list("-+0123456789"))


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


def read_source(path: str | Path, display: str | None = None) -> Source | Problem:
    """Read a YAML or JSON file. Returns the Source, or the Problem that stops reading it."""
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Problem(name, (0,), "", "no such file")
    except (OSError, UnicodeDecodeError) as err:
        return Problem(name, (0,), "", f"cannot be read: {err}")
    return parse_source(text, name)


def parse_source(text: str, name: str) -> Source | Problem:
    """Parse `text` as JSON when the name ends in .json, else YAML."""
    if not text.strip():
        return Problem(name, (0,), "", "the file is empty")
    if name.endswith(".json"):
        try:
            return Source(name, json.loads(text))
        except json.JSONDecodeError as err:
            return Problem(name, (err.lineno,), "", f"invalid JSON: {err.msg}", err.lineno)
    try:
        node = yaml.compose(text, Loader=Loader)
        if node is None:
            return Problem(name, (0,), "", "the file is empty")
        lines: dict[PathKey, int] = {}
        data = _construct(node, (), lines, Loader(""))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(x for x in (err.context, err.problem) if x)
        return Problem(name, (line,), "", f"invalid YAML: {what}", line or None)
    except yaml.YAMLError as err:
        return Problem(name, (0,), "", f"invalid YAML: {err}")
    return Source(name, data, lines)


def _construct(
    node: yaml.Node, path: PathKey, lines: dict[PathKey, int], loader: Loader
) -> Any:
    """Build plain Python values from a YAML node, recording each node's line."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
                )
            out[key] = _construct(value_node, (*path, str(key)), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(child, (*path, i), lines, loader) for i, child in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)
