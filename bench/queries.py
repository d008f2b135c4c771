"""Benchmark: every catalog query as a user runs it, in process and as a command.

    python -m bench.queries                       # 1,000 cities, 5 runs
    python -m bench.queries --cities 1000 10000 --runs 5 --command-runs 3
    python -m bench.queries --cities 200 --no-baselines

For each size: the cached synthetic store (bench/synthetic.py) with its inferred graph
(materialised once into bench/results/stores/cities-N-inferred, as `citykg build` leaves it),
then for every catalog query with its default parameters (city queries ask about "City 00000",
which answered both waves), in wall time and in CPU time (on a shared machine the CPU time is
the steadier figure):
- in process: `citykg.api.Store(path).query(name, params)` (opening the store, binding the
  parameters, the query and its rows as terms), median of --runs after a warm-up run;
- as a command: `citykg query NAME --store S -f csv` in a new process (start-up included),
  median of --command-runs.
Beside `cities-with-data-partner`: the same query text and parameter on pyoxigraph in memory
(the triples the query reads, the store's default graph: the asserted and inferred triples not
about evidence records, decision 1304; loaded as the default graph of an in-memory store;
loading not timed) and on rdflib (the same triples in one Graph,
parsed beforehand and not timed), with their row counts.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.processes import user_environment
from bench.synthetic import RESULTS, cached_store, copy_store
from bench.timing import median_time
from citykg.api import Store
from citykg.inference.materialise import materialise
from citykg.queries.catalog import catalog
from citykg.queries.run import with_values
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store, store_exists
from citykg.store.graphs import OxigraphStore

CITY = "City 00000"
HEADLINE = "cities-with-data-partner"


def _params(name: str) -> dict[str, str]:
    return {"city": CITY} if any(p.name == "city" for p in catalog()[name].parameters) else {}


def inferred_store(cities: int) -> Path:
    """The cached store of `cities` synthetic cities with its inferred graph, made once."""
    location = RESULTS / "stores" / f"cities-{cities}-inferred"
    if not store_exists(location):
        started = time.perf_counter()
        copy_store(cached_store(cities), location)
        path = open_store(location).location
        gc.collect()  # the read-only handle closes when it is garbage
        assert path is not None
        store = OxigraphStore(ox.Store(str(path)), path)
        materialise(store, iris=IRIs())
        store.flush()
        del store
        gc.collect()
        print(f"  inferred over {cities:,} cities in {time.perf_counter() - started:.0f} s", flush=True)
    return location


def _cpu_median(action: Callable[[], object], runs: int) -> float:
    """The median CPU seconds of this process over `runs` calls (after a warm-up call)."""
    action()
    times = []
    for _ in range(runs):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def _command(location: Path, name: str, runs: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system) of the command."""
    fmt = "turtle" if "CONSTRUCT" in catalog()[name].text else "csv"
    args = [sys.executable, "-m", "citykg", "query", name, "--store", str(location), "-f", fmt]
    for key, value in _params(name).items():
        args += ["-p", f"{key}={value}"]

    cpu: list[float] = []
    env = user_environment(PYTHONPATH="src")

    def once() -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

    wall = median_time(once, runs, warm_up=True)[0]  # the warm-up run writes the bytecode
    return wall, statistics.median(cpu[1:])


def _baselines(location: Path, runs: int) -> list[str]:
    """pyoxigraph in memory and rdflib on the triples the headline query reads."""
    from rdflib import Graph

    store = open_store(location)
    triples = list(store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    query = catalog()[HEADLINE]
    bindings = query.bindings({})
    memory = ox.Store()
    memory.bulk_extend(triples)
    text_run: str = with_values(query.text, bindings)  # the text citykg runs

    def in_memory() -> int:  # wall time
        answer: Any = memory.query(text_run)
        return len(list(answer))

    seconds, rows = median_time(in_memory, runs)
    lines = [
        f"- {HEADLINE}, pyoxigraph in memory, the same text ({len(triples):,} triples): "
        f"{_ms(seconds)} ({rows} rows)"
    ]
    text = ox.serialize(triples, format=ox.RdfFormat.N_QUADS)
    assert text is not None
    graph = Graph()
    started = time.perf_counter()
    graph.parse(data=text.decode(), format="nt")
    parsed = time.perf_counter() - started
    seconds, rows = median_time(
        lambda: len(list(graph.query(query.text, initBindings=bindings))),  # type: ignore[arg-type]
        1,
    )
    lines.append(
        f"- {HEADLINE}, rdflib (parsed in {parsed:.0f} s, not timed; 1 run): {_ms(seconds)} ({rows} rows)"
    )
    return lines


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def run_size(cities: int, *, runs: int, command_runs: int, baselines: bool) -> None:
    location = inferred_store(cities)
    print(f"\n## {cities:,} cities ({len(open_store(location).store):,} quads)\n", flush=True)
    print(f"- load average before: {os.getloadavg()[0]:.2f}")
    target = Store(location)
    print(
        f"\n| query | rows | in process, wall (median of {runs}) | in process, CPU | "
        f"command, wall (median of {command_runs}) | command, CPU |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    medians: list[float] = []
    cpus: list[float] = []
    for name in sorted(catalog()):
        params = _params(name)
        seconds, result = median_time(lambda n=name, p=params: target.query(n, p), runs, warm_up=True)  # type: ignore[misc]
        cpu = _cpu_median(lambda n=name, p=params: target.query(n, p), runs)  # type: ignore[misc]
        medians.append(seconds)
        cpus.append(cpu)
        rows = len(result.graph) if result.graph is not None else len(result.rows)
        shown = "- | -"
        if command_runs:
            wall, command_cpu = _command(location, name, command_runs)
            shown = f"{_ms(wall)} | {_ms(command_cpu)}"
        print(f"| {name} | {rows:,} | {_ms(seconds)} | {_ms(cpu)} | {shown} |", flush=True)
    print(
        f"\n- p50 over the catalog, in process: {_ms(statistics.median(medians))} wall, "
        f"{_ms(statistics.median(cpus))} CPU"
    )
    print(f"- load average after: {os.getloadavg()[0]:.2f}")
    if baselines:
        for line in _baselines(location, runs):
            print(line, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n")[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=5, help="in-process runs per query (median)")
    parser.add_argument("--command-runs", type=int, default=3, help="command runs per query (0: none)")
    parser.add_argument("--no-baselines", action="store_true", help="skip pyoxigraph in memory and rdflib")
    args = parser.parse_args(argv)
    print("# citykg query benchmark")
    print(f"python {sys.version.split()[0]}, pyoxigraph {ox.__version__}, {os.cpu_count()} cores")
    for cities in sorted(args.cities):
        run_size(cities, runs=args.runs, command_runs=args.command_runs, baselines=not args.no_baselines)


if __name__ == "__main__":
    main()
