"""The query catalog (queries/*.rq, each with a header) and running queries safely.

Header lines at the top of each file:
    # title: ...
    # description: ... (may continue on lines starting with '#   ')
    # param: NAME (TYPE) = DEFAULT -- what it is     (TYPE: a vocabulary such as partner-type,
    #                                                  or string, integer, year, iri)
    # example: citykg query NAME -p NAME=VALUE
Parameters are bound as SPARQL substitutions, never formatted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from citykg.errors import QueryError
from citykg.model.vocabulary import Scheme, Vocabulary, load_vocabulary
from citykg.rdf.terms import XSD
from citykg.resources import queries_dir

_HEADER = re.compile(r"#\s*(title|description|param|example):\s?(.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s*\((?P<type>[\w-]+)\)\s*(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<doc>.*))?$"
)
_SCALAR_TYPES = {"string", "integer", "year", "iri", "boolean"}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str

    def bind(self, value: str, vocabulary: Vocabulary | None = None) -> Node:
        """The RDF term for a user's value: labels of vocabularies resolve to concepts (the
        vocabularies are parsed only for such a parameter)."""
        if self.type == "string":
            return Literal(value)
        if self.type == "integer":
            if not re.fullmatch(r"-?\d+", value):
                raise QueryError(f"parameter {self.name} must be a whole number, not {value!r}")
            return Literal(int(value), datatype=XSD.integer)
        if self.type == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise QueryError(f"parameter {self.name} must be a year such as 2020, not {value!r}")
            return Literal(value, datatype=XSD.gYear)
        if self.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise QueryError(f"parameter {self.name} must be true or false, not {value!r}")
            return Literal(value.lower() == "true")
        if self.type == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                raise QueryError(f"parameter {self.name} must be an http(s) IRI, not {value!r}")
            return URIRef(value)
        scheme = Scheme(self.type)
        vocabulary = vocabulary or load_vocabulary()
        concept = vocabulary.resolve(value, [scheme])
        if concept is None:
            match = vocabulary.match(scheme, value)
            hint = (
                f"did you mean '{match.suggestion.label}'?"
                if match.suggestion
                else ("known values: " + ", ".join(c.label for c in vocabulary.concepts(scheme)))
            )
            raise QueryError(
                f"'{value}' is not a {scheme.value.replace('-', ' ')}",
                where=f"parameter {self.name}",
                hint=hint,
            )
        return concept.iri


@dataclass(frozen=True)
class CatalogQuery:
    name: str
    path: Path
    title: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def bindings(self, values: dict[str, str], vocabulary: Vocabulary | None = None) -> dict[str, Node]:
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(
                f"query '{self.name}' has no parameter {', '.join(unknown)}",
                hint="its parameters: " + (", ".join(known) or "none"),
            )
        bound: dict[str, Node] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None or value == "":
                if parameter.name in values or parameter.default is None:
                    raise QueryError(
                        f"query '{self.name}' needs -p {parameter.name}=VALUE", hint=parameter.description
                    )
                continue
            bound[parameter.name] = parameter.bind(value, vocabulary)
        return bound


def parse_header(path: Path) -> CatalogQuery:
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            last = match.group(1)
            fields[last].append(match.group(2).strip())
        elif last in ("description",) and line.startswith("#   "):
            fields[last][-1] += " " + line[1:].strip()
    parameters = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match:
            raise QueryError(
                f"bad parameter line {spec!r}",
                where=str(path),
                hint="write: # param: NAME (TYPE) = DEFAULT -- description",
            )
        kind = match.group("type")
        if kind not in _SCALAR_TYPES and kind not in Scheme._value2member_map_:
            raise QueryError(f"unknown parameter type {kind!r}", where=str(path))
        default = match.group("default")
        parameters.append(
            Parameter(
                match.group("name"),
                kind,
                default.strip() if default else None,
                (match.group("doc") or "").strip(),
            )
        )
    return CatalogQuery(
        name=path.stem,
        path=path,
        title=" ".join(fields["title"]),
        description=" ".join(fields["description"]),
        parameters=parameters,
        examples=fields["example"],
    )


def catalog(directory: Path | None = None) -> dict[str, CatalogQuery]:
    """Every query of the catalog, by name."""
    folder = directory or queries_dir()
    return {path.stem: parse_header(path) for path in sorted(folder.glob("*.rq"))}


def find(name: str) -> CatalogQuery:
    """The catalog query `name`, reading only its own file (a request or a command asks for one)."""
    folder = queries_dir()
    if name not in {path.stem for path in folder.glob("*.rq")}:
        raise QueryError(f"no query named '{name}' in the catalog", hint="list them with: citykg queries")
    return parse_header(folder / f"{name}.rq")
