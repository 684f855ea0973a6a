"""What the benchmarks share: the data they run on and servers started as subprocesses.

Every server listens on 127.0.0.1 only; every benchmark sends traffic there and nowhere else.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "REAL",
    "ROOT",
    "SYNTHETIC",
    "atlas_server",
    "free_port",
    "pad",
    "pygeoapi_server",
    "real_build",
    "run_server",
    "server_env",
    "synthetic",
]

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data" / "build"
SYNTHETIC = ROOT / "data" / "build" / "synthetic"


@contextlib.contextmanager
def atlas_server(folder: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[int]:
    """``infra-atlas serve`` on ``folder`` and a free port, with ``options`` (and ``env`` over
    the environment); yields the port."""
    port = free_port()
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "-q", "serve"]
    command += ["--build", str(folder), "--port", str(port), *options]
    env = server_env() | {"PYTHONPATH": str(ROOT)} | (env or {})
    with run_server(command, env, port, "/api/collections") as running:
        yield running


@contextlib.contextmanager
def run_server(command: list[str], env: dict[str, str], port: int, ready: str) -> Iterator[int]:
    """Start a server, wait until ``ready`` answers 200 (the first API request also prepares
    the collections), yield its port and stop it."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                msg = f"{command[0]} stopped: {error[-2000:]}"
                raise RuntimeError(msg)
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                connection.request("GET", ready)
                if connection.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                msg = f"{command[0]} did not answer on port {port}"
                raise RuntimeError(msg)
            time.sleep(0.02)  # start-up is timed to this step
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def server_env() -> dict[str, str]:
    """The environment without proxies: every request goes to 127.0.0.1."""
    proxies = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
    env = {k: v for k, v in os.environ.items() if k.lower() not in proxies}
    return env | {"NO_PROXY": "127.0.0.1,localhost"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def real_build() -> Path:
    """The build of the bundled documents (made first if missing)."""
    if not (REAL / "projects.geojson").exists():
        from layers.build import build, write_build

        write_build(build(ROOT / "data" / "sources"), REAL)
    return REAL


def synthetic() -> Path:
    """The synthetic 100,000-project register (made first if missing)."""
    if not (SYNTHETIC / "projects.geojson").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "make_synthetic.py")],
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
            check=True,
        )
    return SYNTHETIC


@contextlib.contextmanager
def pygeoapi_server(
    venv: Path, provider: dict[str, object], *, threads: int, ready: str
) -> Iterator[int]:
    """pygeoapi (from its own virtual environment ``venv``) under waitress with ``threads``,
    serving one collection, ``projects``, from ``provider`` (a pygeoapi provider's
    configuration); yields its port once ``ready`` answers."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-pygeoapi-") as tmp:
        config, openapi = Path(tmp) / "config.yml", Path(tmp) / "openapi.yml"
        # JSON is YAML: the configuration is written without a YAML library
        text = json.dumps(_pygeoapi_config(provider, port), indent=1)
        config.write_text(text, encoding="utf-8")
        env = server_env() | {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        generate = [str(venv / "bin" / "pygeoapi"), "openapi", "generate", str(config)]
        subprocess.run(
            [*generate, "--output-file", str(openapi)], env=env, check=True, capture_output=True
        )
        command = [str(venv / "bin" / "waitress-serve"), f"--threads={threads}"]
        command += [f"--listen=127.0.0.1:{port}", "pygeoapi.flask_app:APP"]
        with run_server(command, env, port, ready) as running:
            yield running


def _pygeoapi_config(provider: dict[str, object], port: int) -> dict[str, object]:
    url = f"http://127.0.0.1:{port}"
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "Taiwan Infrastructure Atlas (benchmark)",
                "description": "The atlas register served by pygeoapi for comparison",
                "keywords": ["infrastructure"],
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": url,
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "benchmark", "url": url},
            "contact": {"name": "benchmark", "email": "nobody@example.org"},
        },
        "resources": {
            "projects": {
                "type": "collection",
                "title": "All projects",
                "description": "Every project of the register",
                "keywords": ["projects"],
                "extents": {
                    "spatial": {
                        "bbox": [118.0, 21.5, 122.5, 26.5],
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [provider],
            }
        },
    }


def get_geojson(connection: http.client.HTTPConnection, path: str) -> bytes:
    """The body of a GET asking for GeoJSON on a kept-alive connection; anything but a 200 is
    an error."""
    connection.request("GET", path, headers={"Accept": "application/geo+json"})
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        msg = f"GET {path}: {response.status} {data[:300]!r}"
        raise RuntimeError(msg)
    return data


def number_matched(data: bytes) -> int | None:
    """An OGC API answer's ``numberMatched``, if it gives one."""
    body = json.loads(data)
    matched = body.get("numberMatched") if isinstance(body, dict) else None
    return int(matched) if matched is not None else None


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a CJK character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 0)
