"""Answering a query on the store: catalog queries with bound parameters or ad hoc SPARQL, each
checked first (queries/safety.py), with a time limit.
"""

from __future__ import annotations

import math
import multiprocessing
import re
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from citykg.errors import CityKGError, QueryError, QueryTimeout, StoreDamaged, StoreError
from citykg.queries.catalog import find
from citykg.queries.results import QueryResult
from citykg.rdf.convert import to_ox
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.store.generations import open_store
from citykg.store.graphs import base_of

#: the longest time limit a query may be given, in seconds (one day)
MAX_TIMEOUT_SECONDS = 86_400.0


def answer(
    store_path: Path,
    *,
    name: str | None = None,
    sparql: str | None = None,
    params: dict[str, str] | None = None,
    include_inferred: bool = True,
    timeout: float | None = None,
) -> QueryResult:
    """Run a catalog query (with bound parameters) or ad hoc SPARQL against the store.

    `include_inferred=False` answers from the asserted graphs only. With `timeout` (seconds)
    the query runs in a child process that is stopped when the time is up (QueryTimeout).
    """
    if timeout is not None and not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT_SECONDS):
        raise QueryError(
            f"a query's time limit (--timeout) must be a number of seconds above 0 and at most "
            f"{MAX_TIMEOUT_SECONDS:g}, not {timeout:g}"
        )
    bindings: dict[str, Node] = {}
    trusted = name is not None
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
        text = sparql or ""
    if timeout is None:
        return run_query(store_path, text, bindings, include_inferred, trusted=trusted)
    return _run_with_timeout(store_path, text, bindings, include_inferred, timeout, trusted=trusted)


def read_query(file: Path) -> str:
    """The SPARQL text of a query file (UTF-8)."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the query file: {exc}", where=str(file)) from exc


def run_query(
    store_path: Path, text: str, bindings: dict[str, Node], include_inferred: bool, *, trusted: bool = False
) -> QueryResult:
    """Check SPARQL (queries/safety.py) and run it with its bindings on the store's live
    generation (read-only). The check runs here, so that a time limit covers it too.

    A `trusted` query is one of the catalog's own files: it is not parsed a second time
    (tests/test_queries.py checks that every one passes the check), which saves rdflib's
    parser (tens to hundreds of milliseconds per query, docs/decisions/1304).

    A query that names its graphs (FROM / FROM NAMED, each one of the store's) is answered
    from those; otherwise from the asserted graphs, and the inferred one when asked."""
    dataset = None
    if trusted and bindings:
        text, bindings = with_values(text, bindings), {}
    if not trusted:
        from citykg.queries.safety import check_query  # rdflib's SPARQL parser: ad hoc SPARQL only

        checked = check_query(text)
        text, dataset = checked.text, checked.dataset
    store = open_store(store_path)
    if dataset:
        dataset.check_in(set(store.named_graphs()))
        result = store.query(text, substitutions=bindings, own_dataset=True)
    else:
        extra = [IRIs(base_of(store) or DEFAULT_BASE).inferred_graph] if include_inferred else []
        result = store.query(text, substitutions=bindings, extra_graphs=extra)
    return QueryResult.from_oxigraph(result)


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


def _child(connection: Connection, args: tuple[Path, str, dict[str, Node], bool], trusted: bool) -> None:
    try:
        connection.send(("ready", None))  # imports done: the time limit starts now
        connection.send(("ok", run_query(*args, trusted=trusted)))
    except CityKGError as exc:
        connection.send(("error", (type(exc).__name__, exc.message, exc.where, exc.hint)))
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
        kind, message, where, hint = payload
        kinds: dict[str, type[CityKGError]] = {"StoreError": StoreError, "StoreDamaged": StoreDamaged}
        raise kinds.get(kind, QueryError)(message, where=where, hint=hint)
    raise RuntimeError(f"the query process failed: {payload}")
