"""`python -m bench` (and `make bench`): every benchmark in turn; see bench/README.md.

Each also runs on its own: `python -m bench.submit`, `python -m bench.reasoning`,
`python -m bench.export`, `python -m bench.serve` (with `--help` for sizes and runs).
"""

import subprocess
import sys

for name in ("bench.submit", "bench.reasoning", "bench.export", "bench.serve"):
    print(f"\n## python -m {name}\n", flush=True)
    subprocess.run([sys.executable, "-m", name], check=True)
