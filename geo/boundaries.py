"""Taiwan's 22 counties and 368 towns: load once, look up by code or name, locate points.

The polygons come from ``data/boundaries/{counties,towns}.geojson`` (see ``data/README.md``),
keyed by the official codes: 縣市代碼 (``63000``) and 鄉鎮市區代碼 (``63000010``). Names are the
official 臺 forms; :mod:`geo.names` reads the other ways people write them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from pyogrio.errors import DataSourceError
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84
from geo.datafiles import data_path
from geo.errors import DataFileError, PlaceNotFoundError

__all__ = ["Boundaries", "County", "Town", "load_boundaries"]


@dataclass(frozen=True, slots=True)
class County:
    """A county or city (直轄市、縣、市) with a point inside it for labels and geocoding."""

    code: str
    name: str
    name_en: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class Town:
    """A town (鄉、鎮、市、區) with its county and a point inside it."""

    code: str
    name: str
    name_en: str
    county_code: str
    county: str
    county_en: str
    lon: float
    lat: float


class Boundaries:
    """The county and town polygons with lookups; build with :func:`load_boundaries`.

    Parameters
    ----------
    counties, towns
        Frames with the columns of the bundled GeoJSON files, in EPSG:4326.
    """

    def __init__(self, counties: gpd.GeoDataFrame, towns: gpd.GeoDataFrame) -> None:
        self.counties_frame = counties.set_index("county_code", drop=False)
        self.towns_frame = towns.set_index("town_code", drop=False)
        county_points = shapely.point_on_surface(self.counties_frame.geometry.values)
        town_points = shapely.point_on_surface(self.towns_frame.geometry.values)
        self._counties = {
            row.county_code: County(row.county_code, row.county, row.county_en, pt.x, pt.y)
            for row, pt in zip(self.counties_frame.itertuples(), county_points, strict=True)
        }
        self._towns = {
            row.town_code: _town(row, pt)
            for row, pt in zip(self.towns_frame.itertuples(), town_points, strict=True)
        }
        self._tree = shapely.STRtree(self.towns_frame.geometry.values)

    @property
    def counties(self) -> tuple[County, ...]:
        """Every county, by code."""
        return tuple(self._counties.values())

    @property
    def towns(self) -> tuple[Town, ...]:
        """Every town, by code."""
        return tuple(self._towns.values())

    def county(self, key: str) -> County:
        """The county with this code or official name (``63000`` or ``臺北市``).

        Raises
        ------
        PlaceNotFoundError
            No county has this code or name.
        """
        found = self._counties.get(key) or next(
            (county for county in self._counties.values() if county.name == key), None
        )
        if found is None:
            msg = f"no county with code or name {key!r}"
            raise PlaceNotFoundError(msg)
        return found

    def town(self, code: str) -> Town:
        """The town with this 8-digit code.

        Raises
        ------
        PlaceNotFoundError
            No town has this code.
        """
        if code not in self._towns:
            msg = f"no town with code {code!r}"
            raise PlaceNotFoundError(msg)
        return self._towns[code]

    def towns_named(self, name: str, *, county: str | None = None) -> tuple[Town, ...]:
        """Every town with this official name, optionally only in one county (code or name).

        Several towns share a name (東區, 中山區, 信義區…), hence a tuple; empty if none.
        """
        county_code = self.county(county).code if county else None
        return tuple(
            town
            for town in self._towns.values()
            if town.name == name and county_code in (None, town.county_code)
        )

    def town_at(self, lon: float, lat: float) -> Town | None:
        """The town whose polygon holds the point (on an edge: the lowest code), else ``None``."""
        hits = self._tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        codes = sorted(str(self.towns_frame.index[i]) for i in hits)
        return self._towns[codes[0]]

    def county_at(self, lon: float, lat: float) -> County | None:
        """The county holding the point, else ``None`` (at sea)."""
        town = self.town_at(lon, lat)
        return self._counties[town.county_code] if town else None

    def geometry(self, code: str) -> BaseGeometry:
        """The polygon of the county or town with this code (EPSG:4326)."""
        frame = self.counties_frame if len(code) == 5 else self.towns_frame
        if code not in frame.index:
            msg = f"no county or town with code {code!r}"
            raise PlaceNotFoundError(msg)
        geometry: BaseGeometry = frame.geometry.loc[code]
        return geometry

    def representative_point(self, code: str) -> tuple[float, float]:
        """``(lon, lat)`` of a point inside the county or town with this code."""
        place = self._counties.get(code) or self.town(code)
        return place.lon, place.lat

    def __iter__(self) -> Iterator[Town]:
        return iter(self._towns.values())


def _town(row: Any, point: shapely.Point) -> Town:
    return Town(
        code=row.town_code,
        name=row.town,
        name_en=row.town_en,
        county_code=row.county_code,
        county=row.county,
        county_en=row.county_en,
        lon=point.x,
        lat=point.y,
    )


def _read(path: Path) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path)
    except DataSourceError as exc:
        msg = f"cannot read boundary file {path}: {exc}"
        raise DataFileError(msg) from exc
    return frame.to_crs(WGS84) if frame.crs != WGS84 else frame


@cache
def load_boundaries(root: Path | None = None) -> Boundaries:
    """The bundled boundaries (or those under ``root/boundaries/``), read once and cached.

    Raises
    ------
    DataFileError
        A boundary file is missing or unreadable; the message names it.
    """
    counties = _read(data_path("boundaries", "counties.geojson", root=root))
    towns = _read(data_path("boundaries", "towns.geojson", root=root))
    return Boundaries(counties, towns)
