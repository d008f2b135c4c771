"""`python -m bench.reading`: reading a JSON submission of 0.5, 1, 2 and 5 MB (a long list of
goals, one per line), medians of runs (wall and CPU seconds), and the ratio of CPU time per MB
to the smallest size: near 1 when reading is linear in the input.
"""

from __future__ import annotations

import argparse
from functools import partial

from bench.timing import load_average, median_times
from citykg.sources.documents import read_json


def submission(megabytes: float) -> str:
    goals = int(megabytes * 1024 * 1024 / 34)
    items = ",\n".join(f'"Improve service delivery {i}"' for i in range(goals))
    return (
        '{"city": {"name": "Tampere", "country": "Finland"},\n"survey": {"wave": 2020},\n"goals": [\n'
        + items
        + "\n]}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="0.5,1,2,5", help="sizes in MB, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min) at the start: {load_average()}")
    print(f"{'MB':>5} {'wall s':>8} {'CPU s':>8} {'CPU s/MB':>9} {'ratio':>6}")
    first = None
    for size in (float(s) for s in args.sizes.split(",")):
        text = submission(size)
        wall, cpu, _ = median_times(partial(read_json, text, source="bench.json"), args.runs)
        per_mb = cpu / (len(text) / 1024 / 1024)
        first = first or per_mb
        print(f"{len(text) / 1024 / 1024:5.1f} {wall:8.2f} {cpu:8.2f} {per_mb:9.2f} {per_mb / first:6.2f}")
    print(f"load average (1, 5, 15 min) at the end: {load_average()}")


if __name__ == "__main__":
    main()
