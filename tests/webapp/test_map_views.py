"""The map page, county pages, popups and downloads through Flask's test client.

Expected values come from the filter itself (:func:`layers.filters.apply_filter`) or from the
small register of ``tests/conftest.py``, never from counts of the real build.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.etree
import lxml.html
import pyogrio
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from geo.counties import COUNTY_NAMES
from layers.filters import apply_filter, format_filter, parse_filter
from tests.webapp.conftest import STORES, app_of
from webapp import create_app
from webapp.formatting import format_pct as fmt_pct
from webapp.formatting import format_twd as fmt_twd
from webapp.state import PAGE_SIZE


def _html(response: TestResponse) -> Any:
    return lxml.html.fromstring(response.get_data(as_text=True))


def _one(doc: Any, xpath: str) -> Any:
    found = doc.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    return found[0]


def _table_ids(doc: Any) -> list[str]:
    return [str(row) for row in doc.xpath('//table[@id="results"]/tbody/tr/@data-id')]


def _count(doc: Any) -> int:
    return int(_one(doc, '//*[@id="summary"]/@data-count'))


def _download(doc: Any, fmt: str) -> str:
    return str(_one(doc, f'//*[@id="downloads"]//a[@data-format="{fmt}"]/@href'))


def _marker_ids(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/markers.json?{query}")
    assert response.status_code == 200
    return list(dict.fromkeys(row[0] for row in response.json["rows"]))  # type: ignore[index]


def _geojson_ids(client: FlaskClient, href: str) -> list[str]:
    response = client.get(href)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    return [feature["id"] for feature in json.loads(response.data)["features"]]


# --- every filter parameter, on the small register -------------------------------------------

FILTERS = [
    ("", ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]),
    ("county=台南市", ["p1", "p2", "p7"]),
    ("county=臺南市&county=臺中市", ["p1", "p2", "p6", "p7"]),
    ("town=旗山區", ["p2"]),
    ("town=臺南市 楠西區", ["p1"]),
    ("program=綠能建設", ["p3", "p4"]),
    ("layer=energy", ["p3", "p4"]),
    ("layer=water&layer=disaster", ["p1", "p2", "p7"]),
    ("year=110", ["p1", "p2", "p4", "p5", "p6", "p7"]),
    ("year=2020", ["p1", "p3"]),
    ("status=behind", ["p1", "p4", "p7"]),
    ("precision=3", ["p3", "p7"]),
    ("q=台電", ["p3"]),
    ("q=曾文防淤", ["p1"]),
    ("budget_min=100000000", ["p1", "p3", "p4"]),
    ("budget_max=30000000", ["p6", "p7"]),
    ("budget_min=1&budget_max=50,000,000", ["p2", "p6", "p7"]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_every_filter_drives_table_summary_markers_and_downloads(
    small_client: FlaskClient, register: dict[str, Any], query: str, expected: list[str]
) -> None:
    atlas = small_client.application.extensions["atlas"]
    params = parse_qs(query)
    assert [f["id"] for f in apply_filter(register["features"], atlas_filter(atlas, params))] == (
        expected
    )
    response = small_client.get(f"/?{query}")
    assert response.status_code == 200
    doc = _html(response)
    assert _table_ids(doc) == expected
    assert _count(doc) == len(expected)
    placed = [f["id"] for f in register["features"] if f["geometry"] and f["id"] in expected]
    assert _marker_ids(small_client, query) == placed
    assert _geojson_ids(small_client, _download(doc, "geojson")) == expected
    off_map = [i for i in expected if i not in placed]
    assert int(_one(doc, "//*[@data-off-map]/@data-off-map")) == len(off_map)


def atlas_filter(atlas: Any, params: dict[str, list[str]]) -> Any:
    return parse_filter(params, choices=atlas.choices)


def test_the_form_shows_the_state_it_was_given(small_client: FlaskClient) -> None:
    query = "county=臺南市&town=新營區&program=水環境建設&layer=water&year=2021&status=on_track"
    doc = _html(small_client.get(f"/?{query}&precision=2&q=供水&budget_min=1&budget_max=99999999"))
    form = _one(doc, '//form[@id="filters"]')
    assert form.get("method") == "get"
    selected = {
        select.get("name"): select.xpath(
            "option[@selected]/@value | optgroup/option[@selected]/@value"
        )
        for select in form.xpath(".//select")
    }
    assert selected["county"] == ["臺南市"]
    assert selected["town"] == ["臺南市 新營區"]
    assert selected["program"] == ["水環境建設"]
    assert selected["status"] == ["on_track"]
    assert selected["precision"] == ["2"]
    values = {field.get("name"): field.get("value") for field in form.xpath(".//input[@value]")}
    assert values["year"] == "2021"
    assert values["q"] == "供水"
    assert (values["budget_min"], values["budget_max"]) == ("1", "99999999")
    assert form.xpath('.//input[@name="layer"][@checked]/@value') == ["water"]
    # The towns offered are those of the chosen county.
    assert set(form.xpath('.//select[@name="town"]//option/@value')) == {
        "",
        "臺南市 新營區",
        "臺南市 楠西區",
    }
    for field in form.xpath(".//select | .//input[not(@type='hidden')]"):
        label = form.xpath(f'.//label[@for="{field.get("id")}"]') or field.xpath("ancestor::label")
        assert label, f"{field.get('name')} has no label"


# --- the permalink ----------------------------------------------------------------------------

PERMALINKS = [
    "county=台南市&layer=water&sort=budget&order=desc",
    "status=behind&year=110&lang=en",
    "q=計畫&choropleth=executed&sort=name",
    "budget_min=1,000&page=1",
    "precision=6",
]


@pytest.mark.parametrize("query", PERMALINKS)
def test_permalink_round_trip(client: FlaskClient, query: str) -> None:
    atlas = client.application.extensions["atlas"]
    first = client.get(f"/?{query}")
    assert first.status_code == 200
    doc = _html(first)
    # The filter written back by format_filter gives the same page.
    params = parse_qs(query)
    view = {k: v for k, v in params.items() if k in {"lang", "sort", "order", "choropleth", "page"}}
    canonical = format_filter(
        parse_filter({k: v for k, v in params.items() if k not in view}, choices=atlas.choices)
    )
    again = _html(client.get("/", query_string={**canonical, **view}))
    assert _table_ids(again) == _table_ids(doc)
    assert _count(again) == _count(doc)
    assert _download(again, "csv") == _download(doc, "csv")
    # Every link that changes the view (sort, page, language) keeps the same filter.
    links = doc.xpath(
        '//table[@id="results"]/thead//a/@href | //nav[@class="pager"]/a/@href'
        ' | //a[@id="lang-switch"]/@href'
    )
    assert links
    for href in links:
        linked = parse_qs(urlsplit(href).query)
        linked_filter = {
            k: v
            for k, v in linked.items()
            if k not in {"lang", "sort", "order", "choropleth", "page"}
        }
        assert parse_filter(linked_filter, choices=atlas.choices) == parse_filter(
            canonical, choices=atlas.choices
        )


def test_sorting_and_paging_follow_the_url(client: FlaskClient) -> None:
    atlas = client.application.extensions["atlas"]
    total = len(atlas.features)
    assert total > PAGE_SIZE, "the real build has more than one page"
    doc = _html(client.get("/?sort=budget&order=desc"))
    values = [
        int(v)
        for v in doc.xpath(
            '//table[@id="results"]/tbody/tr/td[@data-column="budget"][@data-value!=""]/@data-value'
        )
    ]
    assert values == sorted(values, reverse=True)
    assert _one(doc, '//th[@data-sort="budget"]/@aria-sort') == "descending"
    rows = _table_ids(doc)
    assert len(rows) == PAGE_SIZE
    nxt = _one(doc, '//nav[@class="pager"]/a[@rel="next"]/@href')
    assert "sort=budget" in nxt
    assert "order=desc" in nxt
    assert "page=2" in nxt
    second = _table_ids(_html(client.get(nxt)))
    assert second
    assert not set(second) & set(rows)
    ascending = _html(client.get("/?sort=name"))
    names = ascending.xpath('//table[@id="results"]/tbody/tr/th/a/text()')
    assert names == sorted(names)
    link = _one(ascending, '//th[@data-sort="name"]/a')
    assert "order=desc" in link.get("href")
    # named like its column (its visible name first), then what a click does
    name = "".join(link.itertext())
    assert name.startswith("名稱")
    assert "遞減" in name


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # in the page's language: Chinese by default
        ("county=東京都", "「縣市」的值「東京都」不是臺灣的縣市（臺北市"),
        ("year=abc", "「年度」的值「abc」不是1912 至 2200 年間的西元年"),
        ("layer=roads", "「圖層」的值「roads」不是下列之一：water"),
        ("status=late", "「執行狀態」的值「late」"),
        ("precision=5", "「位置精確度」的值「5」"),
        ("town=無此區", "「鄉鎮市區」的值「無此區」"),
        ("sort=cost", "「排序欄位」的值「cost」"),
        ("lang=fr", "「語言」的值「fr」不是下列之一：zh, en"),
        ("page=-1", "「頁次」的值「-1」不是1 至 1000000000 的整數"),
        ("colour=red", "沒有「colour」這個參數"),
        ("lang=en&county=東京都", "parameter &#39;county&#39;: &#39;東京都&#39; is not a county"),
        ("lang=en&colour=red", "unknown parameter &#39;colour&#39;; the parameters are: lang"),
    ],
)
def test_a_bad_value_is_a_400_page_with_the_filter_message(
    small_client: FlaskClient, query: str, message: str
) -> None:
    response = small_client.get(f"/?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)
    doc = _html(response)
    assert "filter" in _one(doc, '//*[@role="alert"]').get("id")
    assert doc.xpath('//form[@id="filters"]//select[@name="county"]/option')  # the form is there
    data = small_client.get(f"/markers.json?{query}")
    if "sort" not in query and "lang" not in query and "page" not in query:
        assert data.status_code == 400
        assert data.mimetype == "application/problem+json"


def test_unknown_project_and_boundary_level_are_404(small_client: FlaskClient) -> None:
    assert small_client.get("/project/nope/popup").status_code == 404
    page = small_client.get("/project/<b>nope")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "<b>nope" in _one(_html(page), "//h1").text_content()  # escaped, shown as text
    assert small_client.get("/boundaries/villages.geojson").status_code == 404
    assert small_client.get("/export.shp").status_code == 404


# --- escaping -----------------------------------------------------------------------------------

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def evil_client(tmp_path: Path, register: dict[str, Any]) -> FlaskClient:
    features = register["features"]
    features[0]["properties"]["name"] = EVIL  # placed: popup, table
    features[4]["properties"]["name"] = EVIL + " 2"  # unplaced: the summary's list
    features[4]["properties"]["location_note"] = "<b>note</b>"
    features[0]["properties"]["sources"] = [
        {"document": "<i>doc</i>.txt", "lines": [1, 2], "name": "<u>x</u>"}
    ]
    (tmp_path / "projects.geojson").write_text(json.dumps(register), encoding="utf-8")
    return create_app({"TESTING": True, "ATLAS_BUILD": tmp_path}).test_client()


@pytest.mark.parametrize(
    "url",
    ["/", "/?q=<script>", "/county/臺南市", "/project/p1", "/project/p1/popup", "/?lang=en&q=<img"],
)
def test_names_from_documents_and_queries_are_shown_as_text(
    evil_client: FlaskClient, url: str
) -> None:
    response = evil_client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert "<b>note</b>" not in text
    assert "<i>doc</i>" not in text
    doc = _html(response)
    assert not doc.xpath("//img")
    for script in doc.xpath("//script[not(@src)]"):
        if script.get("type") == "application/json":  # data, never run: < escaped by tojson
            assert "<" not in (script.text or "")
        else:
            assert "alert" not in (script.text or "")
    if url in {"/", "/county/臺南市"}:
        assert EVIL in doc.xpath('//table[@id="results"]//a/text()')
    if url == "/":
        assert EVIL + " 2" in doc.xpath('//*[@id="off-map"]//a/text()')
    if url.startswith("/project/p1"):
        assert EVIL in doc.text_content()
    if url == "/project/p1":
        assert EVIL in _one(doc, "//title").text


# --- county pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["臺南市", "台南市"])
def test_county_page_is_the_filtered_page(small_client: FlaskClient, name: str) -> None:
    response = small_client.get(f"/county/{name}")
    assert response.status_code == 200
    doc = _html(response)
    assert _table_ids(doc) == ["p1", "p2", "p7"]
    assert _count(doc) == 3
    assert "臺南市" in _one(doc, "//h1").text_content()
    assert doc.xpath('//*[@id="behind-list"]//a/text()') == [
        "曾文水庫防淤工程計畫",
        "八掌溪治理計畫",
    ]
    assert _geojson_ids(small_client, _download(doc, "geojson")) == ["p1", "p2", "p7"]
    # More filters on top of the county, and the county's own towns in the form.
    layered = _html(small_client.get(f"/county/{name}?layer=disaster"))
    assert _table_ids(layered) == ["p7"]
    assert not layered.xpath('//form[@id="filters"]//select[@name="county"]')


def test_a_county_view_frames_its_county(small_client: FlaskClient) -> None:
    """Not the other counties' sites of its multi-county projects (p2 and p7 reach 高雄市 and
    嘉義縣): the bounds are those of the county polygons."""
    towns = pyogrio.read_dataframe(Path(__file__).parents[2] / "data/boundaries/towns.geojson")
    tainan = towns[towns["county"].str.replace("台", "臺") == "臺南市"].total_bounds
    config = _config(small_client.get("/county/臺南市"))
    (south, west), (north, east) = config["bounds"]
    assert [west, south, east, north] == pytest.approx(list(tainan), abs=0.01)
    assert _config(small_client.get("/"))["bounds"] is None


def _config(response: TestResponse) -> Any:
    return json.loads(_one(_html(response), '//script[@id="atlas-config"]').text)


def test_unknown_county_is_a_404_page_listing_the_counties(small_client: FlaskClient) -> None:
    response = small_client.get("/county/<b>東京都")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    doc = _html(response)
    assert "<b>東京都" in _one(doc, "//h1").text_content()
    assert len(doc.xpath('//ul[@id="counties"]/li/a')) == 22
    assert "/county/%E8%87%BA%E5%8D%97%E5%B8%82" in doc.xpath('//ul[@id="counties"]/li/a/@href')


# --- downloads equal the filter -----------------------------------------------------------------


@pytest.mark.parametrize("query", ["county=臺南市", "layer=energy&status=behind", "precision=6"])
def test_downloads_hold_exactly_the_filtered_set(
    client: FlaskClient, query: str, tmp_path: Path
) -> None:
    atlas = client.application.extensions["atlas"]
    expected = [f["id"] for f in apply_filter(atlas.features, atlas_filter(atlas, parse_qs(query)))]
    doc = _html(client.get(f"/?{query}"))
    assert _count(doc) == len(expected)
    assert _geojson_ids(client, _download(doc, "geojson")) == expected
    response = client.get(_download(doc, "csv"))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    assert [row["id"] for row in rows] == expected
    response = client.get(_download(doc, "gpkg"))
    assert response.mimetype == "application/geopackage+sqlite3"
    out = tmp_path / "export.gpkg"
    out.write_bytes(response.data)
    tables = [name for name, _ in pyogrio.list_layers(out)]
    assert "counties" in tables
    ids = [i for name in tables[:5] for i in pyogrio.read_dataframe(out, layer=name)["id"]]
    assert sorted(ids) == sorted(expected)


# --- languages, assets, map data ----------------------------------------------------------------


def test_english_switch_keeps_the_state(small_client: FlaskClient) -> None:
    doc = _html(small_client.get("/?county=臺南市&sort=budget&order=desc&page=1"))
    assert _one(doc, "//html").get("lang") == "zh-Hant-TW"
    switch = _one(doc, '//a[@id="lang-switch"]').get("href")
    assert parse_qs(urlsplit(switch).query) == {
        "county": ["臺南市"],
        "sort": ["budget"],
        "order": ["desc"],
        "lang": ["en"],
    }
    english = _html(small_client.get(switch))
    assert _one(english, "//html").get("lang") == "en"
    assert "Tainan City" in english.text_content()
    assert _table_ids(english) == ["p1", "p2", "p7"]  # by budget, largest first
    back = _one(english, '//a[@id="lang-switch"]').get("href")
    assert "lang" not in parse_qs(urlsplit(back).query)


def test_every_asset_is_served_by_the_app(client: FlaskClient) -> None:
    doc = _html(client.get("/"))
    sources = doc.xpath("//script/@src | //link[@rel!='alternate']/@href | //img/@src")
    assert sources
    for source in sources:
        assert source.startswith(("/static/", "data:")), source
        if source.startswith("/static/"):
            with client.get(source) as response:  # a file response: close it
                assert response.status_code == 200, source
    assert "https://" not in "".join(s.text or "" for s in doc.xpath("//script"))
    assert "leaflet-1.9.4/leaflet.js" in "".join(sources)
    assert "leaflet.markercluster-1.5.3" in "".join(sources)


def test_tiles_only_when_named_and_online(real_build: Path) -> None:
    def page(**settings: Any) -> str:
        app = create_app({"TESTING": True, "ATLAS_BUILD": real_build, **settings})
        return app.test_client().get("/").get_data(as_text=True)

    assert "tile.openstreetmap.org" not in page(ATLAS_TILES="osm")  # offline by default
    online = page(ATLAS_TILES="osm,nlsc", ATLAS_OFFLINE=False)
    assert "tile.openstreetmap.org" in online
    assert "wmts.nlsc.gov.tw" in online
    assert "tile.openstreetmap.org" not in page(ATLAS_OFFLINE=False)


def test_markers_are_compact_rows_of_placed_projects(client: FlaskClient) -> None:
    atlas = client.application.extensions["atlas"]
    data = client.get("/markers.json").json
    assert data is not None
    placed = {str(f["id"]) for f in atlas.features if f.get("geometry")}
    assert {row[0] for row in data["rows"]} == placed
    for fid, layer, precision, lon, lat, name in data["rows"]:
        props = atlas.by_id[fid]["properties"]
        assert name == props["name"]
        assert data["layers"][layer] == props["layer"]
        assert precision == (props["precision"] or 0)
        assert 118 < lon < 123
        assert 21 < lat < 27


def test_boundaries_are_simplified_and_gzipped(client: FlaskClient) -> None:
    plain = client.get("/boundaries/counties.geojson")
    packed = client.get("/boundaries/counties.geojson", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.data) < len(plain.data) / 2
    data = json.loads(plain.data)
    assert len(data["features"]) == 22
    source = client.application.extensions["atlas"].boundaries / "counties.geojson"
    assert len(plain.data) < source.stat().st_size / 2


def test_choropleth_classes_follow_the_filter(small_client: FlaskClient) -> None:
    doc = _html(small_client.get("/?choropleth=legal&layer=energy"))
    config = json.loads(_one(doc, '//script[@id="atlas-config"]').text)
    classes = config["choropleth"]["classes"]
    assert classes["高雄市"] > 0  # p3
    assert classes["臺南市"] == 0  # no energy project there
    assert "2.00 億元" in config["choropleth"]["amounts"]["高雄市"]
    assert doc.xpath('//ul[@class="legend-choropleth"]/li')


def test_popup_holds_the_project_details(small_client: FlaskClient) -> None:
    doc = _html(small_client.get("/project/p1/popup"))
    text = doc.text_content()
    for expected in (
        "曾文水庫防淤工程計畫",
        "水資源",
        "水環境建設",
        "2019-01",
        "1.00 億元",
        "80,000 千元",  # executed
        "進度落後",
        "精確位置",
    ):
        assert expected in text, expected


def test_a_layer_hidden_by_default_shows_when_the_filter_asks_for_it(
    small_client: FlaskClient,
) -> None:
    def shown(query: str) -> int:
        text = small_client.get(f"/?{query}").get_data(as_text=True)
        return text.count(".addTo(map_")  # cluster groups added to the map at start

    assert shown("layer=other") == shown("") + 1


@pytest.mark.parametrize("path", ["/", "/county/臺南市", "/project/p1", "/no-such-page"])
def test_every_page_fits_a_phone_and_lets_people_zoom(small_client: FlaskClient, path: str) -> None:
    doc = _html(small_client.get(path))
    viewport = doc.xpath('//meta[@name="viewport"]/@content')
    assert viewport == ["width=device-width, initial-scale=1"]  # one, without a zoom limit


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/project/p1"])
def test_a_skip_link_leads_to_the_main_content(small_client: FlaskClient, path: str) -> None:
    doc = _html(small_client.get(path))
    skip = doc.xpath("//body/*[1]")[0]
    assert skip.tag == "a"
    assert skip.get("href") == "#main"
    assert doc.xpath('//main[@id="main"]')


def test_serve_has_help() -> None:
    from click.testing import CliRunner

    from webapp.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--build" in result.output
    assert "waitress" in result.output


def test_summary_totals_say_when_figures_are_missing(small_client: FlaskClient) -> None:
    """A sum over projects that print no budget is not NT$0: it is a dash, and a partial sum
    says how many projects it covers."""
    none = _html(small_client.get("/?q=數位轉型"))
    assert _one(none, '//dd[@class="legal"]').text_content().startswith("—")
    assert "（1 項中 0 項載有數字）" in _one(none, '//dd[@class="legal"]').text_content()
    full = _html(small_client.get("/county/臺南市"))
    assert _one(full, '//dd[@class="legal"]').text_content() == "1.80 億元"
    partial = _html(small_client.get("/?layer=other&layer=industrial_park"))
    assert "（2 項中 1 項載有數字）" in _one(partial, '//dd[@class="legal"]').text_content()


def test_popup_names_each_source_report_by_its_title_and_date(client: FlaskClient) -> None:
    """A source is named as the report prints itself (its title, years, issue month), with
    its lines; the file name is kept only as the hover title, for tracing."""
    atlas = client.application.extensions["atlas"]
    feature = next(f for f in atlas.features if len(f["properties"]["sources"]) >= 2)
    doc = _html(client.get(f"/project/{feature['id']}/popup"))
    items = doc.xpath('//ul[@class="sources"]/li')
    assert len(items) == len(feature["properties"]["sources"])
    for item, source in zip(items, feature["properties"]["sources"], strict=True):
        first, last = source["lines"]
        text = item.text_content()
        assert source["document"] not in text
        assert item.xpath("span/@title") == [source["document"]]
        assert f"第 {first}–{last} 行" in text
    printed = {
        "performance_review": "前瞻基礎建設計畫績效檢討報告（2022 年 1 月發布）",
        "business_report": "經濟部業務報告（2020 年）",
        "policy_plan": "經濟部108年度施政計畫（2019 年）",
    }
    named = [
        (source["kind"], item.text_content())
        for source, item in zip(feature["properties"]["sources"], items, strict=True)
        if source["kind"] in printed
    ]
    assert named
    for kind, text in named:
        assert text.startswith(printed[kind])


@pytest.mark.parametrize(
    ("query", "filename"),
    [
        ("", "infra-atlas.csv"),
        (
            "county=台南市&layer=water&status=behind&year=110",
            "infra-atlas-臺南市-water-behind-2021.csv",
        ),
        ("town=臺南市 楠西區", "infra-atlas-臺南市楠西區.csv"),
    ],
)
def test_a_download_is_named_after_its_filter(
    small_client: FlaskClient, query: str, filename: str
) -> None:
    """A county official's file says what it holds; the name in Chinese reaches the browser as
    RFC 6266 ``filename*``."""
    from urllib.parse import quote

    disposition = small_client.get(f"/export.csv?{query}").headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    disposition.encode("latin-1")  # what a WSGI server can send
    if filename.isascii():
        assert f'filename="{filename}"' in disposition
    else:
        assert f"filename*=UTF-8''{quote(filename)}" in disposition
        assert 'filename="infra-atlas.csv"' in disposition


@pytest.mark.parametrize("path", ["/?layer=water", "/county/臺南市"])
def test_the_behind_count_links_to_its_list(small_client: FlaskClient, path: str) -> None:
    doc = _html(small_client.get(path))
    link = doc.xpath('//dd[@class="behind"]/a')[0]
    behind = small_client.get(link.get("href").split("#")[0])
    rows = _html(behind).xpath('//table[@id="results"]/tbody/tr')
    assert len(rows) == int(link.text_content())
    assert "status=behind" in link.get("href")


@pytest.mark.parametrize(
    "path", ["/static/vendor/leaflet-1.9.4/leaflet.js", "/static/map/atlas.css", "/"]
)
def test_scripts_styles_and_pages_are_gzipped(small_client: FlaskClient, path: str) -> None:
    import gzip

    with small_client.get(path) as plain:
        body = plain.get_data()
    with small_client.get(path, headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert len(packed.get_data()) < len(body) / 2
        assert gzip.decompress(packed.get_data()) == body


# --- a county page shows its county -------------------------------------------------------------


def test_a_county_map_draws_only_the_sites_in_the_county(client: FlaskClient) -> None:
    """新北市's multi-county programmes keep their sites elsewhere off its map; the page says
    how many continue elsewhere. Each marker is where the geocoder put a site in 新北市."""
    atlas = client.application.extensions["atlas"]
    data = client.get("/markers.json?county=新北市").json
    assert data is not None
    every = client.get("/markers.json").json
    assert every is not None
    chosen = {row[0] for row in data["rows"]}
    for fid in chosen:
        places = atlas.by_id[fid]["properties"].get("places") or []
        county_at = {(p["lon"], p["lat"]): p.get("county") for p in places if "lon" in p}
        mine = [row for row in data["rows"] if row[0] == fid]
        for row in mine:
            assert county_at.get((row[3], row[4])) in (None, "新北市"), (fid, row)
    # a multi-county project loses its other sites here, and only those
    spread = [
        fid
        for fid in chosen
        if len(atlas.by_id[fid]["properties"]["counties"]) > 1
        and atlas.by_id[fid]["geometry"]["type"] == "MultiPoint"
    ]
    assert spread
    for fid in spread:
        here = sum(1 for row in data["rows"] if row[0] == fid)
        everywhere = sum(1 for row in every["rows"] if row[0] == fid)
        assert 0 < here < everywhere
    doc = _html(client.get("/county/新北市"))
    note = _one(doc, '//*[@id="elsewhere"]').text_content()
    beyond = [
        f
        for f in atlas.features
        if "新北市" in (f["properties"].get("counties") or [])
        and len(f["properties"]["counties"]) > 1
    ]
    assert f"其中 {len(beyond)} 項計畫也在其他縣市執行" in note


def test_a_county_page_switches_to_any_other_county(client: FlaskClient) -> None:
    doc = _html(client.get("/county/臺南市?lang=en"))
    links = doc.xpath('//details[@class="switcher"]//a')
    assert len(links) == 21
    assert "Kaohsiung City" in [link.text for link in links]
    assert all(link.get("href").endswith("?lang=en") for link in links)
    assert not doc.xpath('//details[@class="switcher"]//a[contains(@href, "%E8%87%BA%E5%8D%97")]')


def test_every_page_states_its_basis(client: FlaskClient) -> None:
    """The footer names each source report as it prints itself, with its year or issue date,
    and links to the API, the data dictionary and the build report, which are served."""
    for path in ("/", "/county/臺南市", "/?lang=en"):
        doc = _html(client.get(path))
        basis = [li.text_content() for li in doc.xpath('//footer//ul[@class="basis"]/li')]
        assert len(basis) == 5, path
        assert all(re.search(r"\d{4}", text) for text in basis), basis  # a year or a date each
        links = doc.xpath("//footer//a/@href")
        assert len(links) == 3
        for href in links:
            assert client.get(href).status_code == 200, href
    report = client.get("/about/build-report.md")
    assert report.mimetype == "text/markdown"
    assert "| document | kind | printed title |" in report.get_data(as_text=True)
    assert client.get("/about/data-dictionary.md").mimetype == "text/markdown"
    assert client.get("/about/secrets.md").status_code == 404
    assert client.get("/about/..%2Fpyproject.md").status_code == 404


def test_behind_schedule_shows_its_gap_sorted_and_levelled(client: FlaskClient) -> None:
    """The gap (planned minus actual, in points) of each project behind schedule is shown and
    sorts the table; its level follows the one rule (under 5, 5 to under 10, 10 or more)."""
    atlas = client.application.extensions["atlas"]
    behind = [
        f["properties"]
        for f in atlas.features
        if f["properties"].get("status") == "behind"
        and f["properties"].get("progress_planned_pct") is not None
        and f["properties"].get("progress_actual_pct") is not None
    ]
    assert behind
    doc = _html(client.get("/?status=behind&sort=gap&order=desc"))
    cells = doc.xpath('//table[@id="results"]/tbody/tr/td[@data-column="gap"]')
    gaps = [float(cell.get("data-value")) for cell in cells if cell.get("data-value")]
    assert len(gaps) == len(behind)
    assert gaps == sorted(gaps, reverse=True)
    expected = sorted(
        (round(p["progress_planned_pct"] - p["progress_actual_pct"], 2) for p in behind),
        reverse=True,
    )
    assert gaps == expected
    for cell in cells:
        gap = float(cell.get("data-value"))
        level = "serious" if gap >= 10 else "behind" if gap >= 5 else "slight"
        assert cell.get("data-level") == level
    assert "10 以上為嚴重落後" in _one(doc, '//*[@id="table-notes"]').text_content()


def test_a_filter_has_an_atom_feed_of_its_latest_changes(small_build: Path) -> None:
    """The feed of a filter lists its projects, the latest changed first, each linking to its
    page; the map page links to the feed of the same filter."""
    history = {
        "p1": {"first_seen": "2026-01-01T00:00:00Z", "changed": "2026-03-01T00:00:00Z"},
        "p2": {"first_seen": "2026-01-01T00:00:00Z", "changed": "2026-05-01T00:00:00Z"},
        "p7": {"first_seen": "2026-04-01T00:00:00Z", "changed": "2026-04-01T00:00:00Z"},
    }
    (small_build / "history.json").write_text(json.dumps(history), encoding="utf-8")
    client = create_app({"TESTING": True, "ATLAS_BUILD": small_build}).test_client()
    response = client.get("/feed.atom?county=臺南市")
    assert response.mimetype == "application/atom+xml"
    feed = lxml.etree.fromstring(response.data)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert "臺南市" in feed.findtext("a:title", namespaces=atom)
    entries = feed.findall("a:entry", namespaces=atom)
    ids = [entry.findtext("a:id", namespaces=atom).rsplit("/", 1)[-1] for entry in entries]
    assert ids == ["p2", "p7", "p1"]  # p1, p2, p7 lie in 臺南市; newest change first
    assert feed.findtext("a:updated", namespaces=atom) == "2026-05-01T00:00:00Z"
    assert entries[1].findtext("a:published", namespaces=atom) == "2026-04-01T00:00:00Z"
    assert all(entry.findtext("a:summary", namespaces=atom) for entry in entries)
    page = _html(client.get("/?county=臺南市&lang=en"))
    href = _one(page, '//link[@type="application/atom+xml"]/@href')
    assert href == _one(page, '//a[@data-format="atom"]/@href')
    english = lxml.etree.fromstring(client.get(href).data)
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert client.get("/feed.atom?county=東京都").status_code == 400


def test_a_project_page_has_its_sites_map_charts_and_link(client: FlaskClient) -> None:
    """The page draws each site of the project, charts its budget by year and its progress
    (SVG the server draws, with the figures in words), and offers its own link to copy."""
    atlas = client.application.extensions["atlas"]
    feature = next(
        f
        for f in atlas.features
        if f["geometry"]
        and f["geometry"]["type"] == "MultiPoint"
        and any(
            isinstance(row.get("year"), int) for row in f["properties"].get("budget_rows") or []
        )
        and f["properties"].get("progress_actual_pct") is not None
    )
    doc = _html(client.get(f"/project/{feature['id']}"))
    sites = json.loads(_one(doc, '//script[@id="feature-map-data"]').text)
    points = feature["geometry"]["coordinates"]
    assert [s["geometry"]["coordinates"] for s in sites["features"]] == points
    assert all(s["properties"]["label"] for s in sites["features"])
    years = [r for r in feature["properties"]["budget_rows"] if isinstance(r.get("year"), int)]
    chart = _one(doc, '//*[@id="budget-chart"]')
    assert chart.get("role") == "img"
    assert len(chart.xpath(".//*[local-name()='text'][contains(., '年度')]")) == len(years)
    assert _one(doc, '//*[@id="budget-chart-desc"]').text.count("年度") == len(years)
    progress = _one(doc, '//*[@id="progress-chart-desc"]').text
    assert fmt_pct(feature["properties"]["progress_actual_pct"]) in progress
    link = _one(doc, '//input[@id="page-link"]/@value')
    assert link == f"http://localhost/project/{feature['id']}"
    assert _one(doc, '//label[@for="page-link"]').text
    unplaced = next(f for f in atlas.features if not f["geometry"])
    bare = _html(client.get(f"/project/{unplaced['id']}"))
    assert not bare.xpath('//*[@id="feature-map"]')  # no map without a place


def test_a_popup_gives_each_phase_total_as_printed(client: FlaskClient) -> None:
    """Beside the latest year's budget, the totals the report prints for each phase."""
    atlas = client.application.extensions["atlas"]
    feature = next(
        f for f in atlas.features if f["properties"]["name"] == "縣市管河川及區域排水整體改善計畫"
    )
    totals = [r for r in feature["properties"]["budget_rows"] if r["year"] == "total"]
    doc = _html(client.get(f"/project/{feature['id']}/popup"))
    cell = _one(doc, '//dt[contains(., "各期法定預算合計")]/following-sibling::dd[1]')
    text = cell.text_content()
    for row in totals:
        assert f"第 {row['phase']} 期 {fmt_twd(row['legal_twd'])}" in text


