"""Load on the served atlas, on this machine only: many users, idle connections, heavy exports.

Three bounded runs against ``infra-atlas serve`` (default settings, a subprocess on 127.0.0.1):

1. **Users**: ``--users`` simulated users (default 200), each on its own kept-alive
   connection, for ``--seconds`` (default 30). A user waits ``--think`` seconds (default 1,
   ±50 %) between requests, as a person reading the page does, and picks each request from a
   mix: the map page, a county page, the marker JSON, API items (a county, a bbox), the county
   totals, a county CSV download, each for a county and a layer drawn at random (so that the
   caches of repeated answers do not answer everything). Printed: requests per second,
   p50/p95/p99 latency and every error (a status other than 200, a reset or a time-out at
   20 s), per kind of request too.
2. **Idle connections**: 200 connections opened and left idle, then the time a new client
   waits for ``/api/conformance``.
3. **Heavy exports** (on the synthetic 100,000-project register, ``make_synthetic.py``): four
   full GeoPackage and CSV downloads of different filters at once, while a light request
   (``/api/conformance``) is timed every 0.2 s; printed: its median and worst delay.

Run: ``PYTHONPATH=. python benchmarks/bench_load.py [--users N] [--seconds S] [--think T]
[--no-synthetic]``. Nothing is asserted: it prints figures. Traffic goes to 127.0.0.1 only, and
every loop stops by itself (count and time bounded).
"""

from __future__ import annotations

import argparse
import http.client
import random
import socket
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from servers import atlas_server, real_build, synthetic

from geo.counties import COUNTY_NAMES

TIMEOUT = 20.0  # seconds a request may take before it counts as an error
COUNTIES = [quote(name) for name in COUNTY_NAMES]
LAYERS = ("water", "energy", "industrial_park", "disaster")

#: The request mix of a user: (kind, path with {county} and {layer} to fill, weight). The
#: county and layer are drawn for each request, so that caches do not answer everything.
MIX: tuple[tuple[str, str, int], ...] = (
    ("page", "/?layer={layer}", 3),
    ("county page", "/county/{county}", 2),
    ("markers", "/markers.json?layer={layer}", 3),
    ("api county", "/api/collections/projects/items?county={county}&limit=100", 3),
    ("api bbox", "/api/collections/projects/items?bbox=120,22.8,120.5,23.3&limit=50", 2),
    ("api counties", "/api/collections/counties/items?layer={layer}", 1),
    ("county csv", "/export.csv?county={county}", 1),
)


@dataclass
class Tally:
    """Latencies and errors, by kind of request."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.seconds[kind].append(seconds)
            else:
                self.errors[kind].append(error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="Simulated users (≤ 1,000).")
    parser.add_argument("--seconds", type=float, default=30, help="Length of the users run.")
    parser.add_argument("--think", type=float, default=1.0, help="Mean pause between requests.")
    parser.add_argument("--no-synthetic", action="store_true", help="Skip the heavy-export run.")
    args = parser.parse_args()
    users = max(1, min(args.users, 1000))
    seconds = max(1.0, min(args.seconds, 600.0))
    with atlas_server(real_build()) as port:
        users_run(port, users=users, seconds=seconds, think=args.think)
        idle_run(port, connections=200)
    if not args.no_synthetic:
        with atlas_server(synthetic()) as port:
            heavy_run(port)


def users_run(port: int, *, users: int, seconds: float, think: float) -> None:
    tally = Tally()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_user, args=(port, stop, think, tally, random.Random(n)))
        for n in range(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 30)
    elapsed = time.monotonic() - started
    done = [s for values in tally.seconds.values() for s in values]
    failed = [e for values in tally.errors.values() for e in values]
    print(f"users: {users} users for {seconds:.0f} s (think {think} s), all on 127.0.0.1")
    print(
        f"  {len(done) + len(failed)} requests, {len(done) / elapsed:.1f}/s; "
        f"{len(failed)} errors; {_percentiles(done)}"
    )
    for kind, _, _ in MIX:
        print(
            f"  {kind:<13} {len(tally.seconds[kind]):>6} ok {len(tally.errors[kind]):>4} "
            f"errors  {_percentiles(tally.seconds[kind])}"
        )
    for kind, errors in tally.errors.items():
        for error in sorted(set(errors))[:3]:
            print(f"  error {kind}: {error}")


def _user(port: int, stop: float, think: float, tally: Tally, rng: random.Random) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    kinds = [(kind, path) for kind, path, weight in MIX for _ in range(weight)]
    time.sleep(rng.uniform(0, think))  # users arrive over the first pause, not all at once
    while time.monotonic() < stop:
        kind, template = rng.choice(kinds)
        path = template.format(county=rng.choice(COUNTIES), layer=rng.choice(LAYERS))
        started = time.perf_counter()
        error = None
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                error = f"status {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        tally.add(kind, time.perf_counter() - started, error)
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))
    connection.close()


def idle_run(port: int, *, connections: int) -> None:
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(connections)]
    try:
        time.sleep(0.5)
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            connection.request("GET", "/api/conformance")
            status = connection.getresponse().status
        except OSError as exc:
            status = f"failed ({type(exc).__name__})"
        waited = time.perf_counter() - started
        print(f"idle: {connections} idle connections; a new client got {status} in {waited:.3f} s")
    finally:
        for sock in idle:
            sock.close()


def heavy_run(port: int) -> None:
    downloads = [
        "/export.gpkg",
        "/export.csv",
        "/export.gpkg?layer=water&layer=energy",
        "/export.csv?status=behind",
    ]
    delays: list[float] = []
    results: list[str] = []

    def download(path: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        size = len(response.read()) / 1e6
        took = time.perf_counter() - started
        results.append(f"{path}: {response.status}, {size:.1f} MB in {took:.1f} s")

    heavy = [threading.Thread(target=download, args=(path,)) for path in downloads]
    for thread in heavy:
        thread.start()

    def light() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        deadline = time.monotonic() + 600
        while any(t.is_alive() for t in heavy) and time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", "/api/conformance")
            connection.getresponse().read()
            delays.append(time.perf_counter() - started)
            time.sleep(0.2)

    light()
    for thread in heavy:
        thread.join()
    print("heavy: four downloads of the 100,000-project register at once")
    for line in results:
        print(f"  {line}")
    print(
        f"  a light request meanwhile ({len(delays)} of them): median "
        f"{statistics.median(delays) * 1000:.0f} ms, worst {max(delays) * 1000:.0f} ms"
    )


def _percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return f"p50 {at(0.5):.0f} ms, p95 {at(0.95):.0f} ms, p99 {at(0.99):.0f} ms"


if __name__ == "__main__":
    main()
