"""Benchmark: inference and every catalog query on synthetic cities, beside owlrl and rdflib.

    python -m bench.reasoning                     # 1,000 and 10,000 cities
    python -m bench.reasoning --cities 1000 --runs 5 --cap 600 --query-cap 120

For each size: a copy of the store a user gets from `citykg build` of that many synthetic
cities' submission files (bench/stores.py, built once per size and version of the code; every
fifth city answered both waves), then
- inference: citykg.inference.materialise, which replaces the store's inferred graph (median of
  --runs, wall and CPU seconds) beside owlrl's OWL-RL closure of ontology + asserted data in
  rdflib, the plain way (one run, stopped after --cap seconds);
- every catalog query with its default parameters (city queries ask about "City 00000", which
  answered both waves): pyoxigraph on the store (median of --runs, wall and CPU) beside rdflib's own SPARQL
  engine on the same quads (one run each, stopped after --query-cap seconds).
Baselines run in a child process that is killed when its time is up ("over N s"); one that
ran over its cap at a smaller size (bench/results/reasoning-N.json, written by each run) is
not run again at a larger one. rdflib's row counts are compared with citykg's and shown when
they differ.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from bench.stores import asserted_graphs, built_store
from bench.synthetic import RESULTS, copy_store
from bench.timing import capped, load_average, median_times
from citykg import Store
from citykg.inference.materialise import Inferring, materialise
from citykg.inference.reading import graph_triples, structures
from citykg.inference.rules import compile_rules
from citykg.inference.submissions import infer_submission
from citykg.queries.catalog import catalog
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store
from citykg.store.graphs import OxigraphStore

CITY = "City 00000"


def query_params(name: str) -> dict[str, str]:
    """The parameters the benchmarks give a catalog query: a city query asks about CITY."""
    return {"city": CITY} if any(p.name == "city" for p in catalog()[name].parameters) else {}


# ------------------------------------------------------------------ baselines in a child process


def _owlrl_child(connection: Connection, location: Path) -> None:
    import owlrl
    from rdflib import Graph

    store = open_store(location)
    started = time.perf_counter()
    graph = Graph()  # the ontology and every submission in one graph: their union
    for name in asserted_graphs(store):
        data = store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
        graph.parse(data=data, format="nt")
    connection.send(("loaded", time.perf_counter() - started, len(graph)))
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    connection.send(("closed", time.perf_counter() - started, len(graph)))


def _rdflib_child(connection: Connection, location: Path, names: list[str]) -> None:
    from rdflib import Dataset, URIRef

    store = open_store(location)
    started = time.perf_counter()
    dataset = Dataset(default_union=True)  # the default graph: the union of the named graphs
    for graph in store.store.named_graphs():  # every named graph, the inferred one included
        data = store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        dataset.graph(URIRef(graph.value)).parse(data=data, format="nt")
    connection.send(("loaded", time.perf_counter() - started, len(dataset)))
    for name in names:
        query = catalog()[name]
        bindings = query.bindings(query_params(name))
        started = time.perf_counter()
        result = dataset.query(query.text, initBindings=bindings)  # type: ignore[arg-type]
        count = len(result.graph) if result.type == "CONSTRUCT" else len(list(result))  # type: ignore[arg-type]
        connection.send((name, time.perf_counter() - started, count))


def _fmt(seconds: float | None, cap: float) -> str:
    if seconds is None:
        return f"over {cap:g} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


# ------------------------------------------------------------------ one size


def _time_inference(cached: Path, location: Path, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU time of materialise() on a fresh copy of the built store each run
    (it replaces the inferred graph the build wrote), and the triples inferred; the last copy
    stays at `location` for the queries."""
    opened: list[OxigraphStore] = []

    def prepare() -> None:
        opened.clear()
        gc.collect()  # pyoxigraph closes a store when it is garbage
        copy_store(cached, location)
        path = open_store(location).location
        assert path is not None
        opened.append(OxigraphStore(ox.Store(str(path)), path))

    wall, cpu, inferred = median_times(
        lambda: materialise(opened[0], iris=IRIs()).inferred, runs, prepare=prepare
    )
    opened[0].flush()
    opened.clear()
    gc.collect()
    return wall, cpu, inferred