# --- many markers: clusters the server counts, view by view ------------------------------------


def test_view_markers_count_every_point_in_view_once() -> None:
    from webapp.mapdata import MarkerPoints, view_markers

    rows = [
        ["a", 0, 1, 120.10, 23.00, "a"],
        ["b", 0, 1, 120.11, 23.01, "b"],
        ["c", 1, 1, 120.12, 23.02, "c"],  # another layer: its own cluster
        ["d", 0, 1, 121.50, 25.00, "d"],
        ["e", 0, 1, 100.00, 10.00, "e"],  # out of view
    ]
    markers = MarkerPoints.of({"layers": ["water", "energy"], "rows": rows})
    few = view_markers(markers, (119.0, 22.0, 122.0, 26.0), 7, limit=10)
    assert (few["total"], few["clusters"], [r[0] for r in few["rows"]]) == (4, [], list("abcd"))
    many = view_markers(markers, (119.0, 22.0, 122.0, 26.0), 7, limit=2)
    assert many["rows"] == []
    counts = {(layer, count) for layer, count, _, _ in many["clusters"]}
    assert counts == {(0, 2), (1, 1), (0, 1)}
    assert sum(c[1] for c in many["clusters"]) == many["total"] == 4
    water = next(c for c in many["clusters"] if c[:2] == [0, 2])
    assert (water[2], water[3]) == (120.105, 23.005)  # the mean of its points
    # a view holding every point (no mask taken) clusters as one that leaves some out
    inside = MarkerPoints.of({"layers": ["water", "energy"], "rows": rows[:4]})
    assert inside.within((119.0, 22.0, 122.0, 26.0))
    assert not markers.within((119.0, 22.0, 122.0, 26.0))
    for limit in (2, 10):
        assert view_markers(inside, (119.0, 22.0, 122.0, 26.0), 7, limit=limit) == view_markers(
            markers, (119.0, 22.0, 122.0, 26.0), 7, limit=limit
        )


