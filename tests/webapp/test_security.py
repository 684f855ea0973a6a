"""Security headers on every response; a Content-Security-Policy that runs only the app's own
scripts, checked in a real Chromium (a refused script is a console error there)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright

from webapp.security import content_security_policy

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?county=臺南市",
        "/county/臺南市",
        "/export.csv",
        "/markers.json",
        "/api",
        "/api/collections/projects/items?f=html",
        "/api/openapi",
        "/static/map/atlas.js",
        "/no-such-page",
        "/api/collections/nope",
    ],
)
def test_every_response_carries_the_headers(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_only_the_pages_own_inline_scripts_are_allowed() -> None:
    page = "<script>var a = 1;</script><script src='/x.js'></script>"
    page += '<script type="application/json">{"b": 2}</script>'
    policy = content_security_policy(page)
    scripts = policy.split("script-src ")[1].split(";")[0].split()
    assert scripts[0] == "'self'"
    assert len(scripts) == 2  # the one inline script; not the file, not the JSON data
    assert content_security_policy(page.replace("1", "2")) != policy


def test_tile_hosts_are_images_only_when_offered() -> None:
    policy = content_security_policy(None, ("tile.openstreetmap.org",))
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy
    assert "tile.openstreetmap.org" not in policy.split("img-src")[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def test_pages_run_under_the_policy(browser: Browser, live_server: str, file_app: Flask) -> None:
    """Every page works under its policy: no script or style refused, the map is drawn."""
    project = (
        file_app.test_client()
        .get("/api/collections/projects/items?limit=1")
        .get_json()["features"][0]
    )
    pages = [
        "/",
        "/county/臺南市?lang=en",
        f"/project/{project['id']}",
        "/api/collections/projects/items?f=html&limit=20",
        f"/api/collections/projects/items/{project['id']}?f=html",
    ]
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    for path in pages:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    page.goto(live_server + "/")
    page.wait_for_selector("#map[data-ready]", state="attached", timeout=15_000)
    assert page.locator(".leaflet-marker-icon").count() > 0
    assert refused == []  # nothing the pages need was refused
    # An injected inline script is refused: the policy is enforced, not just sent.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.INJECTED = 1'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.INJECTED") is None
    assert any("Content Security Policy" in message for message in refused)
    context.close()
