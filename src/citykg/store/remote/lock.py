"""The write lock of a remote store: the graph `<P lock>`, taken by one conditional update that
inserts a token only when the graph is empty, released by deleting that token. A lock held by
a process of this host that no longer runs (a killed build) is broken."""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from citykg.errors import StoreError
from citykg.store.remote import virtuoso
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import TERMS

_HOLDER, _HOST, _PID = (f"<{TERMS}{t}>" for t in ("holder", "host", "pid"))
_POLL = 0.2


@contextmanager
def remote_write_lock(client: SparqlClient, *, wait: float) -> Iterator[None]:
    """Hold the store's write lock for the block, waiting up to `wait` seconds for it."""
    lock = f"{client.location.prefix}lock"
    token = secrets.token_hex(8)
    host = socket.gethostname()
    facts = f'<{lock}> {_HOLDER} "{token}" ; {_HOST} "{_escaped(host)}" ; {_PID} {os.getpid()}'
    deadline = time.monotonic() + wait
    while True:
        client.update(f"INSERT {{ GRAPH <{lock}> {{ {facts} }} }} WHERE {{ {virtuoso.when_empty(lock)} }}")
        holder = _holder(client, lock)
        if holder is not None and holder[0] == token:
            break
        if holder is not None and holder[1] == host and not _running(holder[2]):
            client.update(f'DELETE WHERE {{ GRAPH <{lock}> {{ <{lock}> {_HOLDER} "{holder[0]}" ; ?p ?o }} }}')
            continue
        if time.monotonic() >= deadline:
            who = f" (process {holder[2]} on {holder[1]})" if holder else ""
            raise StoreError(
                f"another citykg build or submit is writing this store{who} (waited {wait:g} s)",
                where=str(client.location),
                hint="wait for it to finish, or give it longer with --wait",
            )
        time.sleep(_POLL)
    try:
        yield
    finally:
        client.update(f'DELETE WHERE {{ GRAPH <{lock}> {{ <{lock}> {_HOLDER} "{token}" ; ?p ?o }} }}')


def _holder(client: SparqlClient, lock: str) -> tuple[str, str, int] | None:
    rows = client.rows(
        f"SELECT ?t ?h ?p WHERE {{ GRAPH <{lock}> {{ <{lock}> {_HOLDER} ?t ; {_HOST} ?h ; {_PID} ?p }} }}"
    )
    if not rows:
        return None
    row = rows[0]
    return str(row["t"].value), str(row["h"].value), int(row["p"].value)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
