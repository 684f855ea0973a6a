"""``infra-atlas load --db`` and ``serve --db`` as a user runs them: the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg

from tests.webapp.test_cli_serve import _free_port, _wait_until_up


def _infra_atlas(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = shutil.which("infra-atlas")
    assert command, "the infra-atlas command is not installed: run ./scripts/setup"
    return subprocess.run(
        [command, *args], capture_output=True, text=True, timeout=120, env=os.environ | env
    )


def test_load_then_serve_the_database(
    real_build: Path, new_database: Callable[[], str], tmp_path: Path
) -> None:
    dsn = new_database()
    loaded = _infra_atlas("load", "--db", dsn, "--build", str(real_build))
    assert loaded.returncode == 0, loaded.stderr
    projects = len(json.loads((real_build / "projects.geojson").read_text())["features"])
    assert f"loaded {projects} projects" in loaded.stderr
    assert "build 1 is live" in loaded.stderr
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM projects").fetchone() == (projects,)
        indexes = {row[0] for row in conn.execute("SELECT indexname FROM pg_indexes")}
    assert {"projects_geometry", "projects_counties", "projects_budget"} <= indexes

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = shutil.which("infra-atlas")
    assert command
    with subprocess.Popen(
        [command, "serve", "--db", dsn, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "ATLAS_CACHE": str(tmp_path / "cache")},
    ) as process:
        try:
            _wait_until_up(process, base)
            url = f"{base}/api/collections/projects/items?county=%E8%87%BA%E5%8D%97%E5%B8%82"
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
                assert json.load(response)["numberMatched"] > 0
        finally:
            process.terminate()
            process.wait(timeout=10)
        assert f"serving {projects} projects from the database" in (process.stdout.read() or "")


def test_a_database_that_cannot_be_reached_is_one_line(real_build: Path) -> None:
    nowhere = "postgresql://atlas@/atlas?host=/nonexistent&port=1"
    loaded = _infra_atlas("load", "--db", nowhere, "--build", str(real_build))
    assert loaded.returncode == 1
    assert "Error: the database cannot be reached" in loaded.stderr
    assert "Traceback" not in loaded.stderr
    # the server waits ATLAS_DB_TIMEOUT seconds for a connection before it gives up
    served = _infra_atlas(
        "serve", "--db", nowhere, "--port", str(_free_port()), ATLAS_DB_TIMEOUT="1"
    )
    assert served.returncode == 2
    assert "the database cannot be reached" in served.stderr
    assert "Traceback" not in served.stderr


def test_an_empty_database_says_what_to_run(new_database: Callable[[], str]) -> None:
    served = _infra_atlas("serve", "--db", new_database(), "--port", str(_free_port()))
    assert served.returncode == 2
    assert "holds no build: run `infra-atlas load --db …` first" in served.stderr
