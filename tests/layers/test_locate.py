"""Every project of the real build is placed honestly: right counties, never invented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo.datafiles import data_path
from layers.build import build, build_register


@pytest.fixture(scope="module")
def features(sources: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = build_register(build(sources))["features"]
    return features


def _named(features: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in features if f["properties"]["name"] == name)


@pytest.mark.parametrize(
    ("name", "county"),
    [
        ("石門水庫阿姆坪防淤隧道工程計畫", "桃園市"),
        ("烏溪鳥嘴潭人工湖工程計畫", "南投縣"),
        ("白河水庫後續更新改善工程計畫第一階段", "臺南市"),
        ("翡翠原水管工程計畫", "新北市"),
        ("湖山水庫第二原水管工程計畫", "雲林縣"),
        ("台南山上淨水場供水系統改善工程計畫", "臺南市"),
        ("高雄海洋科技產業創新專區", "高雄市"),
    ],
)
def test_review_projects_in_their_counties(
    features: list[dict[str, Any]], name: str, county: str
) -> None:
    props = _named(features, name)["properties"]
    assert props["counties"] == [county]
    assert props["precision"] in (1, 2, 3, 4)  # a site, near it, its town or its county
    assert props["places"], "a placed project carries its evidence"


def test_every_project_kept_and_every_point_in_taiwan(features: list[dict[str, Any]]) -> None:
    counties = gpd.read_file(data_path("boundaries", "counties.geojson")).union_all()
    near_taiwan = counties.buffer(0.6)  # offshore wind farms lie at sea, within ~60 km
    for feature in features:
        geometry = feature["geometry"]
        props = feature["properties"]
        if geometry is None:
            assert props["location_note"], props["name"]
            continue
        for point in shapely.get_parts(shape(geometry)):
            assert point.x != 0
            assert point.y != 0
            assert near_taiwan.contains(point), props["name"]
            if props["precision"] in (3, 4):  # a town or county point lies on land
                assert counties.contains(point), props["name"]


def test_national_programmes_are_not_pinned(features: list[dict[str, Any]]) -> None:
    national = [f for f in features if f["properties"]["precision"] == 6]
    assert national
    for feature in national:
        assert feature["geometry"] is None
        assert feature["properties"]["counties"] == []


def test_multi_site_projects_get_every_county(features: list[dict[str, Any]]) -> None:
    multi = [f for f in features if len(f["properties"]["counties"]) > 1]
    assert multi
    for feature in multi:
        assert feature["geometry"]["type"] == "MultiPoint"


def test_one_project_many_reports(features: list[dict[str, Any]]) -> None:
    pipeline = _named(features, "桃園-新竹備援管線工程計畫")["properties"]
    kinds = {source["kind"] for source in pipeline["sources"]}
    assert kinds == {"policy_plan", "business_report", "performance_review"}
    assert any(
        "桃園支援新竹幹管" in merge and "listed alias" in merge for merge in pipeline["merges"]
    )
