"""``scripts/check_gazetteer.py`` passes the bundled gazetteer and names each bad row."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pytest

from geo.datafiles import data_path
from geo.gazetteer import Facility, FacilityKind, load_facilities

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_gazetteer.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_gazetteer", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def towns(script: ModuleType) -> gpd.GeoDataFrame:
    frame: gpd.GeoDataFrame = script.read_towns(data_path("boundaries", "towns.geojson"))
    return frame


def _site(counties: tuple[str, ...], towns: tuple[tuple[str, str], ...]) -> Facility:
    return Facility("某管線", (), FacilityKind.PIPELINE, None, None, counties, towns, False, "")


def test_the_bundled_gazetteer_passes(script: ModuleType, towns: gpd.GeoDataFrame) -> None:
    assert script.check(load_facilities(), towns) == []


@pytest.mark.parametrize(
    ("site", "problem"),
    [
        (_site(("桃園市", "臺南市"), ()), "臺南市 not adjacent"),
        (_site(("桃園市", "新竹縣"), (("新竹縣", "大樹區"),)), "town 新竹縣大樹區 not in"),
        (_site(("北京市",), ()), "county 北京市 not in"),
    ],
)
def test_bad_rows_are_named(
    script: ModuleType, towns: gpd.GeoDataFrame, site: Facility, problem: str
) -> None:
    problems = script.check([site], towns)
    assert len(problems) == 1
    assert problem in problems[0]
