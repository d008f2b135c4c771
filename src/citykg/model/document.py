"""Submission documents: the user-facing format every source is read into.

A document is plain data (dicts, lists, strings, numbers, booleans) in the documented
submission format, plus where each value came from: `origins` maps a field path such as
`partnerships.data[1].partner` to the file, line (or CSV row/column) and exact text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where one value came from."""

    source: str
    line: int | None = None
    column: int | None = None
    text: str | None = None
    row: int | None = None  # CSV data row (1 = first row after the header)

    def describe(self) -> str:
        """`file:line:column` or `file, row R, column C`, for messages."""
        if self.row is not None:
            place = f"{self.source}, row {self.row}"
            return place + (f", column {self.column}" if self.column is not None else "")
        place = self.source
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


@dataclass(frozen=True)
class Note:
    """Something a reader noticed that is not an error (an unknown label, an unread line).

    `kind` is "label" for a label outside the vocabularies (validation reports those itself,
    with the field path) and "reading" for everything else the reader has to say.
    """

    message: str
    origin: Origin | None = None
    field: str | None = None
    severity: str = "warning"
    kind: str = "reading"


@dataclass
class Document:
    """One city's answers to one survey wave, in the submission format."""

    data: dict[str, Any]
    source: str
    origins: dict[str, Origin] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def origin(self, path: str) -> Origin | None:
        """The origin of `path`, or of its nearest enclosing field that has one."""
        while path:
            if path in self.origins:
                return self.origins[path]
            path = parent_path(path)
        return self.origins.get("")

    def describe(self, path: str) -> str:
        origin = self.origin(path)
        return origin.describe() if origin else self.source


def join_path(base: str, key: str | int) -> str:
    """`join_path("partnerships.data", 1)` -> `partnerships.data[1]`."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


def parent_path(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, leaf value) of a document, depth first, in document order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, join_path(path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, join_path(path, index))
    else:
        yield path, value


@dataclass(frozen=True)
class Source:
    """A file a submission came from (its name as given and the digest of its bytes)."""

    location: str
    sha256: str
