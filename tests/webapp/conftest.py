"""Web app fixtures: the app on the real build and on the small register, a live server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import small_register
from webapp import create_app

#: The stores the app is tested on: a build folder, and a PostGIS database it was loaded into.
STORES = ("folder", "postgis")


def app_of(build: Path, store: str, request: pytest.FixtureRequest, **config: Any) -> Flask:
    """The app serving ``build``: from the folder, or from a PostGIS database it was loaded
    into (one database per register of the session: the apps only read it)."""
    if store == "folder":
        return create_app({"TESTING": True, "ATLAS_BUILD": build, **config})
    dsn, cache = request.getfixturevalue("loaded_database")(build)
    settings = {"TESTING": True, "ATLAS_DATABASE": dsn, "ATLAS_CACHE": cache, **config}
    return create_app(settings)


@pytest.fixture(scope="session")
def loaded_database(
    new_database: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Path], tuple[str, Path]]:
    """The database a build's register was loaded into, and the folder of its served copy:
    made the first time the register is asked for, then shared."""
    from layers.database import load_build
    from layers.export import register_file_digest
    from webapp.config import DEFAULTS

    loaded: dict[str, tuple[str, Path]] = {}

    def of(build: Path) -> tuple[str, Path]:
        key = register_file_digest(build / "projects.geojson")
        if key not in loaded:
            dsn = new_database()
            load_build(dsn, build, DEFAULTS["ATLAS_BOUNDARIES"])
            loaded[key] = dsn, tmp_path_factory.mktemp("db-cache")
        return loaded[key]

    return of


@pytest.fixture(scope="session")
def file_app(real_build: Path) -> Flask:
    """The app serving the real build from its folder, offline."""
    return create_app({"TESTING": True, "ATLAS_BUILD": real_build})


@pytest.fixture(scope="session", params=STORES)
def real_app(request: pytest.FixtureRequest, real_build: Path, file_app: Flask) -> Iterator[Flask]:
    """The app serving the real build, offline: from its folder and from PostGIS."""
    if request.param == "folder":
        yield file_app
        return
    app = app_of(real_build, request.param, request)
    yield app
    app.extensions["atlas_live"].database.close()


@pytest.fixture
def client(real_app: Flask) -> FlaskClient:
    return real_app.test_client()


def _holding(folder: Path, register: dict[str, Any]) -> Path:
    """``folder``, made a build folder holding ``register``."""
    (folder / "projects.geojson").write_text(
        json.dumps(register, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.fixture
def small_build(tmp_path: Path, register: dict[str, Any]) -> Path:
    """A build folder holding the small register of tests/conftest.py."""
    return _holding(tmp_path, register)


@pytest.fixture(scope="session", params=STORES)
def small_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app serving the small register, from its folder and from PostGIS: one of each for
    the session, as the real build's (the tests only read; a test that changes a build makes
    its own app from ``small_build``)."""
    folder = _holding(tmp_path_factory.mktemp("small-build"), small_register())
    app = app_of(folder, request.param, request)
    yield app
    if "atlas_live" in app.extensions:
        app.extensions["atlas_live"].database.close()


@pytest.fixture
def small_client(small_app: Flask) -> FlaskClient:
    return small_app.test_client()


@pytest.fixture(scope="session")
def live_server(file_app: Flask) -> Iterator[str]:
    """The real app (from its build folder) under waitress on a free local port; yields its
    base URL."""
    import waitress

    server = waitress.create_server(file_app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    server.close()
