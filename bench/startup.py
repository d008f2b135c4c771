"""How long a `citykg` command takes as a user runs it: the whole process, start-up included.

    python -m bench.startup [--size 10000] [--runs 15] [--before DIR] [--store STORE]

Each command runs as its own process, --runs times after one round that is not counted (it
also writes the bytecode and the parsed-graph caches, as a user's first run does); the rounds
go through every command in turn, so a change in the machine's load falls on all of them
alike. Printed: the medians of wall time and of CPU time (user + system of the process; it
moves less than wall time on a machine shared with other work), beside `python -c pass` (the
interpreter alone) and `python -c "import rdflib, pyshacl_turbo"` (what every checking command
needs before citykg does anything). The commands:

  * `citykg --version`;
  * shell completion of `citykg <TAB>` (click's bash completion, as the shell calls it);
  * `citykg validate` of one YAML submission (data/submissions/helsinki-2020.yaml);
  * `citykg submit --dry-run --new-city` of a new synthetic city against the store a user gets
    from `citykg build` of --size synthetic cities' submission files (bench/stores.py: built
    once per size and version of the code, kept in bench/results/stores/; several minutes at
    10,000 cities), or against --store, a store built before (by `citykg build`);
    `--new-city` because synthetic names are alike ('City 10001', 'City 00301'): the same
    checks run, and the similar names are warnings, so the command exits 0.

--before DIR also times the same commands run from another source tree (DIR/src, with its
ontology/, shapes/ and queries/), e.g. an earlier commit written out with
`git archive COMMIT src ontology shapes queries | tar -x -C DIR`, in the same rounds.
PYTHONDONTWRITEBYTECODE is dropped for the timed commands, so they use bytecode as an
installed citykg does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.processes import user_environment
from bench.stores import built_store
from bench.synthetic import document
from bench.timing import load_average

ROOT = Path(__file__).resolve().parents[1]
COMPLETION = {"_CITYKG_COMPLETE": "bash_complete", "COMP_WORDS": "citykg ", "COMP_CWORD": "1"}
HELSINKI = ROOT / "data" / "submissions" / "helsinki-2020.yaml"

Command = tuple[str, list[str], dict[str, str]]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit status of one run of `argv`; its
    output goes nowhere (it is not what is measured)."""
    quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=quiet)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def commands(store: Path, new_city: Path, size: int) -> list[Command]:
    """(name, arguments after `python`, extra environment) of each timed command."""
    citykg = ["-m", "citykg"]
    return [
        ("python -c pass", ["-c", "pass"], {}),
        ("python -c 'import rdflib, pyshacl_turbo'", ["-c", "import rdflib, pyshacl_turbo"], {}),
        ("citykg --version", [*citykg, "--version"], {}),
        ("citykg <TAB> (completion)", citykg, COMPLETION),
        ("citykg validate helsinki-2020.yaml", [*citykg, "validate", str(HELSINKI)], {}),
        (
            f"citykg submit --dry-run ({size:,} cities)",
            [*citykg, "submit", "--dry-run", "--new-city", str(new_city), "--store", str(store)],
            {},
        ),
    ]


def measure(rows: list[Command], trees: dict[str, Path], runs: int) -> dict[tuple[str, str], list[float]]:
    """Per (command, tree): the median wall and CPU seconds over `runs` rounds after the first;
    every run must exit 0."""
    base = user_environment()
    walls: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    for round_ in range(runs + 1):
        for name, args, extra in rows:
            for tree, src in trees.items():
                env = {**base, "PYTHONPATH": str(src), **extra}
                wall, cpu, code = run_once([sys.executable, *args], env)
                if code != 0:
                    raise SystemExit(f"{name} ({tree}) exited {code}")
                if round_:
                    walls.setdefault((name, tree), []).append(wall)
                    cpus.setdefault((name, tree), []).append(cpu)
    return {key: [statistics.median(walls[key]), statistics.median(cpus[key])] for key in walls}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10_000, help="cities in the store submit checks against")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", type=Path, help="another source tree to time beside this one")
    parser.add_argument(
        "--store", type=Path, help="a store of --size cities built before (default: build one)"
    )
    args = parser.parse_args()
    store = args.store or built_store(args.size)
    trees = {"now": ROOT / "src"}
    if args.before is not None:
        trees = {"before": args.before.resolve() / "src", **trees}
    with tempfile.TemporaryDirectory() as work:
        new_city = Path(work) / "new-city.yaml"
        new_city.write_text(
            yaml.safe_dump(document(args.size + 1), sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        rows = commands(store, new_city, args.size)
        load = load_average()
        medians = measure(rows, trees, args.runs)
    print(f"Whole-process time of citykg commands (medians of {args.runs} rounds, seconds: wall / CPU)")
    print(f"  {'command':42}" + "".join(f" {tree:>15}" for tree in trees))
    for name, _, _ in rows:
        cells = "".join(f" {medians[name, tree][0]:6.3f} / {medians[name, tree][1]:5.3f}" for tree in trees)
        print(f"  {name:42}{cells}")
    print(f"load average (1, 5, 15 min): {load} at the start, {load_average()} at the end")


if __name__ == "__main__":
    main()
