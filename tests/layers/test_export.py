"""Exports: RFC 7946 GeoJSON, a GeoPackage GDAL opens, an Excel-ready CSV; same projects in all."""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas
import pyogrio
import pytest

from geo.errors import ExportError
from layers.classify import Layer
from layers.export import UNPLACED_NOTE, export, feature_collection
from layers.filters import FilterChoices, apply_filter, parse_filter

GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon", "GeometryCollection"}  # fmt: skip


def _positions(geometry: dict[str, Any]) -> list[list[float]]:
    coordinates = geometry["coordinates"]
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2}
    found = [coordinates]
    for _ in range(depth.get(geometry["type"], 3)):
        found = [item for group in found for item in group]
    return found


def rfc7946_problems(data: dict[str, Any]) -> list[str]:
    """The RFC 7946 rules an export must keep, as a list of broken ones (empty when valid)."""
    problems = []
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        return ["not a FeatureCollection with a features array (§3.3)"]
    if "crs" in data:
        problems.append("crs member (removed in §4)")
    ids = [feature.get("id") for feature in data["features"]]
    if len(ids) != len(set(ids)) or not all(isinstance(i, (str, int, float)) for i in ids):
        problems.append("feature ids missing, not strings or numbers, or repeated (§3.2)")
    for feature in data["features"]:
        if feature.get("type") != "Feature" or "crs" in feature:
            problems.append(f"{feature.get('id')}: not a Feature, or has crs (§3.2)")
        if not isinstance(feature.get("properties"), (dict, type(None))):
            problems.append(f"{feature.get('id')}: properties not an object or null (§3.2)")
        if "geometry" not in feature:
            problems.append(f"{feature.get('id')}: no geometry member, not even null (§3.2)")
        geometry = feature.get("geometry")
        if geometry is not None:
            problems += [f"{feature['id']}: {p}" for p in _geometry_problems(geometry)]
    return problems


def _geometry_problems(geometry: dict[str, Any]) -> list[str]:
    if geometry.get("type") not in GEOMETRY_TYPES:
        return [f"geometry type {geometry.get('type')!r} (§3.1)"]
    problems = []
    for position in _positions(geometry):
        if len(position) not in (2, 3) or not all(isinstance(v, (int, float)) for v in position):
            problems.append(f"position {position} is not 2 or 3 numbers (§3.1.1)")
            continue
        lon, lat = position[0], position[1]  # RFC 7946 order: longitude first
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"position {position} outside lon/lat range (§4)")
        if any(-Decimal(repr(v)).as_tuple().exponent > 6 for v in position):  # type: ignore[operator]
            problems.append(f"position {position} has more than 6 decimals (§11.2)")
    return problems


def _geojson(features: list[dict[str, Any]]) -> dict[str, Any]:
    stream = io.StringIO()
    export(features, "geojson", stream)
    return json.loads(stream.getvalue())  # type: ignore[no-any-return]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_validator_catches_broken_collections() -> None:
    bad = {
        "type": "FeatureCollection",
        "crs": {},
        "features": [
            {"type": "Feature", "id": "a", "properties": {},
             "geometry": {"type": "Point", "coordinates": [23.1234567, 120.5]}},
            {"type": "Feature", "id": "a", "properties": {},
             "geometry": {"type": "Circle", "coordinates": [0, 0]}},
        ],
    }  # fmt: skip
    problems = rfc7946_problems(bad)
    assert len(problems) == 5  # crs, ids, 7 decimals, lat out of range, unknown type
    assert rfc7946_problems({"type": "Feature"}) != []


def test_geojson_is_rfc7946(register: dict[str, Any]) -> None:
    data = _geojson(register["features"])
    assert rfc7946_problems(data) == []
    assert [f["id"] for f in data["features"]] == [f["id"] for f in register["features"]]
    assert data["features"][0]["geometry"]["coordinates"] == [120.312346, 23.309877]
    assert data["features"][1]["geometry"]["type"] == "MultiPoint"


def test_geojson_of_the_real_build_is_rfc7946(built_register: dict[str, Any]) -> None:
    data = _geojson(built_register["features"])
    assert rfc7946_problems(data) == []
    assert len(data["features"]) == len(built_register["features"])


def test_unplaced_projects_are_kept_with_a_reason(register: dict[str, Any]) -> None:
    features = register["features"] + [
        {"type": "Feature", "id": "p8", "geometry": None, "properties": {"name": "x"}}
    ]
    data = feature_collection(features)
    by_id = {f["id"]: f for f in data["features"]}
    assert by_id["p5"]["geometry"] is None
    assert by_id["p5"]["properties"]["location_note"] == "no place named in the reports"
    assert by_id["p8"]["properties"]["location_note"] == UNPLACED_NOTE
    assert features[-1]["properties"] == {"name": "x"}  # the input is not changed


def test_export_does_not_change_its_input(register: dict[str, Any], tmp_path: Path) -> None:
    before = copy.deepcopy(register)
    for fmt in ("geojson", "csv", "gpkg"):
        export(register["features"], fmt, tmp_path / f"x.{fmt}")
    assert register == before


