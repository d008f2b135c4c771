"""Answering a query on the store: catalog queries with bound parameters or checked ad hoc SPARQL,
with a time limit.
"""

from __future__ import annotations

import multiprocessing
import re
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from citykg.errors import CityKGError, QueryError, QueryTimeout, StoreDamaged, StoreError
from citykg.queries.catalog import find
from citykg.queries.results import QueryResult
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.store.generations import open_store
from citykg.store.graphs import base_of

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
        text = sparql or ""
    check_safe(text)
    if timeout is None:
        return run_query(store_path, text, bindings, include_inferred)
    if timeout <= 0:
        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    return _run_with_timeout(store_path, text, bindings, include_inferred, timeout)


def read_query(file: Path) -> str:
    """The SPARQL text of a query file (UTF-8)."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the query file: {exc}", where=str(file)) from exc


def run_query(store_path: Path, text: str, bindings: dict[str, Node], include_inferred: bool) -> QueryResult:
    """Run checked SPARQL with its bindings on the store's live generation (read-only)."""

    store = open_store(store_path)
    extra = [IRIs(base_of(store) or DEFAULT_BASE).inferred_graph] if include_inferred else []
    return QueryResult.from_oxigraph(store.query(text, substitutions=bindings, extra_graphs=extra))


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
        kinds: dict[str, type[CityKGError]] = {"StoreError": StoreError, "StoreDamaged": StoreDamaged}
        raise kinds.get(kind, QueryError)(message, where=where, hint=hint)
    raise RuntimeError(f"the query process failed: {payload}")
