"""The store: named graphs in an embedded, persistent Oxigraph database.

One small interface (`GraphStore`) so that a remote SPARQL 1.1 triplestore can replace it.
A store folder holds generations (`gen-000001/`, ...) and a `CURRENT` file naming the live
one; a build writes a new generation and then replaces `CURRENT` atomically, so a failed or
killed build leaves the previous store as it was.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from citykg.errors import StoreError
from citykg.files import write_atomically
from citykg.iris import IRIs
from citykg.terms import DEFAULT_BASE, ONTOLOGY_IRI, OWL, RDF

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds must not overlap
    fcntl = None  # type: ignore[assignment]

DEFAULT_STORE = Path(".citykg") / "store"
STORE_ENV = "CITYKG_STORE"
_GENERATION = re.compile(r"gen-(\d{6})")


def default_store_path() -> Path:
    """`$CITYKG_STORE` if set, else `.citykg/store` in the current folder."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


# ------------------------------------------------------------------ term conversion


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def from_ox(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


def quads_of(graph: Graph, name: URIRef) -> Iterator[ox.Quad]:
    node = ox.NamedNode(str(name))
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), node)  # type: ignore[arg-type]


def graph_of(quads: Iterable[ox.Quad]) -> Graph:
    graph = Graph()
    for quad in quads:
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


# ------------------------------------------------------------------ the interface


class GraphStore(Protocol):
    """What the rest of citykg needs from a store."""

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Node] | None = None,
        extra_graphs: list[URIRef] | None = None,
    ) -> object: ...

    def named_graphs(self) -> list[URIRef]: ...

    def graph(self, name: URIRef) -> Graph: ...

    def quads(self, graphs: list[URIRef] | None = None) -> Iterator[ox.Quad]: ...

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None: ...


class OxigraphStore:
    """A GraphStore over a pyoxigraph Store (on disk, or in memory when path is None).

    The default graph is kept equal to the set union of the named graphs that hold asserted
    data. Oxigraph's union-of-graphs query mode would repeat a triple once per graph holding
    it (a city's wave, country and people appear in several submissions), which makes counts
    and sums wrong; a stored default graph is a true set.
    """

    def __init__(self, store: ox.Store, location: Path | None = None):
        self.store = store
        self.location = location

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, Node] | None = None,
        extra_graphs: list[URIRef] | None = None,
    ) -> object:
        """Run a query over the default graph plus `extra_graphs` (such as the inferred graph,
        which holds only triples not asserted, so the two stay a set)."""
        subs = {ox.Variable(k): to_ox(v) for k, v in (substitutions or {}).items()}
        default: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph()]
        default += [ox.NamedNode(str(g)) for g in extra_graphs or [] if self.has_graph(g)]
        try:
            return self.store.query(
                sparql,
                default_graph=default,  # type: ignore[arg-type]
                substitutions=subs or None,  # type: ignore[arg-type]
            )
        except SyntaxError as exc:
            from citykg.errors import QueryError

            raise QueryError(f"SPARQL syntax error: {exc}", hint="check the query text") from exc

    def has_graph(self, name: URIRef) -> bool:
        return bool(self.store.contains_named_graph(ox.NamedNode(str(name))))

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, name: URIRef) -> Graph:
        return graph_of(self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))

    def quads(self, graphs: list[URIRef] | None = None) -> Iterator[ox.Quad]:
        """The quads of the given named graphs (all named graphs when None)."""
        if graphs is None:
            for quad in self.store.quads_for_pattern(None, None, None, None):
                if not isinstance(quad.graph_name, ox.DefaultGraph):
                    yield quad
            return
        for name in graphs:
            yield from self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))

    def replace_graphs(
        self, graphs: Mapping[URIRef, Graph | None], *, derived: frozenset[URIRef] = frozenset()
    ) -> None:
        """Replace (or, for None, remove) named graphs, keeping the default graph the set union
        of the named graphs not in `derived`.

        Several steps, not one transaction: citykg only changes a generation that is not live
        yet (build_new_generation, branch_generation), so nobody sees it half done. Terms go in
        through the API, not as SPARQL text, so graphs with blank nodes (the ontology) work.
        """
        default = ox.DefaultGraph()
        not_holding = {default, *(ox.NamedNode(str(g)) for g in derived)}
        for name, graph in graphs.items():
            node = ox.NamedNode(str(name))
            if name not in derived:
                for quad in list(self.store.quads_for_pattern(None, None, None, node)):
                    holders = self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
                    if not any(h.graph_name != node and h.graph_name not in not_holding for h in holders):
                        self.store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, default))
            self.store.remove_graph(node)
            if graph is None:
                continue
            quads = list(quads_of(graph, name))
            self.store.bulk_extend(quads)
            if name not in derived:
                self.store.bulk_extend([ox.Quad(q.subject, q.predicate, q.object, default) for q in quads])

    def rebuild_union(self, *, derived: frozenset[URIRef] = frozenset()) -> None:
        """Make the default graph the set union of every named graph not in `derived`."""
        self.store.clear_graph(ox.DefaultGraph())
        skip = {ox.NamedNode(str(g)) for g in derived}
        default = ox.DefaultGraph()
        self.store.bulk_extend(
            [
                ox.Quad(q.subject, q.predicate, q.object, default)
                for q in self.store.quads_for_pattern(None, None, None, None)
                if q.graph_name != default and q.graph_name not in skip
            ]
        )

    def flush(self) -> None:
        self.store.flush()


