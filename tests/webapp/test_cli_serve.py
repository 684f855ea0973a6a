"""``infra-atlas serve`` as the README runs it: the installed command, a real port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(real_build: Path) -> Iterator[str]:
    command = shutil.which("infra-atlas")
    assert command, "the infra-atlas command is not installed: run ./scripts/setup"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        [command, "serve", "--build", str(real_build), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        try:
            _wait_until_up(process, base)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_up(process: subprocess.Popen[str], base: str) -> None:
    for _ in range(150):  # up to 15 s for the first answer
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"serve exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(f"{base}/api", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("serve did not answer within 15 s")


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/", "text/html"),
        ("/county/%E8%87%BA%E5%8D%97%E5%B8%82", "text/html"),
        ("/api", "application/json"),
        ("/api/collections/projects/items?limit=1", "application/geo+json"),
        ("/static/vendor/leaflet-1.9.4/leaflet.js", "text/javascript"),
    ],
)
def test_the_command_serves_the_map_and_the_api(served: str, path: str, media: str) -> None:
    with urllib.request.urlopen(f"{served}{path}", timeout=10) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == media
        assert response.headers["Server"] == "infra-atlas"  # waitress, not Flask's dev server


def test_idle_connections_do_not_shut_out_a_new_client(served: str) -> None:
    """200 browsers holding idle connections (waitress's own limit is 100) leave room."""
    port = int(served.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(200)]
    try:
        time.sleep(0.5)  # the server has accepted them all
        with urllib.request.urlopen(f"{served}/api/conformance", timeout=5) as response:
            assert response.status == 200
    finally:
        for connection in idle:
            connection.close()


def test_the_api_answers_without_the_map_s_imports(real_build: Path) -> None:
    """folium (with pandas) is half a second of a start: the API and downloads of a starting
    server do not wait for it; the first map page imports it. serve's preparation makes that
    page and switches the collector back on (a process of its own: the test's stays as it is)."""
    script = (
        "import gc, sys; from pathlib import Path; from webapp import create_app\n"
        "from webapp.cli import _prepare\n"
        "gc.disable()\n"
        f"app = create_app({{'ATLAS_BUILD': Path({str(real_build)!r})}})\n"
        "for path in ('/api/collections', '/api/collections/projects/items?limit=5',"
        " '/markers.json', '/export.csv?county=臺南市'):\n"
        "    assert app.test_client().get(path).status_code == 200, path\n"
        "print('folium' in sys.modules)\n"
        "_prepare(app)\n"
        "assert app.test_client().get('/').status_code == 200\n"
        "print('folium' in sys.modules, gc.isenabled())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "True", "True"]
