"""The two stores side by side: the atlas served from its build folder, from PostGIS, and
pygeoapi's PostgreSQL provider on the same table, at 1 and 8 concurrent clients.

For a synthetic register of N projects (default 1,000,000; made first if missing), the script
starts a throwaway PostgreSQL + PostGIS server (``tests/postgis.py``), loads the build into it
(``infra-atlas load``'s :func:`layers.database.load_build`, timed), then starts

- ``infra-atlas serve --build`` on the folder,
- ``infra-atlas serve --db`` on the database,
- pygeoapi (waitress, as many threads as the atlas) with its PostgreSQL provider on a view of
  the same ``projects`` table, its county the project's first (pygeoapi filters by a column's
  value; the atlas's ``county`` matches any county of a project, so the counts may differ: both
  are printed), with an index on that expression,

and prints each server's start-up (seconds until its API's collections answer, p50/p95 of
``--starts`` starts, the servers taking turns; ``serve --db`` once more before them, copying the
build's files from the database, where the others find them) and p50/p95 of
the national-scale queries, from the request to the last byte of the answer — (a) the API's
first page, (b) the API's ``county=臺南市&limit=1000``, (c) the map's data for Taiwan at z7 and
for 臺南市 at z10 (the atlas only: pygeoapi has no map data) — with 1 and with 8 clients
sending at once (each on its own kept-alive connection), beside each query's slowest first
request (before a server keeps anything), and the ratios of pygeoapi's p95 to each atlas
store's. The queries are timed once an atlas server has made the national map page it prepares
after it starts answering. Nothing is asserted: it prints figures.

pygeoapi is not a dependency of the atlas: install it in its own environment first::

    python -m venv /tmp/pygeoapi-venv
    /tmp/pygeoapi-venv/bin/pip install pygeoapi waitress sqlalchemy geoalchemy2 psycopg2-binary

Run: ``PYTHONPATH=. python benchmarks/bench_db.py [--size N] [--runs R] [--clients 1,8]
[--starts S] [--pygeoapi-venv DIR]`` (``--pygeoapi-venv ''`` times the atlas alone).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import psycopg
from bench_scale import register
from servers import ROOT, atlas_server, get_geojson, number_matched, pad, pygeoapi_server

from layers.database import load_build
from tests.postgis import temporary_postgis

TAINAN = quote("臺南市")
ITEMS = "/api/collections/projects/items"
#: label → (the atlas's path, pygeoapi's path or None where it has no such query)
QUERIES = {
    "(a) API first page": (ITEMS, "/collections/projects/items?f=json"),
    "(b) API county=臺南市 limit=1000": (
        f"{ITEMS}?county={TAINAN}&limit=1000",
        f"/collections/projects/items?county={TAINAN}&limit=1000&f=json",
    ),
    "(c) map data, Taiwan z7": ("/markers.json?z=7&bbox=118,21,123,27", None),
    "(c) map data, 臺南市 z10": (
        f"/markers.json?county={TAINAN}&z=10&bbox=119.9,22.8,120.7,23.5",
        None,
    ),
}
#: The server settings the benchmark's PostgreSQL runs with (a machine of 24 GiB).
SETTINGS = {
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "max_connections": "200",
}
THREADS = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40, help="Requests per client and query.")
    parser.add_argument("--clients", default="1,8", help="Concurrent clients, comma-separated.")
    parser.add_argument("--starts", type=int, default=10, help="Starts of each server, timed.")
    parser.add_argument("--pygeoapi-venv", default="/tmp/pygeoapi-venv")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    venv = Path(args.pygeoapi_venv) if args.pygeoapi_venv else None
    if venv is not None and not (venv / "bin" / "pygeoapi").exists():
        sys.exit(f"no pygeoapi in {venv}: see this script's docstring, or pass --pygeoapi-venv ''")
    folder = register(args.size)
    results: dict[str, dict[tuple[str, int], tuple[float, float, float, int | None]]] = {}
    startup: dict[str, list[float]] = {}
    with temporary_postgis(settings=SETTINGS) as database:
        started = time.perf_counter()
        live = load_build(database.dsn, folder, ROOT / "data" / "boundaries")
        print(f"load: {live.projects:,} projects in {time.perf_counter() - started:.1f} s")
        _pygeoapi_view(database.dsn)
        cache = {"ATLAS_CACHE": tempfile.mkdtemp(prefix="bench-db-cache-")}
        options = ("--db", database.dsn, "--threads", str(THREADS))
        # the first start copies the build's files from the database; a restart finds them
        began = time.perf_counter()
        with atlas_server(folder, *options, env=cache):
            startup["atlas, PostGIS (first, copying the build)"] = [time.perf_counter() - began]
        servers = {
            "atlas, folder": lambda: atlas_server(folder, "--threads", str(THREADS)),
            "atlas, PostGIS": lambda: atlas_server(folder, *options, env=cache),
        }
        if venv is not None:
            servers["pygeoapi, PostgreSQL"] = lambda: _pygeoapi_server(database.dsn, venv)
        for _ in range(args.starts):  # the servers take turns: a slower minute falls on each
            for name, start in servers.items():
                began = time.perf_counter()
                with start():
                    startup.setdefault(name, []).append(time.perf_counter() - began)
        for name in servers:
            print(f"{name}: answering after {_seconds(startup[name])}", file=sys.stderr)
        for name, start in servers.items():
            with start() as port:
                if name.startswith("atlas"):  # what it prepares while it already answers
                    _ready(port)
                results[name] = {}
                for label, paths in QUERIES.items():
                    path = paths[1] if name.startswith("pygeoapi") else paths[0]
                    if path is None:
                        continue
                    for count in clients:
                        results[name][label, count] = _time(port, path, count, args.runs)
    _print(args.size, args.runs, clients, startup, results)


def _pygeoapi_view(dsn: str) -> None:
    """The live build as pygeoapi's provider reads a table: one column per property, a county
    column (the project's first), an index on it."""
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE INDEX ON projects ((counties[1]))")
        conn.execute(
            "CREATE VIEW pygeoapi_projects AS SELECT id, name, layer, status, program,"
            " precision, counties[1] AS county, budget_year, period_start, period_end,"
            " budget_legal_twd, budget_allocated_twd, budget_executed_twd, geometry"
            " FROM projects WHERE build = (SELECT id FROM builds WHERE live)"
        )
        conn.execute("ANALYZE projects")


def _ready(port: int) -> None:
    """Wait until an atlas server has prepared its national map page, which it makes in the
    background once it answers (a request for the page waits for the same work), so that the
    queries are timed on a server at rest; the slowest first request shows a cold one."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    finally:
        connection.close()


def _time(port: int, path: str, clients: int, runs: int) -> tuple[float, float, float, int | None]:
    """The slowest first request, then p50 and p95 (ms) of ``runs`` requests from each of
    ``clients`` at once, and the count."""
    seconds: list[float] = []
    firsts: list[float] = []  # each client's first request (before anything it asks is kept)
    matched: list[int | None] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            began = time.perf_counter()
            found = number_matched(get_geojson(connection, path))  # warm-up, and the count
            firsts.append(time.perf_counter() - began)
            mine = []
            for _ in range(runs):  # request to the last byte of the answer (not parsed)
                began = time.perf_counter()
                get_geojson(connection, path)
                mine.append(time.perf_counter() - began)
            with lock:
                seconds.extend(mine)
                matched.append(found)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(matched) != clients:
        msg = f"GET {path}: a client failed"
        raise RuntimeError(msg)
    return max(firsts) * 1000, statistics.median(seconds) * 1000, _p95(seconds) * 1000, matched[0]


def _pygeoapi_server(dsn: str, venv: Path) -> contextlib.AbstractContextManager[int]:
    """pygeoapi's PostgreSQL provider on the view of the live build."""
    query = parse_qs(urlsplit(dsn).query)
    provider = {
        "type": "feature",
        "name": "PostgreSQL",
        "data": {
            "host": query["host"][0],
            "port": int(query["port"][0]),
            "dbname": "atlas",
            "user": "atlas",
            "password": "",
            "search_path": ["public"],
        },
        "id_field": "id",
        "table": "pygeoapi_projects",
        "geom_field": "geometry",
    }
    return pygeoapi_server(
        venv, provider, threads=THREADS, ready="/collections/projects/items?f=json"
    )


def _print(
    size: int,
    runs: int,
    clients: list[int],
    startup: dict[str, list[float]],
    results: dict[str, dict[tuple[str, int], tuple[float, float, float, int | None]]],
) -> None:
    print(f"\n{size:,} projects; {runs} requests per client; waitress, {THREADS} threads each")
    print("start-up, until the collections answer (s):")
    for name, seconds in startup.items():
        print(f"  {name}: {_seconds(seconds)}")
    head = f"{'query':<34} {'clients':>7}"
    for name in results:
        head += f" | {name + ' first; p50/p95 ms':>40} {'matched':>8}"
    print(head)
    print("-" * len(head))
    for label in QUERIES:
        for count in clients:
            line = f"{pad(label, 34)} {count:>7}"
            for name in results:
                found = results[name].get((label, count))
                if found is None:
                    line += f" | {'n/a':>40} {'':>8}"
                else:
                    first, p50, p95, matched = found
                    figures = f"{first:.0f}; {p50:.1f} / {p95:.1f}"
                    line += f" | {figures:>40} {matched or '':>8}"
            print(line)
    theirs = "pygeoapi, PostgreSQL"
    if theirs in results:
        print(f"\n{theirs} p95 / atlas p95 (how many times faster the atlas is)")
        for label in QUERIES:
            for count in clients:
                other = results[theirs].get((label, count))
                if other is None:
                    continue
                ratios = [
                    f"{name}: {other[2] / results[name][label, count][2]:.1f}x"
                    for name in results
                    if name != theirs
                ]
                print(f"  {pad(label, 34)} {count} client(s): " + ", ".join(ratios))
        ratios = [
            f"{name}: {_p95(startup[theirs]) / _p95(seconds):.1f}x"
            for name, seconds in startup.items()
            if name != theirs
        ]
        print("  start-up p95, pygeoapi / atlas: " + ", ".join(ratios))


def _seconds(seconds: list[float]) -> str:
    """One start's seconds, or the p50 / p95 (and the range) of several."""
    if len(seconds) == 1:
        return f"{seconds[0]:.2f} s"
    middle, high = statistics.median(seconds), _p95(seconds)
    spread = f"{len(seconds)} starts, {min(seconds):.2f}–{max(seconds):.2f}"
    return f"p50 {middle:.2f} / p95 {high:.2f} s ({spread})"


def _p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


if __name__ == "__main__":
    main()
