"""RDF submissions: Turtle and JSON-LD files read into one graph per submission.

An RDF submission describes one city profile with the terms of the ontology, using the IRIs
citykg mints (`<base>id/...`). It goes through the same SHACL validation and store path as a
mapped YAML/JSON/CSV document (`map_graph` makes the same `Mapped` value).

Safety: nothing is fetched or read because a file says so. JSON-LD is accepted only with the
bundled context (`ontology/context.jsonld`), referenced by CONTEXT_IRI or inlined identically;
pyld runs with a document loader that serves that one context and refuses everything else.
Turtle has no import mechanism; pyoxigraph's parser reads only the bytes given.

What the store cannot hold is refused here, so that what validate accepts submit and build
accept too: IRIs that are relative or not valid IRIs, malformed language tags, literals that are
not valid for their XSD datatype (`"x"^^xsd:integer`), and JSON-LD keys or values that JSON-LD
would silently drop. Messages name the file and, where known, the line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from citykg.errors import InputError
from citykg.model.document import Document
from citykg.rdf.convert import graph_of
from citykg.rdf.jsonld import CONTEXT_ALIAS, bundled_documents, context_document, options, to_rdf
from citykg.rdf.terms import CKG, RDF, SCHEMA, curie
from citykg.sources.common import MAX_DIGITS, shorten
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


_OX_ERROR = re.compile(
    r"Parser error at line (\d+) (?:between columns (\d+) and \d+|column (\d+)): (.*?)(?: \(line \d+\))?$",
    re.DOTALL,
)


def read_turtle(text: str, *, source: str) -> Graph:
    try:
        quads = list(ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        found = _OX_ERROR.match(str(exc))
        where, reason = source, str(exc)
        if found:
            where = f"{source}:{found.group(1)}:{found.group(2) or found.group(3)}"
            reason = found.group(4)
        raise InputError(
            f"Turtle syntax error: {reason}",
            where=where,
            hint="check this line; every statement ends with '.', IRIs are absolute (https://...)",
        ) from exc
    return _graph(quads, source)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}"
_DECIMAL = rf"[+-]?([0-9]{{1,{MAX_DIGITS}}}(\.[0-9]*)?|\.[0-9]+)"
_TIMEZONE = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
# the lexical forms of the XSD datatypes citykg's data uses, checked the same in every command
# (rdflib's own check changes when a library such as owlrl registers other converters)
LEXICAL = {
    _XSD + name: re.compile(pattern)
    for names, pattern in (
        (("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"), _INTEGER),
        (("decimal",), _DECIMAL),
        (("double", "float"), _DECIMAL + r"([eE][+-]?[0-9]{1,4})?|[+-]?INF|NaN"),
        (("boolean",), r"true|false|1|0"),
        (("gYear",), r"-?[0-9]{4}" + _TIMEZONE),
        (("date",), r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}" + _TIMEZONE),
        (("dateTime",), r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?" + _TIMEZONE),
    )
    for name in names
}


def _graph(statements: Iterable[ox.Quad], source: str) -> Graph:
    """The rdflib graph of parsed statements; literals not valid for their datatype are refused."""
    statements = list(statements)
    for statement in statements:
        term = statement.object
        if isinstance(term, ox.Literal):
            lexical = LEXICAL.get(term.datatype.value)
            if lexical is not None and not lexical.fullmatch(term.value):
                datatype = term.datatype.value[len(_XSD) :]
                raise InputError(
                    f"the literal {shorten(term.value)!r} is not a valid xsd:{datatype}",
                    where=source,
                    hint="write a value of the datatype, or another datatype",
                )
    with _rdflib_log():  # rdflib's warnings about values it cannot convert stay off stderr
        return graph_of(statements)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0] if record.getMessage() else "")


@contextmanager
def _rdflib_log() -> Iterator[list[str]]:
    """rdflib's warnings (for ill-typed literals, bad IRIs) captured instead of printed."""
    logger = logging.getLogger("rdflib")
    handler = _Records()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


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
    _check_keys(data, origins, source)
    from pyld import jsonld  # start-up time: PyLD loads only for JSON-LD submissions

    try:
        expanded = jsonld.expand(data, options(base=None))
    except InputError as exc:
        raise InputError(_first_line(exc.message), where=source, hint=exc.hint) from exc
    except Exception as exc:  # pyld raises many types on hostile input; none may escape as a bug
        raise InputError(f"cannot read the JSON-LD: {_pyld_reason(exc)}", where=source) from exc
    for value, message in _bad_terms(expanded):
        raise InputError(f"{message}: {shorten(value)!r}", where=_place(data, origins, value, source))
    try:
        quads = to_rdf(data)
    except InputError as exc:
        raise InputError(f"cannot read the JSON-LD: {_first_line(exc.message)}", where=source) from exc
    except Exception as exc:
        raise InputError(f"cannot read the JSON-LD: {_pyld_reason(exc)}", where=source) from exc
    if any(not isinstance(quad.graph_name, ox.DefaultGraph) for quad in quads):
        raise InputError(
            "a JSON-LD submission must not name graphs", where=source, hint="remove the named graph"
        )
    return _graph(quads, source)


