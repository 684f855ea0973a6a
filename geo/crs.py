"""Coordinate systems: store lon/lat (WGS 84), measure in TWD97 / TM2 zone 121 metres.

Every transformer is built once (:func:`functools.cache`) with ``always_xy=True``, so every
function here takes and returns ``(x, y)`` order: ``(lon, lat)`` in degrees or ``(easting,
northing)`` in metres, whatever the authority's axis order.
"""

from __future__ import annotations

import math
from functools import cache

from pyproj import Transformer

__all__ = [
    "TAIWAN_BBOX",
    "TWD97_TM2",
    "WGS84",
    "distance_m",
    "to_lonlat",
    "to_twd97",
    "transformer",
]

#: Storage and export CRS (RFC 7946 GeoJSON): lon/lat degrees.
WGS84 = "EPSG:4326"
#: TWD97 / TM2 zone 121: metres, for distances and areas on the main island.
TWD97_TM2 = "EPSG:3826"
#: (min lon, min lat, max lon, max lat) of Taiwan, Penghu, Kinmen and Matsu.
TAIWAN_BBOX = (118.1, 21.8, 122.1, 26.4)


@cache
def transformer(source: str, target: str) -> Transformer:
    """The cached ``always_xy`` transformer from ``source`` to ``target`` CRS."""
    return Transformer.from_crs(source, target, always_xy=True)


def to_twd97(lon: float, lat: float) -> tuple[float, float]:
    """TWD97 / TM2 ``(easting, northing)`` in metres of a WGS 84 point."""
    x, y = transformer(WGS84, TWD97_TM2).transform(lon, lat)
    return float(x), float(y)


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    """WGS 84 ``(lon, lat)`` in degrees of a TWD97 / TM2 point."""
    lon, lat = transformer(TWD97_TM2, WGS84).transform(x, y)
    return float(lon), float(lat)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two ``(lon, lat)`` points, measured in TWD97 / TM2.

    Good to well under a metre per kilometre across Taiwan; Kinmen and Matsu lie outside
    the zone's design area, where it is still good to about one part in a thousand.
    """
    ax, ay = to_twd97(*a)
    bx, by = to_twd97(*b)
    return math.hypot(ax - bx, ay - by)
