"""The app factory, its settings and its error responses."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache

from geo.errors import BuildError
from webapp import create_app
from webapp.config import load_config


def test_unknown_data_url_is_a_problem_response(client: FlaskClient) -> None:
    response = client.get("/api/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json is not None
    assert response.json["status"] == 404


def test_app_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="infra-atlas build"):
        create_app({"ATLAS_BUILD": tmp_path})


def test_offline_is_the_default_and_tiles_are_checked() -> None:
    config = load_config({})
    assert config["ATLAS_OFFLINE"] is True
    assert config["ATLAS_TILES"] == ()
    assert load_config({"ATLAS_TILES": "osm, nlsc"})["ATLAS_TILES"] == ("osm", "nlsc")
    with pytest.raises(ValueError, match="unknown basemap 'google'"):
        load_config({"ATLAS_TILES": "google"})


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_OFFLINE", "false")
    monkeypatch.setenv("ATLAS_TILES", "nlsc")
    config = load_config({})
    assert config["ATLAS_OFFLINE"] is False
    assert config["ATLAS_TILES"] == ("nlsc",)


def test_the_real_build_is_loaded(client: FlaskClient) -> None:
    atlas = client.application.extensions["atlas"]
    assert len(atlas.features) == len(atlas.by_id) > 300


def test_compiled_templates_are_kept_for_the_next_start(real_build: Path, tmp_path: Path) -> None:
    """The first app compiles the page's templates into ATLAS_CACHE/templates (made for this
    user alone); the next renders the same page from them."""
    cache = tmp_path / "cache"
    first = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_CACHE": cache})
    page = first.test_client().get("/").get_data()
    kept = sorted((cache / "templates").iterdir())
    assert kept  # one file per template the page used
    assert (cache / "templates").stat().st_mode & 0o777 == 0o700
    assert cache.stat().st_mode & 0o777 == 0o700
    again = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_CACHE": cache})
    assert isinstance(again.jinja_env.bytecode_cache, FileSystemBytecodeCache)
    assert _without_map_names(again.test_client().get("/").get_data()) == _without_map_names(page)
    assert sorted((cache / "templates").iterdir()) == kept


def test_pages_are_served_when_the_template_folder_fails(
    real_build: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A folder of compiled templates removed while the server runs (a cleaner of temporary
    files), or a damaged file in it: the templates are compiled from their sources, and the
    pages are served."""
    cache = tmp_path / "cache"
    first = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_CACHE": cache})
    assert first.test_client().get("/").status_code == 200
    for kept in (cache / "templates").iterdir():
        kept.write_bytes(kept.read_bytes()[:40])  # cut short
    damaged = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_CACHE": cache})
    assert damaged.test_client().get("/?lang=en").status_code == 200
    assert "could not be read" in caplog.text
    removed = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_CACHE": cache})
    shutil.rmtree(cache)
    assert removed.test_client().get("/").status_code == 200
    assert "could not be kept" in caplog.text


def test_a_template_folder_others_may_write_is_not_used(
    real_build: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Compiled templates run as the app's own code: from a folder another user could write
    they are not read, and the pages are served all the same."""
    shared = tmp_path / "shared"
    (shared / "templates").mkdir(parents=True)
    shared.chmod(0o777)
    app = create_app({"TESTING": True, "ATLAS_BUILD": real_build, "ATLAS_CACHE": shared})
    assert app.jinja_env.bytecode_cache is None
    assert "is not this user's alone" in caplog.text
    assert app.test_client().get("/").status_code == 200
    assert list((shared / "templates").iterdir()) == []


def _without_map_names(page: bytes) -> bytes:
    """A page without folium's element names (random at each render)."""
    return re.sub(rb"_[0-9a-f]{32}(?=\b|_)", b"_", page)
