"""Time the exports per format on the real build and on a synthetic national-scale register.

Prints, for each data set, the time to filter (one county) and to write each format with no
filter, the median of several runs. County polygons for the GeoPackage aggregates are squares
around each county seat (the real boundaries are not needed to time the join).

Run: ``PYTHONPATH=. python benchmarks/bench_export.py [--runs N] [--projects N]``.
"""

from __future__ import annotations

import argparse
import functools
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas
from make_synthetic import SEATS, synthetic_register
from shapely.geometry import box

from layers.build import build, build_register
from layers.export import EXPORT_FORMATS, export
from layers.filters import FilterChoices, apply_filter, parse_filter

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def _counties() -> geopandas.GeoDataFrame:
    return geopandas.GeoDataFrame(
        {"county": list(SEATS)},
        geometry=[box(x - s, y - s, x + s, y + s) for x, y, s, _ in SEATS.values()],
        crs="EPSG:4326",
    )


def _median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench(label: str, features: list[dict[str, Any]], runs: int, folder: Path) -> None:
    """Print the filter and per-format export times of one data set."""
    choices = FilterChoices.from_features(features)
    f = parse_filter({"county": "臺南市"}, choices=choices)
    seconds = _median(lambda: apply_filter(features, f), runs)
    found = len(apply_filter(features, f))
    print(
        f"{label}: {len(features):,} projects; filter county=臺南市 -> {found:,} in {seconds:.3f} s"
    )
    counties = _counties()
    for fmt in EXPORT_FORMATS:
        out = folder / f"{label}.{fmt}"
        write = functools.partial(export, features, fmt, out, counties_gdf=counties)
        seconds = _median(write, runs)
        size = out.stat().st_size / 1e6
        print(f"  {fmt:8} {seconds:7.3f} s  {size:8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--projects", type=int, default=100_000)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    real = build_register(build(SOURCES))["features"]
    synthetic = synthetic_register(args.projects)["features"]
    with tempfile.TemporaryDirectory() as folder:
        bench("real build", real, max(args.runs, 5), Path(folder))
        bench("synthetic", synthetic, args.runs, Path(folder))


if __name__ == "__main__":
    main()
