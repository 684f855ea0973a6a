"""The register in PostGIS: the filter in SQL selects what the reference filter selects, values
never enter the SQL text, and a load is all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import DatabaseError
from layers import database
from layers.database import Database, load_build, where
from layers.filters import ProjectFilter, apply_filter
from layers.packed import load_packed
from tests.layers.test_columns import _filters
from webapp.config import DEFAULTS

BOUNDARIES = DEFAULTS["ATLAS_BOUNDARIES"]


def _build_folder(folder: Path, features: list[dict[str, Any]]) -> Path:
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "projects.geojson").write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    return folder


@pytest.fixture(params=["small", "real"])
def loaded(
    request: pytest.FixtureRequest,
    register: dict[str, Any],
    built_register: dict[str, Any],
    new_database: Callable[[], str],
    tmp_path: Path,
) -> Any:
    features = (register if request.param == "small" else built_register)["features"]
    folder = _build_folder(tmp_path, features)
    dsn = new_database()
    live = load_build(dsn, folder, BOUNDARIES)
    db = Database(dsn)
    yield features, db, live.id, load_packed(folder)
    db.close()


def test_the_sql_filter_selects_what_the_filter_selects(loaded: Any) -> None:
    features, db, build, _ = loaded

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_filters(features))
    def check(f: ProjectFilter) -> None:
        expected = [str(x["id"]) for x in apply_filter(features, f)]
        rows = db.rows(build, f)
        assert [str(features[row]["id"]) for row in rows] == expected

    check()


_coordinates = st.tuples(
    st.floats(118, 123, allow_nan=False),
    st.floats(21, 27, allow_nan=False),
    st.floats(118, 123, allow_nan=False),
    st.floats(21, 27, allow_nan=False),
)
_days = st.none() | st.dates(date(2000, 1, 1), date(2035, 12, 31))


def test_the_sql_bbox_and_period_are_the_columns(loaded: Any) -> None:
    """The API's bbox (antimeridian and empty boxes included) and datetime, in SQL, select what
    the packed register's arrays select."""
    _, db, build, packed = loaded

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_coordinates, st.tuples(_days, _days), st.booleans(), st.booleans())
    def check(bbox: Any, interval: Any, use_bbox: bool, use_period: bool) -> None:
        box = bbox if use_bbox else None
        period = interval if use_period else None
        expected = np.flatnonzero(packed.mask(ProjectFilter(), bbox=box, interval=period))
        assert db.rows(build, ProjectFilter(), bbox=box, interval=period).tolist() == list(expected)

    check()


@given(st.text(min_size=1, max_size=12).filter(lambda q: "\x00" not in q))
@settings(max_examples=100, deadline=None)
def test_no_value_is_written_into_the_sql_text(q: str) -> None:
    marker = f"zz{q}zz"
    f = ProjectFilter(q=marker, town=marker, program=marker, counties=(marker,))
    condition, params = where(f, bbox=(1.5, 2.5, 3.5, 4.5), interval=(date(2020, 1, 2), None))
    text = condition.as_string(None)  # the SQL text as written, placeholders unfilled
    assert "zz" not in text
    assert "1.5" not in text
    assert str(date(2020, 1, 2).toordinal()) not in text
    assert params["town"] == marker
    assert params["counties"] == [marker]


def test_a_failed_load_leaves_the_live_build_as_it_was(
    register: dict[str, Any],
    new_database: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _build_folder(tmp_path, register["features"])
    dsn = new_database()
    first = load_build(dsn, folder, BOUNDARIES)

    def broken(*args: Any) -> None:
        raise psycopg.errors.StringDataRightTruncation("value too long for the column")

    monkeypatch.setattr(database, "_copy_file", broken)  # after the projects were copied
    with pytest.raises(DatabaseError, match="refused the load: value too long"):
        load_build(dsn, folder, BOUNDARIES)
    monkeypatch.undo()
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT id FROM builds").fetchall() == [(first.id,)]
        assert conn.execute("SELECT count(*) FROM projects").fetchone() == (
            len(register["features"]),
        )
    db = Database(dsn)
    assert db.live() == first
    db.close()


def test_loads_keep_the_live_build_and_the_one_before(
    register: dict[str, Any], new_database: Callable[[], str], tmp_path: Path
) -> None:
    folder = _build_folder(tmp_path, register["features"])
    dsn = new_database()
    builds = [load_build(dsn, folder, BOUNDARIES) for _ in range(3)]
    with psycopg.connect(dsn) as conn:
        kept = conn.execute("SELECT id, live FROM builds ORDER BY id").fetchall()
        counties = conn.execute("SELECT count(DISTINCT build), count(*) FROM counties").fetchone()
    assert kept == [(builds[1].id, False), (builds[2].id, True)]
    assert counties == (2, 44)


def test_an_empty_database_and_an_unreachable_one_are_clear_errors(
    new_database: Callable[[], str],
) -> None:
    db = Database(new_database(), timeout=1)
    with pytest.raises(DatabaseError, match="holds no build: run `infra-atlas load"):
        db.live()
    db.close()
    nowhere = Database("postgresql://atlas@/atlas?host=/nonexistent&port=1", timeout=1)
    with pytest.raises(DatabaseError, match="the database cannot be reached"):
        nowhere.live()
    nowhere.close()
