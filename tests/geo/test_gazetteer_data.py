"""The bundled facility gazetteer: names, kinds, counties and positions hold together.

The position tests read the project's town boundaries, ``data/boundaries/towns.geojson``
(properties ``county`` and ``town`` in 臺 form, EPSG:4326). They fail, rather than skip, when
that file is missing. ``ATLAS_TOWNS_GEOJSON`` may point them at another file of that shape.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point
from shapely.geometry.base import BaseGeometry

from geo.datafiles import DATA_DIR
from geo.errors import DataFileError
from geo.gazetteer import Facility, FacilityKind, load_facilities

FACILITIES = load_facilities()
WITH_POINT = [site for site in FACILITIES if site.has_point]
LAND_POINTS = [site for site in WITH_POINT if not site.offshore]
OFFSHORE_POINTS = [site for site in WITH_POINT if site.offshore]

#: The 22 counties and cities, official 臺 form.
COUNTIES = frozenset(
    {
        "基隆市", "臺北市", "新北市", "桃園市", "新竹市", "新竹縣", "苗栗縣", "臺中市",
        "彰化縣", "南投縣", "雲林縣", "嘉義市", "嘉義縣", "臺南市", "高雄市", "屏東縣",
        "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
    }
)  # fmt: skip
#: Taiwan with Penghu, Kinmen and Matsu: lon_min, lat_min, lon_max, lat_max.
TAIWAN_BBOX = (118.0, 21.5, 123.0, 26.5)
#: How far from the coast an offshore site may lie.
OFFSHORE_REACH_M = 60_000.0
METRIC_CRS = "EPSG:3826"


def _key(name: str) -> str:
    return name.strip().replace("台", "臺")


def _ids(sites: list[Facility]) -> list[str]:
    return [site.name for site in sites]


def _point(site: Facility) -> Point:
    assert site.lon is not None
    assert site.lat is not None
    return Point(site.lon, site.lat)


def _towns_path() -> Path:
    return Path(os.environ.get("ATLAS_TOWNS_GEOJSON", DATA_DIR / "boundaries" / "towns.geojson"))


@pytest.fixture(scope="module")
def towns() -> gpd.GeoDataFrame:
    """The project's town polygons, in EPSG:4326."""
    path = _towns_path()
    assert path.exists(), f"town boundaries not found: {path}"
    frame = gpd.read_file(path).to_crs("EPSG:4326")
    assert {"county", "town"} <= set(frame.columns)
    return frame


@pytest.fixture(scope="module")
def land(towns: gpd.GeoDataFrame) -> BaseGeometry:
    """All land, in TWD97 / TM2 metres."""
    union: BaseGeometry = towns.to_crs(METRIC_CRS).union_all()
    return union


def test_gazetteer_is_not_empty() -> None:
    assert len(FACILITIES) >= 100
    assert WITH_POINT


def test_names_are_unique_after_normalisation() -> None:
    keys = [_key(site.name) for site in FACILITIES]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates


def test_names_and_aliases_point_to_one_site() -> None:
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for site in FACILITIES:
        for name in (site.name, *site.aliases):
            owners[_key(name)].add(site.name)
    collisions = {key: sorted(sites) for key, sites in owners.items() if len(sites) > 1}
    assert not collisions


def test_official_names_use_the_tai_form() -> None:
    assert not [site.name for site in FACILITIES if "台" in site.name]
    assert not [site.name for site in FACILITIES if "台" in site.county + (site.town or "")]


def test_kinds_are_facility_kinds() -> None:
    assert all(isinstance(site.kind, FacilityKind) for site in FACILITIES)


def test_counties_are_official() -> None:
    assert not sorted({site.county for site in FACILITIES} - COUNTIES)


def test_only_offshore_wind_lies_offshore() -> None:
    offshore = [site.name for site in FACILITIES if site.offshore]
    assert offshore
    assert all(site.kind is FacilityKind.OFFSHORE_WIND for site in FACILITIES if site.offshore)


def test_every_position_says_where_it_came_from() -> None:
    assert all(site.position_source for site in FACILITIES)
    without_point = [site for site in FACILITIES if not site.has_point]
    assert all("only" in site.position_source for site in without_point)


