"""Time the web map in headless Chromium: navigation to a rendered map, and the bytes moved.

For the real build and the synthetic 100,000-project register (``make_synthetic.py``), serve
the app with waitress on 127.0.0.1, open the page in a fresh browser context (empty cache) and
time from navigation to the markers being in the map (the page sets ``#map[data-ready]`` once
every marker is in its cluster group, and the clusters are then in the DOM). Prints the median
of several runs, the time to the HTML's ``load`` event, the markers and DOM icons drawn, and the
bytes transferred (encoded, as on the wire) with the largest responses.

Beside them it times two floors: an empty page (what opening any page and timing it costs),
and a bare page with the same Leaflet and markercluster files, one map and 100 markers, nothing
else. That is the browser's own cost on this machine, which no page with a map can beat.

Run: ``PYTHONPATH=. python benchmarks/bench_map.py [--runs N] [--skip-synthetic]``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import waitress
from playwright.sync_api import Browser, sync_playwright
from werkzeug.middleware.shared_data import SharedDataMiddleware

from layers.build import build, write_build
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "data" / "build" / "synthetic"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
PATHS = ("/", "/?county=臺南市")
#: The floor: Leaflet and markercluster from the app's files, one map, 100 markers, nothing else.
FLOOR = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title>
<script src="/static/vendor/leaflet-1.9.4/leaflet.js"></script>
<link rel="stylesheet" href="/static/vendor/leaflet-1.9.4/leaflet.css">
<script src="/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"></script>
<link rel="stylesheet" href="/static/vendor/leaflet.markercluster-1.5.3/MarkerCluster.css">
<style>#map { height: 600px; }</style></head><body><div id="map"></div><script>
var map = L.map("map", { maxZoom: 18 }).fitBounds([[21.85, 118.1], [26.4, 122.1]]);
var group = L.markerClusterGroup().addTo(map), markers = [];
for (var i = 0; i < 100; i++) { markers.push(L.marker([22 + i * 0.03, 120 + i * 0.01])); }
group.addLayers(markers);
document.getElementById("map").dataset.ready = "true";
</script></body></html>"""


#: The floors, from the browser and the timing alone to a bare map with markers.
FLOORS = {
    "an empty page (the browser and the timing alone)": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>empty</title>'
        '</head><body><div id="map" data-ready="true"></div></body></html>'
    ),
    "a bare page: Leaflet, markercluster, 100 markers": FLOOR,
}


def serve(build_dir: Path) -> tuple[Any, str]:
    """The app for one build under waitress on a free port; returns the server and base URL."""
    app = create_app({"ATLAS_BUILD": build_dir})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def serve_floor(html: str) -> tuple[Any, str]:
    """A floor page, and the app's static files, under waitress on a free port."""

    def page(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = html.encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body]

    files = SharedDataMiddleware(page, {"/static": str(ROOT / "webapp" / "static")})
    server = waitress.create_server(files, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def visit(browser: Browser, url: str) -> dict[str, Any]:
    """Open the page once with an empty cache; time it and count the bytes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: Counter[str] = Counter()
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.update({urls.get(e["requestId"], "?"): int(e["encodedDataLength"])}),
    )
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    loaded = time.perf_counter() - started
    page.wait_for_selector("#map[data-ready]", state="attached", timeout=120_000)
    ready = time.perf_counter() - started
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    result = {
        "load": loaded,
        "ready": ready,
        "markers": int(page.get_attribute("#map", "data-markers") or 0),
        "icons": page.locator(".leaflet-marker-icon").count(),
        "bytes": sum(sizes.values()),
        "largest": sizes.most_common(3),
        "error": page.get_attribute("#map", "data-error"),
    }
    context.close()
    return result


def bench(label: str, build_dir: Path, browser: Browser, runs: int) -> None:
    """Print the figures of one build."""
    server, base = serve(build_dir)
    try:
        for path in PATHS:
            visit(browser, base + path)  # warm the server's caches (boundaries), not the browser's
            results = [visit(browser, base + path) for _ in range(runs)]
            last = results[-1]
            ready = statistics.median(r["ready"] for r in results)
            load = statistics.median(r["load"] for r in results)
            print(
                f"{label} {path}: rendered map in {ready:.2f} s (HTML load {load:.2f} s), "
                f"{last['markers']:,} markers -> {last['icons']:,} icons in the DOM, "
                f"{last['bytes'] / 1024:,.0f} KiB transferred"
                + (f", ERROR {last['error']}" if last["error"] else "")
            )
            for url, size in last["largest"]:
                print(f"    {size / 1024:8,.0f} KiB  {urlsplit(url).path}")
    finally:
        server.close()


def main() -> None:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Runs per page (median printed).")
    parser.add_argument("--skip-synthetic", action="store_true", help="Only the real build.")
    parser.add_argument(
        "--synthetic",
        type=Path,
        action="append",
        help="A synthetic build folder (repeatable; default data/build/synthetic), e.g. "
        "data/build/synthetic-1000000 after bench_scale.py --sizes 1000000.",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        real = Path(folder)
        write_build(build(ROOT / "data" / "sources"), real)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, html in FLOORS.items():
            server, base = serve_floor(html)
            visit(browser, base + "/")
            runs = [visit(browser, base + "/")["ready"] for _ in range(options.runs)]
            server.close()
            print(f"floor, {name}: {statistics.median(runs):.2f} s")
        bench("real build", real, browser, options.runs)
        for synthetic in [] if options.skip_synthetic else options.synthetic or [SYNTHETIC]:
            if not (synthetic / "projects.geojson").exists():
                raise SystemExit(f"no register in {synthetic}: run benchmarks/make_synthetic.py")
            bench(f"synthetic ({synthetic.name})", synthetic, browser, options.runs)
        browser.close()


if __name__ == "__main__":
    main()
