"""The ontology, vocabularies and shapes graphs, read from ontology/ and shapes/.

Parsing their Turtle (and labelling the ontology's blank nodes canonically) costs more than the
rest of a `citykg validate` of one file, so each graph is also kept as N-Triples in the citykg
package's own `__pycache__` folder, named by a digest of the Turtle files it was read from
(their names and bytes), of the rdflib version and of the cache's format: a changed file gives
another name, so a cache never stands for other files, and a command reads only the caches
citykg writes. Where that folder cannot be written (a read-only install) the Turtle is parsed
every time, to the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Graph

from citykg.files import write_atomically
from citykg.rdf.convert import graph_of, to_ox
from citykg.resources import ontology_dir, ontology_files, shapes_files

#: changes when what a cache file holds changes (how it is written, what is done to the graphs)
CACHE_FORMAT = "1"
VOCABULARIES_FILE = "vocabularies.ttl"


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes (shapes/*.ttl)."""
    return cached_graph("shapes", shapes_files(), _parse)


@cache
def ontology_graph() -> Graph:
    """The ontology and vocabularies, with blank nodes (OWL restrictions, lists) labelled
    canonically, so every process stores and exports the same bytes."""
    return cached_graph("ontology", ontology_files(), _canonical)


@cache
def vocabularies_graph() -> Graph:
    """The controlled lists alone (ontology/vocabularies.ttl), as the label matching reads them."""
    return cached_graph("vocabularies", [ontology_dir() / VOCABULARIES_FILE], _parse)


@cache
def ontology_ntriples() -> str:
    """`ontology_graph()` as N-Triples text: its cache file as written, without building the
    graph (what the SHACL engine reads beside each submission)."""
    target = _cache_file("ontology", ontology_files())
    if not target.exists():
        ontology_graph()  # writes it
    try:
        return target.read_text(encoding="utf-8")
    except OSError:  # a folder citykg may not write
        triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in ontology_graph())  # type: ignore[arg-type]
        return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()


def cache_folder() -> Path:
    """Where the parsed graphs are kept: `__pycache__` of the citykg package."""
    return Path(__file__).resolve().parents[1] / "__pycache__"


def cached_graph(name: str, files: list[Path], read: Callable[[list[Path]], Graph]) -> Graph:
    """`read(files)`, or the same graph from the cache file written for exactly these files."""
    target = _cache_file(name, files)
    try:
        return graph_of(ox.parse(path=target, format=ox.RdfFormat.N_TRIPLES))
    except (OSError, SyntaxError):
        pass  # not written yet, or not readable: read the Turtle
    graph = read(files)
    _write(target, graph)
    return graph


def _cache_file(name: str, files: list[Path]) -> Path:
    """The cache file of graph `name` read from exactly these files (their names and bytes)."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {rdflib.__version__}".encode())
    for path in files:
        data = path.read_bytes()
        digest.update(f"\0{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return cache_folder() / f"citykg-{name}-{digest.hexdigest()[:32]}.nt"


def _write(target: Path, graph: Graph) -> None:
    triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    try:
        write_atomically(target, data)
        target.chmod(0o644)  # readable by every user of the install, as its bytecode is
        for old in target.parent.glob(target.name.rsplit("-", 1)[0] + "-*.nt"):
            if old != target:
                old.unlink(missing_ok=True)  # written for files that have changed since
    except OSError:
        pass  # a folder citykg may not write: parse the Turtle next time too


def _parse(files: list[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _canonical(files: list[Path]) -> Graph:
    from rdflib.compare import to_canonical_graph  # start-up time: only when no cache holds it

    graph = Graph()
    for triple in to_canonical_graph(_parse(files)):
        graph.add(triple)
    return graph
