"""Readers: every input format becomes submission documents with the origin of each value."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from citykg.errors import InputError
from citykg.model.document import Document, Source
from citykg.rdf.formats import InputFormat
from citykg.sources.common import decode_utf8, read_bytes
from citykg.sources.documents import read_json, read_yaml
from citykg.sources.tabular import read_csv

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".txt", ".ttl", ".jsonld")
RDF_FORMATS = (InputFormat.TURTLE, InputFormat.JSONLD)


@dataclass(frozen=True)
class Submission:
    """One document read from a file, with the file's identity for provenance.

    An RDF submission (Turtle, JSON-LD) also carries its `graph`; its document then holds only
    the city and wave read from that graph.
    """

    document: Document
    source: Source
    graph: Graph | None = None


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the submission files below folders, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError(
                    "folder holds no submission files",
                    where=str(path),
                    hint="submissions end in " + ", ".join(DOCUMENT_SUFFIXES),
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def read_file(path: Path, *, fmt: InputFormat | None = None) -> list[Submission]:
    data = read_bytes(path)
    return read_data(data, source=str(path), fmt=fmt or InputFormat.from_path(path))


def read_data(data: bytes, *, source: str, fmt: InputFormat) -> list[Submission]:
    """The submissions in `data` (a file's bytes, or an upload's), read as `fmt`, `source`
    naming them in messages and provenance. Nothing in `data` is opened or fetched."""
    origin = Source(location=source, sha256=hashlib.sha256(data).hexdigest())
    if fmt in RDF_FORMATS:
        from citykg.sources.rdf import summary_document  # start-up time: pyld only for RDF inputs

        graph = read_graph(data, source=source, fmt=fmt)
        return [Submission(summary_document(graph, source=source), origin, graph)]
    return [Submission(doc, origin) for doc in read_documents(data, source=source, fmt=fmt)]


def read_graph(data: bytes, *, source: str, fmt: InputFormat) -> Graph:
    """The graph of an RDF submission (Turtle or JSON-LD); see sources/rdf.py for what is refused."""
    from citykg.sources.rdf import read_jsonld, read_turtle  # start-up time: pyld only for RDF inputs

    text = decode_utf8(data, source)
    return read_turtle(text, source=source) if fmt is InputFormat.TURTLE else read_jsonld(text, source=source)


def read_documents(data: bytes, *, source: str, fmt: InputFormat) -> list[Document]:
    """The documents in `data`, read as `fmt` (YAML, JSON, CSV or profile page text)."""
    if fmt is InputFormat.TEXT:
        from citykg.sources.text.extract import read_text_bytes  # start-up time: its patterns, for pages

        return [read_text_bytes(data, source=source).document]
    if fmt in RDF_FORMATS:
        raise InputError(
            "an RDF file holds a graph, not a submission document",
            where=source,
            hint="read it with read_file() or read_graph()",
        )
    text = decode_utf8(data, source)
    if fmt is InputFormat.YAML:
        return read_yaml(text, source=source)
    if fmt is InputFormat.JSON:
        return read_json(text, source=source)
    return read_csv(text, source=source)


def read_paths(paths: list[Path]) -> list[Submission]:
    return [submission for path in expand(paths) for submission in read_file(path)]
