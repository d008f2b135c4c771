"""Answering a query on the store: catalog queries with bound parameters or ad hoc SPARQL, each
checked first (queries/safety.py), with a time limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.term import Node

from citykg.errors import (
    CityKGError,
    QueryError,
    QueryTimeout,
    ResultTooLarge,
    StoreDamaged,
    StoreError,
)
from citykg.queries.catalog import find
from citykg.queries.results import QueryResult
from citykg.rdf.convert import to_ox
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.store.generations import open_store
from citykg.store.graphs import ASSERTED, OxigraphStore, base_of
from citykg.store.remote.locator import RemoteLocation

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from citykg.queries.safety import Dataset
    from citykg.store.remote.reading import RemoteStore

#: the longest time limit a query may be given, in seconds (one day)
MAX_TIMEOUT_SECONDS = 86_400.0


def answer(
    store_path: Path | RemoteLocation | OxigraphStore,
    *,
    name: str | None = None,
    sparql: str | None = None,
    params: dict[str, str] | None = None,
    include_inferred: bool = True,
    timeout: float | None = None,
) -> QueryResult:
    """Run a catalog query (with bound parameters) or ad hoc SPARQL against the store.

    `include_inferred=False` answers from the asserted graphs only. With `timeout` (seconds)
    the query runs in a child process that is stopped when the time is up (QueryTimeout). A
    store already open (`api.Store` keeps its live generation open) is read as it is.
    """
    if timeout is not None and not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT_SECONDS):
        raise QueryError(
            f"a query's time limit (--timeout) must be a number of seconds above 0 and at most "
            f"{MAX_TIMEOUT_SECONDS:g}, not {timeout:g}"
        )
    text, bindings = prepare(name=name, sparql=sparql, params=params)
    trusted = name is not None  # the catalog's own files: checked by the tests, not at each run
    if isinstance(store_path, RemoteLocation):  # the server keeps the time (its HTTP answer's)
        located = store_path if timeout is None else replace(store_path, timeout=timeout)
        return run_query(located, text, bindings, include_inferred, trusted=trusted)
    if isinstance(store_path, OxigraphStore):
        if timeout is None:
            return run_on(store_path, text, bindings, include_inferred=include_inferred, trusted=trusted)
        assert store_path.location is not None, "a query with a time limit reads a store folder"
        store_path = store_path.location.parent  # the child process opens the live generation
    if timeout is None:
        return run_query(store_path, text, bindings, include_inferred, trusted=trusted)
    return _run_with_timeout(store_path, text, bindings, include_inferred, timeout, trusted=trusted)


def read_query(file: Path) -> str:
    """The SPARQL text of a query file (UTF-8)."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the query file: {exc}", where=str(file)) from exc


def prepare(
    *, name: str | None = None, sparql: str | None = None, params: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Node]]:
    """The text and bindings of a catalog query (its parameters bound, never formatted into the
    text) or of ad hoc SPARQL (which takes no parameters)."""
    if name is not None:
        entry = find(name)
        return entry.text, entry.bindings(dict(params or {}))
    if params:
        raise QueryError(
            "-p parameters go with catalog queries only",
            hint="write the values into your SPARQL, or use a catalog query",
        )
    return sparql or "", {}


def run_query(
    store_path: Path | RemoteLocation,
    text: str,
    bindings: dict[str, Node],
    include_inferred: bool,
    *,
    trusted: bool = False,
) -> QueryResult:
    """Check SPARQL (queries/safety.py) and run it with its bindings on the store's live
    generation (read-only). The check runs here, so that a time limit covers it too."""
    if isinstance(store_path, RemoteLocation):
        from citykg.store.remote.reading import open_remote  # start-up time: httpx

        remote = open_remote(store_path)
        try:
            return run_on(remote, text, bindings, include_inferred=include_inferred, trusted=trusted)
        finally:
            remote.client.close()
    return run_on(open_store(store_path), text, bindings, include_inferred=include_inferred, trusted=trusted)


def run_on(
    store: OxigraphStore | RemoteStore,
    text: str,
    bindings: dict[str, Node],
    *,
    include_inferred: bool,
    dataset: Dataset | None = None,
    max_results: int | None = None,
    trusted: bool = False,
) -> QueryResult:
    """`run_query` on a store already open (a server keeps one per generation).

    A query that names its graphs (FROM / FROM NAMED, each one of the store's) is answered
    from those; `dataset` (the SPARQL protocol's default-graph-uri / named-graph-uri, also
    graphs of the store only) replaces what the query names. Otherwise the answer comes from
    the asserted graphs, and the inferred one when asked. More than `max_results` rows or
    triples is a ResultTooLarge.

    A `trusted` query is one of the catalog's own files: it is not parsed a second time by the
    safety check (tests/test_queries.py checks every catalog file), and its parameters go in
    as VALUES, which pyoxigraph plans with (docs/decisions/1304)."""
    named: Dataset | None = None
    if trusted:
        if bindings:
            text, bindings = with_values(text, bindings), {}
    else:
        from citykg.queries.safety import check_query  # rdflib's SPARQL parser: ad hoc SPARQL only

        checked = check_query(text)
        text, named = checked.text, checked.dataset
        if checked.graphs and not isinstance(store, OxigraphStore):  # remote: its own graph names
            from citykg.queries.graph_names import rename_graphs

            text = rename_graphs(text, store.name_there, lambda t: list(check_query(t).graphs))
    # not kept in this frame: the parser's exceptions keep frames above it alive, and a
    # pyoxigraph result may only be dropped by the thread that made it
    return QueryResult.from_oxigraph(
        _execute(store, text, named, bindings, include_inferred, dataset), limit=max_results
    )


