"""The map page in a real headless Chromium (Debian ``chromium``), against the app on 127.0.0.1.

What a person sees: the map with its markers, no console error, no request to another host, a
county choice that changes the map, the table, the summary and the downloads together, and the
Back button. A screenshot is saved in ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright

from layers.filters import apply_filter, parse_filter
from webapp.mapdata import marker_rows
from webapp.state import PAGE_SIZE

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page with its console errors and every URL it requested."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.wait_ready()

    def wait_ready(self) -> None:
        self.page.wait_for_selector("#map[data-ready]", state="attached", timeout=15_000)

    def markers_asked(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).path == "/markers.json"]

    def other_hosts(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme != "data" and urlsplit(url).hostname != "127.0.0.1"
        ]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-TW")
    yield Watched(context.new_page())
    context.close()


def _expected(app: Flask, query: dict[str, list[str]]) -> tuple[int, int]:
    """The number of matching projects and of marker points, from the filter itself."""
    atlas = app.extensions["atlas"]
    project_filter = parse_filter(query, choices=atlas.choices)
    chosen = apply_filter(atlas.features, project_filter)
    return len(chosen), len(marker_rows(chosen, project_filter.counties)["rows"])


def _state(page: Page) -> dict[str, Any]:
    return {
        "count": int(page.get_attribute("#summary", "data-count") or -1),
        "markers": int(page.get_attribute("#map", "data-markers") or -1),
        "rows": page.locator("#results tbody tr").count(),
        "geojson": page.get_attribute('#downloads a[data-format="geojson"]', "href"),
        "csv": page.get_attribute('#downloads a[data-format="csv"]', "href"),
    }


def test_page_loads_offline_and_draws_the_markers(
    watched: Watched, live_server: str, file_app: Flask
) -> None:
    watched.open(f"{live_server}/")
    page = watched.page
    count, points = _expected(file_app, {})
    assert _state(page)["count"] == count
    assert _state(page)["markers"] == points
    # Markers and clusters are in the DOM (the `other` layer is off until asked for).
    drawn = page.locator(".leaflet-marker-icon").count()
    assert drawn > 0
    assert page.locator(".marker-cluster").count() + page.locator(".atlas-marker").count() == drawn
    page.wait_for_selector("path.leaflet-interactive, .leaflet-overlay-pane path", state="attached")
    assert page.locator(".leaflet-control-layers-overlays label").count() >= 6
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    assert len(watched.markers_asked()) == 1  # all of them, in one answer
    assert watched.errors == []
    assert watched.other_hosts() == []


def test_choosing_a_county_updates_map_table_summary_and_downloads(
    watched: Watched, live_server: str, file_app: Flask
) -> None:
    page = watched.page
    watched.open(f"{live_server}/")
    before = _state(page)
    with page.expect_navigation():
        page.select_option("#f-county", "臺南市")
    watched.wait_ready()
    assert parse_qs(urlsplit(page.url).query) == {"county": ["臺南市"]}
    after = _state(page)
    count, points = _expected(file_app, {"county": ["臺南市"]})
    assert (after["count"], after["markers"]) == (count, points)
    assert after["count"] < before["count"]
    assert after["rows"] == min(count, 100)
    for cell in page.locator("#results tbody tr td:nth-child(3)").all_text_contents():
        assert "臺南市" in cell
    for fmt in ("geojson", "csv"):
        assert parse_qs(urlsplit(after[fmt]).query) == {"county": ["臺南市"]}
    # The towns offered are now Tainan's only.
    groups = page.locator("#f-town optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups == ["臺南市"]

    page.go_back()
    watched.wait_ready()
    assert urlsplit(page.url).query == ""
    assert _state(page) == before
    assert page.input_value("#f-county") == ""
    assert watched.errors == []
    assert watched.other_hosts() == []


def test_a_marker_opens_its_popup_and_english_works(watched: Watched, live_server: str) -> None:
    page = watched.page
    watched.open(f"{live_server}/?lang=en&layer=water")
    assert page.get_attribute("html", "lang") == "en"
    page.evaluate(
        """() => new Promise(resolve => {
            const group = window.ATLAS_PARTS.groups.water;
            const marker = group.getLayers()[0];
            const map = window.ATLAS_PARTS.map;
            map.stop();
            map.setView(marker.getLatLng(), 16, {animate: false});
            group.zoomToShowLayer(marker, () => { marker.getElement().click(); resolve(); });
        })"""
    )
    title = page.wait_for_selector(".leaflet-popup-content .popup-title", timeout=10_000)
    assert title is not None
    assert title.text_content()
    content = page.locator(".leaflet-popup-content").text_content() or ""
    assert "Placement" in content
    assert "Sources" in content
    assert watched.errors == []
    assert watched.other_hosts() == []


def test_the_apply_button_works_from_the_keyboard(
    watched: Watched, live_server: str, file_app: Flask
) -> None:
    page = watched.page
    watched.open(f"{live_server}/")
    page.fill("#f-q", "水庫")
    page.focus("#filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watched.wait_ready()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["水庫"]}
    names = [name.strip() for name in page.locator("#results tbody th").all_text_contents()]
    atlas = file_app.extensions["atlas"]
    chosen = apply_filter(atlas.features, parse_filter({"q": "水庫"}, choices=atlas.choices))
    assert names == [feature["properties"]["name"] for feature in chosen][: len(names)]
    assert len(names) == min(len(chosen), PAGE_SIZE)


def test_a_bad_filter_shows_its_message_without_errors(watched: Watched, live_server: str) -> None:
    page = watched.page
    response = page.goto(f"{live_server}/?year=abc")
    assert response is not None
    assert response.status == 400
    assert "「年度」的值「abc」不是" in (page.text_content("[role=alert]") or "")
    assert page.locator("#filters select[name=county] option").count() == 23
    assert page.locator("#map").count() == 0
    # Chromium logs the page's own 400 status; nothing else may fail.
    assert [e for e in watched.errors if "status of 400" not in e] == []
    assert watched.other_hosts() == []


def test_api_items_page_draws_its_map_offline(
    watched: Watched, live_server: str, file_app: Flask
) -> None:
    """The API's items page maps its placed features with the app's own Leaflet: a marker per
    point, a popup naming the project as text, no console error, no other host."""
    url = "/api/collections/water/items?limit=50"
    features = file_app.test_client().get(url).get_json(force=True)["features"]
    placed = [f for f in features if f["geometry"]]
    points = sum(
        1 if f["geometry"]["type"] == "Point" else len(f["geometry"]["coordinates"]) for f in placed
    )
    page = watched.page
    page.goto(f"{live_server}{url}&f=html")
    page.wait_for_selector("#feature-map[data-ready]", state="attached", timeout=15_000)
    assert page.get_attribute("#feature-map", "data-features") == str(len(placed))
    assert page.locator("#feature-map path.leaflet-interactive").count() == points > 0
    page.locator("#feature-map path.leaflet-interactive").first.dispatch_event("click")
    popup = page.wait_for_selector(".leaflet-popup-content a", timeout=10_000)
    assert popup is not None
    assert popup.text_content() == placed[0]["properties"]["name"]
    assert popup.get_attribute("href") == f"/api/collections/water/items/{placed[0]['id']}?f=html"
    assert watched.errors == []
    assert watched.other_hosts() == []


def test_arrow_keys_step_through_a_select_and_enter_applies(
    watched: Watched, live_server: str
) -> None:
    """A keyboard user steps through the counties without the page reloading at each step."""
    page = watched.page
    watched.open(f"{live_server}/")
    page.focus("#filters select[name=county]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert urlsplit(page.url).query == ""  # still the same page
    assert page.evaluate("document.activeElement.name") == "county"
    chosen = page.eval_on_selector("#filters select[name=county]", "s => s.value")
    assert chosen
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watched.wait_ready()
    assert parse_qs(urlsplit(page.url).query)["county"] == [chosen]


def test_the_skip_link_is_the_first_stop(watched: Watched, live_server: str) -> None:
    page = watched.page
    watched.open(f"{live_server}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_map_position_is_in_the_url(watched: Watched, live_server: str) -> None:
    """A link that holds a map position opens there; moving the map updates the link."""
    page = watched.page
    watched.open(f"{live_server}/?layer=water#map=11/23.1000/120.3000")
    view = page.evaluate(
        "() => { const m = window.ATLAS_PARTS.map; const c = m.getCenter();"
        " return [m.getZoom(), c.lat, c.lng]; }"
    )
    assert view[0] == 11
    assert abs(view[1] - 23.1) < 0.01
    assert abs(view[2] - 120.3) < 0.01
    page.evaluate("() => { window.ATLAS_PARTS.map.setView([24.0, 121.0], 9, {animate: false}); }")
    page.wait_for_function("() => window.location.hash.startsWith('#map=9/')", timeout=10_000)
    zoom, lat, lon = page.evaluate("() => window.location.hash").removeprefix("#map=").split("/")
    assert zoom == "9"
    assert abs(float(lat) - 24.0) < 0.01
    assert abs(float(lon) - 121.0) < 0.01
    assert urlsplit(page.url).query == "layer=water"  # the filter is kept
    assert watched.errors == []


def test_a_project_page_links_to_the_map_centred_on_it(
    watched: Watched, live_server: str, file_app: Flask
) -> None:
    atlas = file_app.extensions["atlas"]
    placed = next(f for f in atlas.features if f["geometry"] and f["geometry"]["type"] == "Point")
    page = watched.page
    page.goto(f"{live_server}/project/{placed['id']}")
    with page.expect_navigation():
        page.click("#show-on-map")
    watched.wait_ready()
    lon, lat = placed["geometry"]["coordinates"]
    center = page.evaluate("() => window.ATLAS_PARTS.map.getCenter()")
    assert abs(center["lat"] - lat) < 0.01
    assert abs(center["lng"] - lon) < 0.01


# --- every user, every device: axe-core, a phone, the keyboard alone ---------------------------

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


def _pages(app: Flask) -> dict[str, str]:
    """One page of each kind: name → path (the project: a placed one, with a budget table)."""
    atlas = app.extensions["atlas"]
    project = next(
        f for f in atlas.features if f["geometry"] and f["properties"].get("budget_rows")
    )
    pid = project["id"]
    return {
        "home": "/",
        "county": "/county/臺南市",
        "project": f"/project/{pid}",
        "api": "/api/?f=html",
        "api-items": "/api/collections/projects/items?f=html&limit=50",
        "api-item": f"/api/collections/projects/items/{pid}?f=html",
    }


def _settled(page: Page, url: str) -> None:
    """Open a page and wait until it is complete: loaded, and a map page's map drawn with all
    the data it asked for (its boundaries too) in."""
    page.goto(url)
    if page.locator("#map.atlas-map").count():
        page.wait_for_selector('#map[data-ready][data-loading="0"]', state="attached")


@pytest.mark.parametrize(("lang", "size"), [("zh", "phone"), ("en", "desktop")])
def test_axe_finds_no_serious_violation(
    browser: Browser, live_server: str, file_app: Flask, lang: str, size: str
) -> None:
    """axe-core (vendored) on every kind of page, in both languages (one on a phone)."""
    # axe is injected as an inline script, which the app's policy rightly refuses
    context = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE, bypass_csp=True)
    page = context.new_page()
    found = {}
    for name, path in _pages(file_app).items():
        if name.startswith("api"):  # the API's pages are English unless asked for Chinese
            url = f"{live_server}{path}&lang={lang}"
        else:
            url = f"{live_server}{path}" + (
                ("&" if "?" in path else "?") + "lang=en" if lang == "en" else ""
            )
        _settled(page, url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    context.close()
    assert found == {name: [] for name in found}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_page_fits_the_screen_and_shows_the_map_first(
    browser: Browser, live_server: str, file_app: Flask, size: str
) -> None:
    """No page is wider than a 390 px phone; a map page's map starts on the first screen.
    Screenshots of each page at this size go to tests/artifacts/."""
    viewport = DESKTOP if size == "desktop" else PHONE
    context = browser.new_context(viewport=viewport, locale="zh-TW")
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in _pages(file_app).items():
        _settled(page, f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, width)
        if name in ("home", "county"):
            top = page.evaluate("document.getElementById('map').getBoundingClientRect().top")
            assert top + 200 < viewport["height"], (name, top)  # 200 px of map at least
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
    context.close()


def _tab_to(page: Page, test: str, limit: int = 400) -> None:
    """Press Tab until ``test`` (a JS expression over ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"no focusable element where {test} within {limit} Tabs")


