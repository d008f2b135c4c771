"""How long checking one submission takes as the store grows, against plain pyshacl.

    python -m bench.submit [--sizes 0,1000,10000] [--runs 5] [--whole 1000]

For each store size (synthetic cities, bench/synthetic.py; stores are cached in
bench/results/stores/), it times, as medians of --runs runs after one warm-up:
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
from pathlib import Path

from bench.synthetic import cached_store, copy_store, document, write_submission
from bench.timing import median_time
from citykg.model.ontology import ontology_graph, shapes_graph
from citykg.rdf.convert import graph_of
from citykg.sources import read_file
from citykg.store.generations import open_store
from citykg.validation.shacl import validate_submission
from citykg.workflow.submit import submit


def whole_graph_pyshacl(location: Path, runs: int) -> tuple[float, int]:
    import pyshacl

    store = open_store(location)
    data = graph_of(store.quads())
    data += ontology_graph()

    def validate() -> None:
        pyshacl.validate(
            data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=True
        )

    seconds, _ = median_time(validate, runs, warm_up=True)
    return seconds, len(data)


Row = tuple[int, int, float, float, float | None, float]


def measure(size: int, runs: int, work: Path) -> Row:
    """The medians for one store size (see the module docstring)."""
    location = cached_store(size)
    quads = len(open_store(location).store)
    new = write_submission(work / "new-city.yaml", document(size + 1))
    stored = document(1)
    stored["city"]["mayor"] = "Someone Else"
    resubmission = write_submission(work / "resubmission.yaml", stored)
    [submission] = read_file(new)
    validate, _ = median_time(lambda: validate_submission(submission), runs, warm_up=True)
    check_new, _ = median_time(lambda: submit(new, store_path=location, dry_run=True), runs, warm_up=True)
    check_again = (
        median_time(lambda: submit(resubmission, store_path=location, dry_run=True), runs, warm_up=True)[0]
        if size > 1
        else None
    )
    scratch = work / "scratch"

    def commit_new() -> None:
        # --new-city: synthetic names ("City 01001") are close to stored ones ("City 00001")
        result = submit(new, store_path=scratch, new_city=True)
        assert result.committed, "the new city was not committed: the commit column would be wrong"

    commit, _ = median_time(commit_new, runs, prepare=lambda: copy_store(location, scratch), warm_up=True)
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
    rows: list[Row] = []
    try:
        rows = [measure(size, args.runs, work) for size in sizes]
        whole = whole_graph_pyshacl(cached_store(args.whole), args.whole_runs) if args.whole else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    empty = rows[0][3] if rows and rows[0][0] == 0 else None
    print()
    print(f"Checking one submission against the store (medians of {args.runs} runs, seconds)")
    print(
        f"{'cities':>8} {'quads':>10} {'validate':>9} {'new city':>9} {'ratio':>6} "
        f"{'resubmit':>9} {'commit':>8}"
    )
    for size, quads, validate, check_new, check_again, commit in rows:
        ratio = f"{check_new / empty:.2f}" if empty else "-"
        again = f"{check_again:.3f}" if check_again is not None else "-"
        print(
            f"{size:>8,} {quads:>10,} {validate:>9.3f} {check_new:>9.3f} {ratio:>6} {again:>9} {commit:>8.3f}"
        )
    if whole is not None:
        seconds, triples = whole
        same = next((r[3] for r in rows if r[0] == args.whole), None)
        versus = f"; {seconds / same:.0f}x checking one new city at that size" if same else ""
        print()
        print(
            f"plain pyshacl over the whole graph of {args.whole:,} cities "
            f"({triples:,} triples, no inference): {seconds:.2f} s (median of {args.whole_runs}){versus}"
        )


if __name__ == "__main__":
    main()
