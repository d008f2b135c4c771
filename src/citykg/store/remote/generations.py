"""Generations of graphs on a remote store, and the one pointer graph naming the live one
(docs/decisions/1601). Under the prefix P:

    <P live>            { <P live> :generation <GEN> }            the pointer, switched in one update
    <P generations>     { <GEN> a :Generation }                   every generation started
    <GEN/manifest>      { <PHYS> :holds <graph IRI> ; <GEN> :default <PHYS> ; :previous ; :complete }
    <GEN/g/N>, <GEN/default>                                      the data
    <P history>         { <PHYS> :keeps <graph IRI> ; :sequence N ; :sha256 "..." }  kept versions

A writer uploads a whole new generation, then switches the pointer by compare-and-swap; until
then readers see the old one unchanged. It drops only graphs a manifest under P lists, and
neither those the live and the previous manifests list (a submit's generation shares the
unchanged physical graphs of the one it replaces) nor those the history keeps.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from citykg.errors import StoreDamaged, StoreError
from citykg.store.remote import virtuoso
from citykg.store.remote.batches import ntriples_batches
from citykg.store.remote.client import SparqlClient

TERMS = "https://w3id.org/citykg/remote#"
_GENERATION, _HOLDS, _DEFAULT, _PREVIOUS, _COMPLETE, _KIND = (
    f"<{TERMS}{t}>" for t in ("generation", "holds", "default", "previous", "complete", "Generation")
)
#: `<physical graph> KEEPS <graph IRI>`: an earlier version of a submission graph (the history)
KEEPS = f"<{TERMS}keeps>"


@dataclass(frozen=True)
class Generation:
    """One generation: its IRI and its physical graphs (graph IRI -> physical graph)."""

    iri: str
    graphs: dict[str, str] = field(default_factory=dict)
    default: str = ""

    @property
    def name(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def physical(self, graph: str) -> str | None:
        return self.graphs.get(graph)

    def logical(self) -> dict[str, str]:
        """Physical graph -> the graph IRI it stands for."""
        return {p: g for g, p in self.graphs.items()}


#: the logical name under which a generation keeps the embedded store's asserted view
#: (store.graphs.ASSERTED, a graph named by a blank node there, which no request can name):
#: what a query without inference reads; it is no submission graph, so no listing shows it
ASSERTED_VIEW = "urn:citykg:asserted-view"


def pointer_graph(client: SparqlClient) -> str:
    return f"{client.location.prefix}live"


def live_iri(client: SparqlClient) -> str | None:
    """The IRI of the live generation (None when there is no store under the prefix yet)."""
    ptr = pointer_graph(client)
    rows = client.rows(f"SELECT ?g WHERE {{ GRAPH <{ptr}> {{ <{ptr}> {_GENERATION} ?g }} }}")
    names = sorted(str(r["g"].value) for r in rows if isinstance(r.get("g"), ox.NamedNode))
    if len(names) > 1:
        raise StoreDamaged(
            f"the store's pointer graph <{ptr}> names {len(names)} generations",
            where=str(client.location),
            hint="rebuild it: citykg build FILES... --store ...",
        )
    return names[0] if names else None


def read_generation(client: SparqlClient, iri: str) -> Generation:
    """A generation's graphs, from its manifest (which never changes once it is live)."""
    rows = client.rows(f"SELECT ?p ?o ?x WHERE {{ GRAPH <{iri}/manifest> {{ ?p ?o ?x }} }}")
    graphs: dict[str, str] = {}
    default = ""
    complete = False
    for row in rows:
        predicate = f"<{row['o'].value}>"
        if predicate == _HOLDS:
            graphs[str(row["x"].value)] = str(row["p"].value)
        elif predicate == _DEFAULT:
            default = str(row["x"].value)
        elif predicate == _COMPLETE:
            complete = True
    if not complete or not default:
        raise StoreDamaged(
            f"the live generation {iri} is incomplete (its manifest is missing or unfinished)",
            where=str(client.location),
            hint="rebuild it: citykg build FILES... --store ...",
        )
    return Generation(iri, graphs, default)


