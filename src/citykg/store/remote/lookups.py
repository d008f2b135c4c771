"""The lookups of one resource (store/subjects.py) on a remote store: what linked data and the
HTML pages read about an IRI, asked of the server by a few SPARQL queries over the live
generation's named graphs (never by downloading the store).

Each answers as its embedded twin in subjects.py, with graph IRIs, not physical graph names.
Blank nodes are the one difference: a blank node of an answer cannot be named in the next
query, so `about` asks for the triples about its subjects *and* about every blank node they
reach in one query (a UNION of paths through blank nodes, one branch per depth), and asks again
with twice the depth while the deepest branch still reaches a blank node. One answer's blank
node labels name the same nodes throughout it (SPARQL 1.1 Query Results JSON).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import pairwise

import pyoxigraph as ox
from rdflib import URIRef

from citykg.store.remote.generations import ASSERTED_VIEW
from citykg.store.remote.reading import RemoteStore

#: subjects per request of `about` and `labels` (a bounded request body)
_CHUNK = 100
#: the depth of blank nodes `about` asks for first (an OWL restriction: 1; a list of n: n)
_DEPTH = 4


def _named(store: RemoteStore, leave_out: Collection[str]) -> list[str]:
    """The physical names of the generation's named graphs but those in `leave_out`."""
    skip = {*leave_out, ASSERTED_VIEW}
    return [physical for graph, physical in store.generation.graphs.items() if graph not in skip]


def _rows(
    store: RemoteStore, text: str, leave_out: Collection[str]
) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    logical = store.generation.logical()
    rows = store.client.rows(text, named_graphs=_named(store, leave_out))
    for row in rows:
        graph = row.get("g")
        if isinstance(graph, ox.NamedNode) and graph.value in logical:
            row["g"] = ox.NamedNode(logical[graph.value])
    return rows


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def graphs_holding(store: RemoteStore, subject: str, *, leave_out: Collection[str] = ()) -> list[str]:
    rows = _rows(store, f"SELECT ?g WHERE {{ GRAPH ?g {{ {_iri(subject)} ?p ?o }} }} GROUP BY ?g", leave_out)
    return sorted({row["g"].value for row in rows if "g" in row})


def is_named_graph(store: RemoteStore, name: str) -> bool:
    return name != ASSERTED_VIEW and name in store.generation.graphs


def about(store: RemoteStore, subjects: Iterable[str], *, leave_out: Collection[str] = ()) -> list[ox.Triple]:
    roots = list(dict.fromkeys(subjects))
    out: dict[ox.Triple, None] = {}
    for start in range(0, len(roots), _CHUNK):
        out.update(dict.fromkeys(_about(store, roots[start : start + _CHUNK], leave_out)))
    return list(out)


def _about(store: RemoteStore, roots: list[str], leave_out: Collection[str]) -> list[ox.Triple]:
    """One query per depth tried: branch N matches the triples about a blank node N steps from
    a root through blank nodes; the subject of a row is its deepest bound `?bN` (else `?root`).
    No BIND: Virtuoso 7 fails to compile BIND beside these FILTERs (SP031, measured)."""
    values = "VALUES ?root { " + " ".join(_iri(r) for r in roots) + " }"
    depth = _DEPTH
    while True:
        nodes = [f"?b{n}" for n in range(1, depth + 1)]
        branches = []
        for level in range(depth + 1):
            path = ["?root", *nodes[:level]]
            steps = "".join(f"{a} ?q{n} {b} . " for n, (a, b) in enumerate(pairwise(path)))
            blank = " && ".join(f"isBlank({b})" for b in path[1:])
            branches.append(f"{{ {steps}{path[-1]} ?p ?o {f'FILTER({blank})' if blank else ''} }}")
        text = (
            f"SELECT ?root {' '.join(nodes)} ?p ?o WHERE {{ {values} GRAPH ?g {{ "
            + " UNION ".join(branches)
            + " } }"
        )
        rows = _rows(store, text, leave_out)
        if not any(nodes[-1][1:] in r and isinstance(r["o"], ox.BlankNode) for r in rows):
            return [ox.Triple(_subject(r, nodes), r["p"], r["o"]) for r in rows]  # type: ignore[arg-type]
        depth *= 2


def _subject(row: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal], nodes: list[str]) -> object:
    bound = [row[n[1:]] for n in nodes if n[1:] in row]
    return bound[-1] if bound else row["root"]


def labels(
    store: RemoteStore, iris: Iterable[str], *, leave_out: Collection[str] = (), predicates: Iterable[str]
) -> list[ox.Triple]:
    wanted = list(dict.fromkeys(iris))
    said = " ".join(_iri(p) for p in predicates)
    out: set[ox.Triple] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = " ".join(_iri(i) for i in wanted[start : start + _CHUNK])
        text = (
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {chunk} }} VALUES ?p {{ {said} }} "
            "GRAPH ?g { ?s ?p ?o } }"
        )
        out.update(ox.Triple(r["s"], r["p"], r["o"]) for r in _rows(store, text, leave_out))  # type: ignore[arg-type]
    return list(out)


def subjects_with(
    store: RemoteStore, predicate: str, value: str, *, leave_out: Collection[str] = ()
) -> list[str]:
    pattern = f"?s {_iri(predicate)} {_iri(value)}"
    text = f"SELECT ?s WHERE {{ GRAPH ?g {{ {pattern} }} FILTER(isIRI(?s)) }} GROUP BY ?s"
    return sorted({r["s"].value for r in _rows(store, text, leave_out)})


def subjects_under(store: RemoteStore, prefix: str, graphs: Iterable[str]) -> list[str]:
    found: set[str] = set()
    start = str(ox.Literal(prefix))
    for name in graphs:
        physical = store.generation.physical(name)
        if physical is None:
            continue
        text = (
            f"SELECT ?s WHERE {{ GRAPH {_iri(physical)} {{ ?s ?p ?o }} "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {start})) }} GROUP BY ?s"
        )
        found.update(r["s"].value for r in store.client.rows(text, named_graphs=[physical]))
    return sorted(found)


def graph_triples(store: RemoteStore, name: str) -> list[ox.Quad]:
    return list(store.quads([URIRef(name)])) if is_named_graph(store, name) else []


def default_graph_triples(store: RemoteStore) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in store.default_triples()]
