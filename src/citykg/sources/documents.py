"""YAML and JSON submission documents, read with the line of every value.

YAML is read without implicit type coercion: only `true`/`false`, `null`/`~` and plain
decimal integers (no leading zero) are not strings, so `country: NO` stays "NO" and `12:30`
stays "12:30". Duplicate keys, tags (even `!!str`: quote the value instead), anchors, aliases
and nesting deeper than MAX_DEPTH are refused. JSON refuses duplicate keys, NaN/Infinity and
nesting deeper than MAX_DEPTH.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from citykg.errors import InputError
from citykg.model.document import Document, Origin, join_path
from citykg.sources.common import whole_number

MAX_DEPTH = 100
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


# libyaml's parser when PyYAML has it: ten times faster on large files, same nodes and marks
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that resolves no implicit types: plain scalars stay strings here."""


_PlainLoader.yaml_implicit_resolvers = {}


def read_yaml(text: str, *, source: str) -> list[Document]:
    """Every YAML document in `text` (`---` separates several), with origins."""
    _check_events(text, source)
    try:
        nodes = list(yaml.compose_all(text, Loader=_PlainLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(
            f"YAML syntax error: {problem}",
            where=f"{source}:{line}" if line else source,
            hint="check indentation and quoting on this line or the one before",
        ) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        line = text.count("\n", 0, exc.position) + 1
        raise InputError(
            f"YAML error: unacceptable character #x{exc.character:04x}: {exc.reason}",
            where=f"{source}:{line}",
            hint="remove the character, or write it as an escape in a double-quoted value",
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", where=source) from exc
    documents = []
    for node in nodes:
        if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
            continue  # an empty document, such as after a trailing `---`
        origins: dict[str, Origin] = {}
        data = _build(node, "", source, origins)
        if not isinstance(data, dict):
            raise InputError(
                "a submission must be a mapping of fields (city:, survey:, goals: ...)",
                where=f"{source}:{node.start_mark.line + 1}",
                hint="see docs/submission-format.md for a complete example",
            )
        documents.append(Document(data=data, source=source, origins=origins))
    if not documents:
        raise InputError("file holds no submission", where=source)
    return documents


def _check_events(text: str, source: str) -> None:
    """Refuse anchors, aliases, explicit tags and deep nesting before composing (which recurses)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_PlainLoader):
            where = f"{source}:{event.start_mark.line + 1 if event.start_mark else 0}"
            anchor = getattr(event, "anchor", None)
            if anchor is not None or isinstance(event, yaml.AliasEvent):
                raise InputError(
                    "YAML anchors and aliases (&name, *name) are not allowed in submissions",
                    where=where,
                    hint="write the value out in full",
                )
            tag = getattr(event, "tag", None)
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise InputError(
                    f"YAML tag {shown!r} is not allowed",
                    where=where,
                    hint="remove the tag; to keep a value as text, put it in quotes",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(f"nested more than {MAX_DEPTH} levels deep", where=where)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit, met while scanning ahead
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            raise InputError(f"nested more than {MAX_DEPTH} levels deep", where=source + line) from exc
        return  # syntax errors are reported by compose with a better message


def _build(node: Node, path: str, source: str, origins: dict[str, Origin]) -> Any:
    line = node.start_mark.line + 1
    column = node.start_mark.column + 1
    where = f"{source}:{line}"
    if node.tag not in _STANDARD_TAGS:
        raise InputError(f"YAML tag {node.tag!r} is not allowed", where=where, hint="remove the tag")
    origins[path] = Origin(source, line=line, column=column)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise InputError(
                    "a key must be a plain name", where=f"{source}:{key_node.start_mark.line + 1}"
                )
            key = str(key_node.value)
            if key in result:
                raise InputError(
                    f"duplicate key '{key}'",
                    where=f"{source}:{key_node.start_mark.line + 1}",
                    hint="each field may appear once; merge the two entries",
                )
            result[key] = _build(value_node, join_path(path, key), source, origins)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, join_path(path, i), source, origins) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    value = str(node.value)
    origins[path] = Origin(source, line=line, column=column, text=value)
    if node.style or node.tag != "tag:yaml.org,2002:str":  # quoted or block: text (plain: None or "")
        return value
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value in _NULL:
        return None
    if _INT.fullmatch(value):
        return whole_number(value, where=where)
    return value


# ------------------------------------------------------------------------------ JSON


def read_json(text: str, *, source: str) -> list[Document]:
    """A JSON submission (an object), or a JSON array of them, with the line of every value."""
    parser = _JSONParser(text, source)
    data = parser.parse()
    items = data if isinstance(data, list) else [data]
    by_item = _origins_by_item(parser.origins) if isinstance(data, list) else {}
    documents = []
    for index, item in enumerate(items):
        prefix = f"[{index}]" if isinstance(data, list) else ""
        if not isinstance(item, dict):
            raise InputError(
                "a submission must be a JSON object of fields",
                where=parser.origins.get(prefix, Origin(source)).describe(),
            )
        origins = by_item.get(index, {}) if isinstance(data, list) else parser.origins
        documents.append(Document(data=item, source=source, origins=origins))
    if not documents:
        raise InputError("file holds no submission (an empty JSON list)", where=source)
    return documents


_ITEM = re.compile(r"\[(\d+)\]\.?")


def _origins_by_item(origins: dict[str, Origin]) -> dict[int, dict[str, Origin]]:
    """The origins of a JSON array of submissions, split by item, paths made relative to it."""
    result: dict[int, dict[str, Origin]] = {}
    for path, origin in origins.items():
        match = _ITEM.match(path)
        if match:
            result.setdefault(int(match.group(1)), {})[path[match.end() :]] = origin
    return result


def load_json(text: str, *, source: str) -> tuple[Any, dict[str, Origin]]:
    """Any JSON value read strictly (duplicate keys and NaN refused), with the origin of each path."""
    parser = _JSONParser(text, source)
    return parser.parse(), parser.origins


_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WS = re.compile(r"[ \t\n\r]*")


class _JSONParser:
    """A strict JSON parser that records the line and column of every value."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.origins: dict[str, Origin] = {}
        self.depth = 0
        # where each line starts, found once: a value's line is a binary search, not a count
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def parse(self) -> Any:
        pos = self._ws(0)
        value, pos = self._value(pos, "")
        pos = self._ws(pos)
        if pos != len(self.text):
            self._fail(pos, "unexpected text after the end of the JSON value")
        return value

    def _where(self, pos: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    def _fail(self, pos: int, message: str, hint: str | None = None) -> None:
        line, column = self._where(pos)
        raise InputError(f"JSON syntax error: {message}", where=f"{self.source}:{line}:{column}", hint=hint)

    def _ws(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def _value(self, pos: int, path: str) -> tuple[Any, int]:
        if pos >= len(self.text):
            self._fail(pos, "unexpected end of file")
        line, column = self._where(pos)
        char = self.text[pos]
        self.origins[path] = Origin(self.source, line=line, column=column)
        if char == "{":
            return self._object(pos, path)
        if char == "[":
            return self._array(pos, path)
        if char == '"':
            try:
                value, end = scanstring(self.text, pos + 1, True)
            except json.JSONDecodeError as exc:
                self._fail(exc.pos, exc.msg)
            self.origins[path] = Origin(self.source, line=line, column=column, text=value)
            return value, end
        for literal, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(literal, pos):
                self.origins[path] = Origin(self.source, line=line, column=column, text=literal)
                return value, pos + len(literal)
        for word in ("NaN", "Infinity", "-Infinity"):
            if self.text.startswith(word, pos):
                self._fail(pos, f"{word} is not a number JSON allows", hint="write a number or null")
        match = _NUMBER.match(self.text, pos)
        if not match:
            self._fail(pos, f"unexpected character {char!r}")
        assert match is not None
        if match.group(2) or match.group(3):
            number: Any = float(match.group(0))
        else:
            number = whole_number(match.group(0), where=f"{self.source}:{line}:{column}")
        self.origins[path] = Origin(self.source, line=line, column=column, text=match.group(0))
        return number, match.end()

    def _open(self, pos: int, closing: str) -> tuple[bool, int]:
        """Enter a container at its opening bracket: (whether a first item follows, its position)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._fail(pos, f"nested more than {MAX_DEPTH} levels deep")
        pos = self._ws(pos + 1)
        if self.text.startswith(closing, pos):
            self.depth -= 1
            return False, pos + 1
        return True, pos

    def _next(self, pos: int, closing: str) -> tuple[bool, int]:
        """After an item: (True, the next item's position) after a comma, or (False, the position
        after `closing`), leaving the container; anything else is an error."""
        pos = self._ws(pos)
        if self.text.startswith(",", pos):
            return True, self._ws(pos + 1)
        if not self.text.startswith(closing, pos):
            self._fail(pos, f"expected ',' or '{closing}'")
        self.depth -= 1
        return False, pos + 1

    def _object(self, pos: int, path: str) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        more, pos = self._open(pos, "}")
        while more:
            if not self.text.startswith('"', pos):
                self._fail(pos, "expected a key in double quotes")
            key_pos = pos
            try:
                key, pos = scanstring(self.text, pos + 1, True)
            except json.JSONDecodeError as exc:
                self._fail(exc.pos, exc.msg)
            if key in result:
                self._fail(key_pos, f"duplicate key '{key}'", hint="each field may appear once")
            pos = self._ws(pos)
            if not self.text.startswith(":", pos):
                self._fail(pos, "expected ':' after the key")
            pos = self._ws(pos + 1)
            result[key], pos = self._value(pos, join_path(path, key))
            more, pos = self._next(pos, "}")
        return result, pos

    def _array(self, pos: int, path: str) -> tuple[list[Any], int]:
        result: list[Any] = []
        more, pos = self._open(pos, "]")
        while more:
            value, pos = self._value(pos, join_path(path, len(result)))
            result.append(value)
            more, pos = self._next(pos, "]")
        return result, pos
