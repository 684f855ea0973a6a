"""OGC API – Features Part 1 (core, GeoJSON, HTML, OpenAPI 3.0): one test per abstract test.

Each test is named after the abstract test it mirrors (``/conf/core/fc-bbox-response`` →
``test_core_fc_bbox_response``). Expected values come from the register through the shared
filter, never from counts written down here: the real build changes with the geocoder.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import shapely
from flask.testing import FlaskClient
from shapely.geometry import shape
from werkzeug.test import TestResponse

from layers.aggregate import aggregate_counties
from layers.export import export
from layers.filters import apply_filter, parse_filter
from webapp.api_collections import COLLECTION_IDS
from webapp.openapi import CONFORMANCE, OPENAPI_JSON

GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"


def get(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """GET a URL, absolute (from a link) or not."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(path, headers=headers)


def body(response: TestResponse) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))


def links(document: Mapping[str, Any], rel: str) -> list[dict[str, str]]:
    return [link for link in document["links"] if link["rel"] == rel]


def features_of(client: FlaskClient) -> list[dict[str, Any]]:
    return list(client.application.extensions["atlas"].features)


def expected(client: FlaskClient, **params: str | list[str]) -> list[dict[str, Any]]:
    """The register's features that pass the shared filter."""
    atlas = client.application.extensions["atlas"]
    return apply_filter(atlas.features, parse_filter(params, choices=atlas.choices))


