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

import multiprocessing
import re
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from citykg.errors import CityKGError, QueryError, StoreError
from citykg.resources import queries_dir
from citykg.results import QueryResult
from citykg.terms import XSD
from citykg.vocabulary import Scheme, Vocabulary, load_vocabulary

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

    def bind(self, value: str, vocabulary: Vocabulary) -> Node:
        """The RDF term for a user's value: labels of vocabularies resolve to concepts."""
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
        vocabulary = vocabulary or load_vocabulary()
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
    queries = catalog()
    if name not in queries:
        raise QueryError(f"no query named '{name}' in the catalog", hint="list them with: citykg queries")
    return queries[name]


# ------------------------------------------------------------------ safety

_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# a keyword, not part of a variable (?from), a prefixed name (ex:load) or a longer word
_REFUSED = re.compile(r"(?<![?$:\w-])(SERVICE|LOAD|FROM)(?![\w:-])", re.I)


def check_safe(sparql: str) -> None:
    """Refuse queries that could reach the network or the file system: SERVICE, LOAD, FROM and
    FROM NAMED, in any case, outside strings, IRIs and comments (codepoint escapes decoded)."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    code = _STRINGS_IRIS_COMMENTS.sub(" ", decoded)
    found = _REFUSED.search(code)
    if found:
        keyword = found.group(1).upper()
        line = code.count("\n", 0, found.start()) + 1
        raise QueryError(
            f"{keyword} is not allowed: citykg answers questions from its own store only, "
            "and never reads a URL or a file a query names",
            where=f"query line {line}",
            hint="remove the "
            + keyword
            + " clause"
            + ("; to query one graph of the store, use GRAPH <name> { ... }" if keyword == "FROM" else ""),
        )


# ------------------------------------------------------------------ answering


def answer(
    store_path: Path,
    *,
    name: str | None = None,
    sparql: str | None = None,
    file: Path | None = None,
    params: dict[str, str] | None = None,
    include_inferred: bool = True,
    timeout: float | None = None,
) -> QueryResult:
    """Run a catalog query (with bound parameters) or ad hoc SPARQL against the store.

    `include_inferred=False` answers from the asserted graphs only. With `timeout` (seconds)
    the query runs in a child process that is stopped when the time is up (QueryTimeout).
    """
    bindings: dict[str, Node] = {}
    if name is not None:
        entry = find(name)
        text = entry.text
        bindings = entry.bindings(params or {})
    else:
        if params:
            raise QueryError(
                "-p parameters go with catalog queries only",
                hint="write the values into your SPARQL, or use a catalog query",
            )
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"cannot read the query file: {exc}", where=str(file)) from exc
        else:
            text = sparql or ""
    check_safe(text)
    if timeout is None:
        return run_query(store_path, text, bindings, include_inferred)
    if timeout <= 0:
        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    return _run_with_timeout(store_path, text, bindings, include_inferred, timeout)


def run_query(store_path: Path, text: str, bindings: dict[str, Node], include_inferred: bool) -> QueryResult:
    """Run checked SPARQL with its bindings on the store's live generation (read-only)."""
    from citykg.iris import IRIs
    from citykg.store import base_of, open_store
    from citykg.terms import DEFAULT_BASE

    store = open_store(store_path)
    extra = [IRIs(base_of(store) or DEFAULT_BASE).inferred_graph] if include_inferred else []
    return QueryResult.from_oxigraph(store.query(text, substitutions=bindings, extra_graphs=extra))


# ------------------------------------------------------------------ time limit


class QueryTimeout(QueryError):
    """A query ran longer than its --timeout and was stopped."""


#: how long the child process may take to start (import citykg) before the query's time starts
_STARTUP_SECONDS = 60.0


def _child(connection: Connection, args: tuple[Path, str, dict[str, Node], bool]) -> None:
    try:
        connection.send(("ready", None))  # imports done: the time limit starts now
        connection.send(("ok", run_query(*args)))
    except CityKGError as exc:
        connection.send(("error", (type(exc).__name__, exc.message, exc.where, exc.hint)))
    except Exception as exc:  # a bug: report it in the parent, with its text
        connection.send(("bug", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def _run_with_timeout(
    store_path: Path, text: str, bindings: dict[str, Node], include_inferred: bool, timeout: float
) -> QueryResult:
    """pyoxigraph cannot cancel a query, so it runs in a child process that is killed on time."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, (store_path, text, bindings, include_inferred)), daemon=True
    )
    child.start()
    sender.close()
    try:
        if receiver.poll(_STARTUP_SECONDS):
            receiver.recv()
        if not receiver.poll(timeout):
            raise QueryTimeout(
                f"the query did not finish within {timeout:g} s and was stopped",
                hint="give it more time with --timeout, or narrow it (a LIMIT, a more specific pattern)",
            )
        status, payload = receiver.recv()
    except EOFError as exc:
        raise RuntimeError("the query process ended without an answer") from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "ok":
        assert isinstance(payload, QueryResult)
        return payload
    if status == "error":
        kind, message, where, hint = payload
        error_class = StoreError if kind == "StoreError" else QueryError
        raise error_class(message, where=where, hint=hint)
    raise RuntimeError(f"the query process failed: {payload}")
