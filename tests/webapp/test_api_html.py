"""The API's HTML pages: a small map of the page's features from the app's own files, with
the data handed to the script as JSON text, and every name from the documents shown as text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import shapely
from flask.testing import FlaskClient
from shapely.geometry import shape
from werkzeug.test import TestResponse

from webapp import create_app

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"
SCRIPT = Path(__file__).resolve().parents[2] / "webapp" / "static" / "api" / "feature-map.js"
PAGES = (
    "/api/collections/projects/items?f=html&limit=100",
    "/api/collections/counties/items?f=html&limit=3",
    "/api/collections/projects/items/p1?f=html",
    "/api/collections/projects/items/p4?f=html",
    "/api/collections/counties/items/67000?f=html",
)


def html(response: TestResponse) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    return lxml.html.fromstring(response.get_data(as_text=True))


def one(doc: Any, xpath: str) -> Any:
    found = doc.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    return found[0]


def map_data(doc: Any) -> dict[str, Any]:
    script = one(doc, '//script[@id="feature-map-data"]')
    assert script.get("type") == "application/json"
    data: dict[str, Any] = json.loads(script.text)
    return data


def geojson(client: FlaskClient, url: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(client.get(url).get_data(as_text=True))
    return document


@pytest.mark.parametrize("url", PAGES)
def test_the_map_uses_only_the_apps_own_files(small_client: FlaskClient, url: str) -> None:
    doc = html(small_client.get(url))
    assets = doc.xpath("//script/@src | //link/@href | //img/@src")
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in assets
    assert "/static/vendor/leaflet-1.9.4/leaflet.css" in assets
    assert "/static/api/feature-map.js" in assets
    for asset in assets:
        assert asset.startswith(("/static/", "data:")), asset
        if asset.startswith("/static/"):
            with small_client.get(asset) as response:  # a file response: close it
                assert response.status_code == 200, asset
    boundaries = one(doc, '//*[@id="feature-map"]').get("data-boundaries")
    assert boundaries == "/boundaries/counties.geojson"
    with small_client.get(boundaries) as response:
        assert response.status_code == 200
    inline = "".join(s.text or "" for s in doc.xpath("//script[not(@src)]"))
    assert "http" not in inline


def test_the_script_sets_text_never_html() -> None:
    """Names reach the map as text: no HTML sink, and Leaflet is handed elements, not
    strings (a string tooltip or popup is set as HTML)."""
    script = SCRIPT.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script
    assert "bindTooltip(text(" in script
    assert "bindPopup(link(" in script
    assert "tileLayer" not in script


def test_items_page_embeds_its_features(small_client: FlaskClient) -> None:
    """The map holds the page's placed features with their own geometry; the unplaced ones
    are listed as not on the map."""
    page = geojson(small_client, "/api/collections/projects/items?limit=100")
    doc = html(small_client.get("/api/collections/projects/items?f=html&limit=100"))
    data = map_data(doc)
    placed = [f for f in page["features"] if f["geometry"]]
    assert [f["id"] for f in data["features"]] == [f["id"] for f in placed]
    assert [f["geometry"] for f in data["features"]] == [f["geometry"] for f in placed]
    for feature in data["features"]:
        assert feature["properties"]["href"] == (
            f"/api/collections/projects/items/{feature['id']}?f=html"
        )
    unplaced = [f for f in page["features"] if not f["geometry"]]
    assert unplaced
    listed = one(doc, '//*[@id="off-map"]').xpath(".//a/text()")
    assert listed == [f["properties"]["name"] for f in unplaced]


def test_items_page_map_follows_the_page(small_client: FlaskClient) -> None:
    """A filtered, paged page maps just its own features."""
    url = "/api/collections/projects/items?county=臺南市&limit=2&offset=1"
    page = geojson(small_client, url)
    data = map_data(html(small_client.get(url + "&f=html")))
    assert [f["id"] for f in data["features"]] == [f["id"] for f in page["features"]]
    assert len(data["features"]) == 2


def test_an_unplaced_item_is_not_on_the_map(small_client: FlaskClient) -> None:
    doc = html(small_client.get("/api/collections/projects/items/p4?f=html"))
    assert map_data(doc)["features"] == []
    assert "全國智慧電網計畫" in one(doc, '//*[@id="off-map"]').text_content()
    placed = html(small_client.get("/api/collections/projects/items/p1?f=html"))
    assert [f["id"] for f in map_data(placed)["features"]] == ["p1"]
    assert not placed.xpath('//*[@id="off-map"]')


def test_county_pages_map_a_simplified_outline(small_client: FlaskClient) -> None:
    """A county is drawn as its outline, simplified: close to the polygon, a fraction of it."""
    county = geojson(small_client, "/api/collections/counties/items/67000")
    doc = html(small_client.get("/api/collections/counties/items/67000?f=html"))
    (drawn,) = map_data(doc)["features"]
    assert drawn["id"] == "67000"
    assert drawn["properties"]["label"] == "臺南市"
    outline, polygon = shape(drawn["geometry"]), shape(county["geometry"])
    assert shapely.bounds(outline) == pytest.approx(shapely.bounds(polygon), abs=0.01)
    assert outline.symmetric_difference(polygon).area < 0.01 * polygon.area
    assert len(json.dumps(drawn["geometry"])) < len(json.dumps(county["geometry"]))


@pytest.fixture
def evil_client(tmp_path: Path, register: dict[str, Any]) -> FlaskClient:
    features = register["features"]
    features[0]["properties"]["name"] = EVIL  # placed: on the map
    features[4]["properties"]["name"] = EVIL + " 2"  # unplaced: listed under the map
    features[4]["properties"]["location_note"] = "<b>note</b>"
    (tmp_path / "projects.geojson").write_text(json.dumps(register), encoding="utf-8")
    return create_app({"TESTING": True, "ATLAS_BUILD": tmp_path}).test_client()


@pytest.mark.parametrize(
    "url",
    [
        "/api/collections/projects/items?f=html&limit=100",
        "/api/collections/water/items?f=html",
        "/api/collections/projects/items/p1?f=html",
        "/api/collections/projects/items/p5?f=html",
    ],
)
def test_names_reach_the_map_as_data(evil_client: FlaskClient, url: str) -> None:
    """A project named ``<script>…`` is JSON text in the data element (no tag in the page)
    and plain text in the list of unplaced projects."""
    response = evil_client.get(url)
    text = response.get_data(as_text=True)
    assert "<script>alert" not in text
    assert "</script><img" not in text
    assert "<img src=x" not in text
    assert "<b>note</b>" not in text
    doc = html(response)
    assert not doc.xpath("//img")
    for script in doc.xpath("//script[not(@src)]"):
        assert script.get("type") == "application/json"
    labels = [f["properties"]["label"] for f in map_data(doc)["features"]]
    if "p5" in url:
        assert labels == []
        assert EVIL + " 2" in one(doc, '//*[@id="off-map"]').text_content()
    else:
        assert EVIL in labels
    if "/items?" in url and "projects" in url:
        assert EVIL + " 2" in one(doc, '//*[@id="off-map"]').xpath(".//a/text()")
        assert ": <b>note</b>" in one(doc, '//*[@id="off-map"]').text_content()


def test_api_pages_declare_their_real_language(client: FlaskClient) -> None:
    """The API's pages are in English; the Chinese names in them say so."""
    listing = client.get("/api/collections/projects/items?f=html&limit=5").get_data(as_text=True)
    assert '<html lang="en">' in listing
    assert '<td lang="zh-Hant-TW">' in listing
    first = client.get("/api/collections/projects/items?limit=1").get_json()["features"][0]
    page = client.get(f"/api/collections/projects/items/{first['id']}?f=html").get_data(
        as_text=True
    )
    assert '<h1><span lang="zh-Hant-TW">' in page
    assert '<span lang="en">' in page  # its English values (layer, status…)