def memory_store() -> OxigraphStore:
    return OxigraphStore(ox.Store())


# ------------------------------------------------------------------ generations on disk


def live_generation(location: Path) -> Path | None:
    """The folder of the live generation (None when there is no store yet). A writer that
    checked against it can tell, under the build lock, whether another one has landed since."""
    return _current(location)


def _current(location: Path) -> Path | None:
    pointer = location / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not _GENERATION.fullmatch(name) or not (location / name).is_dir():
        raise StoreError(
            f"store pointer names a missing generation '{name}'",
            where=str(location),
            hint="the store is damaged; rebuild it with citykg build",
        )
    return location / name


def store_exists(location: Path) -> bool:
    return (location / "CURRENT").is_file()


def open_store(location: Path, *, read_only: bool = True) -> OxigraphStore:
    """The live generation of the store at `location`."""
    current = _current(location)
    if current is None:
        raise StoreError(
            "no store here yet",
            where=str(location),
            hint="build one first: citykg build data/ (or choose another with --store)",
        )
    try:
        store = ox.Store.read_only(str(current)) if read_only else ox.Store(str(current))
    except OSError as exc:
        raise StoreError(
            f"cannot open the store: {exc}",
            where=str(location),
            hint="another citykg process may be writing it; try again",
        ) from exc
    return OxigraphStore(store, current)


def build_new_generation(location: Path, fill: Callable[[OxigraphStore], None]) -> Path:
    """Fill a new generation, then make it live atomically; the previous one is removed.

    If `fill` raises (or the process dies), `CURRENT` still names the previous generation.
    """
    _make_folder(location)
    with _build_lock(location):
        return _fill_generation(location, fill)


def _fill_generation(
    location: Path, fill: Callable[[OxigraphStore], None], *, start_from: Path | None = None
) -> Path:
    """Fill a new generation (starting as a checkpoint of `start_from` when given), then make it
    live by replacing `CURRENT` atomically and remove the previous one."""
    _remove_orphans(location)
    numbers = [int(m.group(1)) for p in location.iterdir() if (m := _GENERATION.fullmatch(p.name))]
    name = f"gen-{max(numbers, default=0) + 1:06d}"
    target = location / name
    previous = _current(location)
    try:
        if start_from is not None:
            source = ox.Store.read_only(str(start_from))
            source.backup(str(target))
            del source
        store = OxigraphStore(ox.Store(str(target)), target)
        fill(store)
        store.flush()
        del store
    except BaseException as exc:
        store = None  # noqa: F841 - drop this frame's reference so the store closes
        _discard(target, exc)
        raise
    write_atomically(location / "CURRENT", (name + "\n").encode())
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    return target


