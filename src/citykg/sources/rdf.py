"""RDF submissions: Turtle and JSON-LD files read into one graph per submission.

An RDF submission describes one city profile with the terms of the ontology, using the IRIs
citykg mints (`<base>id/...`). It goes through the same SHACL validation and store path as a
mapped YAML/JSON/CSV document (`map_graph` makes the same `Mapped` value).

Safety: nothing is fetched or read because a file says so. JSON-LD is accepted only with the
bundled context (`ontology/context.jsonld`), referenced by CONTEXT_IRI or inlined identically;
pyld runs with a document loader that serves that one context and refuses everything else.
Turtle has no import mechanism; rdflib's parser reads only the bytes given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from citykg.errors import InputError
from citykg.model.document import Document
from citykg.rdf.convert import graph_of
from citykg.rdf.jsonld import CONTEXT_ALIAS, bundled_documents, context_document, to_rdf
from citykg.rdf.terms import CKG, RDF, SCHEMA, curie
from citykg.sources.documents import load_json

CONTEXT_IRI = CONTEXT_ALIAS
# The same bundled context under its versioned IRI, as the JSON-LD exports name it (decision 0603).
CONTEXT_IRIS = tuple(bundled_documents())


@dataclass(frozen=True)
class RdfProblem:
    """Something an RDF submission must not contain: field (subject/predicate), value, message."""

    field: str
    value: str | None
    message: str


# ------------------------------------------------------------------ reading


def read_turtle(text: str, *, source: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise InputError(
            f"Turtle syntax error: {_first_line(str(exc))}",
            where=source,
            hint="check the line named above; every statement ends with '.'",
        ) from exc
    return graph


def bundled_context() -> dict[str, Any]:
    """The bundled context file (`{"@context": {...}}`)."""
    return context_document()


def read_jsonld(text: str, *, source: str) -> Graph:

    data, origins = load_json(text, source=source)
    for path, context in _contexts(data):
        if context in CONTEXT_IRIS or context == bundled_context()["@context"]:
            continue
        origin = origins.get(path)
        raise InputError(
            "JSON-LD @context must be citykg's own context; other contexts (URLs, files, "
            "inline definitions) are refused and nothing was fetched or read",
            where=origin.describe() if origin else source,
            hint=f'write "@context": "{CONTEXT_IRI}"',
        )
    for path, value in _strings(data, ""):
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            origin = origins.get(path)
            raise InputError(
                f"{path or 'a value'} contains an unpaired surrogate, which is not valid text",
                where=origin.describe() if origin else source,
                hint="remove the \\uD8xx escape",
            )
    try:
        quads = to_rdf(data)
    except InputError as exc:
        raise InputError(_first_line(exc.message), where=source, hint=exc.hint) from exc
    if any(not isinstance(quad.graph_name, ox.DefaultGraph) for quad in quads):
        raise InputError(
            "a JSON-LD submission must not name graphs", where=source, hint="remove the named graph"
        )
    return graph_of(quads)


def _contexts(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every `@context` value anywhere in a JSON-LD document, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            if key == "@context":
                yield here, value
            else:
                yield from _contexts(value, here)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _contexts(item, f"{path}[{index}]")


def _strings(data: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key, path)
            yield from _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _strings(item, f"{path}[{index}]")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "cannot parse"


# ------------------------------------------------------------------ what a submission holds


@dataclass(frozen=True)
class Identity:
    """The city profile an RDF submission describes."""

    profile: URIRef
    city: URIRef
    name: str
    country: str
    wave: int


def identity(graph: Graph) -> Identity | RdfProblem:
    """The one city profile in `graph`, or what is missing to tell it."""
    profiles = sorted(s for s in graph.subjects(RDF.type, CKG.CityProfile) if isinstance(s, URIRef))
    if len(profiles) != 1:
        return RdfProblem(
            "rdf:type",
            None,
            f"a submission describes exactly one ckg:CityProfile; this one has {len(profiles)}",
        )
    profile = profiles[0]
    city = graph.value(profile, CKG.city)
    name = graph.value(city, SCHEMA.name) if city is not None else None
    country_node = graph.value(city, CKG.country) if city is not None else None
    country = graph.value(country_node, SCHEMA.name) if country_node is not None else None
    wave_node = graph.value(profile, CKG.wave)
    year = graph.value(wave_node, CKG.year) if wave_node is not None else None
    if not isinstance(city, URIRef) or name is None:
        return RdfProblem("ckg:city", curie(profile), "the profile needs a ckg:city with a schema:name")
    if country is None:
        return RdfProblem("ckg:country", curie(city), "the city needs a ckg:country with a schema:name")
    if not (isinstance(year, Literal) and str(year).isdigit()):
        return RdfProblem(
            "ckg:wave", curie(profile), "the profile needs a ckg:wave whose ckg:year is the survey year"
        )
    return Identity(profile, city, str(name), str(country), int(str(year)))


def summary_document(graph: Graph, *, source: str) -> Document:
    """A document holding what the rest of citykg reads from every submission: city and wave."""
    found = identity(graph)
    if isinstance(found, RdfProblem):
        return Document(data={}, source=source)
    return Document(
        data={"city": {"name": found.name, "country": found.country}, "survey": {"wave": found.wave}},
        source=source,
    )
