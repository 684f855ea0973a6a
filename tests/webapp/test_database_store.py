"""Served from PostGIS: hostile parameters are values, never SQL; a database that goes down is a
503 in the reader's form, and the server answers again when it returns; a new load is served by
every server sharing the database."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import DatabaseError
from layers.database import Database, DatabaseRegister, load_build
from layers.filters import ProjectFilter
from layers.packed import load_packed
from layers.params import FILTER_KEYS
from tests.layers.test_columns import _filters
from tests.postgis import temporary_postgis
from webapp import create_app
from webapp.config import DEFAULTS
from webapp.mapdata import MarkerPoints, database_markers, database_view, view_markers

HOSTILE = (
    "'; DROP TABLE projects; --",
    "臺南市' OR '1'='1",
    "1 OR 1=1",
    "%(build)s",
    "{}",
    "$1",
    "\x00",
    "\\'; SELECT pg_sleep(10); --",
    "ARRAY['a']::text[]) OR TRUE --",
)
#: Every parameter a request of the map, the downloads or the API takes.
PARAMS = (*FILTER_KEYS, "bbox", "datetime", "limit", "offset", "z", "sort", "page", "f", "lang")
PATHS = (
    "/api/collections/projects/items",
    "/api/collections/counties/items",
    "/export.csv",
    "/markers.json",
    "/",
)


def _tables(dsn: str) -> tuple[Any, ...]:
    with psycopg.connect(dsn) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            for table in ("builds", "projects", "sites", "counties", "build_files")
        )


def _content(response: Any) -> Any:
    """What an answer says: JSON without its time stamp, other bytes as they are; a page only
    by its status (its map has ids of its own each time)."""
    if response.mimetype == "text/html":
        return None
    if "json" in response.mimetype:
        data = response.get_json(force=True)
        return (
            {k: v for k, v in data.items() if k != "timeStamp"} if isinstance(data, dict) else data
        )
    return response.data


@pytest.fixture(scope="module")
def pair(real_build: Path, new_database: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The real build served from its folder and from a database it was loaded into."""
    dsn = new_database()
    load_build(dsn, real_build, DEFAULTS["ATLAS_BOUNDARIES"])
    cache = tmp_path_factory.mktemp("cache")
    folder = create_app({"TESTING": True, "ATLAS_BUILD": real_build})
    db = create_app({"TESTING": True, "ATLAS_DATABASE": dsn, "ATLAS_CACHE": cache})
    yield folder.test_client(), db.test_client(), dsn
    _close(db)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_parameter_are_answered_as_values(pair: Any, value: str) -> None:
    folder, db, dsn = pair
    before = _tables(dsn)
    for path in PATHS:
        for key in PARAMS:
            url = f"{path}?{urlencode({key: value})}"
            expected, found = folder.get(url), db.get(url)
            assert found.status_code < 500, url
            assert found.status_code == expected.status_code, url
            assert _content(found) == _content(expected), url
    with psycopg.connect(dsn) as conn:  # the searches ran, as searches
        assert conn.execute("SELECT count(*) FROM projects").fetchone() == before[1]
    assert _tables(dsn) == before


def test_a_search_for_sql_finds_what_it_says(pair: Any) -> None:
    """Free text reaches the database only as a bound value: a quote is a character."""
    folder, db, _ = pair
    for q in ("水庫", "水庫' OR '1'='1", "%", "_"):
        url = f"/api/collections/projects/items?{urlencode({'q': q, 'limit': 1000})}"
        assert (
            db.get(url).get_json()["numberMatched"] == folder.get(url).get_json()["numberMatched"]
        ), q
    url = f"/api/collections/projects/items?{urlencode({'q': '%'})}"
    assert db.get(url).get_json()["numberMatched"] == 0  # not LIKE's wildcard


def test_a_database_that_goes_down_is_a_503_and_the_server_recovers(
    real_build: Path, tmp_path: Path
) -> None:
    with temporary_postgis() as server:
        load_build(server.dsn, real_build, DEFAULTS["ATLAS_BOUNDARIES"])
        app = create_app(
            {
                "TESTING": True,
                "ATLAS_DATABASE": server.dsn,
                "ATLAS_CACHE": tmp_path,
                "ATLAS_DB_TIMEOUT": 1,
            }
        )
        client = app.test_client()
        items = "/api/collections/projects/items?county=臺南市"
        answer = client.get(items)
        assert answer.status_code == 200
        server.stop()
        down = client.get(items)
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "5"
        assert down.mimetype == "application/problem+json"
        problem = down.get_json()
        assert problem["status"] == 503
        assert problem["detail"] == "the database is unavailable: try again in a moment"
        assert "postgres" not in down.get_data(as_text=True).lower()
        page = client.get("/county/臺南市")
        assert page.status_code == 503
        assert page.mimetype == "text/html"
        assert "資料暫時無法取得" in page.get_data(as_text=True)
        english = client.get("/?lang=en")
        assert "The data is unavailable for a moment" in english.get_data(as_text=True)
        with client.get("/static/vendor/leaflet-1.9.4/leaflet.js") as static:
            assert static.status_code == 200  # files need no database
        server.start()
        waited = 0.0
        while (again := client.get(items)).status_code == 503 and waited < 30:
            time.sleep(0.5)  # the pool connects again in the background, backing off
            waited += 0.5
        assert again.status_code == 200
        assert again.get_json()["features"] == answer.get_json()["features"]
        _close(app)


