"""The query catalog and the SPARQL endpoint as pages for people: `/queries` (each query's
title and description), `/queries/NAME` (a GET form for its parameters, with the concepts of
the vocabulary to choose from where a parameter is one, the answer as a table, links to the
same answer as CSV and JSON, and the SPARQL it ran) and `/sparql` (a text area, the catalog's
queries without parameters as examples, the same table). An error is shown with the status and
message the endpoint answers with (responses.explain), and the page carries that status.

The answers are the ones the machines get: the same job through the same workers and cache
(context.answer), only written as HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse

from citykg.errors import CityKGError
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.queries.catalog import CatalogQuery, Parameter, catalog
from citykg.queries.results import QueryResult
from citykg.rdf.terms import XSD
from citykg.serve.addresses import Addresses
from citykg.serve.context import ServeContext
from citykg.serve.describe import store_base
from citykg.serve.negotiation import GRAPH_OFFERS, ROW_OFFERS, accepts_html, parse_accept
from citykg.serve.pages import render, site
from citykg.serve.responses import Refused, explain
from citykg.serve.worker import Job

#: rows shown in a page's table (the downloads carry every row)
SHOWN_ROWS = 1000
#: the download links of an answer of rows and of a graph: (name, ?format= value, file suffix)
ROW_DOWNLOADS = (("CSV", "csv", "csv"), ("JSON", "json", "json"))
GRAPH_DOWNLOADS = (("Turtle", "turtle", "ttl"), ("JSON-LD", "jsonld", "jsonld"))
#: ?format= of a catalog query's answer -> the media type it stands for
FORMATS = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


#: the media types that name one of the server's answer formats (not the generic ones a browser
#: lists beside text/html, such as application/xml)
_ANSWER_TYPES = {o.media_type for o in ROW_OFFERS} | {o.media_type for o in GRAPH_OFFERS}


class Pages:
    """The HTML pages of the catalog and the endpoint over the live store."""

    def __init__(self, context: ServeContext) -> None:
        self.context = context
        self.live = context.live

    async def addresses(self) -> Addresses:
        store = await run_in_threadpool(self.live.get)
        return Addresses(store_base(store), self.context.config.url)

    def listing(self, queries: dict[str, CatalogQuery]) -> HTMLResponse:
        entries = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "url": self.context.url(f"queries/{q.name}"),
                "parameters": q.parameters,
            }
            for q in queries.values()
        ]
        body = render(
            "queries.html", site(self.context, "queries"), queries=entries, sparql=self.context.url("sparql")
        )
        return HTMLResponse(body)

    async def query(
        self,
        query: CatalogQuery,
        values: dict[str, str],
        server: dict[str, str],
        run: Job,
        timeout: float | None,
    ) -> HTMLResponse:
        """The page of one catalog query with `values` for its parameters, answered by `run`."""
        page: dict[str, Any] = {
            "name": query.name,
            "title": query.title,
            "description": query.description,
            "action": self.context.url(f"queries/{query.name}"),
            "fields": [_field(p, values.get(p.name)) for p in query.parameters],
            "asserted_only": server.get("inferred", "").lower() == "false",
            "sparql": query.text,
            "bound": [],
        }
        status = 200
        try:
            bound = await run_in_threadpool(query.bindings, values)
            page["bound"] = [(name, term.n3()) for name, term in bound.items()]
            found = await self.context.answer(run, timeout=timeout)
            assert found.result is not None
            page["answer"] = _table(found.result, await self.addresses())
            here = {**values, **server}
            kinds = GRAPH_DOWNLOADS if found.result.graph is not None else ROW_DOWNLOADS
            page["downloads"] = [
                {
                    "name": name,
                    "url": page["action"] + "?" + urlencode({**here, "format": fmt}),
                    "file": f"{query.name}.{suffix}",
                }
                for name, fmt, suffix in kinds
            ]
        except (CityKGError, Refused) as exc:
            status, message, hint = explain(exc)
            page["error"] = {"status": status, "message": message, "hint": hint}
        body = render("query.html", site(self.context, "queries"), page=page)
        return HTMLResponse(body, status_code=status)

    async def sparql(self, text: str | None, run: Job | None, timeout: float | None) -> HTMLResponse:
        """The endpoint's page: the text area (holding `text`) and, for a query, its answer."""
        examples = [
            {"title": q.title, "url": self.context.url("sparql") + "?" + urlencode({"query": q.text})}
            for q in catalog().values()
            if not q.parameters
        ]
        page: dict[str, Any] = {
            "action": self.context.url("sparql"),
            "text": text or "",
            "examples": examples,
        }
        status = 200
        if run is not None:
            try:
                found = await self.context.answer(run, timeout=timeout)
                assert found.result is not None
                page["answer"] = _table(found.result, await self.addresses())
            except (CityKGError, Refused) as exc:
                status, message, hint = explain(exc)
                page["error"] = {"status": status, "message": message, "hint": hint}
        body = render("sparql.html", site(self.context, "sparql"), page=page)
        return HTMLResponse(body, status_code=status)


