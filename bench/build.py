"""Benchmark: `citykg build` from submission files, as a user runs it, beside the plain way.

    python -m bench.build                  # 1,000 and 10,000 cities, 3 runs, the plain way at 1,000
    python -m bench.build --quick          # 100 cities, one run, the plain way at 100 (a few minutes)
    python -m bench.build --sizes 1000 --runs 5 --cap 900 --plain-cap 600

For each size N, N synthetic cities (bench/synthetic.py) are written once as YAML submission
files, one per city and wave (every fifth city answered both waves: N + N/5 files), into
bench/results/build/cities-N/ (git ignores bench/results/). Then, with the `citykg` command of
this Python environment, as a user runs it:
- cold: `citykg build FOLDER --store NEW`, each run into a new store folder: the whole process's
  wall time (median of --runs) and peak memory (the highest run; the process tree's summed
  PSS, sampled, or the largest process's high-water mark, whichever is larger); a run over
  --cap seconds is stopped ("over N s"), and neither it nor a larger size is run again;
- one file changed: `citykg build` again into the last cold run's store after one file's
  content changed (City 00001's 2020 mayor, another name each run), median of --runs;
- the plain way (bench/plain.py) at --plain-size, on the same files turned into Turtle once
  beforehand: rdflib parse + pyshacl over the whole graph + owlrl + rdflib SPARQL of the
  catalog, one run stopped after --plain-cap seconds.
The ratio is the plain way's time over citykg's. Results are also saved to
bench/results/build.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.plain import DONE, Plain, plain_way, turtle_files
from bench.synthetic import RESULTS, document, waves, write_submission
from bench.timing import Ran, run_command
from citykg.store.generations import open_store

HERE = RESULTS / "build"
CHANGED = (1, 2020)  # the city and wave whose file the incremental runs change


def file_name(index: int, wave: int) -> str:
    return f"city-{index:05d}-{wave}.yaml"


def submission_files(n: int, folder: Path | None = None) -> Path:
    """The submission files of `n` synthetic cities in `folder` (default
    bench/results/build/cities-N/), written once: kept while the folder holds its marker."""
    folder = folder or HERE / f"cities-{n}"
    if not (folder / DONE).exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for index in range(n):
            for wave in waves(index):
                write_submission(folder / file_name(index, wave), document(index, wave=wave))
        (folder / DONE).write_text(f"{n}\n")
    elif n > CHANGED[0]:  # as written, even if an earlier run stopped before restoring it
        write_submission(folder / file_name(*CHANGED), document(CHANGED[0], wave=CHANGED[1]))
    return folder


def change_one_file(folder: Path, run: int) -> Path:
    """Change the content of one submission file (its mayor: a name of its own for each run)."""
    changed = document(CHANGED[0], wave=CHANGED[1])
    changed["city"]["mayor"] = f"Changed Mayor {run}"
    return write_submission(folder / file_name(*CHANGED), changed)


def citykg_command() -> str:
    """The `citykg` entry point installed beside this Python (the venv's)."""
    command = Path(sys.executable).parent / "citykg"
    if not command.exists():
        raise SystemExit(f"no citykg command at {command}: run `make .venv/.installed` first")
    return str(command)


def quads_in(store: Path) -> int:
    opened = open_store(store)
    count = len(opened.store)
    del opened
    gc.collect()  # pyoxigraph closes the store, and its readers' lock goes, when it is garbage
    return count


@dataclass
class Row:
    """One line of the table: a kind of build at one size."""

    build: str
    cities: int
    files: int
    seconds: list[float] = field(default_factory=list)
    peak: int = 0
    over: float | None = None  # the cap, when a run ran over it
    quads: int | None = None
    note: str | None = None  # why it was not run

    @property
    def median(self) -> float | None:
        return None if self.over is not None or not self.seconds else statistics.median(self.seconds)


def _build(folder: Path, store: Path, row: Row, *, cap: float, log: Path) -> Ran:
    ran = run_command([citykg_command(), "build", str(folder), "--store", str(store)], cap=cap, log=log)
    row.peak = max(row.peak, ran.peak)
    if ran.seconds is None:
        row.over = cap
    elif ran.code:
        tail = log.read_text(errors="replace").splitlines()[-20:]
        raise SystemExit(f"citykg build failed (exit {ran.code}); the end of {log}:\n" + "\n".join(tail))
    else:
        row.seconds.append(ran.seconds)
    return ran


def run_size(n: int, *, runs: int, cap: float, plain_cap: float | None) -> tuple[list[Row], Plain | None]:
    """The cold and incremental builds of `n` cities, and the plain way when `plain_cap` is given."""
    folder = submission_files(n)
    files = sum(1 for _ in folder.glob("*.yaml"))
    print(f"\n{n:,} cities: {files:,} submission files in {folder}", flush=True)
    turtle = turtle_files(folder, HERE / f"cities-{n}-turtle") if plain_cap is not None else None
    work = HERE / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cold = Row("cold", n, files)
    store = work / "store"
    for run in range(runs):
        shutil.rmtree(store, ignore_errors=True)  # a new store folder each run
        ran = _build(folder, store, cold, cap=cap, log=work / f"cold-{run}.log")
        print(
            f"  cold run {run + 1}: {_seconds(ran.seconds, cap)}, peak {_size(ran.peak, False)}", flush=True
        )
        if cold.over is not None:
            break
    rows = [cold]
    if cold.over is None:
        cold.quads = quads_in(store)
        again = Row("one file changed", n, files)
        try:
            for run in range(runs):
                change_one_file(folder, run)
                ran = _build(folder, store, again, cap=cap, log=work / f"changed-{run}.log")
                print(
                    f"  one file changed, run {run + 1}: {_seconds(ran.seconds, cap)}, "
                    f"peak {_size(ran.peak, False)}",
                    flush=True,
                )
                if again.over is not None:
                    break
        finally:
            submission_files(n)  # the changed file as it was written
        again.quads = quads_in(store) if again.over is None else None
        rows.append(again)
    else:
        rows.append(Row("one file changed", n, files, note="not run: the cold build made no store"))
    shutil.rmtree(work, ignore_errors=True)
    plain = None
    if turtle is not None and plain_cap is not None:
        print(f"  the plain way (stopped after {plain_cap:g} s) ...", flush=True)
        plain = plain_way(turtle, cap=plain_cap)
        print(f"  the plain way: {_plain_steps(plain)}", flush=True)
    return rows, plain


# ------------------------------------------------------------------ the table


def _seconds(seconds: float | None, cap: float) -> str:
    return f"over {cap:g} s" if seconds is None else f"{seconds:.2f} s"


def _size(peak: int, over: bool) -> str:
    return f"{'>= ' if over else ''}{peak / 1e9:.2f} GB"


def _ratio(plain: Plain | None, ours: float | None) -> str:
    if plain is None or ours is None:
        return "-"
    if plain.seconds is None:
        return f"> {plain.cap / ours:.1f}x"
    return f"{plain.seconds / ours:.1f}x"


def _plain_steps(plain: Plain) -> str:
    done = [f"{step} {seconds:.1f} s" for step, seconds in plain.steps.items()]
    over = [] if plain.seconds is not None else [f"then over the cap of {plain.cap:g} s in all"]
    return ", ".join(done + over) or f"over {plain.cap:g} s before parsing ended"


def table(rows: list[Row], plains: dict[int, Plain], *, runs: int) -> str:
    lines = [
        f"| build | cities | files | quads | wall (median of {runs}) | peak RSS | s per 1,000 cities "
        "| plain / citykg |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cap, median = row.over or 0.0, row.median
        per = "-"  # a rebuild's cost is not meant to grow with the cities
        if row.build == "cold" and not row.note:
            per = f"{median / row.cities * 1000:.1f}" if median else f"> {cap / row.cities * 1000:.1f}"
        quads = f"{row.quads:,}" if row.quads is not None else "-"
        wall, peak = (row.note, "-") if row.note else (_seconds(median, cap), _size(row.peak, bool(row.over)))
        lines.append(
            f"| {row.build} | {row.cities:,} | {row.files:,} | {quads} | {wall} | {peak} | {per} | "
            f"{_ratio(plains.get(row.cities), median)} |"
        )
    for n, plain in sorted(plains.items()):
        lines.append(
            f"| plain way (rdflib, pyshacl, owlrl, rdflib SPARQL; 1 run) | {n:,} | {n + n // 5:,} | "
            f"{plain.counts.get('parse', 0):,} triples parsed | {_seconds(plain.seconds, plain.cap)} | "
            f"{_size(plain.peak, plain.seconds is None)} | - | - |"
        )
    return "\n".join(lines)


def _commit() -> str:
    here = Path(__file__).resolve().parent
    run = subprocess.run(["git", "-C", str(here), "describe", "--always", "--dirty"], capture_output=True)
    return run.stdout.decode().strip() or "unknown"


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True).stdout.decode().strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.build", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each build (median)")
    parser.add_argument("--cap", type=float, default=900, help="seconds one citykg build may take")
    parser.add_argument("--plain-size", type=int, default=1000, help="cities for the plain way (0: none)")
    parser.add_argument("--plain-cap", type=float, default=600, help="seconds the plain way may take")
    parser.add_argument("--quick", action="store_true", help="100 cities, one run, caps of 300 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.cap, args.plain_size, args.plain_cap = [100], 1, 300.0, 100, 300.0
    print("# citykg build benchmark")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}, python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores\nuptime at start: {_uptime()}",
        flush=True,
    )
    rows: list[Row] = []
    plains: dict[int, Plain] = {}
    over_at: int | None = None  # a cold build over the cap at this size: larger ones would be too
    for n in sorted(args.sizes):
        if over_at is not None:
            rows.append(
                Row("cold", n, n + n // 5, note=f"not run: over {args.cap:g} s at {over_at:,} cities")
            )
            continue
        plain_cap = args.plain_cap if n == args.plain_size else None
        found, plain = run_size(n, runs=args.runs, cap=args.cap, plain_cap=plain_cap)
        rows.extend(found)
        if found[0].over is not None:
            over_at = n
        if plain is not None:
            plains[n] = plain
    print(f"\nuptime at the end: {_uptime()}\n")
    print(table(rows, plains, runs=args.runs))
    for n, plain in sorted(plains.items()):
        print(f"\nthe plain way at {n:,} cities: {_plain_steps(plain)}")
    HERE.mkdir(parents=True, exist_ok=True)
    saved = {
        "rows": [asdict(row) | {"median": row.median} for row in rows],
        "plain": {n: asdict(plain) for n, plain in plains.items()},
    }
    (RESULTS / "build.json").write_text(json.dumps(saved, indent=2) + "\n")


if __name__ == "__main__":
    main()
