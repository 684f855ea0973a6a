"""The web app's settings, with their defaults.

Every key may be given to :func:`webapp.create_app` or set in the environment with the same
name (``ATLAS_TILES=osm infra-atlas serve``); the command's options set them too.

``ATLAS_BUILD``
    The build folder whose ``projects.geojson`` is served (default ``data/build``).
``ATLAS_DATABASE``
    A PostgreSQL + PostGIS database (``postgresql://…``) to serve the live build of, loaded by
    ``infra-atlas load --db``, instead of ``ATLAS_BUILD`` (default none: the build folder).
``ATLAS_CACHE``
    This user's folder of what a server keeps between starts (default ``infra-atlas-<uid>`` in
    the system's temporary folder; made readable by this user only, and a folder others may
    write to is not used): the compiled page templates and, served from a database, the copy
    of the live build's files. Servers on one machine share it.
``ATLAS_DB_POOL``
    Connections to the database the server keeps (default 8).
``ATLAS_DB_TIMEOUT``
    Seconds a request waits for a connection before it is answered 503 (default 5).
``ATLAS_BOUNDARIES``
    The folder of ``counties.geojson`` and ``towns.geojson`` (default ``data/boundaries``).
``ATLAS_TILES``
    The basemaps offered, comma-separated, from :data:`BASEMAPS` (``osm``, ``nlsc``), or
    ``none`` (default): the map then draws the county and town boundaries only.
``ATLAS_OFFLINE``
    ``1``/``true`` turns every tile layer off whatever ``ATLAS_TILES`` says: the page then makes
    no request to any other host (default true).

Serving (``infra-atlas serve``; waitress and the heavy-work gate):

``ATLAS_THREADS``
    Worker threads answering requests (default 8).
``ATLAS_CONNECTION_LIMIT``
    Open connections the server keeps, idle keep-alive ones included (default 1000; waitress's
    own default, 100, lets a hundred idle browsers shut everyone else out).
``ATLAS_CHANNEL_TIMEOUT``
    Seconds an idle connection is kept open (default 30).
``ATLAS_EXPORT_SLOTS``
    Heavy answers (downloads, API pages of more than 1,000 items, API CSV) computed at once;
    the others wait for a slot (default 2), so that they never take every thread from the
    light requests.
``ATLAS_EXPORT_WAIT``
    Seconds a heavy request waits for a slot before it is answered 503 with Retry-After
    (default 60).
``ATLAS_EXPORT_CACHE_MB``
    Megabytes of finished downloads kept for repeated filters (default 256; 0 keeps none).
``ATLAS_STREAM_ABOVE``
    A download of more projects than this (default 20,000) is sent as it is made, in a slot of
    the heavy-work gate, and not kept: GeoJSON and CSV as they are written, a GeoPackage from
    its temporary file once written. Smaller ones are made whole and kept for repeats.
``ATLAS_MARKER_LIMIT``
    The most marker points the map is sent at once (default 5,000). A filter with more is
    mapped by view: clusters the server counts on a grid, exact markers once a view holds
    this many or fewer.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

__all__ = ["BASEMAPS", "DEFAULTS", "load_config"]

ROOT: Final = Path(__file__).resolve().parent.parent

#: Tile basemaps a deployment may offer: key → (label, URL template, attribution).
BASEMAPS: Final[dict[str, tuple[str, str, str]]] = {
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "nlsc": (
        "通用版電子地圖 (NLSC)",
        "https://wmts.nlsc.gov.tw/wmts/EMAP/default/GoogleMapsCompatible/{z}/{y}/{x}",
        "&copy; 內政部國土測繪中心",
    ),
}

DEFAULTS: Final[dict[str, Any]] = {
    "ATLAS_BUILD": ROOT / "data" / "build",
    "ATLAS_BOUNDARIES": ROOT / "data" / "boundaries",
    "ATLAS_DATABASE": None,
    "ATLAS_CACHE": Path(tempfile.gettempdir()) / f"infra-atlas-{os.getuid()}",
    "ATLAS_DB_POOL": 8,
    "ATLAS_DB_TIMEOUT": 5,
    "ATLAS_TILES": (),
    "ATLAS_OFFLINE": True,
    "ATLAS_THREADS": 8,
    "ATLAS_CONNECTION_LIMIT": 1000,
    "ATLAS_CHANNEL_TIMEOUT": 30,
    "ATLAS_EXPORT_SLOTS": 2,
    "ATLAS_EXPORT_WAIT": 60,
    "ATLAS_EXPORT_CACHE_MB": 256,
    "ATLAS_MARKER_LIMIT": 5000,
    "ATLAS_STREAM_ABOVE": 20_000,
}
#: The settings that are whole numbers, with the least each may be.
_COUNTS: Final[dict[str, int]] = {
    "ATLAS_THREADS": 1,
    "ATLAS_DB_POOL": 1,
    "ATLAS_DB_TIMEOUT": 1,
    "ATLAS_CONNECTION_LIMIT": 1,
    "ATLAS_CHANNEL_TIMEOUT": 1,
    "ATLAS_EXPORT_SLOTS": 1,
    "ATLAS_EXPORT_WAIT": 0,
    "ATLAS_EXPORT_CACHE_MB": 0,
    "ATLAS_MARKER_LIMIT": 1,
    "ATLAS_STREAM_ABOVE": 0,
}


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The settings: defaults, then the environment, then ``overrides``; values checked.

    Raises
    ------
    ValueError
        An unknown basemap (the message lists those that exist), or a count that is not a
        whole number in range.
    """
    config = dict(DEFAULTS)
    for key in DEFAULTS:
        if key in os.environ:
            config[key] = os.environ[key]
    config.update(overrides or {})
    config["ATLAS_BUILD"] = Path(config["ATLAS_BUILD"])
    config["ATLAS_BOUNDARIES"] = Path(config["ATLAS_BOUNDARIES"])
    config["ATLAS_CACHE"] = Path(config["ATLAS_CACHE"])
    config["ATLAS_DATABASE"] = config["ATLAS_DATABASE"] or None
    config["ATLAS_OFFLINE"] = _flag(config["ATLAS_OFFLINE"])
    config["ATLAS_TILES"] = _tiles(config["ATLAS_TILES"])
    for key, least in _COUNTS.items():
        config[key] = _count(key, config[key], least)
    return config


def _count(key: str, value: Any, least: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = least - 1
    if number < least:
        msg = f"{key} takes a whole number of {least} or more, got {value!r}"
        raise ValueError(msg)
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _tiles(value: Any) -> tuple[str, ...]:
    names = value.split(",") if isinstance(value, str) else list(value)
    tiles = tuple(
        name.strip().lower() for name in names if name.strip().lower() not in {"", "none"}
    )
    unknown = [name for name in tiles if name not in BASEMAPS]
    if unknown:
        msg = f"unknown basemap {unknown[0]!r}: choose from {', '.join(BASEMAPS)} or none"
        raise ValueError(msg)
    return tiles
