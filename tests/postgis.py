"""A throwaway PostgreSQL + PostGIS server for the tests and benchmarks.

It runs Debian's own server binaries (``postgresql`` and ``postgresql-*-postgis-3``, installed by
``scripts/setup --test``) on a new cluster in a temporary folder, listening only on a Unix
socket there: nothing of the machine's own PostgreSQL is read or changed, and several test
workers each run their own. As root, the server runs as the ``postgres`` user (PostgreSQL
refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgisMissing", "Server", "temporary_postgis"]


class PostgisMissing(RuntimeError):
    """The machine has no PostgreSQL server binaries or no PostGIS extension."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        msg = "no PostgreSQL server (initdb) under /usr/lib/postgresql: run scripts/setup --test"
        raise PostgisMissing(msg)
    bin_dir = Path(found[-1]).parent
    version = bin_dir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
        msg = f"PostgreSQL {version} has no PostGIS extension: run scripts/setup --test"
        raise PostgisMissing(msg)
    return bin_dir


@dataclass
class Server:
    """A running throwaway server: its connection string, and a way to stop and restart it
    (a database that goes down and comes back)."""

    dsn: str
    start: Callable[[], None]
    stop: Callable[[], None]


@contextmanager
def temporary_postgis(*, settings: dict[str, str] | None = None) -> Iterator[Server]:
    """Start a new cluster with a ``atlas`` database holding PostGIS; yield the server (its
    ``dsn``: ``postgresql://…``); stop it and delete the cluster afterwards.

    Parameters
    ----------
    settings
        Server settings (``postgresql.conf`` names), e.g. ``{"shared_buffers": "1GB"}``.
    """
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data, socket = root / "data", root
    port = "5432"

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)

    options = {
        "listen_addresses": "''",
        "unix_socket_directories": f"'{socket}'",
        "fsync": "off",
        "full_page_writes": "off",
        "synchronous_commit": "off",
        "max_connections": "300",  # every app a test makes keeps a pool of its own
        **(settings or {}),
    }
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "atlas", "-E", "UTF8", "--no-locale")
        flags = " ".join(f"-c {key}={value}" for key, value in options.items())
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w"]

        def start() -> None:
            run(*pg_ctl, "-o", f"-p {port} {flags}", "start")

        def stop() -> None:
            run(*pg_ctl, "-m", "fast", "stop")

        start()
        run(str(bin_dir / "createdb"), "-h", str(socket), "-p", port, "-U", "atlas", "atlas")
        dsn = f"postgresql://atlas@/atlas?host={socket}&port={port}"
        run(str(bin_dir / "psql"), dsn, "-qc", "CREATE EXTENSION postgis")
        yield Server(dsn, start, stop)
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        detail = log.read_text() if log.exists() else ""
        msg = f"{exc.cmd[len(as_user)]} failed: {exc.stderr}{detail}"
        raise RuntimeError(msg) from exc
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