def test_a_new_load_is_served_by_every_server_sharing_the_database(
    real_build: Path, small_build: Path, new_database: Any, tmp_path: Path
) -> None:
    dsn = new_database()
    load_build(dsn, real_build, DEFAULTS["ATLAS_BOUNDARIES"])
    servers: list[Flask] = [
        create_app({"TESTING": True, "ATLAS_DATABASE": dsn, "ATLAS_CACHE": tmp_path / name})
        for name in ("one", "two")
    ]
    url = "/api/collections/projects/items?limit=1"
    counts = {s.test_client().get(url).get_json()["numberMatched"] for s in servers}
    real = len(json.loads((real_build / "projects.geojson").read_text())["features"])
    assert counts == {real}
    small = load_build(dsn, small_build, DEFAULTS["ATLAS_BOUNDARIES"])
    for server in servers:
        client = server.test_client()
        assert client.get(url).get_json()["numberMatched"] == small.projects
        page = client.get("/").get_data(as_text=True)
        assert "曾文水庫防淤工程計畫" in page  # the small register's, not a cached page
    third = load_build(dsn, real_build, DEFAULTS["ATLAS_BOUNDARIES"])
    assert servers[0].test_client().get(url).get_json()["numberMatched"] == real
    copies = sorted(path.name.split("-")[1] for path in (tmp_path / "one").glob("build-*"))
    assert copies == [str(third.id - 1), str(third.id)]  # the first build's copy is gone
    for server in servers:
        _close(server)


def _close(app: Flask) -> None:
    """Close an app's pool of connections (its threads, before the collector finds them)."""
    app.extensions["atlas_live"].database.close()


_views = st.tuples(
    st.floats(118, 123, allow_nan=False),
    st.floats(21, 27, allow_nan=False),
    st.floats(118, 123, allow_nan=False),
    st.floats(21, 27, allow_nan=False),
)


@pytest.mark.parametrize("which", ["small", "real"])
def test_the_database_counts_and_clusters_the_map_as_the_arrays_do(
    which: str,
    register: dict[str, Any],
    built_register: dict[str, Any],
    new_database: Any,
    tmp_path: Path,
) -> None:
    """Every view (any filter, box — crossing the antimeridian or empty — zoom and limit): the
    database's count, rows and clusters are the arrays' (:func:`view_markers`), exactly."""
    features = (register if which == "small" else built_register)["features"]
    folder = tmp_path / "build"
    folder.mkdir()
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "projects.geojson").write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    dsn = new_database()
    load_build(dsn, folder, DEFAULTS["ATLAS_BOUNDARIES"])
    database = Database(dsn)
    on_db = DatabaseRegister.open(database, database.live(), tmp_path / "cache")
    packed = load_packed(folder)

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_filters(features), _views, st.integers(0, 18), st.sampled_from([1, 3, 20, 5000]))
    def check(f: ProjectFilter, bbox: Any, zoom: int, limit: int) -> None:
        points = MarkerPoints.of_selection(packed.select(f), f.counties)
        expected = view_markers(points, bbox, zoom, limit=limit)
        assert database_view(on_db, f, bbox, zoom, limit=limit) == expected
        every = database_markers(on_db, f, limit=limit)
        if len(points.rows) <= limit:
            assert every == points.marker_rows()
        else:
            assert every == {"layers": points.layers, "rows": [], "by_view": len(points.rows)}

    try:
        check()
    finally:
        database.close()


def test_a_copy_folder_others_may_write_is_refused(
    real_build: Path, new_database: Any, tmp_path: Path
) -> None:
    """A build copy another user could write would be served as the build: refused."""
    dsn = new_database()
    load_build(dsn, real_build, DEFAULTS["ATLAS_BOUNDARIES"])
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(DatabaseError, match="is not this user's alone: set ATLAS_CACHE"):
        create_app({"TESTING": True, "ATLAS_DATABASE": dsn, "ATLAS_CACHE": shared})
    made = tmp_path / "made" / "here"
    _close(create_app({"TESTING": True, "ATLAS_DATABASE": dsn, "ATLAS_CACHE": made}))
    assert made.stat().st_mode & 0o777 == 0o700
