"""Latency of filtered OGC API – Features item queries: the atlas beside pygeoapi.

Both servers run as subprocesses under waitress (4 threads) on 127.0.0.1 and serve the same
``projects.geojson``: the atlas with ``infra-atlas serve``, pygeoapi with its GeoJSON provider
and a generated configuration. One client sends each query ``--runs`` times in a row over a
kept-alive connection, after one warm-up request, and the script prints the median and the
95th percentile of the full response time, with the ``numberMatched`` each server reports. It
runs on the real build (``data/build``, built first if missing) and on the synthetic
100,000-project register (``benchmarks/make_synthetic.py``, made first if missing).

pygeoapi is not a dependency of the atlas: install it in its own environment first::

    python -m venv /tmp/pygeoapi-venv
    /tmp/pygeoapi-venv/bin/pip install pygeoapi waitress

Run: ``PYTHONPATH=. python benchmarks/bench_api.py [--runs N] [--pygeoapi-venv DIR]
[--no-synthetic]`` (``--pygeoapi-venv ''`` times the atlas alone).

The queries pygeoapi's GeoJSON provider cannot express are left blank on its side: it compares
a property's whole value (so no ``county`` in a project's list of counties) and ignores ``q``.
Its bbox counts a feature with no geometry as inside, so its numbers differ there. It reads
and parses the GeoJSON file on every request, as its documentation says.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from servers import (
    atlas_server,
    get_geojson,
    number_matched,
    pad,
    pygeoapi_server,
    real_build,
    synthetic,
)

TAINAN_BBOX = "120.0,22.8,120.5,23.3"


@dataclass(frozen=True)
class Query:
    """A query as the atlas takes it and, if it can, as pygeoapi does (``None``: it cannot)."""

    label: str
    atlas: dict[str, str]
    pygeoapi: dict[str, str] | None


QUERIES = (
    Query("first page (limit=10)", {}, {}),
    Query("county=臺南市", {"county": "臺南市"}, None),
    Query(
        "layer=water&status=behind",
        {"layer": "water", "status": "behind"},
        {"layer": "water", "status": "behind"},
    ),
    Query("bbox (Tainan)", {"bbox": TAINAN_BBOX}, {"bbox": TAINAN_BBOX}),
    Query("q=水庫", {"q": "水庫"}, None),
    Query(
        "status=behind, limit=1000",
        {"status": "behind", "limit": "1000"},
        {"status": "behind", "limit": "1000"},
    ),
    Query("limit=1000", {"limit": "1000"}, {"limit": "1000"}),
)


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    matched: int | None


def main() -> None:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="Timed requests per query.")
    parser.add_argument(
        "--pygeoapi-venv",
        default="/tmp/pygeoapi-venv",
        help="The virtual environment holding pygeoapi and waitress ('' to skip pygeoapi).",
    )
    parser.add_argument("--no-synthetic", action="store_true", help="Time the real build only.")
    args = parser.parse_args()
    venv = Path(args.pygeoapi_venv) if args.pygeoapi_venv else None
    if venv is not None and not (venv / "bin" / "pygeoapi").exists():
        sys.exit(f"no pygeoapi in {venv}: see this script's docstring, or pass --pygeoapi-venv ''")
    sets = [("real build", real_build())]
    if not args.no_synthetic:
        sets.append(("synthetic 100k", synthetic()))
    rows: list[tuple[str, str, Timing, Timing | None]] = []
    for label, folder in sets:
        rows += bench(label, folder, runs=args.runs, venv=venv)
    _print_table(rows, args.runs)


def bench(
    label: str, folder: Path, *, runs: int, venv: Path | None
) -> list[tuple[str, str, Timing, Timing | None]]:
    """Time every query against both servers for one data set."""
    count = len(json.loads((folder / "projects.geojson").read_text(encoding="utf-8"))["features"])
    print(f"{label}: {count:,} projects in {folder / 'projects.geojson'}", file=sys.stderr)
    rows = []
    with (
        atlas_server(folder, "--threads", "4") as atlas_port,
        _pygeoapi_server(folder, venv) as pygeoapi_port,
    ):
        for query in QUERIES:
            ours = _time(atlas_port, "/api/collections/projects/items", query.atlas, runs)
            theirs = (
                _time(
                    pygeoapi_port,
                    "/collections/projects/items",
                    query.pygeoapi | {"f": "json"},
                    runs,
                )
                if pygeoapi_port is not None and query.pygeoapi is not None
                else None
            )
            rows.append((label, query.label, ours, theirs))
            print(f"  {query.label}: done", file=sys.stderr)
    return rows


def _time(port: int, path: str, params: dict[str, str], runs: int) -> Timing:
    url = path + (f"?{urlencode(params, quote_via=quote)}" if params else "")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        matched = number_matched(get_geojson(connection, url))  # warm-up, and the count
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            get_geojson(connection, url)
            seconds.append(time.perf_counter() - started)
    finally:
        connection.close()
    p95 = statistics.quantiles(seconds, n=20, method="inclusive")[18] if runs > 1 else seconds[0]
    return Timing(statistics.median(seconds) * 1000, p95 * 1000, matched)


# Servers ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _pygeoapi_server(folder: Path, venv: Path | None) -> Iterator[int | None]:
    if venv is None:
        yield None
        return
    provider = {
        "type": "feature",
        "name": "GeoJSON",
        "data": str(folder / "projects.geojson"),
        "id_field": "id",
    }
    with pygeoapi_server(venv, provider, threads=4, ready="/collections?f=json") as port:
        yield port


def _print_table(rows: list[tuple[str, str, Timing, Timing | None]], runs: int) -> None:
    head = f"{'data set':<16} {'query':<28} {'atlas median':>12} {'p95':>8} {'matched':>8}"
    head += f"   {'pygeoapi median':>15} {'p95':>8} {'matched':>8}"
    print(f"\nResponse time in ms over {runs} requests per query (waitress, 4 threads, 127.0.0.1)")
    print(head)
    print("-" * len(head))
    for label, query, ours, theirs in rows:
        line = f"{label:<16} {pad(query, 28)} {ours.median_ms:>12.1f} {ours.p95_ms:>8.1f}"
        line += f" {ours.matched if ours.matched is not None else '':>8}"
        if theirs is None:
            line += f"   {'n/a':>15} {'':>8} {'':>8}"
        else:
            line += f"   {theirs.median_ms:>15.1f} {theirs.p95_ms:>8.1f}"
            line += f" {theirs.matched if theirs.matched is not None else '':>8}"
        print(line)


if __name__ == "__main__":
    main()