def test_csv_is_excel_ready(register: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    assert export(register["features"], "csv", path) == 7
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = {row["id"]: row for row in _csv(path)}
    assert (rows["p1"]["lon"], rows["p1"]["lat"]) == ("120.312346", "23.309877")
    assert rows["p1"]["geometry_wkt"] == "POINT (120.312346 23.309877)"
    assert (rows["p2"]["lon"], rows["p2"]["lat"]) in {("120.3", "23.1"), ("120.4", "22.7")}
    assert rows["p2"]["geometry_wkt"] == "MULTIPOINT ((120.3 23.1), (120.4 22.7))"
    assert rows["p2"]["counties"] == "臺南市; 高雄市"
    assert rows["p5"]["lon"] == rows["p5"]["geometry_wkt"] == ""
    assert rows["p5"]["location_note"] == "no place named in the reports"
    assert json.loads(rows["p5"]["budget_rows"])[0]["legal_twd"] == 1_000
    assert rows["p4"]["place_bound"] == "false"
    assert rows["p1"]["budget_legal_twd"] == "100000000"


def test_gpkg_has_a_table_per_layer_and_the_aggregates(
    register: dict[str, Any], counties_gdf: geopandas.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "projects.gpkg"
    export(register["features"], "gpkg", path, counties_gdf=counties_gdf)
    tables = dict(pyogrio.list_layers(path).tolist())
    assert tables == {
        **{layer.value: "MultiPoint" for layer in Layer},
        "counties": "MultiPolygon",
        "national": None,
    }
    water = pyogrio.read_dataframe(path, layer="water")
    assert list(water["id"]) == ["p1", "p2"]
    assert json.loads(water["towns"][1]) == ["臺南市 新營區", "高雄市 旗山區"]
    other = pyogrio.read_dataframe(path, layer="other")
    assert other.geometry.isna().all()
    assert json.loads(other["budget_rows"][0])[0]["year"] == 2021
    counties = pyogrio.read_dataframe(path, layer="counties")
    assert list(counties["all_projects"]) == [3, 2, 0]
    national = pyogrio.read_dataframe(path, layer="national", read_geometry=False)
    assert list(national["all_projects"]) == [7, 1]


def test_gpkg_without_counties_and_of_the_real_build(
    built_register: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "projects.gpkg"
    path.write_bytes(b"an earlier export")  # replaced, not appended to
    export(built_register["features"], "gpkg", path)
    tables = [name for name, _ in pyogrio.list_layers(path)]
    assert tables == [layer.value for layer in Layer]
    total = sum(len(pyogrio.read_dataframe(path, layer=name)) for name in tables)
    assert total == len(built_register["features"])


def test_gpkg_opens_with_ogrinfo(
    register: dict[str, Any], counties_gdf: geopandas.GeoDataFrame, tmp_path: Path
) -> None:
    ogrinfo = shutil.which("ogrinfo")
    assert ogrinfo, "ogrinfo is missing: install gdal-bin (scripts/setup --test)"
    path = tmp_path / "projects.gpkg"
    export(register["features"], "gpkg", path, counties_gdf=counties_gdf)
    done = subprocess.run(
        [ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stderr
    assert "Warning" not in done.stderr  # e.g. a GeoPackage version newer than Debian's GDAL
    assert "Layer name: water" in done.stdout
    assert "Layer name: counties" in done.stdout
    assert "Feature Count: 2" in done.stdout


@pytest.mark.parametrize(
    "params",
    [{}, {"county": "台南市"}, {"layer": "energy"}, {"status": "behind", "year": "2021"}],
)
def test_same_filter_same_projects_in_every_format(
    register: dict[str, Any], tmp_path: Path, params: dict[str, str]
) -> None:
    features = register["features"]
    f = parse_filter(params, choices=FilterChoices.from_features(features))
    chosen = apply_filter(features, f)
    for fmt in ("geojson", "gpkg", "csv"):
        export(chosen, fmt, tmp_path / f"out.{fmt}")
    geojson = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    gpkg_ids = [
        i
        for layer in Layer
        for i in pyogrio.read_dataframe(tmp_path / "out.gpkg", layer=layer.value)["id"]
    ]
    expected = sorted(feature["id"] for feature in chosen)
    assert expected
    assert sorted(feature["id"] for feature in geojson["features"]) == expected
    assert sorted(gpkg_ids) == expected
    assert sorted(row["id"] for row in _csv(tmp_path / "out.csv")) == expected


def test_no_row_cap(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "id": f"s{i}", "properties": {"layer": "water", "counties": []},
         "geometry": {"type": "Point", "coordinates": [120 + i / 10_000, 23.5]}}
        for i in range(5_000)
    ]  # fmt: skip
    for fmt in ("geojson", "gpkg", "csv"):
        assert export(features, fmt, tmp_path / f"big.{fmt}") == 5_000
    assert len(_geojson(features)["features"]) == 5_000
    assert len(_csv(tmp_path / "big.csv")) == 5_000
    assert len(pyogrio.read_dataframe(tmp_path / "big.gpkg", layer="water")) == 5_000


def test_export_errors(register: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="give a path, not a stream"):
        export(register["features"], "gpkg", io.StringIO())
    with pytest.raises(ExportError, match="unknown export format 'shp'"):
        export(register["features"], "shp", tmp_path / "x")  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="cannot write"):
        export(register["features"], "csv", tmp_path / "no" / "such" / "dir.csv")