def _time_build_path(cached: Path, location: Path) -> tuple[float, float, int]:
    """The build's way, on a fresh copy: each named graph's triples (read from the store
    beforehand, untimed: a build has them in memory) through `infer_submission`, as a worker
    would, then `Inferring.add` and `finish` in the process writing the store. Returns the
    seconds spent in infer_submission (the workers' share), the seconds spent writing and
    finishing (the writer's), and the triples inferred."""
    gc.collect()
    copy_store(cached, location)
    path = open_store(location).location
    assert path is not None
    store = OxigraphStore(ox.Store(str(path)), path)
    rules = compile_rules()
    iris = IRIs()
    ontology = ox.NamedNode(str(iris.ontology_graph))
    skip = structures(store.store, ontology)
    graphs = [g for g in store.store.named_graphs() if g != ox.NamedNode(str(iris.inferred_graph))]
    workers = writer = 0.0
    started = time.perf_counter()
    inferring = Inferring(store, iris=iris, rules=rules)
    writer += time.perf_counter() - started
    for start in range(0, len(graphs), 500):
        parts = [
            list(graph_triples(store.store, g, rules, skip=skip if g == ontology else frozenset()))
            for g in graphs[start : start + 500]
        ]
        started = time.perf_counter()
        closures = [infer_submission(part, rules) for part in parts]
        workers += time.perf_counter() - started
        started = time.perf_counter()
        for closure in closures:
            inferring.add(closure)
        writer += time.perf_counter() - started
    started = time.perf_counter()
    inferred = inferring.finish().inferred
    writer += time.perf_counter() - started
    store.flush()
    del store
    gc.collect()
    return workers, writer, inferred


#: what a baseline did at a size: seconds, or None when it ran over its cap
Outcomes = dict[str, float | None]


def _saved(cities: int) -> Path:
    return RESULTS / f"reasoning-{cities}.json"


def _smaller(cities: int) -> tuple[int, Outcomes] | None:
    """The baselines' outcomes at the largest smaller size measured before (saved by run_size)."""
    sizes = sorted(
        int(path.stem.split("-")[1])
        for path in RESULTS.glob("reasoning-*.json")
        if path.stem.split("-")[1].isdigit()
    )
    below = [size for size in sizes if size < cities]
    if not below:
        return None
    saved = json.loads(_saved(below[-1]).read_text())
    return below[-1], saved["baselines"]


def run_size(
    cities: int,
    *,
    runs: int,
    cap: float,
    query_cap: float,
    budget: float,
    baselines: bool,
) -> None:
    """Measure one size, print its table and save it to bench/results/reasoning-N.json.

    A baseline that ran over its cap at the largest smaller size measured before is not run
    again (it only grows with the data); rdflib's queries run fastest-first by their time at
    that size, so that a query killed at its cap (which costs a reload of the data) comes last.
    """
    print(f"\n## {cities:,} cities\n", flush=True)
    outcomes: Outcomes = {}
    notes: dict[str, str] = {}
    smaller = _smaller(cities)
    over_before: set[str] = set()
    if smaller is not None:
        over_before = {name for name, seconds in smaller[1].items() if seconds is None}
        for name in over_before:
            notes[name] = f"not run: over its cap at {smaller[0]:,} cities"
    with tempfile.TemporaryDirectory(prefix="citykg-bench-") as folder:
        location = Path(folder) / "store"
        cached = built_store(cities)
        copy_store(cached, location)  # inference writes the copy's inferred graph
        store = open_store(location)
        quads = len(store.store)
        graphs = sum(1 for _ in store.store.named_graphs())
        del store
        print(f"- store (`citykg build`): {quads:,} quads in {graphs:,} named graphs and the default graph")
        print(f"- load average before (1, 5, 15 min): {load_average()}")
        started = time.perf_counter()
        compile_rules()
        print(
            f"- ontology closure by owlrl + rule compilation (once per process): "
            f"{time.perf_counter() - started:.2f} s"
        )
        workers, writer, by_submission = _time_build_path(cached, location)
        print(
            f"- the build's way (one run): infer_submission {workers:.2f} s in all (the workers' "
            f"share: {workers / 2:.2f} s on two cores), Inferring.add + finish {writer:.2f} s; "
            f"{by_submission:,} triples",
            flush=True,
        )
        seconds, cpu, inferred = _time_inference(cached, location, runs)
        print(f"- inferred triples: {inferred:,}", flush=True)

        if baselines and "owlrl" not in over_before:
            messages = capped(_owlrl_child, (location,), cap, 2)
            loaded = [m for m in messages if m[0] == "loaded"]
            if loaded:
                print(f"- owlrl: {loaded[0][2]:,} triples parsed in {loaded[0][1]:.1f} s (not timed)")
            closed = [m for m in messages if m[0] == "closed"]
            outcomes["owlrl"] = closed[0][1] if closed else None

        names = sorted(catalog())
        ours = _time_queries(location, names, runs)
        print(f"- catalog queries timed; load average now: {load_average()}", flush=True)
        counts: dict[str, int] = {}
        if baselines:
            earlier = smaller[1] if smaller is not None else {}
            todo = sorted(
                (name for name in names if name not in over_before),
                key=lambda name: (earlier.get(name) is None, earlier.get(name) or 0.0, name),
            )
            found, counts = _rdflib_queries(location, todo, query_cap, budget, notes)
            outcomes.update(found)
        print(f"- load average at the end (1, 5, 15 min): {load_average()}")
        head = f"\n| step | citykg wall (median of {runs}) | citykg CPU | owlrl / rdflib (1 run) | ratio |"
        print(head)
        print("| --- | --- | --- | --- | --- |")
        print(
            f"| inference (OWL-RL) | {_fmt(seconds, cap)} | {_fmt(cpu, cap)} | "
            f"{_note(notes, outcomes, 'owlrl', cap)} | {_ratio(outcomes.get('owlrl'), seconds)} |"
        )
        for name in names:
            ours_seconds, ours_cpu, rows = ours[name]
            theirs = _note(notes, outcomes, name, query_cap)
            if name in counts and counts[name] != rows:
                theirs += f" ({counts[name]:,} rows)"  # a different answer: say so
            print(
                f"| query {name} ({rows:,} rows) | {_fmt(ours_seconds, cap)} | {_fmt(ours_cpu, cap)} | "
                f"{theirs} | {_ratio(outcomes.get(name), ours_seconds)} |",
                flush=True,
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    _saved(cities).write_text(
        json.dumps(
            {
                "cities": cities,
                "quads": quads,
                "inferred": inferred,
                "citykg": {"inference": seconds, **{name: ours[name][0] for name in names}},
                "citykg_cpu": {"inference": cpu, **{name: ours[name][1] for name in names}},
                "build_path": {"infer_submission": workers, "writer": writer},
                "rows": {name: ours[name][2] for name in names},
                "baselines": outcomes,
                "notes": notes,
            },
            indent=2,
        )
        + "\n"
    )


def _note(notes: dict[str, str], outcomes: Outcomes, name: str, cap: float) -> str:
    if name in outcomes:
        return _fmt(outcomes[name], cap)
    return notes.get(name, "not run")


def _ratio(theirs: float | None, ours: float) -> str:
    if not theirs:
        return "-"
    ratio = theirs / ours
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:,.0f}x"