def test_a_keyboard_alone_chooses_a_county_opens_a_popup_and_downloads_the_csv(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    watched = Watched(page)
    watched.open(f"{live_server}/")
    _tab_to(page, "el.id === 'f-county'")
    for _ in range(5):  # 臺北市, 新北市, 桃園市, 臺中市, 臺南市
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "臺南市"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watched.wait_ready()
    assert parse_qs(urlsplit(page.url).query)["county"] == ["臺南市"]
    # a marker: focusable, named by its project, and Enter opens its popup
    _tab_to(page, "el.classList.contains('atlas-marker')")
    name = page.evaluate("document.activeElement.title")
    assert name
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content .popup-title", timeout=10_000)
    assert name in (page.text_content(".leaflet-popup-content .popup-title") or "")
    _tab_to(page, "el.dataset.format === 'csv'")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == int(page.get_attribute("#summary", "data-count") or -1)
    assert all("臺南市" in row["counties"] for row in rows)
    assert watched.errors == []
    context.close()


def test_many_markers_are_clustered_by_the_server_view_by_view(
    browser: Browser, real_build: Path
) -> None:
    """Above ATLAS_MARKER_LIMIT the page asks for each view: the whole of Taiwan shows the
    server's clusters (their counts add up to the points in view), a close view the markers."""
    import threading

    import waitress

    from webapp import create_app

    app = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_MARKER_LIMIT": 20})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        context = browser.new_context(viewport=DESKTOP)
        watched = Watched(context.new_page())
        page = watched.page
        watched.open(f"http://127.0.0.1:{server.effective_port}/")  # type: ignore[union-attr]
        assert page.get_attribute("#map", "data-view") == "clusters"
        assert len(watched.markers_asked()) == 1  # the opening view's, in one request
        counts = page.eval_on_selector_all(
            ".marker-cluster > div > span", "spans => spans.map(s => parseInt(s.textContent, 10))"
        )
        assert counts
        assert all(count > 0 for count in counts)
        # A layer switched off takes its clusters with it, and back on brings them, from the
        # answer the page holds; the boundaries' switch does not ask for markers either.
        overlays = page.locator(".leaflet-control-layers-overlays label")
        water = overlays.filter(has_text="水資源").locator("input")
        assert page.locator(".cl-water").count() > 0
        water.uncheck()
        assert page.locator(".cl-water").count() == 0
        water.check()
        assert page.locator(".cl-water").count() > 0
        overlays.filter(has_text="縣市界").locator("input").uncheck()
        assert len(watched.markers_asked()) == 1
        page.evaluate("window.ATLAS_PARTS.map.setView([23.0, 120.2], 13, {animate: false})")
        page.wait_for_function("document.getElementById('map').dataset.view === 'markers'")
        shown = int(page.get_attribute("#map", "data-markers") or -1)
        assert 0 < shown <= 20
        assert page.locator(".atlas-marker").count() > 0
        assert len(watched.markers_asked()) == 2  # one more for the new view
        assert watched.errors == []
        context.close()
    finally:
        server.close()
