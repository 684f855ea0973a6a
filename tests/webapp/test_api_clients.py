"""Real clients read the API from a live server: GDAL's OAPIF driver and OWSLib.

Counts are checked against the shared filter over the register and against the export of the
same selection, never against numbers written down here. The clients talk to 127.0.0.1 only:
proxies are cleared, and GDAL's debug log of every URL it fetches is checked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from shapely.geometry import box, shape

from layers.aggregate import aggregate_counties
from layers.export import export
from layers.filters import apply_filter, parse_filter
from webapp.api_collections import COLLECTION_IDS

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "ftp_proxy", "no_proxy")
LOCAL = "127.0.0.1,localhost"
#: A box around 臺南市 and 嘉義 (CRS84).
BBOX = (120.0, 22.85, 120.6, 23.5)


def _local_env() -> dict[str, str]:
    """The environment for a client: no proxy, 127.0.0.1 direct, short timeouts, no retry."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    env.update(
        {
            "NO_PROXY": LOCAL,
            "no_proxy": LOCAL,
            "GDAL_HTTP_PROXY": "",
            "GDAL_HTTP_TIMEOUT": "30",
            "GDAL_HTTP_CONNECTTIMEOUT": "5",
            "GDAL_HTTP_MAX_RETRY": "0",
            "CPL_DEBUG": "ON",  # GDAL logs every URL it fetches: checked below
        }
    )
    return env


def gdal(*args: str) -> str:
    """Run a GDAL tool; fail on an error or on a fetch from anywhere but 127.0.0.1."""
    done = subprocess.run(args, capture_output=True, env=_local_env(), timeout=120, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr
    fetched = re.findall(r"HTTP: Fetch\((.*?)\)", stderr)
    assert fetched
    assert all(url.startswith("http://127.0.0.1:") for url in fetched), fetched
    return done.stdout.decode("utf-8")


def features_read(stdout: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(stdout)["features"]
    return features


def export_count(features: list[Any], fmt: str) -> int:
    """How many projects the export of these features holds."""
    stream = io.StringIO()
    export(features, fmt, stream)  # type: ignore[arg-type]
    if fmt == "csv":
        return len(list(csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff")))))
    return len(json.loads(stream.getvalue())["features"])


@pytest.fixture(scope="module")
def atlas(file_app: Flask) -> Any:
    return file_app.extensions["atlas"]


def test_ogrinfo_lists_the_collections(live_server: str) -> None:
    out = gdal("ogrinfo", "-ro", "-so", f"OAPIF:{live_server}/api")
    listed = re.findall(r"^\d+: (\w+) \(title", out, flags=re.MULTILINE)
    assert listed == list(COLLECTION_IDS)


def test_ogrinfo_feature_count_is_number_matched(live_server: str, atlas: Any) -> None:
    out = gdal("ogrinfo", "-ro", "-so", f"OAPIF:{live_server}/api", "projects")
    assert f"Feature Count: {len(atlas.features)}" in out
    assert "TEMPORAL_INTERVAL_MIN=" in out


def test_ogr2ogr_reads_a_whole_collection(live_server: str, atlas: Any) -> None:
    """GDAL follows the next links through the whole register, placed or not."""
    out = gdal("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"OAPIF:{live_server}/api", "projects")
    read = features_read(out)
    assert [f["properties"]["id"] for f in read] == [f["id"] for f in atlas.features]
    assert sum(f["geometry"] is None for f in read) == sum(
        not f["geometry"] for f in atlas.features
    )
    assert len(read) == export_count(list(atlas.features), "geojson")


def test_ogr2ogr_reads_a_county_filtered_collection(live_server: str, atlas: Any) -> None:
    """A filtered collection URL: GDAL carries its query to every items request."""
    url = f"{live_server}/api/collections/projects?{urlencode({'county': '臺南市'})}"
    read = features_read(gdal("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"OAPIF:{url}"))
    chosen = apply_filter(atlas.features, parse_filter({"county": "臺南市"}, choices=atlas.choices))
    assert [f["properties"]["id"] for f in read] == [f["id"] for f in chosen]
    assert len(read) == export_count(chosen, "csv") == export_count(chosen, "geojson")
    assert chosen


def test_ogr2ogr_reads_the_county_totals_of_a_filter(live_server: str, atlas: Any) -> None:
    """``…/collections/counties?layer=water``: the 22 rows, totalling the water projects."""
    url = f"{live_server}/api/collections/counties?layer=water"
    read = features_read(gdal("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"OAPIF:{url}"))
    chosen = apply_filter(atlas.features, parse_filter({"layer": "water"}, choices=atlas.choices))
    totals = aggregate_counties(chosen).counties
    found = {f["properties"]["county"]: f["properties"]["all_projects"] for f in read}
    assert found == {county: row["all_projects"] for county, row in totals.items()}
    assert all(f["properties"]["energy_projects"] == 0 for f in read)
    assert any(found.values())


def test_ogrinfo_passes_an_attribute_filter_to_the_server(live_server: str, atlas: Any) -> None:
    """GDAL turns ``-where program = …`` into ``?program=…``: the API declares it."""
    program = next(f["properties"]["program"] for f in atlas.features if f["properties"]["program"])
    done = subprocess.run(
        [
            "ogrinfo",
            "-ro",
            "-al",
            "-so",
            f"OAPIF:{live_server}/api",
            "projects",
            "-where",
            f"program = '{program}'",
        ],
        capture_output=True,
        env=_local_env(),
        timeout=120,
        check=True,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert re.search(r"HTTP: Fetch\(.*/items\?.*program=", stderr)
    chosen = apply_filter(atlas.features, parse_filter({"program": program}, choices=atlas.choices))
    assert f"Feature Count: {len(chosen)}" in done.stdout.decode("utf-8")


@pytest.fixture
def owslib_api(live_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from owslib.ogcapi.features import Features

    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("NO_PROXY", LOCAL)
    return Features(f"{live_server}/api")


def test_owslib_reads_items_with_a_bbox(owslib_api: Any, atlas: Any) -> None:
    result = owslib_api.collection_items("projects", bbox=list(BBOX), limit=10000)
    inside = [
        f["id"]
        for f in atlas.features
        if f["geometry"] and shape(f["geometry"]).intersects(box(*BBOX))
    ]
    assert result["numberMatched"] == result["numberReturned"] == len(inside)
    assert [f["id"] for f in result["features"]] == inside
    assert inside


@pytest.mark.parametrize("county", ["臺南市", "台南市", "高雄市"])
def test_owslib_reads_items_with_a_county(owslib_api: Any, atlas: Any, county: str) -> None:
    result = owslib_api.collection_items("projects", county=county, limit=10000)
    chosen = apply_filter(atlas.features, parse_filter({"county": county}, choices=atlas.choices))
    assert result["numberMatched"] == len(chosen) == export_count(chosen, "csv")
    assert [f["id"] for f in result["features"]] == [f["id"] for f in chosen]


def test_owslib_pages_with_a_filter_and_a_bbox(owslib_api: Any, atlas: Any) -> None:
    params = {"county": "臺南市", "layer": "water"}
    chosen = apply_filter(atlas.features, parse_filter(params, choices=atlas.choices))
    inside = [
        f["id"] for f in chosen if f["geometry"] and shape(f["geometry"]).intersects(box(*BBOX))
    ]
    found: list[str] = []
    while True:
        page = owslib_api.collection_items(
            "projects", bbox=list(BBOX), limit=3, offset=len(found), **params
        )
        found += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
    assert found == inside
    assert owslib_api.collection_queryables("projects")["properties"]["county"]["type"] == "string"
