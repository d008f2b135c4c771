"""The part of a remote store's live generation around some resources, read by targeted
queries: what a submit needs to change the derived graphs (the inferred graph, the default
graph, the asserted view) as the embedded store would, without reading the whole store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from citykg.store.graphs import ASSERTED
from citykg.store.remote.generations import ASSERTED_VIEW
from citykg.store.remote.reading import RemoteStore

_CHUNK = 400  # terms per query: a VALUES block of about 40 kB


def linked_remote(remote: RemoteStore, terms: set[str], properties: Iterable[str], *, skip: str) -> set[str]:
    """As inference.reading.linked on the embedded store: the terms (N-Triples form) joined to
    the IRIs among `terms` by one of `properties`, either way, in an asserted graph (every
    graph but `skip`, the inferred graph, and the asserted view)."""
    named = [p for g, p in remote.generation.graphs.items() if g not in {skip, ASSERTED_VIEW}]
    links = " ".join(sorted(properties))
    found: set[str] = set()
    for chunk in _chunks(sorted(t for t in terms if t.startswith("<"))):
        rows = remote.client.rows(
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ {' '.join(chunk)} }} VALUES ?p {{ {links} }} "
            "{ GRAPH ?g { ?n ?p ?x } } UNION { GRAPH ?g { ?x ?p ?n } } }",
            named_graphs=named,
        )
        found.update(str(row["x"]) for row in rows)
    return found


def quads_around(remote: RemoteStore, subjects: set[str], objects: set[str]) -> list[ox.Quad]:
    """Every quad of the live generation whose subject is one of `subjects` or whose object is
    one of `objects` (IRIs in N-Triples form), in every graph: the named graphs under their
    graph IRIs, the default graph's and the asserted view's (`store.graphs.ASSERTED`) as on
    the embedded store."""
    generation = remote.generation
    names: dict[str, ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = {
        phys: ox.NamedNode(graph) for graph, phys in generation.graphs.items()
    }
    view = generation.physical(ASSERTED_VIEW)
    if view is not None:
        names[view] = ASSERTED
    names[generation.default] = ox.DefaultGraph()
    found: set[ox.Quad] = set()
    for position, terms in (("?s", subjects), ("?o", objects)):
        for chunk in _chunks(sorted(t for t in terms if t.startswith("<"))):
            rows = remote.client.rows(
                f"SELECT ?g ?s ?p ?o WHERE {{ VALUES {position} {{ {' '.join(chunk)} }} "
                "GRAPH ?g { ?s ?p ?o } }",
                named_graphs=list(names),
            )
            for row in rows:
                graph = names[str(row["g"].value)]
                found.add(ox.Quad(row["s"], row["p"], row["o"], graph))  # type: ignore[arg-type]
    return sorted(found, key=str)


def _chunks(terms: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(terms), _CHUNK):
        yield terms[start : start + _CHUNK]
