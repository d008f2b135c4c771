"""A graph as N-Triples request bodies of bounded size. A blank node label stands for a fresh
node in each request, so the triples sharing blank nodes (one connected component) always go
in one body, whatever its size; the others are cut wherever a body is full.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


def ntriples_batches(triples: Iterable[ox.Triple], limit: int) -> Iterator[bytes]:
    """N-Triples bodies of about `limit` bytes at most (a component larger than that alone)."""
    body: list[bytes] = []
    size = 0
    linked: list[ox.Triple] = []
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            linked.append(triple)
            continue
        line = f"{triple} .\n".encode()
        if body and size + len(line) > limit:
            yield b"".join(body)
            body, size = [], 0
        body.append(line)
        size += len(line)
    for component in _components(linked):
        lines = b"".join(f"{t} .\n".encode() for t in component)
        if body and size + len(lines) > limit:
            yield b"".join(body)
            body, size = [], 0
        body.append(lines)
        size += len(lines)
    if body:
        yield b"".join(body)


def _components(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples grouped by the blank nodes they share (union-find over the blank nodes)."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        nodes = [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        first = root(nodes[0])
        for other in nodes[1:]:
            parent[root(other)] = first
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    for triple in triples:
        node = triple.subject if isinstance(triple.subject, ox.BlankNode) else triple.object
        assert isinstance(node, ox.BlankNode)
        groups.setdefault(root(node), []).append(triple)
    return list(groups.values())