@pytest.mark.parametrize("store", STORES)
def test_a_filter_with_too_many_markers_is_mapped_view_by_view(
    real_build: Path, store: str, request: pytest.FixtureRequest
) -> None:
    client = app_of(real_build, store, request, ATLAS_MARKER_LIMIT=20).test_client()
    every = client.get("/markers.json").get_json()
    assert every["rows"] == []
    placed = create_app({"TESTING": True, "ATLAS_BUILD": real_build}).test_client()
    all_rows = placed.get("/markers.json").get_json()["rows"]
    assert every["by_view"] == len(all_rows)
    view = client.get("/markers.json?z=7&bbox=118,21,123,27").get_json()
    assert view["rows"] == []
    assert sum(c[1] for c in view["clusters"]) == view["total"] == len(all_rows)
    assert view["by_view"] == len(all_rows)
    tainan = client.get("/markers.json?county=臺南市&z=13&bbox=120.15,22.95,120.25,23.05")
    near = tainan.get_json()
    assert near["clusters"] == []  # few enough: the exact markers
    assert all(120.15 <= r[3] <= 120.25 and 22.95 <= r[4] <= 23.05 for r in near["rows"])
    assert client.get("/markers.json?z=99&bbox=1,2,3,4").status_code == 400
    # A filter with few enough markers gets all of them, whatever view it is asked with (the
    # page asks once, with its view, and clusters them itself).
    few = next(
        (county, rows)
        for county in COUNTY_NAMES
        if 1 < len(rows := placed.get(f"/markers.json?county={county}").get_json()["rows"]) <= 20
    )
    far = client.get(f"/markers.json?county={few[0]}&z=12&bbox=118,21,118.1,21.1").get_json()
    assert "by_view" not in far
    assert far["rows"] == few[1]


