"""Stage 4: place every project with the offline geocoder, saying how precisely.

A project is placed by the places its name (and aliases) name; if they name none, by the
places the text of its report entries names. National programmes (no entry place-bound, or a
text that says 全國) get precision 6 and no geometry; a project that names no place keeps a
null geometry and a reason. Nothing is dropped, nothing is put at (0, 0).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from shapely.geometry import mapping

from geo.geocode import Geocoder
from geo.places import GeocodeResult, Place, Precision
from layers.merge import Project

__all__ = ["Location", "locate_project", "locate_projects"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a project is, how precisely, and the evidence."""

    geometry: dict[str, Any] | None
    precision: int | None
    counties: tuple[str, ...]
    towns: tuple[str, ...]
    places: tuple[dict[str, Any], ...]
    approximate: bool
    note: str | None


def locate_projects(
    projects: list[Project] | tuple[Project, ...], *, geocoder: Geocoder
) -> list[tuple[Project, Location]]:
    """Locate every project (see the module docstring for the rules)."""
    located = [(project, locate_project(project, geocoder=geocoder)) for project in projects]
    placed = sum(1 for _, location in located if location.geometry is not None)
    national = sum(1 for _, location in located if location.precision == Precision.NATIONWIDE)
    log.info(
        "locate: %d projects -> %d placed, %d national, %d unplaced",
        len(located),
        placed,
        national,
        len(located) - placed - national,
    )
    return located


def locate_project(project: Project, *, geocoder: Geocoder) -> Location:
    """Locate one project."""
    if not project.place_bound:
        return _national("a national programme: not bound to a place")
    names = "\n".join((project.name, *project.aliases))
    by_name = geocoder.geocode(names)
    if by_name.located:
        return _location(by_name, [("name", 0, by_name)])
    results = [
        (entry.source.document, entry.source.first_line, geocoder.geocode(entry.text))
        for entry in project.entries
        if entry.text
    ]
    combined = GeocodeResult(
        text="",
        name=None,
        places=tuple(p for _, _, r in results for p in r.places),
        served=tuple(p for _, _, r in results for p in r.served),
        ambiguous=tuple(a for _, _, r in results for a in r.ambiguous),
    )
    if combined.located:
        return _location(combined, results)
    if combined.nationwide:
        return _national("the text says the work is nationwide")
    ambiguous = sorted({a.matched for a in combined.ambiguous})
    note = "no place named in its name or text"
    if ambiguous:
        note += f" (ambiguous names not guessed: {'、'.join(ambiguous)})"
    return Location(None, None, (), (), (), False, note)


def _national(note: str) -> Location:
    return Location(None, int(Precision.NATIONWIDE), (), (), (), False, note)


def _location(result: GeocodeResult, sources: list[tuple[str, int, GeocodeResult]]) -> Location:
    geometry = result.geometry()
    located = result.located
    towns = tuple(dict.fromkeys(f"{p.county}{p.town}" for p in located if p.county and p.town))
    evidence = tuple(_evidence(place, sources) for place in located)
    precision = result.precision
    return Location(
        geometry=_rounded(mapping(geometry)) if geometry is not None else None,
        precision=None if precision is None else int(precision),
        counties=tuple(dict.fromkeys(p.county for p in located if p.county)),
        towns=towns,
        places=evidence,
        approximate=any(p.approximate for p in located),
        note=None,
    )


def _rounded(geometry: Any) -> dict[str, Any]:
    """GeoJSON with lon/lat at 6 decimals (about 0.1 m), as RFC 7946 advises."""
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        return {"type": "Point", "coordinates": [round(c, 6) for c in coords]}
    return {"type": geometry["type"], "coordinates": [[round(c, 6) for c in p] for p in coords]}


def _evidence(place: Place, sources: list[tuple[str, int, GeocodeResult]]) -> dict[str, Any]:
    data = place.to_dict()
    for document, first_line, result in sources:
        if place in result.places or place in result.served:
            data["document"] = document
            data["document_line"] = (
                first_line + (place.line or 1) - 1 if document != "name" else None
            )
            break
    return data
