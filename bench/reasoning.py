"""Benchmark: inference and every catalog query on synthetic cities, beside owlrl and rdflib.

    python -m bench.reasoning                     # 1,000 and 10,000 cities
    python -m bench.reasoning --cities 1000 --runs 5 --cap 600 --query-cap 120

For each size: build a store of synthetic cities (bench/synthetic.py, the real mapping), then
- inference: citykg.inference.materialise (median of --runs) beside owlrl's OWL-RL closure of
  ontology + data in rdflib, the plain way (one run, stopped after --cap seconds);
- every catalog query with its default parameters (city queries ask about "City 00000", which
  answered both waves): pyoxigraph on the store (median of --runs) beside rdflib's own SPARQL
  engine on the same quads (one run each, stopped after --query-cap seconds).
Baselines run in a child process that is killed when its time is up ("over N s").
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.synthetic import build_store
from citykg.inference import compile_rules, materialise
from citykg.iris import IRIs
from citykg.queries import catalog
from citykg.store import OxigraphStore, open_store

CITY = "City 00000"


def median_time(action: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _params(name: str) -> dict[str, str]:
    return {"city": CITY} if any(p.name == "city" for p in catalog()[name].parameters) else {}


# ------------------------------------------------------------------ baselines in a child process


def _nquads(location: Path, skip: set[str], *, triples: bool = False) -> bytes:
    """The store's quads (all graphs but `skip`) as N-Quads, or as N-Triples of their union."""
    store = open_store(location)
    quads = [q for q in store.quads() if q.graph_name.value not in skip]  # type: ignore[union-attr]
    if triples:
        data = ox.serialize({q.triple for q in quads}, format=ox.RdfFormat.N_TRIPLES)
    else:
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return data


def _owlrl_child(connection: Connection, location: Path) -> None:
    import owlrl
    from rdflib import Graph

    iris = IRIs()
    data = _nquads(location, {str(iris.inferred_graph)}, triples=True)
    started = time.perf_counter()
    graph = Graph()
    graph.parse(data=data, format="nt")  # ontology and every submission in one graph
    loaded = time.perf_counter() - started
    connection.send(("loaded", loaded, len(graph)))
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    connection.send(("closed", time.perf_counter() - started, len(graph)))


def _rdflib_child(connection: Connection, location: Path, names: list[str]) -> None:
    from rdflib import Dataset, Literal, URIRef

    iris = IRIs()
    data = _nquads(location, {str(iris.inferred_graph)})
    dataset = Dataset(default_union=True)
    started = time.perf_counter()
    dataset.parse(data=data, format="nquads")
    connection.send(("loaded", time.perf_counter() - started, len(dataset)))
    # the inferred graph too, so both engines answer from the same quads
    store = open_store(location)
    inferred = dataset.graph(URIRef(str(iris.inferred_graph)))
    for quad in store.quads([iris.inferred_graph]):
        inferred.add((URIRef(quad.subject.value), URIRef(quad.predicate.value), _term(quad.object)))
    del store
    for name in names:
        query = catalog()[name]
        bindings = query.bindings(_params(name))
        started = time.perf_counter()
        result = dataset.query(query.text, initBindings=bindings)
        count = len(result.graph) if result.type == "CONSTRUCT" else len(list(result))  # type: ignore[arg-type]
        connection.send((name, time.perf_counter() - started, count))
    _ = Literal


def _term(term: Any) -> Any:
    from rdflib import Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def capped(
    target: Callable[..., None], args: tuple[Any, ...], cap: float, expect: int
) -> list[tuple[Any, ...]]:
    """Run `target(connection, *args)` in a child; collect up to `expect` messages, each within
    `cap` seconds of the previous one; kill the child when one does not come in time."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=target, args=(sender, *args), daemon=True)
    child.start()
    sender.close()
    messages: list[tuple[Any, ...]] = []
    try:
        while len(messages) < expect:
            limit = cap if messages else cap + 600  # loading the data is not the measured step
            if not receiver.poll(limit):
                messages.append(("over", cap))
                break
            messages.append(receiver.recv())
    except EOFError:
        messages.append(("died", 0))
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    return messages


def _fmt(seconds: float | None, cap: float) -> str:
    if seconds is None:
        return f"over {cap:g} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


# ------------------------------------------------------------------ one size


def _time_inference(location: Path, runs: int) -> tuple[float, int]:
    """Median time of materialise() on the store's live generation, and the triples inferred."""
    path = open_store(location).location
    assert path is not None
    writable = OxigraphStore(ox.Store(str(path)), path)
    seconds, result = median_time(lambda: materialise(writable, iris=IRIs()), runs)
    writable.flush()
    return seconds, result.inferred  # type: ignore[attr-defined]