def test_a_view_s_markers_are_made_once(real_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder store keeps each view's answer, as the database store does: asked again,
    the same view is the same bytes, not clustered again; another view or filter is made."""
    import webapp.views

    made: list[tuple[Any, ...]] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(args[1:3])
        return view_markers(*args, **kwargs)

    view_markers = webapp.views.view_markers
    monkeypatch.setattr(webapp.views, "view_markers", counted)
    client = create_app({"ATLAS_BUILD": real_build, "ATLAS_MARKER_LIMIT": 20}).test_client()
    taiwan = "/markers.json?z=7&bbox=118,21,123,27"
    first = client.get(taiwan)
    assert client.get(taiwan).data == first.data
    assert made == [((118.0, 21.0, 123.0, 27.0), 7)]
    client.get("/markers.json?z=8&bbox=118,21,123,27")
    client.get("/markers.json?z=7&bbox=118,21,123,27&layer=water")
    assert len(made) == 3


@pytest.mark.parametrize(
    "query", [{}, {"layer": ["water"]}, {"status": ["behind"]}, {"year": ["2021"]}]
)
def test_the_summary_counts_money_as_the_aggregates_do(client: FlaskClient, query: Any) -> None:
    """The page's totals (summed directly) are the national totals of layers.aggregate."""
    from layers.aggregate import aggregate_counties
    from layers.filters import apply_filter, parse_filter
    from webapp.mapdata import summarise

    atlas = client.application.extensions["atlas"]
    chosen = apply_filter(atlas.features, parse_filter(query, choices=atlas.choices))
    summary, national = summarise(chosen), aggregate_counties(chosen).national
    assert summary.legal_twd == national["all_legal_twd"]
    assert summary.executed_twd == national["all_executed_twd"]
    assert summary.behind == national["all_behind"]
    assert summary.count == national["all_projects"] == len(chosen)
