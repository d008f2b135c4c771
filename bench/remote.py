"""Benchmark: `citykg build` and `citykg query` on the embedded store, on Oxigraph server and on
Virtuoso, side by side, as a user runs them.

    python -m bench.remote                       # 1,000 cities, 3 runs, every store
    python -m bench.remote --cities 100 --runs 1 --stores embedded,oxigraph

The N synthetic cities are bench/build.py's submission files (N + N/5 YAML files, written once
into bench/results/build/cities-N/). The servers are the test suite's (tests/triplestores.py):
`oxigraph serve` and a private Virtuoso 7 (`virtuoso-t`, Debian's virtuoso-opensource), each on
free loopback ports with its database in a temporary folder; each run builds under a fresh graph
prefix (a config file, docs/remote-store.md), so the runs do not see each other's graphs. For
each store and each command: wall seconds, the command's CPU seconds (user + system, of the
process and its workers), and the server's CPU seconds over the same span (from /proc), medians
of --runs; the queries' row counts must agree between stores. On a loaded machine the CPU seconds
are the figures to compare. Results are also saved to bench/results/remote.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.build import submission_files
from bench.synthetic import RESULTS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from triplestores import (  # the servers of the test suite
    StoreUnderTest,
    Triplestore,
    oxigraph_endpoints,
    oxigraph_server,
    virtuoso_server,
)

QUERIES = ["surveyed-cities", "cities-with-data-partner", "partner-types-by-cities"]
STORES = ["embedded", "oxigraph", "virtuoso"]
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float  # the command's user + system seconds, its workers included
    server: float  # the server's user + system seconds meanwhile (0 for the embedded store)
    output: str


def _cpu_of(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def run(argv: list[str], server_pid: int | None) -> Timed:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = _cpu_of(server_pid)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(wall, cpu, _cpu_of(server_pid) - server_before, done.stdout)


@contextmanager
def server(kind: str, folder: Path) -> Iterator[tuple[Triplestore | None, int | None]]:
    """The server of `kind` and its process id (None, None for the embedded store)."""
    if kind == "embedded":
        yield None, None
    elif kind == "oxigraph":
        with oxigraph_server(folder / "oxigraph") as address:
            yield oxigraph_endpoints(address), _listening_pid("oxigraph", folder)
    else:
        with virtuoso_server(folder / "virtuoso") as store:
            yield store, _listening_pid("virtuoso-t", folder)


def _listening_pid(name: str, folder: Path) -> int:
    """The server started over `folder` (its command line names the folder)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if name in command and str(folder) in command:
                return int(entry.name)
    raise RuntimeError(f"no {name} process over {folder}")


def location(kind: str, endpoints: Triplestore | None, folder: Path, run_number: int) -> str:
    """The store of one run: a new folder, or a config file with a fresh graph prefix."""
    if endpoints is None:
        return str(folder / f"store-{run_number}")
    config_folder = folder / f"run-{run_number}"
    config_folder.mkdir()
    prefix = f"https://w3id.org/citykg/bench/run-{run_number}/"
    return StoreUnderTest(kind, "", endpoints).config(config_folder, prefix=prefix)


def measure(kind: str, files: Path, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix=f"bench-remote-{kind}-") as scratch, ExitStack() as stack:
        folder = Path(scratch)
        endpoints, pid = stack.enter_context(server(kind, folder))
        builds: list[Timed] = []
        queries: dict[str, list[Timed]] = {name: [] for name in QUERIES}
        for number in range(runs):
            store = location(kind, endpoints, folder, number)
            builds.append(run([_citykg(), "build", str(files), "--store", store, "-q"], pid))
            for name in QUERIES:
                queries[name].append(run([_citykg(), "query", name, "--store", store, "-f", "csv"], pid))
        return {
            "build": _medians(builds),
            "queries": {name: {**_medians(t), "rows": _rows(t[-1])} for name, t in queries.items()},
        }


def _citykg() -> str:
    return str(Path(sys.executable).with_name("citykg"))


def _rows(timed: Timed) -> int:
    return max(len(timed.output.splitlines()) - 1, 0)


def _medians(times: list[Timed]) -> dict[str, float]:
    return {
        "wall": statistics.median(t.wall for t in times),
        "cpu": statistics.median(t.cpu for t in times),
        "server": statistics.median(t.server for t in times),
    }


def report(results: dict[str, dict[str, object]], cities: int, runs: int) -> str:
    kinds = list(results)
    lines = [
        f"{cities:,} cities, medians of {runs} run(s); seconds as wall / command CPU / server CPU",
        "",
        "| command | " + " | ".join(kinds) + " |",
        "| --- |" + " --- |" * len(kinds),
    ]
    for label in ["build", *QUERIES]:
        cells = []
        for kind in kinds:
            m: dict[str, float] = (
                results[kind]["build"] if label == "build" else results[kind]["queries"][label]  # type: ignore[index,assignment]
            )
            rows_note = f" ({m['rows']:.0f} rows)" if "rows" in m else ""
            cells.append(f"{m['wall']:.1f} / {m['cpu']:.1f} / {m['server']:.1f}{rows_note}")
        command = "citykg build" if label == "build" else f"citykg query {label}"
        lines.append(f"| {command} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.remote", description=__doc__.split("\n")[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stores", default=",".join(STORES), help="comma-separated: " + ", ".join(STORES))
    args = parser.parse_args()
    files = submission_files(args.cities)
    kinds = [k for k in args.stores.split(",") if k]
    results = {kind: measure(kind, files, args.runs) for kind in kinds}
    counts = {kind: [r["rows"] for r in results[kind]["queries"].values()] for kind in kinds}  # type: ignore[attr-defined]
    if len({tuple(c) for c in counts.values()}) != 1:
        raise SystemExit(f"the stores answered with different numbers of rows: {counts}")
    print(report(results, args.cities, args.runs))
    print(f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {os.getloadavg()[0]:.1f} at the end")
    RESULTS.mkdir(parents=True, exist_ok=True)
    saved = {"cities": args.cities, "runs": args.runs, "results": results, "load": os.getloadavg()[0]}
    (RESULTS / "remote.json").write_text(json.dumps(saved, indent=2, default=asdict))


if __name__ == "__main__":
    main()
