"""The ``counties`` collection totals the projects that pass a project filter.

Expected values are counted here from the register through the shared filter, by the rules
of :mod:`layers.aggregate` (a project counts in each county it lies in; a nationwide
programme in none), never written down from the real build.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from geo.counties import normalise_place_name
from layers.aggregate import aggregate_counties
from layers.classify import Layer
from layers.filters import ProjectFilter, apply_filter, parse_filter
from webapp import create_app
from webapp.api_collections import COUNTY_TOTAL_KEYS
from webapp.api_query import ItemsQuery

PROBLEM = "application/problem+json"
TOTALLED = "The rows total only the projects that match."


def page(client: FlaskClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    document: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return document


def chosen(client: FlaskClient, params: dict[str, str]) -> list[dict[str, Any]]:
    atlas = client.application.extensions["atlas"]
    return apply_filter(atlas.features, parse_filter(params, choices=atlas.choices))


def per_county(features: list[dict[str, Any]]) -> Counter[str]:
    """How many of the projects lie in each county (nationwide programmes in none)."""
    counts: Counter[str] = Counter()
    for feature in features:
        props = feature["properties"]
        if props["place_bound"] is False or props["precision"] == 6:
            continue
        counts.update({normalise_place_name(c) for c in props["counties"]})
    return counts


def local(url: str) -> str:
    """An absolute link as a path and query for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def rows(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["county"]: f["properties"] for f in document["features"]}


@pytest.mark.parametrize(
    "params",
    [
        {"layer": "water", "status": "behind"},
        {"layer": "energy"},
        {"program": "水環境建設"},
        {"year": "110"},
        {"precision": "3"},
        {"q": "水庫"},
        {"budget_min": "100000000"},
        {"budget_max": "50000000", "status": "on_track"},
    ],
)
def test_county_rows_total_the_filtered_projects(
    client: FlaskClient, params: dict[str, str]
) -> None:
    """Every county row counts the projects that pass the filter, all 22 rows in the file's
    order; every measure is the aggregate of that selection."""
    selection = chosen(client, params)
    query = "&".join(f"{key}={value}" for key, value in params.items())
    document = page(client, f"/api/collections/counties/items?limit=100&{query}")
    whole = page(client, "/api/collections/counties/items?limit=100")
    assert document["numberMatched"] == 22
    assert [f["id"] for f in document["features"]] == [f["id"] for f in whole["features"]]
    counts = per_county(selection)
    aggregates = aggregate_counties(selection).counties
    for county, props in rows(document).items():
        assert props["all_projects"] == counts[county], county
        assert {k: v for k, v in props.items() if k in aggregates[county]} == aggregates[county]


def test_a_filter_changes_the_totals(client: FlaskClient) -> None:
    """Guard against a vacuous pass: the filtered totals differ from the register's, and
    some county holds a matching project."""
    filtered = rows(page(client, "/api/collections/counties/items?limit=100&layer=water"))
    whole = rows(page(client, "/api/collections/counties/items?limit=100"))
    assert any(row["all_projects"] for row in filtered.values())
    assert any(filtered[c]["all_projects"] < whole[c]["all_projects"] for c in whole)
    assert all(row["energy_projects"] == 0 for row in filtered.values())


def test_county_picks_rows_and_the_rest_picks_projects(small_client: FlaskClient) -> None:
    """``county`` names the rows; a shared project still counts in each of its counties."""
    both = page(
        small_client, "/api/collections/counties/items?county=台南市&county=高雄市&status=behind"
    )
    assert rows(both)["臺南市"]["all_projects"] == 2  # p1 and p7 (p4 is nationwide)
    assert rows(both)["高雄市"]["all_projects"] == 0
    on_track = rows(page(small_client, "/api/collections/counties/items?status=on_track&limit=30"))
    assert (
        on_track["臺南市"]["all_shared_projects"] == on_track["高雄市"]["all_shared_projects"] == 1
    )
    assert sum(row["all_projects"] for row in on_track.values()) == 2  # p2, in both


