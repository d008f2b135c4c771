"""Checking a query before it runs: it is parsed (rdflib's SPARQL parser, once) and refused when
it is an update, holds a SERVICE anywhere in its algebra, or cannot be parsed. What a query
names in FROM / FROM NAMED is returned, for the run to check against the store's graphs.

This is a check on the parsed query, not on its text: a SERVICE hidden by a comment, a string,
an escaped quote or an odd case is still a SERVICE node in the algebra, and a query that the
parser cannot read is refused rather than handed to the engine unchecked.

The engine (Oxigraph) has a parser of its own, and the two must read the same text the same
way. They differ in two places, so the text is made plain first and the engine is given the
plain text, the one that was checked: codepoint escapes (`\\u0022`) are decoded (SPARQL decodes
them before parsing; Oxigraph only inside strings and IRIs, so `"\\u0022"` was a quote to it and
the start of a long string to rdflib), and a lone carriage return becomes a line feed (it ends
a comment for Oxigraph, not for rdflib).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from citykg.errors import QueryError

#: the update operations of SPARQL 1.1 Update, by the name rdflib's parser gives them
_UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}

#: the declarations and comments a request may start with, then the word of an update
_UPDATE_START = re.compile(
    r"(?:\s+|#[^\n]*|PREFIX\s*[^\s:]*:\s*<[^<>]*>|BASE\s*<[^<>]*>)*"
    r"(?:LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|INSERT|DELETE|WITH)\b",
    re.IGNORECASE,
)

_LIST_GRAPHS = "citykg query --sparql 'SELECT DISTINCT ?g WHERE { GRAPH ?g { } }'"


@dataclass(frozen=True)
class Dataset:
    """The graphs a query names in FROM (its default graph) and FROM NAMED."""

    default: tuple[URIRef, ...] = ()
    named: tuple[URIRef, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)

    def check_in(self, graphs: set[URIRef]) -> None:
        """Refuse a FROM / FROM NAMED that names a graph not in `graphs` (the store's)."""
        for clause, names in (("FROM", self.default), ("FROM NAMED", self.named)):
            for name in names:
                if name not in graphs:
                    raise QueryError(
                        f"{clause} <{name}> names a graph that is not in the store; citykg "
                        "answers from its own graphs only, and never reads a URL or a file",
                        where="query",
                        hint=f"name one of the store's graphs (list them with {_LIST_GRAPHS}), "
                        "or leave out the FROM clause to query all of them",
                    )


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed `check_query`: its plain text (what the engine must run), the
    graphs it names in FROM / FROM NAMED, and the IRIs of its `GRAPH <iri>` patterns (as many
    times as it has them)."""

    text: str
    dataset: Dataset
    graphs: tuple[str, ...] = ()


@lru_cache(maxsize=512)
def check_query(sparql: str) -> CheckedQuery:
    """Parse `sparql` and refuse it unless it is a read-only query with no SERVICE (QueryError,
    naming what was refused and where). The answer for a text is kept (a server checks the
    same catalog queries again and again; rdflib's parser takes a tenth of a second)."""
    text = plain_text(sparql)
    try:
        with _quiet_rdflib():
            parsed = parseQuery(text)
            query = translateQuery(parsed)
    except ParseBaseException as exc:
        _refuse_update(text)
        raise _syntax_error(exc) from exc
    except RecursionError as exc:
        raise QueryError(
            "the query is nested too deeply to be checked", where="query", hint="flatten its groups"
        ) from exc
    except Exception as exc:  # an undeclared prefix, a \\u escape of no code point, ...
        raise QueryError(f"SPARQL syntax error: {exc}", where="query", hint="check the query text") from exc
    service = next(_services(query.algebra), None)
    if service is not None:
        endpoint = service["term"]
        named = f"<{endpoint}>" if isinstance(endpoint, URIRef) else f"?{endpoint}"
        raise QueryError(
            f"SERVICE {named} is not allowed: citykg answers from its own store only, "
            "and never sends a query to another endpoint",
            where="query",
            hint="remove the SERVICE clause",
        )
    return CheckedQuery(text, _dataset(query.algebra), tuple(_graph_constants(query.algebra)))


def plain_text(sparql: str) -> str:
    """The query with its codepoint escapes decoded and its line ends made line feeds, so that
    rdflib's parser and the engine's read it alike (see the module's description)."""
    try:
        text = expandUnicodeEscapes(sparql)
    except ValueError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}", where="query", hint="check the query text") from exc
    if expandUnicodeEscapes(text) != text:
        raise QueryError(
            "a codepoint escape spells another escape (\\u005C followed by u...), which the "
            "engine would decode a second time",
            where="query",
            hint="write the character itself instead of an escape",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _services(node: object) -> Iterator[CompValue]:
    """Every SERVICE pattern in the algebra, at any depth (filters, subqueries, EXISTS)."""
    return _patterns(node, {"ServiceGraphPattern"})


def _graph_constants(node: object) -> Iterator[str]:
    """The IRI of every `GRAPH <iri>` pattern, at any depth (an EXISTS keeps its parse tree's)."""
    for pattern in _patterns(node, {"Graph", "GraphGraphPattern"}):
        term = pattern.get("term")
        if isinstance(term, URIRef):
            yield str(term)


def _patterns(node: object, names: set[str]) -> Iterator[CompValue]:
    """Every pattern named one of `names` in the algebra, at any depth."""
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, CompValue):
            if item.name in names:
                yield item
            pending.extend(item.values())
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            pending.extend(item)


def _dataset(algebra: CompValue) -> Dataset:
    default: list[URIRef] = []
    named: list[URIRef] = []
    # CompValue.get returns the key itself for a missing key: read the plain dict
    clauses = dict.get(algebra, "datasetClause")
    for clause in clauses or []:
        if "default" in clause:
            default.append(URIRef(clause["default"]))
        if "named" in clause:
            named.append(URIRef(clause["named"]))
    return Dataset(tuple(default), tuple(named))


def _refuse_update(sparql: str) -> None:
    """An update is refused as one, also a broken one (its first word after the PREFIX and BASE
    declarations says so), not reported as a query that lacks its SELECT."""
    try:
        with _quiet_rdflib():
            update = parseUpdate(sparql)
    except Exception:
        if _UPDATE_START.match(sparql):
            raise QueryError(
                "updates are not allowed: citykg query only reads the store",
                where="query",
                hint="change the store with citykg build or citykg submit",
            ) from None
        return
    requests = dict.get(update, "request")
    operations = [_UPDATES.get(op.name, op.name) for op in requests or []]
    if operations:
        raise QueryError(
            f"updates are not allowed ({', '.join(dict.fromkeys(operations))}): "
            "citykg query only reads the store",
            where="query",
            hint="change the store with citykg build or citykg submit",
        )


def _syntax_error(exc: ParseBaseException) -> QueryError:
    reason = str(exc).split("  (at char", 1)[0]
    return QueryError(
        f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {reason}",
        where=f"query line {exc.lineno}",
        hint="check the query text",
    )


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a warning for an IRI it finds odd (`ex:a\\'`); the engine decides, not it."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
