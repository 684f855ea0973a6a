"""What the benchmarks share: the data they run on and servers started as subprocesses.

Every server listens on 127.0.0.1 only; every benchmark sends traffic there and nowhere else.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "REAL",
    "ROOT",
    "SYNTHETIC",
    "atlas_server",
    "free_port",
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
            time.sleep(0.3)
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
