"""What the geocoder found in a text: places with IATI precision, and the result around them.

:class:`GeocodeResult` keeps every place a text names where something is built, the places it
only serves (``供應南投及彰化地區``), and the names it could not pin down; its :attr:`located
<GeocodeResult.located>` places give the overall precision and the geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Literal

import shapely

__all__ = ["Ambiguity", "GeocodeResult", "Place", "PlaceKind", "Precision", "Source"]

Source = Literal["text", "name"]


class Precision(IntEnum):
    """IATI GeographicalPrecision codes used by the atlas."""

    EXACT = 1  # the site itself
    NEAR = 2  # near the site, within about 25 km (a point standing for a long or wide feature)
    TOWN = 3  # second-order division (鄉鎮市區, ADM2)
    COUNTY = 4  # first-order division (縣市, ADM1)
    NATIONWIDE = 6  # the whole country


class PlaceKind(StrEnum):
    """What a matched name is."""

    FACILITY = "facility"
    TOWN = "town"
    COUNTY = "county"
    NATION = "nation"


@dataclass(frozen=True, slots=True)
class Place:
    """One place a text names, where it was written and where it is.

    ``offset`` counts characters in the text (or in the name, when ``source`` is ``"name"``);
    ``line`` is 1-based and ``None`` for a one-line text. ``approximate`` is true when the
    point stands for a town or county rather than the named thing itself. ``lon``/``lat`` are
    ``None`` only for the nation.
    """

    matched: str
    offset: int
    line: int | None
    source: Source
    kind: PlaceKind
    name: str
    county: str | None
    county_code: str | None
    town: str | None
    town_code: str | None
    lon: float | None
    lat: float | None
    precision: Precision
    approximate: bool
    served: bool = False
    by_context: bool = False
    facility_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, lon/lat rounded to 6 decimals."""
        return {
            "matched": self.matched,
            "offset": self.offset,
            "line": self.line,
            "source": self.source,
            "kind": str(self.kind),
            "name": self.name,
            "facility_kind": self.facility_kind,
            "county": self.county,
            "county_code": self.county_code,
            "town": self.town,
            "town_code": self.town_code,
            "lon": None if self.lon is None else round(self.lon, 6),
            "lat": None if self.lat is None else round(self.lat, 6),
            "precision": int(self.precision),
            "approximate": self.approximate,
            "served": self.served,
            "by_context": self.by_context,
        }


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A name that fits several places, none of which the context picks out."""

    matched: str
    offset: int
    line: int | None
    source: Source
    candidates: tuple[str, ...]  # full names, county first: 臺北市中山區, 基隆市中山區

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "matched": self.matched,
            "offset": self.offset,
            "line": self.line,
            "source": self.source,
            "candidates": list(self.candidates),
        }


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """Every place a text (and optionally a project name) names.

    ``places`` are where something is (or is built), in text order; ``served`` the places a
    phrase such as 供應…地區 names as beneficiaries; ``ambiguous`` the names left unresolved.
    """

    text: str
    name: str | None
    places: tuple[Place, ...]
    served: tuple[Place, ...]
    ambiguous: tuple[Ambiguity, ...]

    @property
    def nationwide(self) -> bool:
        """Whether the text says the work is nationwide (全國, 全臺…)."""
        return any(place.kind is PlaceKind.NATION for place in self.places)

    @property
    def located(self) -> tuple[Place, ...]:
        """The places that give the location: built ones (else served ones), finest first.

        A county drops out when a town or site in it is named, and a town when a site in
        it is; repeated points count once.
        """
        points = [p for p in self.places if p.lon is not None] or [
            p for p in self.served if p.lon is not None
        ]
        kept = [p for p in points if not _covered(p, points)]
        unique = {(p.lon, p.lat): p for p in sorted(kept, key=lambda p: -p.precision)}
        return tuple(sorted(unique.values(), key=lambda p: (p.precision, p.source, p.offset)))

    @property
    def precision(self) -> Precision | None:
        """The coarsest precision among :attr:`located`, 6 if only nationwide, else ``None``."""
        located = self.located
        if located:
            return max(place.precision for place in located)
        return Precision.NATIONWIDE if self.nationwide else None

    @property
    def counties(self) -> tuple[str, ...]:
        """Every county a built place lies in (served ones if none is built), sorted by code."""
        places = [p for p in self.places if p.county_code] or list(self.served)
        pairs = {(p.county_code, p.county) for p in places if p.county_code and p.county}
        return tuple(county for _, county in sorted(pairs))

    def geometry(self) -> shapely.Point | shapely.MultiPoint | None:
        """A Point for one located place, a MultiPoint for several, ``None`` for none."""
        coords = [(p.lon, p.lat) for p in self.located if p.lon is not None and p.lat is not None]
        if not coords:
            return None
        return shapely.Point(coords[0]) if len(coords) == 1 else shapely.MultiPoint(coords)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: overall precision and GeoJSON geometry, then each place."""
        precision = self.precision
        return {
            "precision": None if precision is None else int(precision),
            "nationwide": self.nationwide,
            "counties": list(self.counties),
            "geometry": _geojson(self.located),
            "places": [place.to_dict() for place in self.places],
            "served": [place.to_dict() for place in self.served],
            "ambiguous": [ambiguity.to_dict() for ambiguity in self.ambiguous],
        }


def _covered(place: Place, others: list[Place]) -> bool:
    """Whether a finer place lies inside ``place`` (a site in a named town or county)."""
    if place.kind is PlaceKind.COUNTY:
        return any(
            o.kind is not PlaceKind.COUNTY and o.county_code == place.county_code for o in others
        )
    if place.kind is PlaceKind.TOWN:
        return any(o.kind is PlaceKind.FACILITY and o.town_code == place.town_code for o in others)
    return False


def _geojson(places: tuple[Place, ...]) -> dict[str, Any] | None:
    coords = [
        [round(p.lon, 6), round(p.lat, 6)]
        for p in places
        if p.lon is not None and p.lat is not None
    ]
    if not coords:
        return None
    if len(coords) == 1:
        return {"type": "Point", "coordinates": coords[0]}
    return {"type": "MultiPoint", "coordinates": coords}
