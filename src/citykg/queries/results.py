"""Query results as values, and their renderings: table, CSV, TSV, SPARQL JSON and XML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from citykg.errors import QueryError, ResultTooLarge
from citykg.rdf.convert import from_ox, graph_of, to_ox
from citykg.rdf.formats import ExportFormat, ResultFormat
from citykg.rdf.terms import XSD, display_prefixes

_T = TypeVar("_T")


@dataclass
class QueryResult:
    """Rows of a SELECT, a boolean of an ASK, or a graph of a CONSTRUCT/DESCRIBE."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    @classmethod
    def from_oxigraph(cls, result: object, *, limit: int | None = None) -> QueryResult:
        """The answer of a pyoxigraph query; more than `limit` rows or triples is a
        ResultTooLarge, raised before the rest is read."""
        if isinstance(result, ox.QueryBoolean):
            return cls(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            converted: dict[object, Node] = {}  # a term repeats across rows: convert it once
            for solution in _at_most(result, limit, "rows"):
                row = {}
                for name, term in zip(variables, solution, strict=True):
                    if term is not None:
                        node = converted.get(term)
                        if node is None:
                            node = converted[term] = from_ox(term)
                        row[name] = node
                rows.append(row)
            return cls(variables=variables, rows=rows)
        if isinstance(result, ox.QueryTriples | list):  # a list: a remote store's triples
            return cls(graph=graph_of(_at_most(result, limit, "triples")))
        raise TypeError(f"unexpected query result {result!r}")

    def column(self, name: str) -> list[str]:
        return [str(row[name]) for row in self.rows if name in row]


def _at_most(items: Iterable[_T], limit: int | None, what: str) -> Iterator[_T]:
    for count, item in enumerate(items, 1):
        if limit is not None and count > limit:
            raise ResultTooLarge(
                f"the answer has more than {limit:,} {what}, the limit of this server",
                where="query",
                hint="narrow the query, or page through the answer with LIMIT and OFFSET",
            )
        yield item


def render(result: QueryResult, fmt: ResultFormat) -> str:
    """The answer as text: rows as a table, CSV, TSV, SPARQL JSON or XML; graphs as Turtle or JSON-LD."""
    if result.graph is not None:
        if fmt is ResultFormat.TABLE:
            fmt = ResultFormat.TURTLE
        if not fmt.for_graphs:
            raise QueryError(
                f"this query answers with a graph, which cannot be printed as {fmt.value}",
                hint="print it with -f turtle or -f jsonld",
            )
        return render_graph(result.graph, fmt)
    if fmt.for_graphs:
        raise QueryError(
            f"this query answers with {'rows' if result.boolean is None else 'yes or no'}, not a graph",
            hint="print it with -f table, csv, tsv, json or xml; -f turtle and jsonld are for CONSTRUCT",
        )
    if result.boolean is not None:
        if fmt is ResultFormat.JSON:
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        if fmt is ResultFormat.XML:
            return (
                f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(result.boolean).lower()}</boolean></sparql>\n"
            )
        return ("yes" if result.boolean else "no") + "\n"
    return {
        ResultFormat.TABLE: _table,
        ResultFormat.CSV: _csv,
        ResultFormat.TSV: _tsv,
        ResultFormat.JSON: _json,
        ResultFormat.XML: _xml,
    }[fmt](result)


_CONTROL = {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}


def render_graph(graph: Graph, fmt: ResultFormat) -> str:
    """A CONSTRUCT/DESCRIBE answer as sorted, prefixed Turtle or JSON-LD (same graph, same bytes)."""
    from citykg.rdf.serialize import serialize_graph  # the writers (and pyld): graph answers only

    export_format = ExportFormat.TURTLE if fmt is ResultFormat.TURTLE else ExportFormat.JSONLD
    text = serialize_graph(graph, export_format).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def display(term: Node) -> str:
    """A term as a person reads it: literals as their text, IRIs as prefixed names where known
    (`partner-type:hospitals`, `ckg:City`, `id:city/finland/helsinki`); line breaks and tabs
    shown as \\n and \\t so that each row stays on one line."""
    if isinstance(term, URIRef):
        compact = display_prefixes().compact(str(term))
        if compact is not None:
            return compact
    return str(term).translate(_CONTROL)


def _table(result: QueryResult) -> str:
    header = result.variables
    body = [[display(row[v]) if v in row else "" for v in header] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    numeric = [
        all(_is_number(row.get(v)) for row in result.rows if v in row) and any(v in r for r in result.rows)
        for v in header
    ]

    def line(cells: list[str]) -> str:
        out = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=True)]
        return "  ".join(out).rstrip()

    lines = [line(header), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in body]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _is_number(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.datatype in (
        XSD.integer,
        XSD.decimal,
        XSD.double,
        XSD.int,
        XSD.long,
    )


def _csv_term(term: Node) -> str:
    """SPARQL 1.1 CSV: the plain value, blank nodes as _:label."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_term(row[v]) if v in row else "" for v in result.variables])
    return out.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(str(to_ox(row[v])) if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, Any]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out: dict[str, Any] = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    document = {
        "head": {"vars": result.variables},
        "results": {"bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _xml(result: QueryResult) -> str:
    parts = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    parts += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    parts += ["</head>", "<results>"]
    for row in result.rows:
        parts.append("<result>")
        for name, term in row.items():
            if isinstance(term, URIRef):
                inner = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                inner = f"<bnode>{escape(str(term))}</bnode>"
            else:
                assert isinstance(term, Literal)
                attrs = ""
                if term.language:
                    attrs = f" xml:lang={quoteattr(term.language)}"
                elif term.datatype and term.datatype != XSD.string:
                    attrs = f" datatype={quoteattr(str(term.datatype))}"
                inner = f"<literal{attrs}>{escape(str(term))}</literal>"
            parts.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        parts.append("</result>")
    parts += ["</results>", "</sparql>"]
    return "\n".join(parts) + "\n"
