"""Structured edits of a YAML programme: splices of the original text.

The file stays the clerk's: an edit changes only the text of the entries it touches, so
comments, order, quoting and flow mappings elsewhere are kept byte for byte. (Dumping the whole
document again would re-wrap multi-line flow lists and re-indent sequences.) The text is composed
with the loader `programme.source` reads programmes with; each node knows where it starts and
ends in the text, and each change is a splice there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from scheduler.programme.edits_source import (
    BODY_ORDER,
    MEETING_ORDER,
    BodyEntry,
    Changes,
    Collection,
    EditError,
    Entry,
    Null,
    Value,
    anchor,
)
from scheduler.programme.source import Loader, TrustedLoader

_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _EditLoader(TrustedLoader):
    """`TrustedLoader` that tells a plain scalar only null or text: an edit reads values as
    text and needs to know only what is empty (a council's file has 90,000 scalars, and the
    full resolver is most of the time it takes to compose)."""

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return _NULL if value in _NULLS else _STR
        resolved: str = super().resolve(kind, value, implicit)
        return resolved


class YamlSource:
    """A YAML programme; entries are the nodes PyYAML composes."""

    def __init__(self, text: str) -> None:
        try:
            try:
                if text.startswith("\ufeff"):  # libyaml's marks do not count a byte-order mark
                    raise yaml.YAMLError("a byte-order mark")
                root = yaml.compose(text, Loader=_EditLoader)  # a stored version's text
            except yaml.YAMLError:  # what libyaml refuses and PyYAML reads (`{a: }` ...)
                root = yaml.compose(text, Loader=Loader)
        except yaml.YAMLError as err:
            raise EditError(f"the programme is not valid YAML: {err}") from None
        self._text = text
        self._newline = "\r\n" if "\r\n" in text else "\n"
        self._splices: list[tuple[int, int, str]] = []  # replace text[start:end] with a text
        self.bodies = [
            BodyEntry(
                fields["id"], body, [Entry(m, _fields(m)) for m in _elements(body, "meetings")]
            )
            for body in _elements(root, "bodies")
            if "id" in (fields := _fields(body))
        ]
        self.items = [Entry(item, _fields(item)) for item in _elements(root, "items")]
        if not isinstance(root, MappingNode):
            raise EditError("the programme's top level is not a mapping of keys")
        self._root = root
        self.top = Entry(root, _fields(root))

    def entries(self, collection: Collection) -> list[Entry]:
        if collection == "items":
            return self.items
        return [Entry(node, _fields(node)) for node in _elements(self._root, collection)]

    def child(self, entry: Entry, key: str) -> Entry | None:
        pairs = _pairs(entry.ref)
        node = pairs[key][1] if key in pairs else None
        return Entry(node, _fields(node)) if isinstance(node, MappingNode) else None

    def append(self, collection: Collection, values: Changes, order: tuple[str, ...]) -> None:
        texts = {k: yaml_value(v) for k, v in values.items() if v is not None}
        pairs = _pairs(self._root)
        listed = pairs[collection][1] if collection in pairs else None
        if listed is None or (isinstance(listed, ScalarNode) and listed.tag == _NULL):
            block = _block(texts, order, 2, self._newline)
            if listed is None:
                self._insert_line(len(self._text), f"{collection}:{self._newline}{block}")
            else:  # `items:` with nothing after it
                colon = self._text.index(":", pairs[collection][0].end_mark.index) + 1
                self._splice(colon, 0, self._newline + block)
            return
        if not isinstance(listed, SequenceNode):
            raise EditError(f"'{collection}' is not a list")
        if listed.flow_style and listed.value:
            self._splice(_end(listed.value[-1]), 0, f", {_flow(texts, order)}")
        elif listed.flow_style:
            self._replace(listed, f"[{_flow(texts, order)}]")
        elif isinstance(listed.value[-1], MappingNode) and listed.value[-1].flow_style:
            line = " " * listed.start_mark.column + f"- {_flow(texts, order)}"  # as its neighbours
            self._insert_line(_end(listed.value[-1]), line)
        else:
            block = _block(texts, order, listed.start_mark.column, self._newline)
            self._insert_line(_end(listed.value[-1]), block)

    def remove(self, collection: Collection, entry: Entry) -> None:
        pairs = _pairs(self._root)
        key, listed = pairs.get(collection, (None, None))
        if key is None or not isinstance(listed, SequenceNode):
            raise EditError(f"'{collection}' is not a list")
        self._remove_element(key, listed, entry.ref)

    def remove_meeting(self, body: BodyEntry, meeting: Entry) -> None:
        key, listed = _pairs(body.ref)["meetings"]
        assert isinstance(listed, SequenceNode)
        self._remove_element(key, listed, meeting.ref)

    def _remove_element(self, key: ScalarNode, listed: SequenceNode, node: Node) -> None:
        """Take `node` out of the list `listed` (the value of `key`): a block entry with its
        lines, a flow entry with its comma; the last entry leaves `key: []`."""
        at = next(i for i, n in enumerate(listed.value) if n is node)
        if len(listed.value) == 1:
            colon = self._text.index(":", key.end_mark.index) + 1
            end = _end(node) if listed.flow_style else self._next_line(_end(node)) - 1
            end = max(end, _end(listed))
            self._splice(colon, end - colon, " []")
            return
        start, end = node.start_mark.index, _end(node)
        if listed.flow_style:
            if at > 0:
                start = _end(listed.value[at - 1])
            elif len(listed.value) > 1:
                end = listed.value[1].start_mark.index
        else:
            start = self._text.rfind("\n", 0, start) + 1  # the line of its dash
            end = self._next_line(end)
        self._splice(start, end - start, "")

    def update(self, entry: Entry, changes: Changes, order: tuple[str, ...]) -> None:
        node = entry.ref
        texts = {k: None if v is None else yaml_value(v) for k, v in changes.items()}
        if isinstance(node, ScalarNode):  # a short-form meeting becomes a flow mapping
            self._replace(node, _flow({"date": self._source(node), **texts}, order))
            return
        pairs = _pairs(node)
        kept = [k for k in pairs if texts.get(k, "") is not None]
        added = [k for k, text in texts.items() if text is not None and k not in pairs]
        if node.flow_style and kept + added == ["date"]:  # a meeting back to the short form
            self._replace(node, texts.get("date") or self._source(pairs["date"][1]))
            return
        inline = [k for k in kept if _inline(pairs[k][1])]
        for key, text in texts.items():
            if text is None:
                if key in pairs:
                    self._drop(node, key)
            elif key in pairs:
                self._set(*pairs[key], text)
            else:
                self._insert(node, key, text, anchor(inline, key, order))

    def append_meeting(self, body: BodyEntry, meeting: Changes) -> None:
        texts = {k: yaml_value(v) for k, v in meeting.items() if v is not None}
        entry = _flow(texts, MEETING_ORDER) if len(texts) > 1 else texts["date"]
        pairs = _pairs(body.ref)
        if "meetings" not in pairs:
            inline = [k for k, (_, v) in pairs.items() if _inline(v)]
            self._insert(body.ref, "meetings", f"[{entry}]", anchor(inline, "meetings", BODY_ORDER))
            return
        meetings = pairs["meetings"][1]
        if not isinstance(meetings, SequenceNode):
            raise EditError(f"the meetings of body '{body.id}' are not a list")
        if meetings.flow_style and meetings.value:
            self._splice(_end(meetings.value[-1]), 0, f", {entry}")
        elif meetings.flow_style:
            self._splice(meetings.end_mark.index - 1, 0, entry)  # inside the empty []
        else:
            line = " " * meetings.start_mark.column + f"- {entry}"
            self._insert_line(_end(meetings.value[-1]), line)

    def text(self) -> str:
        out: list[str] = []
        at = 0
        for start, end, text in sorted(self._splices, key=lambda s: s[:2]):
            out += [self._text[at:start], text]
            at = end
        return "".join([*out, self._text[at:]])

    def _splice(self, start: int, length: int, text: str) -> None:
        self._splices.append((start, start + length, text))

    def _source(self, node: Node) -> str:
        return self._text[node.start_mark.index : _end(node)]

    def _replace(self, node: Node, text: str) -> None:
        self._splice(node.start_mark.index, _end(node) - node.start_mark.index, text)

    def _set(self, key: ScalarNode, value: Node, text: str) -> None:
        """Write `text` as the value of `key`, whose value is `value`.

        A value left empty (`meeting:`, or `{id: x, meeting}` in a flow mapping) has no text of
        its own: it goes after the key's colon, or after a key without one (a composer marks
        such a value in its own way: its marks are not used).
        """
        at = value.start_mark.index
        if isinstance(value, CollectionNode) and not value.flow_style and value.value:
            colon = self._text.index(":", key.end_mark.index) + 1  # `key:` then the block
            self._splice(colon, _end(value) - colon, f" {text}")
        elif _end(value) > at:
            self._replace(value, text)
        elif self._text[: key.start_mark.index].rstrip(" ").endswith("?"):
            raise EditError(f"cannot set '{key.value}': it is written as an explicit `? key`")
        else:
            after = key.end_mark.index
            rest = self._text[after:].lstrip(" ")
            if rest.startswith(":"):
                colon = after + (len(self._text) - after - len(rest)) + 1
                self._splice(colon, 0, f" {text}")
            else:
                self._splice(after, 0, f": {text}")

    def _insert(self, mapping: MappingNode, key: str, text: str, after: str | None) -> None:
        """Add `key: text` to `mapping` after the key `after` (with none, after its last key)."""
        if after is None and not mapping.flow_style and mapping.value:
            after = str(mapping.value[-1][0].value)
        if after is None:
            raise EditError(f"cannot add '{key}': its entry has no simple value to follow")
        end = _end(_pairs(mapping)[after][1])
        if mapping.flow_style:
            self._splice(end, 0, f", {key}: {text}")
        else:
            column = mapping.value[0][0].start_mark.column
            self._insert_line(end, " " * column + f"{key}: {text}")

    def _drop(self, mapping: MappingNode, key: str) -> None:
        """Remove `key` from `mapping`: from a block mapping with its line (and comment)."""
        keys = [k for k, _ in mapping.value]
        at = next(i for i, k in enumerate(keys) if k.value == key)
        start, end = keys[at].start_mark.index, _end(mapping.value[at][1])
        if at > 0 and mapping.flow_style:
            start = _end(mapping.value[at - 1][1])
        elif at > 0:
            start = self._text.rfind("\n", 0, start) + 1
            end = self._next_line(end)
        elif len(keys) > 1:
            end = keys[1].start_mark.index
        self._splice(start, end - start, "")

    def _insert_line(self, after: int, line: str) -> None:
        """Insert `line` after the line on which `after` (the end of a node) falls."""
        at = self._next_line(after)
        if at == len(self._text) and not self._text.endswith("\n"):
            self._splice(at, 0, self._newline + line)
        else:
            self._splice(at, 0, line + self._newline)

    def _next_line(self, end: int) -> int:
        """The start of the line after the one on which a node ending at `end` falls."""
        newline = self._text.find("\n", end - 1)
        return len(self._text) if newline < 0 else newline + 1


def _pairs(node: Node | None) -> dict[str, tuple[ScalarNode, Node]]:
    """A mapping node's entries by key (the first of a repeated key)."""
    pairs: dict[str, tuple[ScalarNode, Node]] = {}
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                pairs.setdefault(key.value, (key, value))
    return pairs


