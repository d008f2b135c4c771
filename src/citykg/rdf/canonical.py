"""Canonical order of quads: sorted N-Quads lines and blank nodes relabelled from their
surroundings, so the same content gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox


def canonical_order(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Distinct quads sorted by graph, then subject, predicate, object; blank nodes relabelled.

    The sort key is each quad's N-Quads line (written by pyoxigraph, compared as bytes), so the
    order is a function of the content alone and costs little per quad.
    """
    quads = list(quads)
    lines = nquads_lines(quads)
    blank = [i for i, line in enumerate(lines) if b"_:" in line]
    if blank:
        fixed = canonical_blank_nodes([quads[i] for i in blank])
        for i, quad, line in zip(blank, fixed, nquads_lines(fixed), strict=True):
            quads[i], lines[i] = quad, line
    keyed: dict[bytes, ox.Quad] = {}
    for line, quad in zip(lines, quads, strict=True):
        head, _, graph = line.rpartition(b" <")
        keyed.setdefault(graph + b" " + head, quad)
    return [keyed[key] for key in sorted(keyed)]


def nquads_lines(quads: list[ox.Quad]) -> list[bytes]:
    """One N-Quads line (without its newline) per quad, in the same order."""
    if not quads:
        return []
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    lines = data.split(b"\n")[:-1]
    assert len(lines) == len(quads)
    return lines


def ntriples(quads: list[ox.Quad]) -> bytes:
    """The distinct triples of the quads as sorted N-Triples (the graph names dropped)."""
    heads = {line.rpartition(b" <")[0] for line in nquads_lines(quads)}
    return b"".join(head + b" .\n" for head in sorted(heads))


def sorted_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of the quads, sorted by subject, predicate, object."""
    return [q.triple for q in ox.parse(ntriples(quads), ox.RdfFormat.N_TRIPLES)]


def canonical_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Relabel blank nodes from their surroundings, so two builds of one input match byte for byte.

    Give it (at least) every quad that touches a blank node; other quads pass unchanged.

    Each blank node's label is a digest of the terms around it, refined a few rounds through
    neighbouring blank nodes (enough for the small trees of OWL restrictions and lists).
    """
    blanks = {t for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    if not blanks:
        return quads
    around: dict[ox.BlankNode, list[tuple[str, ox.Quad]]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode):
            around[quad.subject].append(("out", quad))
        if isinstance(quad.object, ox.BlankNode):
            around[quad.object].append(("in", quad))
    labels = dict.fromkeys(blanks, "")
    for _ in range(4):
        new = {}
        for blank in blanks:
            parts = []
            for direction, quad in around[blank]:
                other = quad.object if direction == "out" else quad.subject
                shown = labels[other] if isinstance(other, ox.BlankNode) else str(other)
                parts.append(f"{direction} {quad.graph_name} {quad.predicate} {shown}")
            new[blank] = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:24]
        labels = new
    seen: dict[str, int] = defaultdict(int)
    final: dict[ox.BlankNode, ox.BlankNode] = {}
    for blank in sorted(blanks, key=lambda b: (labels[b], b.value)):
        seen[labels[blank]] += 1
        suffix = "" if seen[labels[blank]] == 1 else f"x{seen[labels[blank]]}"
        final[blank] = ox.BlankNode(f"b{labels[blank]}{suffix}")

    def swap(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        return final[term] if isinstance(term, ox.BlankNode) else term

    return [ox.Quad(swap(q.subject), q.predicate, swap(q.object), q.graph_name) for q in quads]  # type: ignore[arg-type]