def run_size(cities: int, *, runs: int, cap: float, query_cap: float, budget: float, baselines: bool) -> None:
    print(f"\n## {cities:,} cities\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="citykg-bench-") as folder:
        location = Path(folder) / "store"
        started = time.perf_counter()
        quads = build_store(location, cities)
        print(f"- store built: {quads:,} asserted quads in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        compile_rules()
        print(
            f"- ontology closure by owlrl + rule compilation (once per process): "
            f"{time.perf_counter() - started:.2f} s"
        )

        seconds, inferred = _time_inference(location, runs)
        print(f"- inferred triples: {inferred:,}\n")

        owlrl_time: float | None = None
        owlrl_note = "not run"
        if baselines:
            messages = capped(_owlrl_child, (location,), cap, 2)
            closed = [m for m in messages if m[0] == "closed"]
            owlrl_time = closed[0][1] if closed else None
            owlrl_note = f"{_fmt(owlrl_time, cap)} (1 run)"
        ratio = f"{owlrl_time / seconds:,.0f}x" if owlrl_time else "-"
        print(f"| step | citykg (median of {runs}) | owlrl / rdflib | ratio |")
        print("| --- | --- | --- | --- |")
        print(f"| inference (OWL-RL) | {_fmt(seconds, cap)} | {owlrl_note} | {ratio} |", flush=True)

        names = sorted(catalog())
        store = open_store(location)
        ours: dict[str, tuple[float, int]] = {}
        for name in names:
            query = catalog()[name]
            bindings = query.bindings(_params(name))

            def run_one(text: str = query.text, b: dict[str, Any] = bindings) -> int:
                answer = store.query(text, substitutions=b, extra_graphs=[IRIs().inferred_graph])
                return len(list(answer))  # type: ignore[call-overload]

            ours[name] = median_time(run_one, runs)  # type: ignore[assignment]
        theirs: dict[str, float | None] = {}
        skipped: set[str] = set()
        if baselines:
            remaining = list(names)
            budget_end = time.monotonic() + budget
            while remaining:
                if time.monotonic() > budget_end:  # rdflib has had its time: leave the rest
                    skipped.update(remaining)
                    break
                messages = capped(_rdflib_child, (location, remaining), query_cap, len(remaining) + 1)
                done = [m for m in messages[1:] if m[0] in remaining]
                for name, elapsed, _count in done:
                    theirs[name] = elapsed
                remaining = remaining[len(done) :]
                if remaining:  # the next one ran over its cap (or the child died): skip it
                    theirs[remaining[0]] = None
                    remaining = remaining[1:]
        for name in names:
            seconds, rows = ours[name]
            if name in skipped:
                note, ratio = f"not run (rdflib budget of {budget:g} s spent)", "-"
            elif name in theirs:
                other = theirs[name]
                note = _fmt(other, query_cap)
                ratio = f"{other / seconds:,.0f}x" if other else "-"
            else:
                note, ratio = "not run", "-"
            print(f"| query {name} ({rows} rows) | {_fmt(seconds, cap)} | {note} | {ratio} |", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reasoning", description=__doc__.split("\n")[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per citykg measurement (median)")
    parser.add_argument("--cap", type=float, default=600, help="seconds owlrl may take")
    parser.add_argument("--query-cap", type=float, default=120, help="seconds each rdflib query may take")
    parser.add_argument("--budget", type=float, default=3600, help="seconds for all rdflib queries of a size")
    parser.add_argument("--no-baselines", action="store_true", help="skip owlrl and rdflib")
    args = parser.parse_args(argv)
    print("# citykg reasoning benchmark")
    print(
        f"python {sys.version.split()[0]}, pyoxigraph {ox.__version__}, {os.cpu_count()} cores, "
        f"load average at start {os.getloadavg()[0]:.1f}"
    )
    for cities in args.cities:
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