def publish_generation(
    client: SparqlClient,
    graphs: Sequence[tuple[str, Iterable[ox.Triple]]],
    default: Iterable[ox.Triple],
    *,
    expected: str | None,
) -> Generation:
    """Upload a new generation (each graph IRI with its triples, and the default graph's), then
    make it live with one compare-and-swap of the pointer from `expected` (the generation the
    writer read, under the lock). The old generations but `expected` are dropped afterwards."""
    generation = plan_generation(client, [graph for graph, _ in graphs])
    start_generation(client, generation, expected=expected)
    for graph, triples in graphs:
        upload(client, generation.graphs[graph], triples)
    upload(client, generation.default, default)
    finish_generation(client, generation, expected=expected)
    return generation


def plan_generation(
    client: SparqlClient, fresh: Sequence[str], *, shared: dict[str, str] | None = None
) -> Generation:
    """A new generation's IRI and physical graphs: a fresh one under it for each graph IRI in
    `fresh`, and the physical graphs of an earlier generation for those in `shared` (graph IRI
    -> physical graph), which the new one lists without uploading them again."""
    iri = f"{client.location.prefix}gen-{_next_number(client):06d}-{secrets.token_hex(4)}"
    plan = dict(shared or {})
    plan.update({graph: f"{iri}/g/{number}" for number, graph in enumerate(fresh, 1)})
    return Generation(iri, plan, f"{iri}/default")


def start_generation(client: SparqlClient, generation: Generation, *, expected: str | None) -> None:
    """Register the new generation and write its manifest, before any of its data: what a
    killed run leaves can be found (and dropped) by the next writer."""
    iri = generation.iri
    lines = [f"<{iri}> {_DEFAULT} <{generation.default}>"]
    lines += [f"<{phys}> {_HOLDS} <{graph}>" for graph, phys in generation.graphs.items()]
    if expected is not None:
        lines.append(f"<{iri}> {_PREVIOUS} <{expected}>")
    client.update(f"INSERT DATA {{ GRAPH <{registry_graph(client)}> {{ <{iri}> a {_KIND} }} }}")
    _upload_lines(client, f"{iri}/manifest", lines)


def finish_generation(client: SparqlClient, generation: Generation, *, expected: str | None) -> None:
    """Mark the uploaded generation complete, make it live (one compare-and-swap of the pointer
    from `expected`), and drop the generations neither it nor `expected` is."""
    iri = generation.iri
    client.update(f"INSERT DATA {{ GRAPH <{iri}/manifest> {{ <{iri}> {_COMPLETE} true }} }}")
    switch_pointer(client, iri, expected=expected)
    drop_generations(client, keep={iri, *([expected] if expected else [])})


def derive(
    client: SparqlClient,
    source: str,
    target: str,
    *,
    removed: Iterable[ox.Triple],
    added: Iterable[ox.Triple],
) -> None:
    """Write the graph `target` as a copy of `source` made on the server (one update), less the
    `removed` triples and plus the `added` ones: a graph that changes a little is not uploaded
    again. The triples named here hold no blank node (DELETE DATA cannot name one)."""
    client.update(f"INSERT {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} }}")
    for body in ntriples_batches(removed, client.location.batch_bytes):
        client.update(f"DELETE DATA {{ GRAPH <{target}> {{\n{body.decode()}}} }}")
    upload(client, target, added)


def upload(client: SparqlClient, graph: str, triples: Iterable[ox.Triple]) -> None:
    """Triples into one graph, in request bodies of at most the configured size."""
    for body in ntriples_batches(triples, client.location.batch_bytes):
        client.post_triples(graph, body)


def _upload_lines(client: SparqlClient, graph: str, lines: list[str]) -> None:
    batch: list[str] = []
    size = 0
    for line in lines:
        batch.append(line + " .\n")
        size += len(line) + 3
        if size >= client.location.batch_bytes:
            client.post_triples(graph, "".join(batch).encode())
            batch, size = [], 0
    if batch:
        client.post_triples(graph, "".join(batch).encode())