def test_listing_the_collections_neither_reads_the_polygons_nor_totals(small_build: Path) -> None:
    """The list of collections gives the counties' extent, read from the boundary file by
    GEOS: the polygons (GDAL, pandas) are read and every project totalled only when the county
    rows are first asked for, and the extent is theirs."""
    app = create_app({"ATLAS_BUILD": small_build})
    client, atlas = app.test_client(), app.extensions["atlas"]
    listed = client.get("/api/collections").get_json()
    rows = atlas.caches["api"].get("counties").rows
    assert "counties" not in vars(atlas)
    assert not {"totals", "features"} & set(vars(rows))
    extent = next(c for c in listed["collections"] if c["id"] == "counties")["extent"]
    assert client.get("/api/collections/counties/items").status_code == 200
    assert {"totals", "features"} <= set(vars(rows))
    polygons = atlas.counties.total_bounds
    assert extent["spatial"]["bbox"] == [[float(v) for v in polygons]]


def test_only_a_project_filter_recomputes_the_rows(small_client: FlaskClient) -> None:
    """No project filter (``county`` alone included) takes the prepared rows and their bytes;
    a project filter totals afresh, and those rows are encoded as they are."""
    assert small_client.get("/api/collections").status_code == 200  # prepares the catalogue
    counties = small_client.application.extensions["atlas"].caches["api"].get("counties")
    prepared = counties.select(ItemsQuery(limit=30))
    assert all(a is b for a, b in zip(prepared, counties.rows.features, strict=True))
    tainan = counties.select(ItemsQuery(filter=ProjectFilter(counties=("臺南市",))))
    assert tainan == [counties.item("67000")]
    assert tainan[0] is counties.item("67000")
    water = counties.select(ItemsQuery(filter=ProjectFilter(layers=(Layer.WATER,))))
    assert len(water) == 22
    assert all(row is not counties.item(row["id"]) for row in water)
    for selection in (water, prepared):
        assert json.loads(counties.encode(selection)) == json.loads(json.dumps(selection))


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("layer=roads", "layer"),
        ("status=late", "status"),
        ("year=abc", "'year'"),
        ("precision=5", "precision"),
        ("program=不存在的計畫", "program"),
        ("budget_min=-1", "budget_min"),
        ("town=新營區", "unknown parameter 'town'"),
        ("q=a&q=b", "'q'"),
    ],
)
def test_a_bad_filter_is_a_problem(small_client: FlaskClient, query: str, named: str) -> None:
    for url in ("/api/collections/counties/items", "/api/collections/counties"):
        response = small_client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert response.mimetype == PROBLEM
        problem = response.get_json(force=True)
        assert set(problem) == {"type", "title", "status", "detail"}
        assert named in problem["detail"]


def test_paging_links_carry_the_filter(client: FlaskClient) -> None:
    url = "/api/collections/counties/items?layer=water&status=behind&limit=5"
    found: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        document = page(client, next_url)
        found += document["features"]
        for link in document["links"]:
            if link["rel"] in ("self", "next", "prev", "alternate"):
                query = parse_qs(urlsplit(link["href"]).query)
                assert (query["layer"], query["status"]) == (["water"], ["behind"]), link
        following = [link["href"] for link in document["links"] if link["rel"] == "next"]
        next_url = local(following[0]) if following else None
    counts = per_county(chosen(client, {"layer": "water", "status": "behind"}))
    assert len(found) == 22
    assert {f["properties"]["county"]: f["properties"]["all_projects"] for f in found} == {
        county: counts[county] for county in rows({"features": found})
    }


def test_a_filtered_collection_says_what_its_totals_cover(client: FlaskClient) -> None:
    """``/collections/counties?layer=water`` (how GDAL opens a filtered collection): its
    description names the filter and its items links carry it."""
    plain = client.get("/api/collections/counties").get_json()
    assert plain is not None
    assert "of every project of the register" in plain["description"]
    assert all(key in plain["description"] for key in COUNTY_TOTAL_KEYS)
    document = client.get("/api/collections/counties?layer=water&county=臺南市").get_json()
    assert document is not None
    assert document["description"].endswith("Here: the projects where layer=water.")
    items = next(
        link["href"]
        for link in document["links"]
        if link["rel"] == "items" and link["type"] == "application/geo+json"
    )
    assert parse_qs(urlsplit(items).query) == {"layer": ["water"], "county": ["臺南市"]}
    tainan = page(client, local(items))
    assert [f["properties"]["all_projects"] for f in tainan["features"]] == [
        per_county(chosen(client, {"layer": "water"}))["臺南市"]
    ]