def _time_queries(location: Path, names: list[str], runs: int) -> dict[str, tuple[float, float, int]]:
    """Median wall and CPU time and row count of each catalog query, inferred triples
    included, as `citykg query` answers it (`citykg.Store.query`: the store opened, the query
    run on pyoxigraph, the answer converted to rows)."""
    store = Store(location)
    ours: dict[str, tuple[float, float, int]] = {}
    for name in names:

        def run_one(name: str = name) -> int:  # rows, or triples for a CONSTRUCT (city-profile)
            answer = store.query(name, query_params(name))
            return len(answer.graph) if answer.graph is not None else len(answer.rows)

        ours[name] = median_times(run_one, runs)
    return ours


def _rdflib_queries(
    location: Path, names: list[str], cap: float, budget: float, notes: dict[str, str]
) -> tuple[Outcomes, dict[str, int]]:
    """rdflib's time and row count for each query, in the order given (one run each, in a
    child; None when over `cap`); queries left when `budget` seconds are spent are not run."""
    outcomes: Outcomes = {}
    counts: dict[str, int] = {}
    remaining = list(names)
    budget_end = time.monotonic() + budget
    while remaining:
        if time.monotonic() > budget_end:
            for name in remaining:
                notes[name] = f"not run (rdflib budget of {budget:g} s spent)"
            break
        messages = capped(_rdflib_child, (location, remaining), cap, len(remaining) + 1)
        if messages and messages[0][0] == "loaded":
            print(
                f"- rdflib: {messages[0][2]:,} quads parsed in {messages[0][1]:.1f} s (not timed)", flush=True
            )
        done = [m for m in messages[1:] if m[0] in remaining]
        for name, elapsed, count in done:
            outcomes[name] = elapsed
            counts[name] = count
        remaining = remaining[len(done) :]
        if remaining:  # the next one ran over its cap (or the child died): skip it
            print(f"- rdflib: {remaining[0]} over {cap:g} s; stopped", flush=True)
            outcomes[remaining[0]] = None
            remaining = remaining[1:]
    return outcomes, counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reasoning", description=__doc__.split("\n")[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per citykg measurement (median)")
    parser.add_argument("--cap", type=float, default=600, help="seconds owlrl may take")
    parser.add_argument("--query-cap", type=float, default=600, help="seconds each rdflib query may take")
    parser.add_argument("--budget", type=float, default=3600, help="seconds for all rdflib queries of a size")
    parser.add_argument("--no-baselines", action="store_true", help="skip owlrl and rdflib")
    args = parser.parse_args(argv)
    print("# citykg reasoning benchmark")
    print(
        f"python {sys.version.split()[0]}, pyoxigraph {ox.__version__}, {os.cpu_count()} cores, "
        f"load average at start {os.getloadavg()[0]:.1f}"
    )
    for cities in sorted(args.cities):
        run_size(
            cities,
            runs=args.runs,
            cap=args.cap,
            query_cap=args.query_cap,
            budget=args.budget,
            baselines=not args.no_baselines,
        )


if __name__ == "__main__":
    main()
