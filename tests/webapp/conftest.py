"""Web app fixtures: the app on the real build and on the small register, a live server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app


@pytest.fixture(scope="session")
def real_app(real_build: Path) -> Flask:
    """The app serving the real build, offline."""
    return create_app({"TESTING": True, "ATLAS_BUILD": real_build})


@pytest.fixture
def client(real_app: Flask) -> FlaskClient:
    return real_app.test_client()


@pytest.fixture
def small_build(tmp_path: Path, register: dict[str, Any]) -> Path:
    """A build folder holding the small register of tests/conftest.py."""
    (tmp_path / "projects.geojson").write_text(
        json.dumps(register, ensure_ascii=False), encoding="utf-8"
    )
    return tmp_path


@pytest.fixture
def small_app(small_build: Path) -> Flask:
    return create_app({"TESTING": True, "ATLAS_BUILD": small_build})


@pytest.fixture
def small_client(small_app: Flask) -> FlaskClient:
    return small_app.test_client()


@pytest.fixture(scope="session")
def live_server(real_app: Flask) -> Iterator[str]:
    """The real app under waitress on a free local port; yields its base URL."""
    import waitress

    server = waitress.create_server(real_app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    server.close()
