"""Time ``build`` on the bundled documents: prints the median and worst of several runs.

Run: ``python benchmarks/bench_build.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from pathlib import Path

from layers.build import build, build_register

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = build(SOURCES)
        build_register(result)
        times.append(time.perf_counter() - started)
    print(
        f"build: {len(result.projects)} projects from {len(result.reports)} documents; "
        f"median {statistics.median(times):.3f} s, worst {max(times):.3f} s over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
