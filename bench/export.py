"""Export speed: citykg's exports against rdflib's serializers on the same graph.

    python -m bench.export                 # 1,000 and 10,000 synthetic cities
    python -m bench.export --sizes 1000 --runs 5 --timeout 60

For each size, the store a user gets from `citykg build` of that many synthetic cities'
submission files (bench/stores.py: built once per size and version of the code, kept under
bench/results/stores/), and every format is exported the citykg way (reading the on-disk store,
selection, canonical order and blank nodes, serialization: what `citykg export` does; the
"in memory" column is the same without reading the store) and the rdflib way
(`Graph.serialize` / `Dataset.serialize` on the same quads, parsed beforehand and not timed,
and unsorted, so not byte-stable), side by side. rdflib
runs in a forked child with a time cap and shows 'over N s' when it hits it. citykg's figures
are wall and CPU seconds (`time.process_time`, every thread of this process). Small sizes report
the median of `--runs` runs; the largest size runs once per format unless `--runs-large` says
otherwise. Framed JSON-LD (pyld, one city at a time) and `publish` are timed too, against pyld
compacting the whole graph at once (capped).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stores import built_store
from bench.synthetic import RESULTS
from bench.timing import load_average, median_time, median_times
from citykg.export.selection import Selection, selected_quads
from citykg.export.serializers import export
from citykg.rdf.canonical import canonical_order
from citykg.rdf.formats import ExportFormat, Frame
from citykg.rdf.iris import IRIs
from citykg.rdf.jsonld_writer import flat_document
from citykg.rdf.serialize import serialize_quads
from citykg.store.generations import open_store

RDFLIB_FORMAT = {
    ExportFormat.TURTLE: "turtle",
    ExportFormat.NTRIPLES: "nt",
    ExportFormat.NQUADS: "nquads",
    ExportFormat.TRIG: "trig",
    ExportFormat.JSONLD: "json-ld",
}
IRI = IRIs()


# ------------------------------------------------------------------ rdflib, in a forked child


_LOADED: dict[str, Any] = {}


def _rdflib_child(fmt: str, conn: Any) -> None:
    started = time.perf_counter()
    graph = _LOADED["dataset"] if fmt in ("nquads", "trig") else _LOADED["union"]
    graph.serialize(format=fmt)
    conn.send(time.perf_counter() - started)
    conn.close()


def _pyld_child(fmt: str, conn: Any) -> None:
    from pyld import jsonld

    from citykg.rdf.jsonld import options

    document = _LOADED["jsonld"]
    started = time.perf_counter()
    jsonld.compact(document, document["@context"], options())
    conn.send(time.perf_counter() - started)
    conn.close()


def _pyld_frame_child(fmt: str, conn: Any) -> None:
    from citykg.rdf.jsonld import city_frame, frame

    document = _LOADED["jsonld"]
    started = time.perf_counter()
    frame(document, city_frame())
    conn.send(time.perf_counter() - started)
    conn.close()


def in_child(target: Callable[[str, Any], None], fmt: str, timeout: float) -> float | None:
    """Seconds the child took, or None when it ran over `timeout` (it is then stopped)."""
    parent, child = mp.Pipe(duplex=False)
    process = mp.get_context("fork").Process(target=target, args=(fmt, child))
    process.start()
    child.close()
    result = parent.recv() if parent.poll(timeout) else None
    if result is None:
        process.kill()
    process.join()
    return result


def load_rdflib(quads_file: Path) -> float:
    from rdflib import Dataset, Graph

    started = time.perf_counter()
    dataset = Dataset()
    dataset.parse(quads_file, format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    _LOADED["dataset"] = dataset
    _LOADED["union"] = union
    return time.perf_counter() - started


# ------------------------------------------------------------------ the run


def show(seconds: float | None, timeout: float) -> str:
    """Seconds, or how a capped run ended (a timeout of 0: not run)."""
    if not timeout:
        return "not run"
    return f"over {timeout:.0f} s" if seconds is None else f"{seconds:.2f} s"


def ratio(theirs: float | None, ours: float, timeout: float) -> str:
    if not timeout:
        return "-"
    if theirs is None:
        return f"> {timeout / ours:.1f}x" if timeout < 10 * ours else f"> {timeout / ours:.0f}x"
    return f"{theirs / ours:.1f}x"


def run(
    n: int, runs: int, timeout: float, publish_max: int, frame_max: int, *, baselines: bool = True
) -> list[dict[str, Any]]:
    print(f"\n{n:,} synthetic cities", flush=True)
    location = built_store(n)
    store = open_store(location)
    quads = selected_quads(store, Selection(), iris=IRI)
    triples = len({q.triple for q in quads})
    print(
        f"  {len(quads):,} quads, {triples:,} distinct triples; {runs} run(s) per citykg figure", flush=True
    )
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        nq = Path(folder) / "all.nq"
        nq.write_bytes(export(store, ExportFormat.NQUADS, Selection(), iris=IRI))
        timeout = timeout if baselines else 0.0  # 0: the baselines are not run
        if baselines:
            loaded = load_rdflib(nq)
            print(f"  (rdflib parse of the same quads, not counted: {loaded:.1f} s)", flush=True)
        print(
            f"  {'format':<24}{'citykg':>12}{'citykg CPU':>12}{'(in memory)':>14}{'rdflib':>16}"
            f"{'rdflib/citykg':>16}",
            flush=True,
        )
        for fmt in ExportFormat:
            ours, cpu, _ = median_times(lambda fmt=fmt: export(store, fmt, Selection(), iris=IRI), runs)  # type: ignore[misc]
            memory, _ = median_time(lambda fmt=fmt: serialize_quads(canonical_order(quads), fmt), runs)  # type: ignore[misc]
            theirs = in_child(_rdflib_child, RDFLIB_FORMAT[fmt], timeout) if baselines else None
            rows.append(
                {"n": n, "what": fmt.value, "citykg": ours, "cpu": cpu, "memory": memory}
                | {"other": theirs, "timeout": timeout}
            )
            print(
                f"  {fmt.value:<24}{ours:>10.2f} s{cpu:>10.2f} s{memory:>12.2f} s{show(theirs, timeout):>16}"
                f"{ratio(theirs, ours, timeout):>16}",
                flush=True,
            )
        _LOADED.clear()
        if n > frame_max:
            return rows
        frame_runs = runs if n <= 1000 else 1
        ours, cpu, _ = median_times(
            lambda: export(store, ExportFormat.JSONLD, Selection(), iris=IRI, frame=Frame.CITY), frame_runs
        )
        _LOADED["jsonld"] = json.loads(flat_document(quads))
        theirs = in_child(_pyld_child, "compact", timeout) if baselines else None
        whole = in_child(_pyld_frame_child, "frame", timeout) if baselines else None
        _LOADED.clear()
        rows.append(
            {"n": n, "what": "jsonld --frame city", "citykg": ours, "cpu": cpu}
            | {"other": theirs, "timeout": timeout}
        )
        print(
            f"  {'jsonld --frame city':<24}{ours:>10.2f} s{cpu:>10.2f} s{'':>14}{show(theirs, timeout):>16}"
            f"{ratio(theirs, ours, timeout):>16}   (other: pyld compacting the whole graph)",
            flush=True,
        )
        rows.append({"n": n, "what": "pyld frame, whole graph", "citykg": ours, "other": whole})
        print(
            f"  {'':<24}{'':>12}{'':>12}{'':>14}{show(whole, timeout):>16}"
            f"{ratio(whole, ours, timeout):>16}   (other: pyld framing the whole graph at once)",
            flush=True,
        )
        if n > publish_max:
            return rows
        from citykg.export.publish import publish

        target = Path(folder) / "site"
        ours, cpu, _ = median_times(lambda: publish(location, target, iris=IRI), 1)
        rows.append(
            {
                "n": n,
                "what": "publish (all files)",
                "citykg": ours,
                "cpu": cpu,
                "other": None,
                "timeout": None,
            }
        )
        print(f"  {'publish (all files)':<24}{ours:>10.2f} s{cpu:>10.2f} s", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure for the smaller sizes")
    parser.add_argument("--runs-large", type=int, default=1, help="runs per figure for the largest size")
    parser.add_argument("--timeout", type=float, default=120.0, help="cap on each rdflib/pyld run (s)")
    parser.add_argument("--publish-max", type=int, default=1000, help="time publish up to this size")
    parser.add_argument("--frame-max", type=int, default=1000, help="time framing up to this size")
    parser.add_argument("--no-baselines", action="store_true", help="citykg only: no rdflib, no pyld")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sum(range(10**7))
    print(f"machine: sum(range(10**7)) takes {time.perf_counter() - started:.2f} s (about 0.2 s when idle)")
    print(f"load average (1, 5, 15 min) at the start: {load_average()}")
    rows = []
    largest = max(args.sizes)
    for n in sorted(args.sizes):
        runs = args.runs_large if n == largest and len(args.sizes) > 1 else args.runs
        rows.extend(
            run(n, runs, args.timeout, args.publish_max, args.frame_max, baselines=not args.no_baselines)
        )
    print(f"load average (1, 5, 15 min) at the end: {load_average()}")
    (RESULTS / "export.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(f"\nwrote {RESULTS / 'export.json'}")


if __name__ == "__main__":
    main()
