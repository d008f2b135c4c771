"""`python -m bench` (and `make bench`): every benchmark in turn; see bench/README.md.

    python -m bench            # each with its default sizes (hours)
    python -m bench --quick    # each at a small size, one or few runs (minutes)

Each also runs on its own: `python -m bench.build`, `python -m bench.submit`,
`python -m bench.reasoning`, `python -m bench.export`, `python -m bench.startup`,
`python -m bench.serve` (with `--help` for sizes and runs).
"""

import argparse
import subprocess
import sys

#: each benchmark, and its arguments for --quick
BENCHMARKS = {
    "bench.build": ["--quick"],
    "bench.submit": ["--sizes", "0,1000", "--runs", "3", "--whole", "0"],
    "bench.reasoning": ["--cities", "200", "--no-baselines"],
    "bench.export": ["--sizes", "1000", "--runs", "1"],
    "bench.startup": ["--size", "1000", "--runs", "5"],
    "bench.serve": ["--seconds", "5"],
}

parser = argparse.ArgumentParser(prog="python -m bench", description="Every benchmark in turn.")
parser.add_argument("--quick", action="store_true", help="each benchmark at a small size")
quick = parser.parse_args().quick
for name, arguments in BENCHMARKS.items():
    print(f"\n## python -m {name}\n", flush=True)
    subprocess.run([sys.executable, "-m", name, *(arguments if quick else [])], check=True)
