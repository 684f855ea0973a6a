"""The app factory, its settings and its error responses."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

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
