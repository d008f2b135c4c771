"""`python -m bench.reading`: reading a JSON submission of 0.5, 1, 2 and 5 MB (a long list of
goals, one per line), medians of runs, and the ratio of time per MB to the smallest size: near
1 when reading is linear in the input.
"""

from __future__ import annotations

import argparse
from functools import partial

from bench.timing import median_time
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
    print(f"{'MB':>5} {'seconds':>8} {'s/MB':>6} {'ratio':>6}")
    first = None
    for size in (float(s) for s in args.sizes.split(",")):
        text = submission(size)
        seconds, _ = median_time(partial(read_json, text, source="bench.json"), args.runs)
        per_mb = seconds / (len(text) / 1024 / 1024)
        first = first or per_mb
        print(f"{len(text) / 1024 / 1024:5.1f} {seconds:8.2f} {per_mb:6.2f} {per_mb / first:6.2f}")


if __name__ == "__main__":
    main()
