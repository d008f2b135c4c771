"""Closed sets of formats, with the one way to tell them from a path."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from citykg.errors import InputError


class InputFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"
    CSV = "csv"
    TEXT = "text"
    TURTLE = "turtle"
    JSONLD = "jsonld"

    @classmethod
    def from_path(cls, path: Path) -> InputFormat:
        suffix = path.suffix.lower()
        for fmt, suffixes in _INPUT_SUFFIXES.items():
            if suffix in suffixes:
                return fmt
        known = ", ".join(sorted(s for group in _INPUT_SUFFIXES.values() for s in group))
        raise InputError(
            f"cannot tell the format of '{path.name}' from its extension",
            where=str(path),
            hint=f"use one of the extensions {known}",
        )


_INPUT_SUFFIXES: dict[InputFormat, tuple[str, ...]] = {
    InputFormat.YAML: (".yaml", ".yml"),
    InputFormat.JSON: (".json",),
    InputFormat.CSV: (".csv",),
    InputFormat.TEXT: (".txt",),
    InputFormat.TURTLE: (".ttl",),
    InputFormat.JSONLD: (".jsonld",),
}


class ExportFormat(StrEnum):
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"

    @property
    def media_type(self) -> str:
        return _EXPORT[self][0]

    @property
    def extension(self) -> str:
        return _EXPORT[self][1]

    @property
    def keeps_graphs(self) -> bool:
        return self in (ExportFormat.NQUADS, ExportFormat.TRIG)

    @classmethod
    def from_path(cls, path: Path) -> ExportFormat:
        for fmt, (_, ext) in _EXPORT.items():
            if path.suffix.lower() == ext:
                return fmt
        raise InputError(f"cannot tell the export format of '{path.name}'", where=str(path))


_EXPORT: dict[ExportFormat, tuple[str, str]] = {
    ExportFormat.TURTLE: ("text/turtle", ".ttl"),
    ExportFormat.NTRIPLES: ("application/n-triples", ".nt"),
    ExportFormat.NQUADS: ("application/n-quads", ".nq"),
    ExportFormat.TRIG: ("application/trig", ".trig"),
    ExportFormat.JSONLD: ("application/ld+json", ".jsonld"),
}


class ResultFormat(StrEnum):
    """How `citykg query` prints an answer: rows (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    TURTLE = "turtle"
    JSONLD = "jsonld"

    @property
    def for_graphs(self) -> bool:
        return self in (ResultFormat.TURTLE, ResultFormat.JSONLD)


class Profile(StrEnum):
    """How much personal data an export carries."""

    FULL = "full"
    PUBLIC = "public"  # without contact details of people (e-mail, telephone)


class Frame(StrEnum):
    """JSON-LD frames: one nested document per thing."""

    CITY = "city"


class Terms(StrEnum):
    """Which part of the ontology graph (ontology + vocabularies) goes along with an export."""

    ALL = "all"  # the whole ontology graph
    USED = "used"  # the descriptions of the vocabulary concepts the selected data refers to
    NONE = "none"