def switch_pointer(client: SparqlClient, iri: str, *, expected: str | None) -> None:
    """Name `iri` in the pointer graph in one update, only if it still names `expected`."""
    ptr = pointer_graph(client)
    new = f"<{ptr}> {_GENERATION} <{iri}>"
    if expected is None:
        client.update(f"INSERT {{ GRAPH <{ptr}> {{ {new} }} }} WHERE {{ {virtuoso.when_empty(ptr)} }}")
    else:
        old = f"<{ptr}> {_GENERATION} <{expected}>"
        client.update(
            f"DELETE {{ GRAPH <{ptr}> {{ {old} }} }} INSERT {{ GRAPH <{ptr}> {{ {new} }} }} "
            f"WHERE {{ GRAPH <{ptr}> {{ {old} }} }}"
        )
    if live_iri(client) != iri:
        drop_generations(client, keep=set(filter(None, [live_iri(client)])), only={iri})
        raise StoreError(
            "another writer changed the store while this one wrote; nothing of this run was kept",
            where=str(client.location),
            hint="run the command again",
        )


def registry_graph(client: SparqlClient) -> str:
    """The graph listing every generation a writer started (so none has to be searched for)."""
    return f"{client.location.prefix}generations"


def generations(client: SparqlClient) -> list[str]:
    """The IRIs of every generation a writer started under the prefix (and not dropped yet)."""
    registry = registry_graph(client)
    rows = client.rows(f"SELECT ?g WHERE {{ GRAPH <{registry}> {{ ?g a {_KIND} }} }}")
    prefix = client.location.prefix
    return sorted(str(r["g"].value) for r in rows if str(r["g"].value).startswith(f"{prefix}gen-"))


def drop_generations(client: SparqlClient, *, keep: set[str], only: set[str] | None = None) -> None:
    """Drop the graphs of every generation not in `keep` (or of those in `only`): those its
    manifest lists under the prefix and not listed by a kept manifest, then the manifest."""
    kept = {p for iri in keep for p in _manifest_graphs(client, iri)} | history_graphs(client)
    for iri in only if only is not None else generations(client):
        if iri in keep:
            continue
        drops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(_manifest_graphs(client, iri) - kept)]
        drops.append(f"DROP SILENT GRAPH <{iri}/manifest>")  # the manifest last: ...
        drops.append(f"DELETE DATA {{ GRAPH <{registry_graph(client)}> {{ <{iri}> a {_KIND} }} }}")
        for update in _bounded(drops, client.location.batch_bytes):  # ... a killed drop goes on later
            client.update(update)


def history_graph(client: SparqlClient) -> str:
    """The graph listing the earlier versions of submission graphs (store/remote/history.py)."""
    return f"{client.location.prefix}history"


def history_graphs(client: SparqlClient) -> set[str]:
    """The physical graphs the history keeps: no generation's drop takes them."""
    rows = client.rows(f"SELECT ?k WHERE {{ GRAPH <{history_graph(client)}> {{ ?k {KEEPS} ?g }} }}")
    prefix = client.location.prefix
    return {str(r["k"].value) for r in rows if str(r["k"].value).startswith(prefix)}


def _bounded(operations: list[str], limit: int) -> Iterator[str]:
    """Update operations joined by ';' into requests of about `limit` bytes at most."""
    batch: list[str] = []
    size = 0
    for operation in operations:
        if batch and size + len(operation) > limit:
            yield " ;\n".join(batch)
            batch, size = [], 0
        batch.append(operation)
        size += len(operation) + 3
    if batch:
        yield " ;\n".join(batch)


def _manifest_graphs(client: SparqlClient, iri: str) -> set[str]:
    prefix = client.location.prefix
    rows = client.rows(
        f"SELECT ?g WHERE {{ GRAPH <{iri}/manifest> "
        f"{{ {{ ?g {_HOLDS} ?x }} UNION {{ ?x {_DEFAULT} ?g }} }} }}"
    )
    return {str(r["g"].value) for r in rows if str(r["g"].value).startswith(prefix)}


def _next_number(client: SparqlClient) -> int:
    numbers = [
        int(iri.rsplit("gen-", 1)[1][:6])
        for iri in generations(client)
        if iri.rsplit("gen-", 1)[1][:6].isdigit()
    ]
    return max(numbers, default=0) + 1


def triples_of(store: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> Iterator[ox.Triple]:
    for quad in store.quads_for_pattern(None, None, None, graph):
        yield quad.triple
