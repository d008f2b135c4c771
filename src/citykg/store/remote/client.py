"""A client of the standard protocols only: SPARQL 1.1 Query and Update over HTTP, and the
Graph Store HTTP Protocol, to the configured URLs and nowhere else (redirects are refused).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import httpx
import pyoxigraph as ox

from citykg.errors import QueryError, QueryTimeout, StoreError
from citykg.store.remote import virtuoso
from citykg.store.remote.locator import RemoteLocation

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
_HINT = "check that the store's server runs and the URL is its SPARQL endpoint (--store)"


class SparqlClient:
    """One HTTP connection pool to a store's endpoints."""

    def __init__(self, location: RemoteLocation) -> None:
        self.location = location
        auth = virtuoso.ChallengeAuth(location.user, location.password or "") if location.user else None
        self._http = httpx.Client(
            timeout=location.timeout, follow_redirects=False, auth=auth, trust_env=False
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SparqlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(
        self,
        text: str,
        *,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        timeout: float | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """The answer of a query: rows or a boolean (SPARQL JSON results) or triples
        (N-Triples). The protocol's dataset parameters select the graphs."""
        form: dict[str, Any] = {"query": text}
        if default_graphs := list(default_graphs):
            form["default-graph-uri"] = default_graphs
        if named_graphs := list(named_graphs):
            form["named-graph-uri"] = named_graphs
        response = self._send(
            "POST",
            self.location.query,
            data=form,
            headers={"Accept": virtuoso.accept(text)},
            timeout=timeout,
            query=True,
        )
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind == _RESULTS:
            virtuoso.check_complete(response, self.location.query)
            content = virtuoso.mend_results(response.content)
            return ox.parse_query_results(content, format=ox.QueryResultsFormat.JSON)
        if kind in {_TRIPLES, "text/plain"}:
            return [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
        raise StoreError(
            f"the query endpoint answered with {kind or 'no media type'}, not SPARQL results",
            where=self.location.query,
            hint=_HINT,
        )

    def rows(self, text: str, **dataset: Any) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        """The rows of a SELECT, as name -> term (unbound names left out)."""
        result = self.query(text, **dataset)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in result]

    def update(self, text: str) -> None:
        self._send("POST", self.location.update, data={"update": text})

    def post_triples(self, graph: str, ntriples: bytes) -> None:
        """Add N-Triples to a graph: Graph Store `POST ?graph=` when there is such an endpoint,
        else SPARQL Update `INSERT DATA` (N-Triples statements are SPARQL triples)."""
        if self.location.graph_store is not None:
            self._send(
                "POST",
                self.location.graph_store,
                params={"graph": graph},
                content=ntriples,
                headers={"Content-Type": _TRIPLES},
            )
        else:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.decode()}}} }}")

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        """The triples of one graph (Graph Store `GET`, else a CONSTRUCT over that graph)."""
        if self.location.graph_store is not None:
            response = self._send(
                "GET", self.location.graph_store, params={"graph": graph}, headers={"Accept": _TRIPLES}
            )
            triples = [quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
            if virtuoso.is_virtuoso(response):  # a graph longer than its row limit comes cut short
                count = self.rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
                if int(count[0]["n"].value) != len(triples):
                    raise virtuoso.cut_short(self.location.graph_store, len(triples))
            yield from triples
            return
        result = self.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[graph])
        assert isinstance(result, list)
        yield from result

    def _send(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        query: bool = False,
    ) -> httpx.Response:
        try:
            for attempt in itertools.count():
                response = self._http.request(
                    method,
                    url,
                    data=data,
                    params=params,
                    content=content,
                    headers=headers,
                    timeout=timeout if timeout is not None else self.location.timeout,
                )
                pause = virtuoso.retry_after(response, attempt)
                if pause is None:
                    break
                time.sleep(pause)
        except httpx.TimeoutException as exc:
            if query:
                raise QueryTimeout(
                    "the store's server did not answer the query in time",
                    where=url,
                    hint="give it more time with --timeout, or narrow the query",
                ) from exc
            raise StoreError("the store's server did not answer in time", where=url, hint=_HINT) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the store's server ({exc})", where=url, hint=_HINT) from exc
        if response.is_redirect:
            raise StoreError(
                f"the server redirects to {response.headers.get('location', '?')}; citykg follows "
                "no redirect",
                where=url,
                hint="give the URL it redirects to, if you trust it",
            )
        if response.status_code >= 400:
            message = _first_line(response)
            if query and response.status_code == 400:
                raise QueryError(f"the store refused the query: {message}", where=url)
            raise StoreError(
                f"the store's server answered {response.status_code}: {message}",
                where=url,
                hint="check the credentials and the permissions citykg needs (docs/remote-store.md)"
                if response.status_code in {401, 403}
                else _HINT,
            )
        return response


def _first_line(response: httpx.Response) -> str:
    text = response.text.strip()
    if response.headers.get("content-type", "").startswith("application/json"):
        with contextlib.suppress(ValueError, AttributeError):
            text = str(json.loads(text).get("message", text))
    return (text.splitlines() or [response.reason_phrase])[0][:300]