def test_openapi_and_queryables_describe_the_totals(client: FlaskClient) -> None:
    openapi = client.get("/api/openapi").get_json(force=True)
    operation = openapi["paths"]["/collections/counties/items"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(COUNTY_TOTAL_KEYS) <= set(parameters)
    assert "town" not in parameters
    assert parameters["layer"]["description"].endswith(TOTALLED)
    assert parameters["q"]["description"].endswith(TOTALLED)
    assert parameters["county"]["description"].startswith("County: The county of the row")
    described = openapi["paths"]["/collections/counties"]["get"]["parameters"]
    assert {p["name"] for p in described} == {"f", "lang", "county", *COUNTY_TOTAL_KEYS}
    one = openapi["paths"]["/collections/counties/items/{featureId}"]["get"]["parameters"]
    assert {p["name"] for p in one} == {"f", "lang", "featureId", *COUNTY_TOTAL_KEYS}
    project = openapi["paths"]["/collections/projects/items/{featureId}"]["get"]["parameters"]
    assert {p["name"] for p in project} == {"f", "lang", "featureId"}
    schema = client.get("/api/collections/counties/queryables").get_json(force=True)
    assert set(schema["properties"]) == {"county", "geometry"}
    assert "layer, program, status" in schema["description"]


def test_html_items_say_what_the_totals_cover(small_client: FlaskClient) -> None:
    text = small_client.get("/api/collections/counties/items?f=html&layer=water").get_data(
        as_text=True
    )
    assert "Totals of the projects where" in text
    assert "<code>layer=water</code>" in text
    plain = small_client.get("/api/collections/counties/items?f=html").get_data(as_text=True)
    assert "Totals of every project of the register" in plain


def test_a_county_item_takes_the_filter_of_its_totals(client: FlaskClient) -> None:
    """``/counties/items/{id}?layer=water`` is that county's row of the filtered items, and
    the filtered HTML items page links to it."""
    listed = page(client, "/api/collections/counties/items?layer=water&county=臺南市")
    (row,) = listed["features"]
    item = page(client, f"/api/collections/counties/items/{row['id']}?layer=water")
    assert item["properties"] == row["properties"]
    assert (
        item["properties"]["all_projects"]
        == per_county(chosen(client, {"layer": "water"}))["臺南市"]
    )
    whole = page(client, f"/api/collections/counties/items/{row['id']}")
    assert (
        whole["properties"]
        == rows(page(client, "/api/collections/counties/items?limit=30"))["臺南市"]
    )
    text = client.get("/api/collections/counties/items?layer=water&f=html&limit=30").get_data(
        as_text=True
    )
    assert f'href="/api/collections/counties/items/{row["id"]}?layer=water&amp;f=html"' in text
    html_item = client.get(f"/api/collections/counties/items/{row['id']}?layer=water&f=html")
    assert "Totals of the projects where" in html_item.get_data(as_text=True)


@pytest.mark.parametrize("query", ["town=新營區", "layer=roads", "limit=5"])
def test_a_county_item_refuses_what_it_does_not_take(small_client: FlaskClient, query: str) -> None:
    response = small_client.get(f"/api/collections/counties/items/67000?{query}")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM


def test_project_items_take_no_filter(small_client: FlaskClient) -> None:
    response = small_client.get("/api/collections/projects/items/p1?layer=water")
    assert response.status_code == 400
    assert "unknown parameter 'layer'" in response.get_json(force=True)["detail"]


def test_every_county_figure_adds_up_to_the_placed_total(client: FlaskClient) -> None:
    """The API's county rows and the page's choropleth (the county amounts it shows) count each
    NT$ of a placed project once: the rows add up to the placed national total, on the real
    register, for the whole register and for a filter."""
    from layers.aggregate import aggregate_counties
    from layers.filters import apply_filter, parse_filter
    from webapp.formatting import format_twd
    from webapp.mapdata import choropleth_classes

    atlas = client.application.extensions["atlas"]
    for query in ({}, {"layer": ["water"]}, {"status": ["behind"]}):
        chosen = apply_filter(atlas.features, parse_filter(query, choices=atlas.choices))
        placed = aggregate_counties(chosen).placed["all_legal_twd"]
        args = "&".join(f"{k}={v[0]}" for k, v in query.items())
        rows = client.get(f"/api/collections/counties/items?limit=100&{args}").get_json(force=True)
        assert sum(f["properties"]["all_legal_twd"] for f in rows["features"]) == placed
        shares = aggregate_counties(chosen).counties
        choropleth = choropleth_classes(chosen, "legal", lang="zh")
        assert choropleth.amounts == {
            county: format_twd(row["all_legal_twd"], "zh") for county, row in shares.items()
        }
        assert sum(row["all_legal_twd"] for row in shares.values()) == placed
