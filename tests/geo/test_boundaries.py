"""Tests for geo.boundaries and the bundled boundary files."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from geo.boundaries import Boundaries, load_boundaries
from geo.crs import TWD97_TM2
from geo.datafiles import DATA_DIR
from geo.errors import DataFileError, PlaceNotFoundError


def test_counts_and_unique_codes(boundaries: Boundaries) -> None:
    assert len(boundaries.counties) == 22
    assert len(boundaries.towns) == 368
    assert len({county.code for county in boundaries.counties}) == 22
    assert len({town.code for town in boundaries.towns}) == 368
    assert all(town.code.startswith(town.county_code) for town in boundaries.towns)


def test_official_tai_form(boundaries: Boundaries) -> None:
    names = [c.name for c in boundaries.counties] + [t.name for t in boundaries.towns]
    assert not [name for name in names if "台" in name]
    assert {"臺北市", "臺中市", "臺南市", "臺東縣"} <= {c.name for c in boundaries.counties}


def test_every_town_inside_its_county(boundaries: Boundaries) -> None:
    towns = boundaries.towns_frame.to_crs(TWD97_TM2)
    counties = boundaries.counties_frame.to_crs(TWD97_TM2).geometry
    outside = [
        row.town
        for row in towns.itertuples()
        # Allow a metre of slack for the 6-decimal rounding of shared edges.
        if not counties.loc[row.county_code].buffer(1).contains(row.geometry)
    ]
    assert outside == []


def test_geometry_valid_and_lon_lat(boundaries: Boundaries) -> None:
    for frame in (boundaries.counties_frame, boundaries.towns_frame):
        assert frame.crs.to_epsg() == 4326
        assert frame.is_valid.all()
        minx, miny, maxx, maxy = frame.total_bounds
        assert 118 < minx < maxx < 122.1
        assert 21.8 < miny < maxy < 26.5


@pytest.mark.parametrize(
    ("key", "code", "name_en"),
    [
        ("63000", "63000", "Taipei City"),
        ("臺北市", "63000", "Taipei City"),
        ("10002", "10002", "Yilan County"),
        ("新竹縣", "10004", "Hsinchu County"),
        ("新竹市", "10018", "Hsinchu City"),
        ("09007", "09007", "Lienchiang County"),
    ],
)
def test_county_lookup(boundaries: Boundaries, key: str, code: str, name_en: str) -> None:
    county = boundaries.county(key)
    assert (county.code, county.name_en) == (code, name_en)


@pytest.mark.parametrize("key", ["台北市", "99999", "", "臺北"])
def test_county_lookup_unknown(boundaries: Boundaries, key: str) -> None:
    with pytest.raises(PlaceNotFoundError):
        boundaries.county(key)


@pytest.mark.parametrize(
    ("name", "county", "codes"),
    [
        ("東區", None, {"10018010", "10020010", "66000020", "67000320"}),
        ("東區", "臺南市", {"67000320"}),
        ("中山區", "63000", {"63000040"}),
        ("大樹區", None, {"64000150"}),
        ("大樹", None, set()),
    ],
)
def test_towns_named(
    boundaries: Boundaries, name: str, county: str | None, codes: set[str]
) -> None:
    assert {town.code for town in boundaries.towns_named(name, county=county)} == codes


def test_town_by_code(boundaries: Boundaries) -> None:
    town = boundaries.town("64000150")
    assert (town.name, town.name_en, town.county) == ("大樹區", "Dashu District", "高雄市")
    with pytest.raises(PlaceNotFoundError):
        boundaries.town("64000999")


@pytest.mark.parametrize(
    ("lon", "lat", "town", "county"),
    [
        (121.5645, 25.0340, "信義區", "臺北市"),  # Taipei 101
        (120.2029, 22.9971, "中西區", "臺南市"),  # Tainan railway station area
        (121.6015, 23.9769, "花蓮市", "花蓮縣"),  # Hualien city centre
        (118.3171, 24.4321, "金城鎮", "金門縣"),  # Kinmen: Jincheng
        (121.0, 23.0, "海端鄉", "臺東縣"),  # Central Mountain Range
        (120.0, 23.0, None, None),  # Taiwan Strait
    ],
)
def test_point_in_polygon(
    boundaries: Boundaries, lon: float, lat: float, town: str | None, county: str | None
) -> None:
    found = boundaries.town_at(lon, lat)
    assert (found.name if found else None) == town
    found_county = boundaries.county_at(lon, lat)
    assert (found_county.name if found_county else None) == county


def test_representative_points_inside(boundaries: Boundaries) -> None:
    for town in boundaries.towns:
        assert boundaries.town_at(town.lon, town.lat) == town
    for county in boundaries.counties:
        assert boundaries.geometry(county.code).contains(shapely.Point(county.lon, county.lat))


def test_representative_point(boundaries: Boundaries) -> None:
    town = boundaries.town("64000150")
    assert boundaries.representative_point("64000150") == (town.lon, town.lat)
    assert boundaries.representative_point("64000") == (
        boundaries.county("64000").lon,
        boundaries.county("64000").lat,
    )
    with pytest.raises(PlaceNotFoundError):
        boundaries.representative_point("1")


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"counties\.geojson"):
        load_boundaries(tmp_path)


def test_unreadable_file_is_a_data_file_error(tmp_path: Path) -> None:
    (tmp_path / "boundaries").mkdir()
    for name in ("counties.geojson", "towns.geojson"):
        (tmp_path / "boundaries" / name).write_text("not json", encoding="utf-8")
    with pytest.raises(DataFileError, match="cannot read"):
        load_boundaries(tmp_path)


@pytest.mark.parametrize("name", ["counties.geojson", "towns.geojson"])
def test_files_listed_in_manifest(name: str) -> None:
    manifest = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert f"| `boundaries/{name}` |" in manifest