def _fields(node: Node) -> dict[str, str]:
    """The scalar values of an entry; a short-form meeting is its date."""
    if isinstance(node, ScalarNode):
        return {"date": node.value}
    return {
        key: value.value
        for key, (_, value) in _pairs(node).items()
        if isinstance(value, ScalarNode) and value.tag != _NULL
    }


def _elements(node: Node | None, key: str) -> list[Node]:
    """The entries of the list under `key` in a mapping node."""
    pairs = _pairs(node)
    value = pairs[key][1] if key in pairs else None
    return list(value.value) if isinstance(value, SequenceNode) else []


def _inline(node: Node) -> bool:
    """A value that ends on its key's line or in a flow collection: a new key can follow it."""
    if isinstance(node, ScalarNode):
        return node.style not in ("|", ">")
    return isinstance(node, CollectionNode) and bool(node.flow_style)


def _end(node: Node) -> int:
    """Where a node's own text ends (a block collection's end mark lies past later comments)."""
    if not isinstance(node, CollectionNode) or node.flow_style or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    return _end(last[1] if isinstance(node, MappingNode) else last)


def _flow(texts: Mapping[str, str | None], order: tuple[str, ...]) -> str:
    """A flow mapping of these values, keys in `order` (unknown keys last)."""
    rank = {key: i for i, key in enumerate(order)}
    pairs = sorted(
        ((k, v) for k, v in texts.items() if v is not None),
        key=lambda kv: rank.get(kv[0], len(rank)),
    )
    if [k for k, _ in pairs] == ["date"]:
        return pairs[0][1]
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _block(texts: Mapping[str, str], order: tuple[str, ...], column: int, newline: str) -> str:
    """A new list entry in block style, its dash at `column`: `- id: x` and a line per key (no
    newline after the last)."""
    rank = {key: i for i, key in enumerate(order)}
    keys = sorted(texts, key=lambda k: rank.get(k, len(rank)))
    lines = [" " * (column + 2) + f"{k}: {texts[k]}" for k in keys]
    lines[0] = " " * column + "- " + lines[0].lstrip()
    return newline.join(lines)