@pytest.mark.parametrize("site", WITH_POINT, ids=_ids(WITH_POINT))
def test_points_lie_in_taiwan(site: Facility) -> None:
    lon_min, lat_min, lon_max, lat_max = TAIWAN_BBOX
    assert site.lon is not None
    assert site.lat is not None
    assert lon_min <= site.lon <= lon_max, site.name
    assert lat_min <= site.lat <= lat_max, site.name


def test_town_boundaries_are_there() -> None:
    assert _towns_path().exists(), f"the position tests need {_towns_path()}"


def test_recorded_towns_exist(towns: gpd.GeoDataFrame) -> None:
    known = set(zip(towns["county"], towns["town"], strict=True))
    unknown = [(site.name, pair) for site in FACILITIES for pair in site.towns if pair not in known]
    assert not unknown


def test_every_county_of_a_span_is_official_and_has_its_towns() -> None:
    for site in FACILITIES:
        assert set(site.counties) <= COUNTIES, site.name
        assert {county for county, _ in site.towns} <= set(site.counties), site.name


def test_a_span_of_counties_is_one_stretch(towns: gpd.GeoDataFrame) -> None:
    counties = towns.dissolve(by="county").geometry
    for site in (s for s in FACILITIES if len(s.counties) > 1):
        first, *rest = site.counties
        reached = counties[first]
        for county in rest:
            assert reached.intersects(counties[county]), (site.name, county)
            reached = reached.union(counties[county])


def test_spanning_rows_are_read(tmp_path: Path) -> None:
    csv = tmp_path / "facilities.csv"
    csv.write_text(
        "name,aliases,kind,lon,lat,county,town,offshore,position_source\n"
        "甲管線,,pipeline,,,桃園市;新竹縣,桃園市平鎮區;新竹縣湖口鄉,0,town only\n"
        "乙水庫,,reservoir,,,雲林縣,斗六市;古坑鄉,0,town only\n",
        encoding="utf-8",
    )
    pipe, lake = load_facilities(csv)
    assert pipe.counties == ("桃園市", "新竹縣")
    assert pipe.towns == (("桃園市", "平鎮區"), ("新竹縣", "湖口鄉"))
    assert (pipe.county, pipe.town, pipe.spans) == ("桃園市", "平鎮區", True)
    assert lake.towns == (("雲林縣", "斗六市"), ("雲林縣", "古坑鄉"))


def test_a_bare_town_of_a_multi_county_row_is_an_error(tmp_path: Path) -> None:
    csv = tmp_path / "facilities.csv"
    csv.write_text(
        "name,aliases,kind,lon,lat,county,town,offshore,position_source\n"
        "甲管線,,pipeline,,,桃園市;新竹縣,平鎮區,0,town only\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="line 2: town 平鎮區 must start"):
        load_facilities(csv)


@pytest.mark.parametrize("site", LAND_POINTS, ids=_ids(LAND_POINTS))
def test_land_points_lie_in_their_town(site: Facility, towns: gpd.GeoDataFrame) -> None:
    assert site.town, "a land point needs its town to be checked"
    polygons = towns[(towns["county"] == site.county) & (towns["town"] == site.town)]
    assert len(polygons) == 1
    inside = polygons.geometry.iloc[0].covers(_point(site))
    assert inside, f"{site.name}: {site.lon}, {site.lat} is outside {site.county} {site.town}"


@pytest.mark.parametrize("site", OFFSHORE_POINTS, ids=_ids(OFFSHORE_POINTS))
def test_offshore_points_lie_at_sea_near_the_coast(site: Facility, land: BaseGeometry) -> None:
    point = gpd.GeoSeries([_point(site)], crs="EPSG:4326").to_crs(METRIC_CRS)
    assert not land.covers(point.iloc[0]), f"{site.name}: offshore point lies on land"
    distance = land.distance(point.iloc[0])
    assert distance <= OFFSHORE_REACH_M, f"{site.name}: {distance / 1000:.0f} km from the coast"
