"""The fields of the submission format, read from shapes/submission-format.yaml, the one place
they are written: the path, type, controlled list, ontology properties, description and example
of each. The JSON Schema (citykg.model.schema) and the field table of docs/submission-format.md
are made from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Any

import yaml

from citykg.errors import CityKGError
from citykg.model.vocabulary import Scheme
from citykg.resources import shapes_dir

FORMAT_FILE = "submission-format.yaml"
#: libyaml's safe loader where PyYAML has it (the same data, a tenth of the time), else PyYAML's
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PATH = re.compile(r"[a-z][a-z0-9_]*(\[\])?(\.[a-z][a-z0-9_]*(\[\])?)*")
_KEYS = {"path", "type", "required", "scheme", "property", "unshaped", "description", "example", "of"}


class FieldType(StrEnum):
    """What a field holds."""

    TEXT = "text"  # one line
    NARRATIVE = "narrative"  # free text, may hold line breaks
    LABEL = "label"  # a label of a controlled list, or a free-text answer
    TEXTS = "texts"
    LABELS = "labels"
    COUNT = "count"  # a whole number
    YEAR = "year"
    BOOLEAN = "boolean"
    GROUP = "group"  # of fields
    GROUPS = "groups"  # a list of groups

    @property
    def is_group(self) -> bool:
        return self in (FieldType.GROUP, FieldType.GROUPS)

    @property
    def is_list(self) -> bool:
        return self in (FieldType.TEXTS, FieldType.LABELS, FieldType.GROUPS)

    @property
    def has_labels(self) -> bool:
        return self in (FieldType.LABEL, FieldType.LABELS)


@dataclass(frozen=True)
class Field:
    """One field: `city.mayor`, `teams[]` (a list of groups), `teams[].staff`."""

    path: str
    type: FieldType
    description: str
    required: bool = False
    scheme: Scheme | None = None
    properties: tuple[str, ...] = ()  # compact IRIs: ckg:mayor
    example: Any = None
    unshaped: str | None = None  # why no SHACL shape targets the properties
    group: str | None = None  # the shared group (under `groups`) a list of groups is made of

    @property
    def parent(self) -> str:
        """The path of the group holding this field ('' for the document)."""
        return self.path.rpartition(".")[0]

    @property
    def name(self) -> str:
        """The key of the field in its group: `staff` for `teams[].staff`."""
        return self.path.rpartition(".")[2].removesuffix("[]")


@dataclass(frozen=True)
class Format:
    """The submission format: a title and description, every field (shared groups expanded, in
    the file's order, a group before its fields) and the shared groups (paths relative to them)."""

    title: str
    id: str
    description: str
    fields: tuple[Field, ...]
    groups: dict[str, tuple[Field, ...]]

    def field(self, path: str) -> Field | None:
        """The field at `path`, lists written `[]` (`teams[].staff`), or None."""
        return next((f for f in self.fields if f.path == path), None)

    def leaves(self) -> list[Field]:
        """Every field that holds values, not other fields."""
        return [f for f in self.fields if not f.type.is_group]


def children(fields: tuple[Field, ...], parent: str) -> list[Field]:
    """The fields directly inside the group at `parent` ('' for the document)."""
    return [f for f in fields if f.parent == parent]


@cache
def submission_format() -> Format:
    """The submission format as shapes/submission-format.yaml writes it (read once)."""
    path = shapes_dir() / FORMAT_FILE
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_SAFE_LOADER)
    return parse_format(data, where=str(path))


def parse_format(data: Any, *, where: str) -> Format:
    """A Format from the field file's content; CityKGError naming the entry when it is malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise CityKGError("the field file has no list of fields", where=where)
    groups = {
        name: tuple(_entries(entries, where=f"{where}, group {name}"))
        for name, entries in (data.get("groups") or {}).items()
    }
    fields: list[Field] = []
    for field in _entries(data["fields"], where=where):
        fields.append(field)
        if field.group is not None:
            if field.group not in groups:
                raise CityKGError(f"{field.path}: no group '{field.group}' under groups", where=where)
            fields += [replace(inner, path=f"{field.path}.{inner.path}") for inner in groups[field.group]]
    _check_tree(fields, where=where)
    for name, inner in groups.items():
        _check_tree(list(inner), where=f"{where}, group {name}")
    return Format(
        title=str(data.get("title", "")),
        id=str(data.get("id", "")),
        description=" ".join(str(data.get("description", "")).split()),
        fields=tuple(fields),
        groups=groups,
    )


def _entries(entries: Any, *, where: str) -> Iterator[Field]:
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise CityKGError(f"a field without a path: {entry!r}", where=where)
        yield _field(entry, where=where)


def _field(entry: dict[str, Any], *, where: str) -> Field:
    path = entry["path"]

    def wrong(message: str) -> CityKGError:
        return CityKGError(f"{path}: {message}", where=where, hint="see the comment at the top of the file")

    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise wrong(f"unknown key {', '.join(unknown)}")
    if not _PATH.fullmatch(path):
        raise wrong("a path is keys joined by '.', each optionally followed by '[]'")
    try:
        kind = FieldType(str(entry.get("type")))
        scheme = Scheme(entry["scheme"]) if "scheme" in entry else None
    except ValueError as exc:
        raise wrong(str(exc)) from exc
    if path.endswith("[]") != (kind is FieldType.GROUPS):
        raise wrong("a path ends with '[]' exactly when the field is a list of groups")
    if kind.has_labels != (scheme is not None):
        raise wrong("a label or labels field names its scheme, and only such a field does")
    if ("of" in entry) and kind is not FieldType.GROUPS:
        raise wrong("only a list of groups is made of a shared group")
    raw = entry.get("property", [])
    properties = tuple(raw if isinstance(raw, list) else [raw])
    if not kind.is_group and not properties:
        raise wrong("a field that holds values names the property it is mapped to")
    if not kind.is_group and "example" not in entry:
        raise wrong("a field that holds values has an example")
    description = " ".join(str(entry.get("description", "")).split())
    if not description:
        raise wrong("a field has a description")
    return Field(
        path,
        kind,
        description,
        required=bool(entry.get("required", False)),
        scheme=scheme,
        properties=tuple(str(p) for p in properties),
        example=entry.get("example"),
        unshaped=entry.get("unshaped"),
        group=entry.get("of"),
    )


def _check_tree(fields: list[Field], *, where: str) -> None:
    seen: dict[str, Field] = {}
    for field in fields:
        if field.path in seen:
            raise CityKGError(f"{field.path}: written twice", where=where)
        parent = seen.get(field.parent)
        if field.parent and (parent is None or not parent.type.is_group):
            raise CityKGError(f"{field.path}: its group {field.parent} is not written before it", where=where)
        seen[field.path] = field