def yaml_value(value: Value) -> str:
    """A date as a plain YYYY-MM-DD; yes/no and numbers as YAML writes them; lists and mappings
    in flow style; text plain when it reads back unchanged (`_plain`), else quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Null):
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{yaml_value(k)}: {yaml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return value if _plain(value) else _quoted(value)


#: Where a value is written: after a key, in a flow mapping, in a flow list.
_PLACES = ("k: {}", "{{k: {}}}", "[{}]")
#: What YAML reads as a line break inside double quotes, which JSON leaves as it is.
_BREAKS = {"\u0085": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _plain(value: str) -> bool:
    """`value` written as it is reads back unchanged wherever an edit writes it, both as YAML 1.1
    reads it (where a time "18:30" is a number) and as `programme.source` reads it (where "0o17"
    is one). Text that is not one line of printable characters is always quoted."""
    if not value.isprintable() or any(c in value for c in _BREAKS) or len(value) > 200:
        return False
    wanted = ({"k": value}, {"k": value}, [value])
    try:
        return all(
            yaml.load(place.format(value), Loader=loader) == want
            for place, want in zip(_PLACES, wanted, strict=True)
            for loader in (yaml.SafeLoader, Loader)
        )
    except (yaml.YAMLError, RecursionError):
        return False


def _quoted(value: str) -> str:
    """`value` in double quotes, as JSON writes it, with the characters YAML reads as line
    breaks escaped."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in _BREAKS.items():
        text = text.replace(char, escape)
    return text
