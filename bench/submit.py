"""How long checking one submission takes as the store grows, against plain pyshacl.

    python -m bench.submit [--sizes 0,1000,10000] [--runs 5] [--whole 1000]

For each store size, the store a user gets from `citykg build` of that many synthetic cities'
submission files (bench/stores.py: built once per size and version of the code, kept in
bench/results/stores/; size 0 is no store yet, as for the first submission), it times, as
medians of --runs runs after one warm-up, wall and CPU seconds (`time.process_time`):
  * validate     the submission on its own (structure, labels, SHACL with the ontology);
  * new city     `citykg submit --dry-run` of a city not in the store (validate + the SPARQL
                 checks: similar names, conflicting facts, the stored version + the diff);
  * resubmission `citykg submit --dry-run` of a stored city with another mayor (adds the diff
                 against the stored version);
  * commit       `citykg submit --new-city` of the new city (a checkpoint of the live
                 generation, the graph replaced, the inferred graph refreshed for what
                 changed, CURRENT swapped), each run on a fresh copy of the store; the bench
                 stops if a run does not commit.
Then the plain way: pyshacl over the whole graph (all submissions + ontology, no inference)
of the --whole store, once loaded into rdflib (the load is not timed). Ratios are against the
empty store, and the plain way against checking one new city at the same size.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stores import asserted_graphs, built_store
from bench.synthetic import copy_store, document, write_submission
from bench.timing import load_average, median_times
from citykg.model.ontology import ontology_graph, shapes_graph
from citykg.rdf.convert import graph_of
from citykg.sources import read_file
from citykg.store.generations import open_store
from citykg.validation.shacl import validate_submission
from citykg.workflow.submit import submit


def whole_graph_pyshacl(location: Path, runs: int) -> tuple[float, float, int]:
    """pyshacl over every asserted triple of the store (submissions and ontology, not the
    inferred graph) in one rdflib graph: median wall and CPU seconds, and the triples."""
    import pyshacl

    store = open_store(location)
    data = graph_of(store.quads(asserted_graphs(store)))
    data += ontology_graph()

    def validate() -> None:
        pyshacl.validate(
            data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=True
        )

    wall, cpu, _ = median_times(validate, runs, warm_up=runs > 1)
    return wall, cpu, len(data)


Times = tuple[float, float]  # wall, CPU
Row = tuple[int, int, Times, Times, Times | None, Times]


def _times(action: Callable[[], object], runs: int, **options: Any) -> Times:
    wall, cpu, _ = median_times(action, runs, warm_up=True, **options)
    return wall, cpu


def measure(size: int, runs: int, work: Path) -> Row:
    """The medians for one store size (see the module docstring)."""
    location = built_store(size) if size else work / "no-store-yet"
    quads = len(open_store(location).store) if size else 0
    new = write_submission(work / "new-city.yaml", document(size + 1))
    stored = document(1)
    stored["city"]["mayor"] = "Someone Else"
    resubmission = write_submission(work / "resubmission.yaml", stored)
    [submission] = read_file(new)
    validate = _times(lambda: validate_submission(submission), runs)
    check_new = _times(lambda: submit(new, store_path=location, dry_run=True), runs)
    check_again = (
        _times(lambda: submit(resubmission, store_path=location, dry_run=True), runs) if size > 1 else None
    )
    scratch = work / "scratch"

    def commit_new() -> None:
        # --new-city: synthetic names ("City 01001") are close to stored ones ("City 00001")
        result = submit(new, store_path=scratch, new_city=True)
        assert result.committed, "the new city was not committed: the commit column would be wrong"

    def fresh() -> None:
        if size:
            copy_store(location, scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    commit = _times(commit_new, runs, prepare=fresh)
    return (size, quads, validate, check_new, check_again, commit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="0,1000,10000", help="store sizes in cities (default 0,1000,10000)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure (default 5)")
    parser.add_argument(
        "--whole", type=int, default=1000, help="store size for whole-graph pyshacl (0: skip)"
    )
    parser.add_argument("--whole-runs", type=int, default=3, help="timed runs of whole-graph pyshacl")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="citykg-bench-"))
    load = load_average()
    rows: list[Row] = []
    try:
        rows = [measure(size, args.runs, work) for size in sizes]
        whole = whole_graph_pyshacl(built_store(args.whole), args.whole_runs) if args.whole else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    empty = rows[0][3][1] if rows and rows[0][0] == 0 else None
    print()
    print(f"Checking one submission against the store (medians of {args.runs} runs, seconds: wall / CPU)")
    print(f"load average (1, 5, 15 min): {load} at the start, {load_average()} at the end")
    print(
        f"{'cities':>8} {'quads':>10} {'validate':>15} {'new city':>15} {'CPU ratio':>9} "
        f"{'resubmit':>15} {'commit':>15}"
    )

    def cell(times: Times | None) -> str:
        return f"{times[0]:6.3f} / {times[1]:6.3f}" if times is not None else "-"

    for size, quads, validate, check_new, check_again, commit in rows:
        ratio = f"{check_new[1] / empty:.2f}" if empty else "-"
        print(
            f"{size:>8,} {quads:>10,} {cell(validate):>15} {cell(check_new):>15} {ratio:>9} "
            f"{cell(check_again):>15} {cell(commit):>15}"
        )
    if whole is not None:
        wall, cpu, triples = whole
        same = next((r[3][1] for r in rows if r[0] == args.whole), None)
        versus = f"; {cpu / same:.0f}x the CPU of checking one new city at that size" if same else ""
        print()
        print(
            f"plain pyshacl over the whole graph of {args.whole:,} cities ({triples:,} triples, no "
            f"inference): {wall:.2f} s wall / {cpu:.2f} s CPU (median of {args.whole_runs}){versus}"
        )


if __name__ == "__main__":
    main()