def _execute(
    store: OxigraphStore | RemoteStore,
    text: str,
    named: Dataset | None,
    bindings: dict[str, Node],
    include_inferred: bool,
    dataset: Dataset | None,
) -> object:
    if dataset:
        dataset.check_in(set(store.named_graphs()))
        graphs = (list(dataset.default), list(dataset.named))
        return store.query(text, substitutions=bindings, dataset=graphs)
    if named:
        named.check_in(set(store.named_graphs()))
        if not isinstance(store, OxigraphStore):  # remote: its graphs have other names there
            return store.query(text, dataset=(list(named.default), list(named.named)))
        return store.query(text, substitutions=bindings, own_dataset=True)
    if not isinstance(store, OxigraphStore):  # remote: the store selects its generation's graphs
        extra = [IRIs(store.base or DEFAULT_BASE).inferred_graph] if include_inferred else []
        return store.query(text, substitutions=bindings, extra_graphs=extra)
    inferred = IRIs(base_of(store) or DEFAULT_BASE).inferred_graph
    if not store.store.contains_named_graph(ASSERTED) and store.has_graph(inferred):
        raise StoreError(  # its default graph is the asserted union, the inferred graph beside it
            "this store was built by an earlier citykg, before the store's shape of decision 1304",
            where=str(store.location) if store.location else None,
            hint="run citykg build again into a new store folder",
        )
    return store.query(text, substitutions=bindings, extra_graphs=[inferred] if include_inferred else [])


_WHERE = re.compile(r"^(?!\s*#).*?\bWHERE\s*\{", re.IGNORECASE | re.MULTILINE)


def with_values(text: str, bindings: dict[str, Node]) -> str:
    """A catalog query with its parameters in a VALUES block at the start of its WHERE clause.

    pyoxigraph applies `substitutions` after planning, so its planner does not know that a
    parameter is bound and may start from the other end (`cities-with-data-partner`: 0.16 s
    with the partner type substituted, 0.01 s with it in VALUES, at 1,000 cities). The terms
    are written by pyoxigraph's own serializer from terms the parameter types checked, and
    only into the catalog's own files; ad hoc SPARQL takes no parameters. A test checks that
    every catalog query gives the same rows both ways (docs/decisions/1304).
    """
    match = _WHERE.search(text)
    if match is None:
        raise QueryError("a catalog query with parameters has no WHERE clause", where="query")
    rows = " ".join(f"VALUES ?{name} {{ {to_ox(term)} }}" for name, term in sorted(bindings.items()))
    return f"{text[: match.end()]} {rows}{text[match.end() :]}"


#: how long the child process may take to start (import citykg) before the query's time starts
_STARTUP_SECONDS = 60.0


#: how long the child process may take to start (import citykg) before the query's time starts
_STARTUP_SECONDS = 60.0


def _child(connection: Connection, args: tuple[Path, str, dict[str, Node], bool], trusted: bool) -> None:
    try:
        connection.send(("ready", None))  # imports done: the time limit starts now
        connection.send(("ok", run_query(*args, trusted=trusted)))
    except CityKGError as exc:
        connection.send(("error", error_payload(exc)))
    except Exception as exc:  # a bug: report it in the parent, with its text
        connection.send(("bug", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def _run_with_timeout(
    store_path: Path,
    text: str,
    bindings: dict[str, Node],
    include_inferred: bool,
    timeout: float,
    *,
    trusted: bool = False,
) -> QueryResult:
    """pyoxigraph cannot cancel a query, so it runs in a child process that is killed on time."""
    import multiprocessing  # start-up time: only a query with a time limit starts a process

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, (store_path, text, bindings, include_inferred), trusted), daemon=True
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
        raise error_from(payload)
    raise RuntimeError(f"the query process failed: {payload}")


ErrorPayload = tuple[str, str, str | None, str | None]


def error_payload(exc: CityKGError) -> ErrorPayload:
    """An error of a query process, as plain values to send to the process that asked."""
    return (type(exc).__name__, exc.message, exc.where, exc.hint)


def error_from(payload: ErrorPayload) -> CityKGError:
    """The error `error_payload` sent, raised again in the process that asked."""
    kind, message, where, hint = payload
    kinds: dict[str, type[CityKGError]] = {
        "StoreError": StoreError,
        "StoreDamaged": StoreDamaged,
        "ResultTooLarge": ResultTooLarge,
    }
    return kinds.get(kind, QueryError)(message, where=where, hint=hint)
