"""Stores as a user gets them, for the benchmarks that read one: `citykg build FOLDER` of the
submission files of N synthetic cities (bench/build.py writes them: one YAML file per city and
wave, every fifth city in both waves), run once per size and per version of the code that
decides the store's content, and kept in bench/results/stores/ (git ignores it).

    built_store(1000)   # bench/results/stores/built-1000-<digest>/, built on first use

The digest is of citykg's Python source, ontology/, shapes/ and queries/: a change to any of
them gives another folder, and the store built by the code before is removed, so a benchmark
never times a store that the current code would not build. Building takes about half a
minute at 1,000 cities and several minutes at 10,000 on the 2-core machine; the output of
`citykg build` goes to bench/results/stores/built-N-<digest>.log.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path

from rdflib import URIRef

from bench.synthetic import RESULTS
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.store.generations import store_exists
from citykg.store.graphs import OxigraphStore, base_of

ROOT = Path(__file__).resolve().parents[1]
#: what decides the content of a built store
SOURCES = ("src/citykg", "ontology", "shapes", "queries")


def code_digest() -> str:
    """A digest of the files in SOURCES (names and bytes), 12 hex digits."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(ROOT)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def built_store(n: int) -> Path:
    """The store `citykg build` makes of the submission files of `n` synthetic cities, built
    with this checkout's code on first use (n >= 1: `citykg build` of no files is refused)."""
    from bench.build import citykg_command, submission_files  # bench.build imports bench.reasoning

    location = RESULTS / "stores" / f"built-{n}-{code_digest()}"
    if store_exists(location):
        return location
    for old in (RESULTS / "stores").glob(f"built-{n}-*"):
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    folder = submission_files(n)
    log = location.with_suffix(".log")
    location.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("wb") as output:
        done = subprocess.run(
            [citykg_command(), "build", str(folder), "--store", str(location), "--quiet"],
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode:
        shutil.rmtree(location, ignore_errors=True)
        raise SystemExit(f"citykg build of {folder} failed (exit {done.returncode}); see {log}")
    print(f"  built {location.name} with `citykg build` in {time.perf_counter() - started:.0f} s", flush=True)
    return location


def asserted_graphs(store: OxigraphStore) -> list[URIRef]:
    """The named graphs of asserted data (the ontology and the submissions): all but the
    inferred graph."""
    inferred = IRIs(base_of(store) or DEFAULT_BASE).inferred_graph
    return [name for name in store.named_graphs() if name != inferred]
