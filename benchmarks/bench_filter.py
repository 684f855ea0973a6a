"""Filtering a register: the reference filter (one Python test per feature) beside the
register in columns (numpy masks), on the same features and filters.

For the real build and the synthetic 100,000-project register (``make_synthetic.py``, made
first if missing), prints for each filter the number of projects selected (both ways, which
must agree) and the median of ``--runs`` timings of each way, with their ratio; then the time
to read the columns once. Nothing is asserted: it prints figures.

Run: ``PYTHONPATH=. python benchmarks/bench_filter.py [--runs N] [--no-synthetic]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from servers import real_build, synthetic

from layers.columns import RegisterColumns
from layers.filters import FilterChoices, apply_filter, parse_filter

QUERIES = [
    {},
    {"county": ["臺南市"]},
    {"county": ["臺南市"], "layer": ["water"]},
    {"status": ["behind"]},
    {"year": ["2021"]},
    {"q": ["水庫"]},
    {"budget_min": ["1億"]},
    {"county": ["新北市", "高雄市"], "status": ["behind"], "budget_min": ["1000萬"]},
]


def _median_ms(run: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench(build: Path, runs: int) -> None:
    features = json.loads((build / "projects.geojson").read_text(encoding="utf-8"))["features"]
    start = time.perf_counter()
    columns = RegisterColumns.of(features)
    read = time.perf_counter() - start
    choices = FilterChoices.from_features(features)
    print(f"\n{build}: {len(features):,} projects; columns read in {read:.2f} s")
    print(f"{'filter':<58} {'selected':>9} {'reference':>10} {'columns':>9} {'ratio':>6}")
    for query in QUERIES:
        f = parse_filter(query, choices=choices)
        expected, found = apply_filter(features, f), columns.select(f)
        agree = "" if [id(x) for x in expected] == [id(x) for x in found] else "  DIFFERENT"
        reference = _median_ms(lambda f=f: apply_filter(features, f), runs)
        masked = _median_ms(lambda f=f: columns.select(f), runs)
        shown = "&".join(f"{k}={','.join(v)}" for k, v in query.items()) or "(everything)"
        print(
            f"{shown:<58} {len(found):>9,} {reference:>8.1f}ms {masked:>7.1f}ms "
            f"{reference / masked:>5.1f}x{agree}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args()
    bench(real_build(), args.runs)
    if not args.no_synthetic:
        bench(synthetic(), args.runs)


if __name__ == "__main__":
    main()
