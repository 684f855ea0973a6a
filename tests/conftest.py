"""Shared fixtures: the bundled sources, golden-file comparison, a temporary build."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files from the current output instead of comparing.",
    )


def normalise(data: Any) -> Any:
    """Golden form: sorted keys, floats rounded to 6 decimals."""
    if isinstance(data, float):
        return round(data, 6)
    if isinstance(data, dict):
        return {key: normalise(data[key]) for key in sorted(data)}
    if isinstance(data, (list, tuple)):
        return [normalise(item) for item in data]
    return data


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Any], None]:
    """Compare data with ``tests/golden/NAME.json`` (or rewrite it with --update-golden)."""

    def check(name: str, data: Any) -> None:
        path = GOLDEN / f"{name}.json"
        text = json.dumps(normalise(data), ensure_ascii=False, indent=1) + "\n"
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))

    return check


@pytest.fixture(scope="session")
def sources() -> Path:
    return SOURCES


def _feature(fid: str, geometry: dict[str, Any] | None, **props: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": f"計畫{fid}",
        "aliases": [],
        "layer": "water",
        "layer2": None,
        "program": "水環境建設",
        "place_bound": True,
        "period_start": None,
        "period_end": None,
        "budget_year": 2021,
        "budget_legal_twd": None,
        "budget_allocated_twd": None,
        "budget_executed_twd": None,
        "execution_rate_pct": None,
        "budget_rows": [],
        "status": "unknown",
        "counties": [],
        "towns": [],
        "precision": None,
        "places": [],
        "location_note": None,
    }
    base.update(props)
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": base}


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _multipoint(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "MultiPoint", "coordinates": [list(p) for p in points]}


@pytest.fixture
def register() -> dict[str, Any]:
    """A small located register (:func:`small_register`), a new copy for each test."""
    return small_register()


def small_register() -> dict[str, Any]:
    """A small located register: single- and multi-county projects, a nationwide programme,
    an unplaced project, and coordinates with more than 6 decimals."""
    money = {"budget_legal_twd": 100_000_000, "budget_allocated_twd": 100_000_000}
    features = [
        _feature(
            "p1",
            _point(120.31234567, 23.30987654),
            name="曾文水庫防淤工程計畫",
            aliases=["曾文防淤"],
            counties=["臺南市"],
            towns=["臺南市 楠西區"],
            precision=1,
            status="behind",
            period_start="2019-01-01",
            period_end="2024-12-31",
            budget_executed_twd=80_000_000,
            **money,
        ),
        _feature(
            "p2",
            _multipoint((120.3, 23.1), (120.4, 22.7)),
            name="南部區域供水管線計畫",
            counties=["臺南市", "高雄市"],
            towns=["臺南市 新營區", "高雄市 旗山區"],
            precision=2,
            status="on_track",
            budget_legal_twd=50_000_000,
            budget_allocated_twd=40_000_000,
            budget_executed_twd=40_000_000,
        ),
        _feature(
            "p3",
            _point(120.2, 22.8),
            name="台電興達電廠更新計畫",
            layer="energy",
            program="綠能建設",
            counties=["高雄市"],
            towns=["高雄市 永安區"],
            precision=3,
            status="completed",
            budget_year=2020,
            budget_legal_twd=200_000_000,
            budget_allocated_twd=200_000_000,
            budget_executed_twd=190_000_000,
        ),
        _feature(
            "p4",
            None,
            name="全國智慧電網計畫",
            layer="energy",
            program="綠能建設",
            place_bound=False,
            precision=6,
            status="behind",
            location_note="nationwide",
            budget_legal_twd=1_000_000_000,
            budget_allocated_twd=900_000_000,
            budget_executed_twd=450_000_000,
        ),
        _feature(
            "p5",
            None,
            name="數位轉型計畫",
            layer="other",
            program="數位建設",
            location_note="no place named in the reports",
            budget_rows=[{"year": 2021, "legal_twd": 1_000, "printed": "1"}],
        ),
        _feature(
            "p6",
            _point(120.6, 24.2),
            name="臺中精密機械園區",
            layer="industrial_park",
            program="城鄉建設",
            counties=["臺中市"],
            precision=4,
            status="planned",
            budget_legal_twd=5_000_000,
        ),
        _feature(
            "p7",
            _multipoint((120.25, 23.2), (120.45, 23.45)),
            name="八掌溪治理計畫",
            layer="disaster",
            counties=["臺南市", "嘉義縣"],
            towns=["嘉義縣 水上鄉"],
            precision=3,
            status="behind",
            budget_legal_twd=30_000_000,
            budget_allocated_twd=30_000_000,
            budget_executed_twd=10_000_000,
        ),
    ]
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture(scope="session")
def real_result(sources: Path) -> Any:
    """The build of the bundled documents: the one build of them the whole suite shares."""
    from layers.build import build

    return build(sources)


@pytest.fixture(scope="session")
def built_register(real_result: Any) -> dict[str, Any]:
    """The register of the bundled documents, placed by the offline gazetteer."""
    from layers.build import build_register

    return build_register(real_result)


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory, real_result: Any) -> Path:
    """A build folder holding that register and its report."""
    from layers.build import write_build

    folder = tmp_path_factory.mktemp("build")
    write_build(real_result, folder)
    return folder


@pytest.fixture
def counties_gdf() -> Any:
    """Three made-up squares standing in for data/boundaries/counties.geojson."""
    import geopandas
    from shapely.geometry import box

    return geopandas.GeoDataFrame(
        {
            "county_code": ["67000", "64000", "09007"],
            "county": ["台南市", "高雄市", "連江縣"],
            "county_en": ["Tainan City", "Kaohsiung City", "Lienchiang County"],
        },
        geometry=[
            box(120.0, 22.9, 120.6, 23.4),
            box(120.2, 22.5, 120.8, 22.9),
            box(119, 26, 120, 27),
        ],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="session")
def postgis(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A PostgreSQL + PostGIS server of this test session (each xdist worker its own), as the
    connection string of its first database (PostGIS, nothing else: the template of
    ``new_database``'s, never used itself)."""
    from tests.postgis import temporary_postgis

    with temporary_postgis() as server:
        yield server.dsn


@pytest.fixture(scope="session")
def new_database(postgis: str) -> Callable[[], str]:
    """Make an empty database (with PostGIS) on the session's server; its connection string."""
    import itertools

    import psycopg

    counter = itertools.count()

    def make() -> str:
        name = f"atlas_{next(counter)}"
        # a copy of the server's first database, which holds PostGIS and nothing else (much
        # faster than making the extension again); made from the maintenance database
        with psycopg.connect(postgis.replace("/atlas?", "/postgres?"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE atlas")
        return postgis.replace("/atlas?", f"/{name}?")

    return make
