"""What Virtuoso Open Source 7 does differently from the SPARQL 1.1 protocols, and how the
client copes; each point is shown by tests/test_triplestore_protocol.py (docs/remote-store.md).

- Its update and Graph Store endpoints (`/sparql-auth`, `/sparql-graph-crud-auth`) take only
  HTTP Digest: `ChallengeAuth` answers whichever scheme the server challenges with, and never
  sends a password before a server asks for one.
- It names blank nodes `nodeID://b10000` in JSON results, which no SPARQL JSON parser takes,
  gives some language tags as `lang` instead of `xml:lang`, and every xsd:boolean as `1` or `0`:
  `mend_results` mends these (to the canonical `true` and `false`).
- It cuts every answer at `ResultSetMaxRows` (10,000 as packaged) without an error: a SELECT says
  so in an `X-SPARQL-MaxRows` header (`check_complete`); a graph read is counted (`cut_short`).
- Offered SPARQL JSON and N-Triples for a CONSTRUCT, it answers with a JSON table of s, p, o:
  `accept` asks for the one media type the query's form answers in.
- It aborts a transaction that deadlocks with another (a reader's, say) and answers 500 with
  SQLSTATE 40001: `retry_after` says to send the request again (citykg's writes add or drop
  whole sets of triples, so a second send gives what one would).
- An `INSERT` whose WHERE is only `FILTER NOT EXISTS { ... }` inserts whatever the graph holds:
  `when_empty` says "the graph is empty" by a count, which every server evaluates alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from typing import Any

import httpx

from citykg.errors import StoreError

_BLANK = b'"nodeID://'
_LANG = b'"lang"'
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_DEADLOCK = "Virtuoso 40001 Error"
_TRIES = 6  # 3 s of pauses in all
_BOOLEANS = {"1": "true", "0": "false"}  # Virtuoso writes every xsd:boolean as 1 or 0
_MAX_ROWS = "x-sparql-maxrows"


RESULTS = "application/sparql-results+json"
TRIPLES = "application/n-triples"
# the query form: the first keyword of the four, outside IRIs and comments, not part of a name
_IRI = re.compile(r"<[^<>\s]*>")
_COMMENT = re.compile(r"#[^\n]*")
_FORM = re.compile(r"(?<![\w:-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)


def accept(sparql: str) -> str:
    """The media type to ask for: N-Triples for a CONSTRUCT or DESCRIBE, else SPARQL JSON."""
    found = _FORM.search(_COMMENT.sub("", _IRI.sub("<>", sparql)))
    graph = found is not None and found.group(1).upper() in {"CONSTRUCT", "DESCRIBE"}
    return TRIPLES if graph else RESULTS


def is_virtuoso(response: httpx.Response) -> bool:
    return str(response.headers.get("server", "")).startswith("Virtuoso/")


class ChallengeAuth(httpx.Auth):
    """HTTP Basic or Digest, as the server's 401 challenge asks (the scheme learnt is kept)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from self._scheme.auth_flow(request)
            return
        response = yield request
        challenge = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if response.status_code != 401 or challenge not in {"digest", "basic"}:
            return
        if challenge == "basic":
            self._scheme = self._basic
            yield from self._basic.auth_flow(request)
            return
        self._scheme = self._digest
        flow = self._digest.auth_flow(request)
        next(flow)  # the request as first sent: the challenge it met is `response`
        try:
            answered = yield flow.send(response)
            flow.send(answered)
        except StopIteration:
            pass


def mend_results(content: bytes) -> bytes:
    """SPARQL JSON results with Virtuoso's `nodeID://` blank node names made plain labels, and
    the `lang` key some of its answers give a language tag named `xml:lang` as the standard has."""
    if _BLANK not in content and _LANG not in content and _BOOLEAN.encode() not in content:
        return content
    results: Any = json.loads(content)
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode" and term.get("value", "").startswith("nodeID://"):
                term["value"] = term["value"][len("nodeID://") :]
            if "lang" in term:
                term["xml:lang"] = term.pop("lang")
            if term.get("datatype") == _BOOLEAN and term.get("value") in _BOOLEANS:
                term["value"] = _BOOLEANS[term["value"]]
    return json.dumps(results).encode()


def check_complete(response: httpx.Response, url: str) -> None:
    """Refuses an answer the server cut at its row limit (Virtuoso's `ResultSetMaxRows`)."""
    limit = response.headers.get(_MAX_ROWS)
    if limit is not None:
        raise cut_short(url, int(limit) if limit.isdigit() else 0)


def cut_short(url: str, limit: int) -> StoreError:
    return StoreError(
        f"the store's server cut its answer short at {limit:,} rows",
        where=url,
        hint="raise ResultSetMaxRows in the [SPARQL] section of the server's virtuoso.ini "
        "above the store's size in triples (docs/remote-store.md)",
    )


def retry_after(response: httpx.Response, attempt: int) -> float | None:
    """Seconds to wait before sending again a request the server aborted as deadlocked, or
    None: the answer stands (not a deadlock, or the last of the tries)."""
    if response.status_code != 500 or attempt >= _TRIES - 1 or _DEADLOCK not in response.text:
        return None
    return 0.1 * 2.0**attempt


def when_empty(graph: str) -> str:
    """A WHERE clause that has one solution when `graph` holds no triple, and none otherwise."""
    return f"{{ SELECT (COUNT(*) AS ?held) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} FILTER(?held = 0)"