def _make_folder(location: Path) -> None:
    if location.exists() and not location.is_dir():
        raise StoreError(
            "is a file, not a store folder", where=str(location), hint="choose a folder with --store"
        )
    try:
        location.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the store folder: {exc.strerror}",
            where=str(location),
            hint="choose another folder with --store (or $CITYKG_STORE)",
        ) from exc


@contextmanager
def _build_lock(location: Path) -> Iterator[None]:
    """One build at a time per store: a second one would take the first's generation for an
    orphan. The lock is released when the process ends, however it ends."""
    with open(location / "LOCK", "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    "another build is writing this store",
                    where=str(location),
                    hint="wait for it to finish, then try again",
                ) from exc
        yield


def _remove_orphans(location: Path) -> None:
    """Remove generations a killed build left behind (never the live one)."""
    pointer = location / "CURRENT"
    live = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None
    for path in location.iterdir():
        if _GENERATION.fullmatch(path.name) and path.name != live:
            shutil.rmtree(path, ignore_errors=True)


def branch_generation(location: Path, change: Callable[[OxigraphStore], None]) -> Path:
    """A new generation that starts as a checkpoint of the live one (hard links to its immutable
    files, so the copy costs little whatever the store's size), changed by `change`, then made
    live by replacing `CURRENT` atomically.

    The live generation is only read (opened read-only); until `CURRENT` is replaced, every
    reader sees it unchanged, and a failure or a killed process leaves it as it was.
    """
    _make_folder(location)
    with _build_lock(location):
        return _branch(location, change)


def _branch(location: Path, change: Callable[[OxigraphStore], None]) -> Path:
    _remove_orphans(location)
    return _fill_generation(location, change, start_from=_current(location))


def _discard(target: Path, exc: BaseException) -> None:
    """Remove a half-written generation. The store must be closed first, and pyoxigraph closes
    a store only when it is garbage: the failed frames' local variables would keep it open (and
    its background threads writing into the folder being removed), so they are cleared."""
    traceback.clear_frames(exc.__traceback__)
    gc.collect()
    shutil.rmtree(target, ignore_errors=True)


# ------------------------------------------------------------------ the base IRI it was built with


def base_of(store: OxigraphStore) -> str | None:
    """The base IRI a store was built with: its ontology graph, the one that declares the
    ontology, is `<base>graph/ontology` (one index lookup, whatever the number of graphs)."""
    declared = store.store.quads_for_pattern(
        ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Ontology)), None
    )
    for quad in declared:
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and name.value.endswith("/graph/ontology"):
            return name.value[: -len("graph/ontology")]
    return None


def stored_base(location: Path) -> str | None:
    """The base IRI the store at `location` was built with (None when there is no store yet)."""
    return base_of(open_store(location)) if store_exists(location) else None


def store_iris(location: Path, base: str | None = None, *, replacing: bool = False) -> IRIs:
    """The IRIs to mint and read with for the store at `location`: those of the base it was
    built with, so that no command has to be told it again. A `base` given for an existing store
    must be that one, unless the store is being rebuilt (`replacing`); without a store, `base`
    or the default."""
    stored = stored_base(location)
    if base is not None and stored is not None and base != stored and not replacing:
        raise StoreError(
            f"this store was built with the base IRI {stored}, not {base}",
            where=str(location),
            hint="leave out --base (the store remembers its own), or rebuild it with citykg build --base",
        )
    chosen = base or stored or DEFAULT_BASE
    try:
        return IRIs(chosen)
    except ValueError as exc:
        raise StoreError(str(exc), where=str(location), hint="give an http(s) IRI ending in '/'") from exc