def wants_page(accept: str | None) -> bool:
    """Whether a request to the endpoint or a catalog query gets the page: it asks for HTML
    before the formats for programs (as a browser does) and names none of the answer formats
    of this server (a client that names one, say text/csv below text/html, gets that format as
    it always did)."""
    named = {media for media, quality in parse_accept(accept) if quality > 0}
    return accepts_html(accept) and not named & _ANSWER_TYPES


def format_accept(value: str) -> str:
    """The media type a `?format=` value stands for (400 for another)."""
    if value not in FORMATS:
        raise Refused(400, f"format must be one of {', '.join(FORMATS)}, not {value!r}")
    return FORMATS[value]


def _field(parameter: Parameter, given: str | None) -> dict[str, Any]:
    value = given if given is not None else (parameter.default or "")
    field: dict[str, Any] = {
        "name": parameter.name,
        "label": parameter.name.replace("_", " "),
        "description": parameter.description,
        "type": parameter.type,
        "value": value,
        "choices": [],
    }
    if parameter.type in Scheme._value2member_map_:
        concepts = sorted(load_vocabulary().concepts(Scheme(parameter.type)), key=lambda c: c.label.lower())
        choices = [c.label for c in concepts]
        if value and value not in choices:
            choices.insert(0, value)  # a value given by URL (an IRI, another spelling): kept as given
        field["choices"] = choices
    elif parameter.type == "boolean":
        field["choices"] = ["true", "false"]
    return field


def _table(result: QueryResult, where: Addresses) -> dict[str, Any]:
    """An answer as a table: columns, rows of cells (text, link, note), how many rows there are."""
    if result.boolean is not None:
        return {"boolean": "yes" if result.boolean else "no"}
    if result.graph is not None:
        triples = sorted(result.graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
        rows = [[_cell(term, where) for term in triple] for triple in triples[:SHOWN_ROWS]]
        return {"columns": ["subject", "predicate", "object"], "rows": rows, "total": len(triples)}
    rows = [[_cell(row.get(v), where) for v in result.variables] for row in result.rows[:SHOWN_ROWS]]
    return {"columns": result.variables, "rows": rows, "total": len(result.rows)}


def _cell(term: Node | None, where: Addresses) -> dict[str, str | None]:
    if term is None:
        return {"text": "", "url": None, "note": ""}
    if isinstance(term, URIRef):
        return {"text": str(term), "url": where.url_of(str(term)), "note": ""}
    if isinstance(term, BNode):
        return {"text": f"_:{term}", "url": None, "note": ""}
    if isinstance(term, Literal):
        note = f"@{term.language}" if term.language else ""
        if term.datatype is not None and term.datatype != XSD.string:
            note = str(term.datatype).rsplit("#", 1)[-1]
        return {"text": str(term), "url": None, "note": note}
    return {"text": str(term), "url": None, "note": ""}
