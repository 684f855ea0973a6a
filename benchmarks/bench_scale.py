"""The curve: how the served atlas grows with the register, on synthetic registers of N projects.

For each N (default 10,000 and 100,000; ``--sizes 10000,100000,1000000`` for the million) the
register is made first if missing (``make_synthetic.py``), ``infra-atlas serve`` is started as
a subprocess on 127.0.0.1, and the script prints:

- start-up: seconds until the map page answers, and until the API's collections are ready
  (the first API request prepares them); the server's resident and peak memory then;
- the first request's time (before the server keeps an answer: the map's views are kept), then
  p50/p95 over ``--runs`` requests on one kept-alive connection of (a) the API's first page,
  (b) the API's ``county=臺南市&limit=1000``, (c) the map's data for the whole of Taiwan at
  zoom 7 and for 臺南市 at the zoom a county page opens at;
- (d) the first county CSV download and the first full GeoPackage (downloads are kept after
  the first, so only the first is timed);
- beside (b), the same selection and encoding done in this process on the same binary register
  (:mod:`layers.packed`): a numpy mask of its columns, and DuckDB over its Arrow table when
  DuckDB is installed (the limit of the approach), with the ratios.

Nothing is asserted: it prints figures. Run: ``PYTHONPATH=. python benchmarks/bench_scale.py
[--sizes N,N] [--runs R]``.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import numpy as np
from servers import ROOT, free_port, server_env

from layers.filters import ProjectFilter
from layers.packed import load_packed

TAINAN = quote("臺南市")
ITEMS = "/api/collections/projects/items"
QUERIES = {
    "(a) API first page": ITEMS,
    "(b) API county=臺南市 limit=1000": f"{ITEMS}?county={TAINAN}&limit=1000",
    "(c) map data, Taiwan z7": "/markers.json?z=7&bbox=118,21,123,27",
    "(c) map data, 臺南市 z10": f"/markers.json?county={TAINAN}&z=10&bbox=119.9,22.8,120.7,23.5",
}


def register(size: int) -> Path:
    folder = ROOT / "data" / "build" / f"synthetic-{size}"
    if not (folder / "projects.geojson").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "make_synthetic.py"),
                "--projects",
                str(size),
                "--out",
                str(folder / "projects.geojson"),
            ],
            cwd=ROOT,
            env=server_env() | {"PYTHONPATH": str(ROOT)},
            check=True,
        )
    return folder


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB (Linux /proc)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def get(port: int, path: str, timeout: float = 600) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    return response.status, body, time.perf_counter() - start


def wait_for(port: int, path: str, process: subprocess.Popen[bytes]) -> float:
    start = time.perf_counter()
    while True:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            status, _, _ = get(port, path)
            if status == 200:
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.02)


def timings(port: int, path: str, runs: int) -> tuple[float, float, float, int]:
    """The first request's ms (before the server keeps anything), then p50 and p95 of the next
    ``runs``, and the answer's size."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    connection.request("GET", path)
    size = len(connection.getresponse().read())
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        connection.request("GET", path)
        connection.getresponse().read()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return first * 1000, statistics.median(times) * 1000, p95 * 1000, size


def references(folder: Path, runs: int) -> dict[str, float]:
    """The median ms of (b)'s selection and encoding done in this process, on the same binary
    register: a numpy mask of its columns, and DuckDB over its Arrow table (if installed)."""
    register = load_packed(folder)
    wanted = ProjectFilter(counties=("臺南市",))

    def numpy_query() -> bytes:
        rows = np.flatnonzero(register.columns.mask(wanted))[:1000]
        return b",".join(register.api.raw(int(row)) for row in rows)

    queries = {"a numpy mask in-process": numpy_query}
    try:
        import duckdb
    except ImportError:
        print("  (DuckDB not installed: pip install duckdb for its reference)")
    else:
        table = register.table.select(["counties", "api"])
        connection = duckdb.connect()
        connection.register("projects", table)
        sql = "SELECT api FROM projects WHERE list_contains(counties, '臺南市') LIMIT 1000"
        queries["DuckDB over the Arrow table"] = lambda: b",".join(
            row[0] for row in connection.execute(sql).fetchall()
        )
    found = {}
    for name, query in queries.items():
        query()  # warm-up
        times = []
        for _ in range(runs):
            begin = time.perf_counter()
            query()
            times.append((time.perf_counter() - begin) * 1000)
        found[name] = statistics.median(times)
    return found


def bench(size: int, runs: int) -> None:
    folder = register(size)
    port = free_port()
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "-q", "serve"]
    command += ["--build", str(folder), "--port", str(port)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=server_env() | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, "/", process)
        serving = time.perf_counter() - start
        wait_for(port, "/api/collections", process)
        api_ready = time.perf_counter() - start
        rss, peak = memory_mb(process.pid)
        print(
            f"\n{size:,} projects: map page in {serving:.1f} s, API ready in {api_ready:.1f} s; "
            f"RSS {rss:,.0f} MB (peak {peak:,.0f} MB)"
        )
        served_b = 0.0
        for name, path in QUERIES.items():
            first, p50, p95, length = timings(port, path, runs)
            if name.startswith("(b)"):
                served_b = p50
            print(
                f"  {name:<38} first {first:7.1f} ms  p50 {p50:8.1f} ms  p95 {p95:8.1f} ms"
                f"  {length / 1000:8.1f} kB"
            )
        for name, reference in references(folder, runs).items():
            ratio = served_b / reference
            print(f"  (b) beside {name}: {reference:.1f} ms (served is {ratio:.1f}x that)")
        for name, path in (
            ("(d) county CSV, first", f"/export.csv?county={TAINAN}"),
            ("(d) full GeoPackage, first", "/export.gpkg"),
        ):
            status, body, seconds = get(port, path)
            print(f"  {name:<38} {seconds:8.2f} s  {len(body) / 1e6:8.1f} MB  (HTTP {status})")
        rss, peak = memory_mb(process.pid)
        print(f"  after the downloads: RSS {rss:,.0f} MB (peak {peak:,.0f} MB)")
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for size in (int(part) for part in args.sizes.split(",")):
        bench(size, args.runs)


if __name__ == "__main__":
    main()
