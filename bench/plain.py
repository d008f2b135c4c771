"""The plain way to build what `citykg build` builds, for bench/build.py to time beside it.

The plain way has no submission format, so citykg's reader and mapping turn each submission
file into a Turtle file once beforehand (facts, provenance and evidence, as citykg stores them;
not timed, cached beside the submission files). Then, in a child process stopped at a cap:
rdflib parses every Turtle file and the ontology into one graph, pyshacl validates that whole
graph against the shapes (with the ontology, no inference: citykg's options), owlrl computes
its OWL-RL closure (the profile citykg's inference reproduces, citykg.inference.rules) and
rdflib's SPARQL engine answers every catalog query over the result.
"""

from __future__ import annotations

import resource
import shutil
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from bench.reasoning import query_params
from bench.synthetic import stored_graph
from bench.timing import capped
from citykg.rdf.convert import quads_of
from citykg.rdf.iris import IRIs
from citykg.sources import read_paths

STEPS = ("parse", "pyshacl", "owlrl", "sparql")
DONE = ".complete"  # a hidden file: citykg build skips it


def turtle_files(submissions: Path, target: Path) -> Path:
    """One Turtle file per submission in the folder `submissions`, in `target` (made once:
    kept while `target` holds its marker file)."""
    if (target / DONE).exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for number, submission in enumerate(read_paths([submissions])):
        name, graph = stored_graph(submission.document, submission.source, iris=IRIs())
        triples = (quad.triple for quad in quads_of(graph, name))
        ox.serialize(triples, str(target / f"{number:06d}.ttl"), format=ox.RdfFormat.TURTLE)
    (target / DONE).write_text("")
    return target


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _plain_child(connection: Connection, folder: Path) -> None:
    """The plain way, one message per step: (step, seconds, a count, peak bytes so far)."""
    started = time.perf_counter()
    import owlrl
    import pyshacl
    from rdflib import Graph

    from citykg.model.ontology import shapes_graph
    from citykg.queries.catalog import catalog
    from citykg.resources import ontology_files

    graph = Graph()
    for path in [*ontology_files(), *sorted(folder.glob("*.ttl"))]:
        graph.parse(path, format="turtle")
    connection.send(("parse", time.perf_counter() - started, len(graph), _peak()))

    started = time.perf_counter()
    conforms, _, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=True
    )
    connection.send(("pyshacl", time.perf_counter() - started, int(bool(conforms)), _peak()))

    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    connection.send(("owlrl", time.perf_counter() - started, len(graph), _peak()))

    started = time.perf_counter()
    rows = 0
    for name, query in sorted(catalog().items()):
        result = graph.query(query.text, initBindings=query.bindings(query_params(name)))  # type: ignore[arg-type]
        rows += len(result.graph) if result.type == "CONSTRUCT" else len(list(result))  # type: ignore[arg-type]
    connection.send(("sparql", time.perf_counter() - started, rows, _peak()))


@dataclass
class Plain:
    """What the plain way did: seconds per step finished, the whole (None when it ran over the
    cap), peak memory of the child (bytes: the larger of its sampled PSS and the high-water
    mark it reported at the end of each step), and each step's count (triples parsed, 1 if the
    graph conforms, triples after the closure, catalog rows)."""

    steps: dict[str, float]
    counts: dict[str, int]
    seconds: float | None
    peak: int
    cap: float


def plain_way(folder: Path, *, cap: float) -> Plain:
    """Time the plain way on the Turtle files in `folder`, stopped after `cap` seconds in all."""
    sampled: list[int] = []
    messages = capped(_plain_child, (folder,), cap, len(STEPS), whole=True, peak=sampled)
    done = [m for m in messages if m[0] in STEPS]
    steps = {m[0]: m[1] for m in done}
    counts = {m[0]: m[2] for m in done}
    peak = max([*sampled, *(m[3] for m in done)])
    seconds = sum(steps.values()) if len(done) == len(STEPS) else None
    return Plain(steps, counts, seconds, peak, cap)