def _pyld_reason(exc: BaseException) -> str:
    """The most specific message of a pyld error (its causes), as words, not a Python tuple."""
    reason = ""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.args and isinstance(current.args[0], str):
            reason = current.args[0]
        details = getattr(current, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        current = cause if isinstance(cause, BaseException) else getattr(current, "cause", None)
        if not isinstance(current, BaseException):
            current = None
    return _first_line(reason or type(exc).__name__)


def _check_keys(data: Any, origins: dict[str, Any], source: str, path: str = "") -> None:
    """Refuse keys the bundled context does not define: JSON-LD would drop them silently."""
    terms = bundled_context()["@context"]
    if isinstance(data, list):
        for index, item in enumerate(data):
            _check_keys(item, origins, source, f"{path}[{index}]")
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        here = f"{path}.{key}" if path else key
        if key == "@context":
            continue
        if not key.startswith("@") and key not in terms and ":" not in key:
            origin = origins.get(here)
            raise InputError(
                f"{shorten(key)!r} is not a term of citykg's context, so JSON-LD would drop it",
                where=origin.describe() if origin else source,
                hint="use the terms of ontology/context.jsonld, or a full IRI",
            )
        _check_keys(value, origins, source, here)


def _bad_terms(expanded: Any) -> Iterator[tuple[str, str]]:
    """(value, why) for each IRI or language tag in expanded JSON-LD that RDF cannot hold."""
    if isinstance(expanded, list):
        for item in expanded:
            yield from _bad_terms(item)
        return
    if not isinstance(expanded, dict):
        return
    for key, value in expanded.items():
        if key == "@id" or key == "@type" or not key.startswith("@"):
            iris = [key] if not key.startswith("@") else []
            if key in ("@id", "@type") and not ("@value" in expanded and key == "@type"):
                iris += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
            elif key == "@type" and isinstance(value, str) and value != "@json":
                iris.append(value)
            for iri in iris:
                problem = _iri_problem(iri)
                if problem:
                    yield iri, problem
        if key == "@language" and isinstance(value, str):
            try:
                ox.Literal("x", language=value)
            except ValueError as exc:
                yield value, f"the language tag is not valid ({exc})"
        if isinstance(value, (list, dict)):
            yield from _bad_terms(value)


def _iri_problem(iri: str) -> str | None:
    if iri.startswith("_:"):
        return None
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        return "a relative IRI or an unknown term; write an absolute IRI (https://...)"
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        return f"not a valid IRI ({exc})"
    return None


def _place(data: Any, origins: dict[str, Any], value: str, source: str) -> str:
    """Where `value` is written in the JSON-LD (its first occurrence as a string or a key)."""
    for path, text in _strings(data, ""):
        if text == value or text.endswith(value):
            origin = origins.get(path)
            if origin is not None:
                return str(origin.describe())
    return source


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
    if not (isinstance(year, Literal) and re.fullmatch("[0-9]{4}", str(year))):
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