def all_pages(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    """Every feature, following the next links."""
    found: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = body(get(client, next_url))
        found += page["features"]
        following = links(page, "next")
        next_url = following[0]["href"] if following else None
    return found


# Landing page -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api", "/api/"])
def test_core_root_op(client: FlaskClient, url: str) -> None:
    """/conf/core/root-op: the landing page answers GET at the API's root."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/json"


def test_core_root_success(client: FlaskClient) -> None:
    """/conf/core/root-success: links to the API definition, conformance and collections."""
    landing = body(client.get("/api"))
    types = {link["rel"]: link["type"] for link in landing["links"]}
    assert types["service-desc"] == OPENAPI_JSON
    assert types["service-doc"] == "text/html"
    assert types["conformance"] == types["data"] == "application/json"
    assert links(landing, "self")[0]["href"] == "http://localhost/api"
    for link in landing["links"]:
        response = get(client, link["href"])
        assert response.status_code == 200, link
        assert response.mimetype == link["type"].split(";")[0], link


# API definition -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(real_app: Any) -> dict[str, Any]:
    response = real_app.test_client().get("/api/openapi")
    assert response.status_code == 200
    assert response.mimetype == OPENAPI_JSON.split(";")[0]
    document: dict[str, Any] = response.get_json(force=True)
    return document


def test_core_api_definition_success(openapi: dict[str, Any]) -> None:
    """/conf/core/api-definition-success and /conf/oas30/oas-definition-1: a valid OpenAPI
    3.0 document."""
    from openapi_spec_validator import validate

    validate(openapi)
    assert openapi["openapi"].startswith("3.0.")
    assert openapi["servers"] == [{"url": "http://localhost/api"}]


def test_oas30_completeness(client: FlaskClient, openapi: dict[str, Any]) -> None:
    """/conf/oas30/completeness: every resource is in the document and every path answers."""
    paths = openapi["paths"]
    for cid in COLLECTION_IDS:
        for suffix in ("", "/items", "/items/{featureId}", "/queryables"):
            assert f"/collections/{cid}{suffix}" in paths
    for path in paths:
        if "{featureId}" in path:
            items = "/api" + path.removesuffix("/{featureId}")
            first = body(client.get(f"{items}?limit=1"))["features"][0]["id"]
            path = path.replace("{featureId}", first)
        assert client.get("/api" + path).status_code == 200, path


def test_oas30_parameters_are_those_accepted(client: FlaskClient, openapi: dict[str, Any]) -> None:
    """/conf/oas30/oas-impl: each items path lists exactly the parameters its items take."""
    catalogue = client.application.extensions["atlas"].caches["api"]
    for collection in catalogue:
        operation = openapi["paths"][f"/collections/{collection.id}/items"]["get"]
        names = [parameter["name"] for parameter in operation["parameters"]]
        assert sorted(names) == sorted(
            ["limit", "offset", "bbox", "datetime", "f", "lang", *collection.filter_keys]
        )


def test_oas30_exceptions_codes(openapi: dict[str, Any]) -> None:
    """/conf/oas30/exceptions-codes: errors are declared as problem details."""
    for path in openapi["paths"].values():
        responses = path["get"]["responses"]
        assert "application/problem+json" in responses["400"]["content"]


# Conformance --------------------------------------------------------------------------------


def test_core_conformance_success(client: FlaskClient) -> None:
    """/conf/core/conformance-op and -success: the classes implemented, by their URIs."""
    declared = body(client.get("/api/conformance"))["conformsTo"]
    assert declared == list(CONFORMANCE)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in declared
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables" in declared


# Collections --------------------------------------------------------------------------------


def test_core_fc_md_success(client: FlaskClient) -> None:
    """/conf/core/fc-md-op, -success, -links and -items: every collection, with items links."""
    document = body(client.get("/api/collections"))
    assert links(document, "self")[0]["type"] == "application/json"
    assert [c["id"] for c in document["collections"]] == list(COLLECTION_IDS)
    for collection in document["collections"]:
        assert collection["title"]
        assert collection["itemType"] == "feature"
        items = {link["type"]: link["href"] for link in links(collection, "items")}
        assert set(items) == {GEOJSON, "text/html", "text/csv; charset=utf-8"}
        assert get(client, items[GEOJSON]).mimetype == GEOJSON


def test_core_fc_md_extent(client: FlaskClient) -> None:
    """/conf/core/fc-md-extent: the bbox of the placed features (CRS84) and the span of the
    project periods."""
    features = features_of(client)
    document = body(client.get("/api/collections/projects"))
    placed = [shape(f["geometry"]) for f in features if f["geometry"]]
    spatial = document["extent"]["spatial"]
    assert spatial["crs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert spatial["bbox"][0] == pytest.approx(list(shapely.total_bounds(placed)), abs=1e-6)
    starts = [f["properties"]["period_start"] for f in features if f["properties"]["period_start"]]
    ends = [f["properties"]["period_end"] for f in features if f["properties"]["period_end"]]
    assert document["extent"]["temporal"]["interval"] == [[min(starts), max(ends)]]


def test_core_sfc_md_success(client: FlaskClient) -> None:
    """/conf/core/sfc-md-op and -success: each collection as listed in /collections."""
    listed = {c["id"]: c for c in body(client.get("/api/collections"))["collections"]}
    for cid, description in listed.items():
        single = body(client.get(f"/api/collections/{cid}"))
        assert {k: v for k, v in single.items() if k != "links"} == {
            k: v for k, v in description.items() if k != "links"
        }
        assert links(single, "self")[0]["href"] == f"http://localhost/api/collections/{cid}"


def test_a_filtered_collection_carries_its_filter_to_the_items(client: FlaskClient) -> None:
    """``/collections/projects?county=…`` (how GDAL opens a filtered collection): its items
    links hold the filter; a bad value is refused there already."""
    document = body(client.get("/api/collections/projects?county=台南市&status=behind"))
    items = next(link for link in links(document, "items") if link["type"] == GEOJSON)
    page = body(get(client, items["href"]))
    assert page["numberMatched"] == len(expected(client, county="臺南市", status="behind"))
    assert client.get("/api/collections/projects?county=東京都").status_code == 400
    assert client.get("/api/collections/water?layer=energy").status_code == 400


def test_unknown_collection_is_404(client: FlaskClient) -> None:
    response = client.get("/api/collections/roads/items")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert "no collection 'roads'" in response.get_json(force=True)["detail"]


# Items --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cid", COLLECTION_IDS)
def test_core_fc_op(client: FlaskClient, cid: str) -> None:
    """/conf/core/fc-op and /conf/core/fc-response: a GeoJSON FeatureCollection per
    collection."""
    response = client.get(f"/api/collections/{cid}/items")
    assert response.mimetype == GEOJSON
    collection = body(response)
    assert collection["type"] == "FeatureCollection"
    assert all(f["type"] == "Feature" and "id" in f for f in collection["features"])


def test_core_fc_limit_definition(openapi: dict[str, Any]) -> None:
    """/conf/core/fc-limit-definition: limit is an integer from 1, default 10. The standard's
    maximum is an example: a larger limit is read as 10,000 (/rec/core/fc-limit-response-1),
    so the schema declares none and the description says so — a client may send any."""
    operation = openapi["paths"]["/collections/projects/items"]["get"]
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "default": 10}
    assert "above 10000 is read as 10000" in limit["description"]
    assert (limit["in"], limit["required"], limit["style"], limit["explode"]) == (
        "query",
        False,
        "form",
        False,
    )


@pytest.mark.parametrize(("limit", "returned"), [(None, 10), ("1", 1), ("25", 25)])
def test_core_fc_limit_response(client: FlaskClient, limit: str | None, returned: int) -> None:
    """/conf/core/fc-limit-response: at most ``limit`` items (default 10)."""
    url = "/api/collections/projects/items" + (f"?limit={limit}" if limit else "")
    page = body(client.get(url))
    assert page["numberReturned"] == len(page["features"]) == returned


def test_core_fc_limit_response_caps_a_large_limit(client: FlaskClient) -> None:
    """A limit above the maximum is capped, not refused: here everything fits."""
    page = body(client.get("/api/collections/projects/items?limit=50000"))
    assert page["numberReturned"] == page["numberMatched"] == len(features_of(client))


def test_core_fc_bbox_definition(openapi: dict[str, Any]) -> None:
    """/conf/core/fc-bbox-definition: bbox is a form-style array of 4 or 6 numbers."""
    operation = openapi["paths"]["/collections/projects/items"]["get"]
    bbox = next(p for p in operation["parameters"] if p["name"] == "bbox")
    assert bbox["schema"]["type"] == "array"
    assert bbox["schema"]["items"] == {"type": "number"}
    assert (bbox["style"], bbox["explode"]) == ("form", False)


@pytest.mark.parametrize(
    "bbox",
    ["120.0,22.9,120.35,23.4", "120.0,22.9,-10,120.35,23.4,500", "119,21.5,122.5,26.5", "0,0,1,1"],
)
def test_core_fc_bbox_response(small_client: FlaskClient, bbox: str) -> None:
    """/conf/core/fc-bbox-response: the items whose geometry meets the box; an item with no
    geometry never does."""
    numbers = [float(n) for n in bbox.split(",")]
    box = shapely.box(*(numbers if len(numbers) == 4 else numbers[:2] + numbers[3:5]))
    inside = [
        f["id"]
        for f in features_of(small_client)
        if f["geometry"] and shape(f["geometry"]).intersects(box)
    ]
    page = body(small_client.get(f"/api/collections/projects/items?bbox={bbox}&limit=100"))
    assert [f["id"] for f in page["features"]] == inside
    assert all(f["geometry"] for f in page["features"])


def test_core_fc_bbox_response_counties(client: FlaskClient) -> None:
    """The counties collection takes a bbox too: a point in 臺南市 finds its polygon."""
    page = body(client.get("/api/collections/counties/items?bbox=120.2,23.0,120.21,23.01"))
    assert [f["properties"]["county"] for f in page["features"]] == ["臺南市"]


def test_core_fc_time_definition(openapi: dict[str, Any]) -> None:
    """/conf/core/fc-time-definition: datetime is a single string parameter; its pattern is
    the one the server reads with (RFC 3339 instants and intervals, days that exist)."""
    operation = openapi["paths"]["/collections/water/items"]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "datetime")
    assert set(parameter["schema"]) == {"type", "pattern"}
    assert parameter["schema"]["type"] == "string"
    assert (parameter["in"], parameter["required"]) == ("query", False)
    pattern = re.compile(parameter["schema"]["pattern"])
    for good in ("2021-05-01", "2024-02-29", "2021-05-01T08:00:00Z", "../2021-12-31"):
        assert pattern.match(good), good
    for bad in ("2021-02-29", "2021-13-01", "2021-05-01T08:00:00", "../..", "yesterday"):
        assert not pattern.match(bad), bad


@pytest.mark.parametrize(
    ("datetime_", "ids"),
    [
        ("2020-06-01", ["p1"]),
        ("2019-01-01", ["p1"]),  # the first day counts
        ("2018-12-31", []),
        ("2018-12-31T16:00:00Z", ["p1"]),  # midnight in Taipei
        ("../2018-12-31", []),
        ("2024-12-31/..", ["p1"]),
        ("2025-01-01/..", []),
        ("2010-01-01/2030-12-31", ["p1"]),
    ],
)
def test_core_fc_time_response(small_client: FlaskClient, datetime_: str, ids: list[str]) -> None:
    """/conf/core/fc-time-response: the items whose period meets the instant or interval; an
    item with no period never does (only p1 has one: 2019-01-01 to 2024-12-31)."""
    page = body(small_client.get(f"/api/collections/projects/items?datetime={datetime_}"))
    assert [f["id"] for f in page["features"]] == ids


def test_core_fc_time_response_real(client: FlaskClient) -> None:
    features = features_of(client)
    running = [
        f["id"]
        for f in features
        if (f["properties"]["period_start"] or "0") <= "2021-12-31"
        and (f["properties"]["period_end"] or "9") >= "2021-01-01"
        and (f["properties"]["period_start"] or f["properties"]["period_end"])
    ]
    found = all_pages(
        client, "/api/collections/projects/items?datetime=2021-01-01/2021-12-31&limit=100"
    )
    assert [f["id"] for f in found] == running
    assert running


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"county": "臺南市"},
        {"county": ["臺南市", "高雄市"]},
        {"layer": "water", "status": "behind"},
        {"program": "水環境建設"},
        {"year": "110"},
        {"precision": "6"},
        {"q": "水庫"},
        {"budget_min": "100000000"},
    ],
)
def test_core_fc_number_matched(client: FlaskClient, params: dict[str, str | list[str]]) -> None:
    """/conf/core/fc-numberMatched and -numberReturned: the shared filter's count, every page
    of it through the next links, in register order."""
    wanted = [f["id"] for f in expected(client, **params)]
    query = "&".join(
        f"{key}={value}"
        for key, values in params.items()
        for value in ([values] if isinstance(values, str) else values)
    )
    first = body(client.get(f"/api/collections/projects/items?limit=50&{query}"))
    assert first["numberMatched"] == len(wanted)
    assert first["numberReturned"] == len(first["features"]) == min(50, len(wanted))
    found = all_pages(client, f"/api/collections/projects/items?limit=50&{query}")
    assert [f["id"] for f in found] == wanted


def test_core_fc_links(client: FlaskClient) -> None:
    """/conf/core/fc-links: self, alternate, next and prev keep every other parameter."""
    url = "/api/collections/projects/items?county=%E8%87%BA%E5%8D%97%E5%B8%82&limit=3&offset=3"
    page = body(client.get(url))
    assert links(page, "self")[0]["href"] == "http://localhost" + url
    assert {link["type"] for link in links(page, "alternate")} == {"text/html", "text/csv"}
    for rel, offset in (("next", {"offset": "6"}), ("prev", {})):
        query = dict(parse_qsl(urlsplit(links(page, rel)[0]["href"]).query))
        assert query == {"county": "臺南市", "limit": "3", **offset}
    last = body(client.get("/api/collections/projects/items?limit=10000"))
    assert not links(last, "next")
    assert not links(last, "prev")


def test_core_fc_timestamp(client: FlaskClient) -> None:
    """/conf/core/fc-timeStamp: when the response was made, RFC 3339."""
    stamp = body(client.get("/api/collections/water/items"))["timeStamp"]
    made = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert stamp.endswith("Z")
    assert abs(datetime.now(UTC) - made) < timedelta(minutes=1)


def test_layer_collections_hold_their_layer(client: FlaskClient) -> None:
    features = features_of(client)
    for layer in COLLECTION_IDS[1:-1]:
        page = body(client.get(f"/api/collections/{layer}/items?limit=10000"))
        assert [f["id"] for f in page["features"]] == [
            f["id"] for f in features if f["properties"]["layer"] == layer
        ]


def test_counties_items_are_the_county_totals(client: FlaskClient) -> None:
    totals = aggregate_counties(features_of(client)).counties
    page = body(client.get("/api/collections/counties/items?limit=100"))
    assert page["numberMatched"] == 22
    for county in page["features"]:
        props = county["properties"]
        assert props["all_projects"] == totals[props["county"]]["all_projects"]
        assert county["id"] == props["county_code"]
    tainan = body(client.get("/api/collections/counties/items?county=台南市"))
    assert [f["properties"]["county"] for f in tainan["features"]] == ["臺南市"]


# Feature ------------------------------------------------------------------------------------


def test_core_f_success(small_client: FlaskClient) -> None:
    """/conf/core/f-op and -success: each item by its id, with self and collection links;
    a project with no place has null geometry."""
    for feature in features_of(small_client):
        response = small_client.get(f"/api/collections/projects/items/{feature['id']}")
        assert response.mimetype == GEOJSON
        item = body(response)
        assert item["id"] == feature["id"]
        assert (item["geometry"] is None) == (feature["geometry"] is None)
        assert links(item, "self")[0]["href"].endswith(f"/items/{feature['id']}")
        assert links(item, "collection")[0]["href"] == "http://localhost/api/collections/projects"
    national = body(small_client.get("/api/collections/energy/items/p4"))
    assert national["geometry"] is None
    assert national["properties"]["location_note"] == "nationwide"


@pytest.mark.parametrize(
    "url",
    [
        "/api/collections/projects/items/p404",
        "/api/collections/water/items/p3",  # an energy project
        "/api/collections/counties/items/p1",
    ],
)
def test_core_f_op_unknown_id_is_404(small_client: FlaskClient, url: str) -> None:
    response = small_client.get(url)
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert "no item" in response.get_json(force=True)["detail"]


# Parameters and errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api?foo=1",
        "/api/conformance?foo=1",
        "/api/collections?limit=5",
        "/api/collections/projects?foo=1",
        "/api/collections/projects/items?foo=1",
        "/api/collections/water/items?layer=energy",
        "/api/collections/counties/items?town=新營區",
        "/api/collections/projects/items/p1?foo=1",
        "/api/collections/projects/queryables?foo=1",
    ],
)
def test_core_query_param_unknown(small_client: FlaskClient, url: str) -> None:
    """/conf/core/query-param-unknown: an unknown parameter is a 400 naming it."""
    response = small_client.get(url)
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    name = urlsplit(url).query.split("=")[0]
    assert f"unknown parameter {name!r}" in response.get_json(force=True)["detail"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=0", "'limit'"),
        ("limit=x", "'limit'"),
        ("offset=-1", "'offset'"),
        ("bbox=1,2,3", "bbox"),
        ("datetime=2021-02-30", "datetime"),
        ("county=東京都", "county"),
        ("status=late", "status"),
        ("year=abc", "'year'"),
        ("precision=5", "precision"),
        ("town=新營區&town=旗山區", "'town'"),
        ("f=xml", "'f'"),
    ],
)
def test_core_query_param_invalid(small_client: FlaskClient, query: str, named: str) -> None:
    """/conf/core/query-param-invalid: a bad value is a 400 naming the parameter."""
    response = small_client.get(f"/api/collections/projects/items?{query}")
    assert response.status_code == 400
    problem = response.get_json(force=True)
    assert response.mimetype == PROBLEM
    assert set(problem) == {"type", "title", "status", "detail"}
    assert problem["status"] == 400
    assert named in problem["detail"]


@pytest.mark.parametrize(
    "query",
    ["bbox=120,23,121,22", "datetime=2022-01-01/2021-01-01", "budget_min=5&budget_max=1"],
)
def test_a_range_that_holds_nothing_matches_nothing(small_client: FlaskClient, query: str) -> None:
    """A south edge north of the north edge, a period that ends before it starts, a lowest
    budget above the highest: what the schema allows is answered, literally — nothing."""
    response = small_client.get(f"/api/collections/projects/items?{query}")
    assert response.status_code == 200
    collection = response.get_json(force=True)
    assert (collection["numberMatched"], collection["features"]) == (0, [])


# Encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("*/*", GEOJSON),
        ("application/geo+json", GEOJSON),
        ("application/json", GEOJSON),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("text/csv", "text/csv"),
    ],
)
def test_core_f_negotiation(small_client: FlaskClient, accept: str, mimetype: str) -> None:
    """The format follows the Accept header when there is no f."""
    response = small_client.get("/api/collections/projects/items", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_geojson_content(small_client: FlaskClient, register: dict[str, Any]) -> None:
    """/conf/geojson/definition and /conf/geojson/content: application/geo+json, RFC 7946
    features as exported (6 decimals, a reason on every unplaced project)."""
    response = small_client.get("/api/collections/projects/items?limit=100")
    assert response.mimetype == GEOJSON
    page = body(response)
    stream = io.StringIO()
    export(register["features"], "geojson", stream)
    assert page["features"] == json.loads(stream.getvalue())["features"]
    assert page["features"][0]["geometry"]["coordinates"] == [120.312346, 23.309877]


def test_csv_is_the_export_of_the_same_filter(client: FlaskClient) -> None:
    """``f=csv`` is the CSV export of the page: here the whole filtered selection."""
    response = client.get("/api/collections/projects/items?county=臺南市&limit=10000&f=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    stream = io.StringIO()
    export(expected(client, county="臺南市"), "csv", stream)
    assert response.get_data(as_text=True) == stream.getvalue()
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert (
        len(rows)
        == body(client.get("/api/collections/projects/items?county=臺南市"))["numberMatched"]
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api",
        "/api/conformance",
        "/api/openapi",
        "/api/collections",
        "/api/collections/projects",
        "/api/collections/projects/items",
        "/api/collections/counties/items",
        "/api/collections/projects/items/p1",
        "/api/collections/counties/items/67000",
        "/api/collections/projects/queryables",
    ],
)
def test_html_content(small_client: FlaskClient, url: str) -> None:
    """/conf/html/definition and /conf/html/content: every resource as an HTML page."""
    response = small_client.get(url, query_string={"f": "html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<h1>" in response.get_data(as_text=True)


def test_html_is_escaped(tmp_path: Path, register: dict[str, Any]) -> None:
    """Names and parameters reach the pages escaped (Jinja autoescape)."""
    from webapp import create_app

    register["features"][0]["properties"]["name"] = "<script>alert(1)</script>水庫"
    (tmp_path / "projects.geojson").write_text(json.dumps(register), encoding="utf-8")
    client = create_app({"TESTING": True, "ATLAS_BUILD": tmp_path}).test_client()
    for url in (
        "/api/collections/projects/items?f=html&q=<script>",
        "/api/collections/projects/items/p1?f=html",
    ):
        text = client.get(url).get_data(as_text=True)
        assert "<script>" not in text
        assert "&lt;script&gt;" in text
