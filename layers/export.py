"""Exports of register features: GeoJSON (RFC 7946), GeoPackage and CSV, with no row cap.

Every format holds the same projects, in the order given, placed or not:

GeoJSON
    A FeatureCollection with lon/lat rounded to 6 decimals (about 0.1 m) and no ``crs`` member;
    an unplaced project has ``null`` geometry and its reason in ``location_note``.
GeoPackage
    One table per layer (``water``, ``energy``, ``industrial_park``, ``disaster``, ``other``,
    always all five, geometry MultiPoint in EPSG:4326) and, given county polygons, ``counties``
    (:func:`layers.aggregate.join_counties`) and ``national`` (national totals and national
    programmes). Lists and mappings are JSON text; unplaced rows have empty geometry.
CSV
    UTF-8 with a byte-order mark so that Excel in Taiwan reads it as UTF-8; one row per project;
    ``lon``/``lat`` (a multipoint's representative point) and ``geometry_wkt``; lists of plain
    values joined with ``; `` (names may themselves contain 、), nested values as JSON text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    Protocol,
    TextIO,
    cast,
    get_args,
    runtime_checkable,
)

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.datafiles import replace_text
from geo.errors import BuildError, DataFileError, ExportError
from layers.aggregate import CountyAggregates, aggregate_counties, join_counties
from layers.classify import Layer
from layers.schema import ProjectFeature, validate_register

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = [
    "EXPORT_FORMATS",
    "GEOMETRY_COLUMNS",
    "MEDIA_TYPES",
    "SEEN",
    "UNPLACED_NOTE",
    "ArrowTables",
    "EncodedRows",
    "ExportFormat",
    "county_bounds",
    "csv_columns",
    "csv_row_values",
    "export",
    "export_feature",
    "feature_collection",
    "iter_text",
    "neutralise_cell",
    "property_names",
    "read_counties",
    "read_register",
    "register_file_digest",
    "seen_register_digest",
]

log = logging.getLogger(__name__)

#: A feature to export: a project of the register, or a county row of the API.
Feature = Mapping[str, Any]
ExportFormat = Literal["geojson", "gpkg", "csv"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = get_args(ExportFormat)
MEDIA_TYPES: Final[dict[ExportFormat, str]] = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv; charset=utf-8",
}
#: The reason given for an unplaced project whose register entry gives none.
UNPLACED_NOTE: Final = "not located: the build holds no place for this project"
DECIMALS: Final = 6
_CRS: Final = "EPSG:4326"
GEOMETRY_COLUMNS: Final = ("lon", "lat", "geometry_wkt")
# One geometry type per table, as QGIS expects: points are promoted to MultiPoint.
_POINT_TABLE: Final[dict[str, Any]] = {"geometry_type": "MultiPoint", "promote_to_multi": True}
# GeoPackage 1.2: the GDAL 3.6 of Debian 12 and the QGIS builds on it warn on pyogrio's 1.4.
_GPKG_VERSION: Final = {"VERSION": "1.2"}
_TABLE_OPTIONS: Final[dict[str, dict[str, Any]]] = {
    "counties": {"promote_to_multi": True},
    "national": {},  # an attribute table, no geometry
}


def export(
    features: Sequence[Feature],
    fmt: ExportFormat,
    out: Path | TextIO,
    *,
    counties_gdf: geopandas.GeoDataFrame | None = None,
) -> int:
    """Write features in one format.

    Parameters
    ----------
    features
        Register features, usually the result of :func:`layers.filters.apply_filter`.
    fmt
        ``geojson``, ``gpkg`` or ``csv``.
    out
        A file path, or for ``geojson`` and ``csv`` an open text stream.
    counties_gdf
        County polygons (``county`` column of official names); for ``gpkg``, adds the
        ``counties`` and ``national`` aggregate tables. Ignored by the other formats.

    Returns
    -------
    int
        The number of projects written (all of them: there is no cap).

    Raises
    ------
    ExportError
        An unknown format, a stream given for ``gpkg``, or a file that cannot be written.
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"unknown export format {fmt!r}; the formats are: {', '.join(EXPORT_FORMATS)}"
        raise ExportError(msg)
    if fmt == "gpkg":
        if not isinstance(out, Path):
            msg = "a GeoPackage is written to a file: give a path, not a stream"
            raise ExportError(msg)
        _write_gpkg(features, out, counties_gdf)
    else:
        if isinstance(out, Path):
            try:
                with out.open("w", encoding="utf-8", newline="") as stream:
                    stream.writelines(iter_text(features, fmt))
            except OSError as exc:
                msg = f"cannot write {out}: {exc.strerror or exc}"
                raise ExportError(msg) from exc
        else:
            out.writelines(iter_text(features, fmt))
    log.info("export: %d projects -> %s (%s)", len(features), getattr(out, "name", out), fmt)
    return len(features)


#: Beside a register the build wrote: the SHA-256 of its bytes, which passed validation then.
VALIDATED: Final = "projects.geojson.sha256"


def register_digest(data: bytes) -> str:
    """The digest :data:`VALIDATED` holds: SHA-256 of the register's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def register_file_digest(path: Path) -> str:
    """:func:`register_digest` of a file, read in pieces (a register may be a gigabyte)."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


#: Beside a register: its digest and the file's identity when it was read (see
#: :func:`seen_register_digest`).
SEEN: Final = "projects.geojson.seen"


def seen_register_digest(path: Path) -> str:
    """:func:`register_file_digest` of ``path``, read again only when the file may have changed.

    Reading a register of a million projects takes most of a second, so, as git's index does,
    the digest is kept beside the file (:data:`SEEN`) with what ``stat`` said of the file when it
    was read: device, inode, size, and modification and change times in nanoseconds. While all
    are the same, so are the bytes: any write sets the change time, which no user tool can set
    back, and a file replaced or copied is another inode. A file written in the same clock tick
    as its record cannot be told from it, so such a record is not trusted (git's "racy" entry)
    and the file is read again. A folder that cannot be written to is read every time.

    Raises
    ------
    OSError
        The register cannot be read.
    """
    record = path.with_name(SEEN)
    before = _identity(path.stat())
    try:
        kept = json.loads(record.read_text(encoding="ascii"))
        racy = before[-1] >= record.stat().st_mtime_ns  # changed as (or after) it was recorded
        if not racy and kept["stat"] == before and isinstance(kept["sha256"], str):
            return kept["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none kept, or unreadable: read the file
    digest = register_file_digest(path)
    if _identity(path.stat()) == before:  # not changed while it was read
        try:
            replace_text(record, json.dumps({"stat": before, "sha256": digest}))
        except OSError as exc:
            log.debug("could not keep the register's digest in %s: %s", record, exc)
    return digest


def _identity(stat: os.stat_result) -> list[int]:
    """What tells one state of a file from another; the change time last."""
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def read_register(build: Path) -> list[ProjectFeature]:
    """The features of ``projects.geojson`` in a build folder.

    Every feature is checked (:func:`layers.schema.validate_register`) unless the file is, byte
    for byte, the one the build validated and wrote (its digest is in :data:`VALIDATED`): a
    register edited, damaged or from elsewhere is always checked, one the build left as it was
    is not checked twice (at a million projects the check is most of the start-up).

    Raises
    ------
    BuildError
        The folder holds no readable register, or a damaged one (:mod:`layers.schema`); the
        message names the path, and the feature and field.
    """
    path = build / "projects.geojson"
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except FileNotFoundError:
        msg = f"no register at {path}: run `infra-atlas build` first"
        raise BuildError(msg) from None
    except (OSError, ValueError) as exc:
        msg = f"cannot read the register {path}: {exc}"
        raise BuildError(msg) from exc
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        msg = f"{path} is not a GeoJSON FeatureCollection"
        raise BuildError(msg)
    if _validated(build) == register_digest(raw):
        return cast(list[ProjectFeature], data["features"])
    return validate_register(data["features"], str(path))


def _validated(build: Path) -> str | None:
    try:
        return (build / VALIDATED).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None


def read_counties(path: Path) -> geopandas.GeoDataFrame:
    """County polygons (``data/boundaries/counties.geojson`` or any file GDAL reads).

    Raises
    ------
    DataFileError
        The file is missing or unreadable, or has no ``county`` column.
    """
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path)
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"cannot read the county boundaries {path}: {exc}"
        raise DataFileError(msg) from exc
    if "county" not in frame.columns:
        msg = f"{path} has no 'county' column of county names"
        raise DataFileError(msg)
    return frame


def county_bounds(path: Path) -> tuple[float, float, float, float] | None:
    """The bounding box (west, south, east, north) of the polygons of a GeoJSON file such as
    ``counties.geojson``, ``None`` when it has none; read by GEOS, in a hundredth of the time
    :func:`read_counties` takes with its imports.

    Raises
    ------
    DataFileError
        The file is missing or is not GeoJSON.
    """
    try:
        shapes = shapely.from_geojson(path.read_bytes())
    except (OSError, shapely.errors.GEOSException) as exc:
        msg = f"cannot read the county boundaries {path}: {exc}"
        raise DataFileError(msg) from exc
    if shapes.is_empty:
        return None
    west, south, east, north = shapely.total_bounds(shapes)
    return float(west), float(south), float(east), float(north)


def feature_collection(features: Sequence[Feature]) -> dict[str, Any]:
    """The RFC 7946 FeatureCollection of the features: 6-decimal lon/lat, a reason on every
    unplaced project, no ``crs`` member."""
    return {"type": "FeatureCollection", "features": [export_feature(f) for f in features]}


def csv_columns(features: Sequence[Feature]) -> list[str]:
    """The CSV header: ``id``, every property in first-seen order, then lon, lat and WKT."""
    return ["id", *property_names(features), *GEOMETRY_COLUMNS]


def export_feature(feature: Feature) -> dict[str, Any]:
    geometry = feature.get("geometry")
    props = dict(feature["properties"])
    if not geometry and not props.get("location_note"):
        props["location_note"] = UNPLACED_NOTE
    return {
        "type": "Feature",
        "id": feature.get("id"),
        "geometry": _rounded_geometry(geometry) if geometry else None,
        "properties": props,
    }


def _rounded_geometry(geometry: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}


def _round(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(value), DECIMALS) for value in coordinates]
    return [_round(item) for item in coordinates]


def property_names(features: Sequence[Feature]) -> list[str]:
    names: dict[str, None] = {}
    for feature in features:
        names.update(dict.fromkeys(feature["properties"]))
    names.setdefault("location_note", None)
    return list(names)


def _shape(geometry: Mapping[str, Any] | None) -> BaseGeometry | None:
    return shape(dict(geometry)) if geometry else None


# GeoJSON ------------------------------------------------------------------------------------


def iter_text(
    features: Sequence[Feature], fmt: ExportFormat, *, batch: int = 1000
) -> Iterator[str]:
    """The GeoJSON or CSV export of ``features`` in pieces of ``batch`` features, as they are
    made: joined, exactly what :func:`export` writes (which writes these pieces). A response
    can send each piece as it comes; nothing holds the whole text.

    Raises
    ------
    ExportError
        A format that is not text (``gpkg``).
    """
    if fmt == "geojson":
        return _geojson_pieces(features, batch)
    if fmt == "csv":
        return _csv_pieces(features, batch)
    msg = f"{fmt!r} is not a text format; the text formats are geojson and csv"
    raise ExportError(msg)


def _geojson_pieces(features: Sequence[Feature], batch: int) -> Iterator[str]:
    """The FeatureCollection one batch of features at a time (the same text as one
    ``json.dump``)."""
    yield '{"type": "FeatureCollection", "features": ['
    for start in range(0, len(features), batch):
        encoded = (
            json.dumps(export_feature(f), ensure_ascii=False)
            for f in features[start : start + batch]
        )
        yield (", " if start else "") + ", ".join(encoded)
    yield "]}\n"


# CSV ----------------------------------------------------------------------------------------


@runtime_checkable
class ArrowTables(Protocol):
    """Features that may give the GeoPackage's tables as Arrow (a packed selection)."""

    def layer_tables(self) -> Iterator[tuple[str, Any]] | None:
        """Each layer's name and table (``id``, the properties typed as :func:`_column` types
        them, ``geometry`` as MultiPoint WKB), made as they are asked for; ``None`` if not
        held."""

    def aggregates(self) -> CountyAggregates:
        """Their county totals (:func:`layers.aggregate.aggregate_counties`)."""


@runtime_checkable
class EncodedRows(Protocol):
    """Features that may hold their CSV rows already written (:class:`layers.packed.Selection`)."""

    def csv_rows(self) -> tuple[list[str], Callable[[int, int], list[str]]] | None:
        """The CSV columns and the text of rows ``start:stop``, or ``None`` if not held."""


def _csv_pieces(features: Sequence[Feature], batch: int) -> Iterator[str]:
    """The BOM and the header (its columns read over every feature first), then the rows one
    batch at a time."""
    held = features.csv_rows() if isinstance(features, EncodedRows) else None
    if held is not None:
        columns, texts = held
        yield "\ufeff" + _csv_line([*columns])
        for start in range(0, len(features), batch):
            yield "".join(texts(start, start + batch))
        return
    columns = csv_columns(features)
    names = columns[1 : -len(GEOMETRY_COLUMNS)]
    piece = io.StringIO()
    writer = csv.writer(piece, lineterminator="\r\n")
    piece.write("\ufeff")  # the BOM: Excel in Taiwan otherwise opens UTF-8 as Big5
    writer.writerow(columns)
    for start in range(0, len(features), batch):
        writer.writerows(_csv_rows(features[start : start + batch], names))
        yield piece.getvalue()
        piece.seek(0)
        piece.truncate()
    yield piece.getvalue()


def _csv_line(cells: list[str]) -> str:
    piece = io.StringIO()
    csv.writer(piece, lineterminator="\r\n").writerow(cells)
    return piece.getvalue()


def _csv_rows(features: Sequence[Feature], names: list[str]) -> Iterator[list[str]]:
    return (csv_row_values(feature, names) for feature in features)


def csv_row_values(feature: Feature, names: list[str]) -> list[str]:
    """A feature's CSV cells: its id, the properties ``names``, then lon, lat and WKT."""
    exported = export_feature(feature)
    props = exported["properties"]
    geometry = _shape(exported["geometry"])
    return [
        str(exported["id"] or ""),
        *(_csv_value(props.get(name)) for name in names),
        *_csv_geometry(geometry),
    ]


def _csv_geometry(geometry: BaseGeometry | None) -> list[str]:
    if geometry is None or geometry.is_empty:
        return ["", "", ""]
    point = geometry if isinstance(geometry, shapely.Point) else geometry.representative_point()
    wkt = shapely.to_wkt(geometry, rounding_precision=DECIMALS, trim=True)
    return [_csv_value(round(point.x, DECIMALS)), _csv_value(round(point.y, DECIMALS)), wkt]


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)  # a number, negative ones too, stays a number
    if isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value):
        return neutralise_cell("; ".join(_csv_value(item) for item in value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return neutralise_cell(str(value))


#: What a spreadsheet reads as the start of a formula (OWASP CSV injection).
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``,
    ``-cmd``, ``@SUM``, or one that opens with a tab or carriage return) with ``'`` put before
    it, so that it is shown as text. Numbers are never text cells here."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


# GeoPackage ---------------------------------------------------------------------------------


def _write_gpkg(
    features: Sequence[Feature], out: Path, counties_gdf: geopandas.GeoDataFrame | None
) -> None:
    import pyogrio

    # a packed selection gives its tables as Arrow (written without a row in Python) and totals
    packed = features if isinstance(features, ArrowTables) else None
    arrow = packed.layer_tables() if packed is not None else None
    tables = _layer_tables(features) if arrow is None else {}
    if counties_gdf is not None:
        aggregates = (
            packed.aggregates()
            if packed is not None
            else aggregate_counties(cast(Sequence[ProjectFeature], features))
        )
        tables |= _aggregate_tables(aggregates, counties_gdf)
    try:
        out.unlink(missing_ok=True)  # a fresh file: no table left over from an earlier export
        for name, table in arrow or ():  # one layer's table in memory at a time
            pyogrio.write_arrow(
                table,
                out,
                layer=name,
                driver="GPKG",
                geometry_name="geometry",
                geometry_type="MultiPoint",
                crs=_CRS,
                dataset_options=_GPKG_VERSION,
                append=out.exists(),
            )
        for name, frame in tables.items():
            options = _TABLE_OPTIONS.get(name, _POINT_TABLE)
            pyogrio.write_dataframe(
                frame, out, layer=name, driver="GPKG", dataset_options=_GPKG_VERSION, **options
            )
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"cannot write the GeoPackage {out}: {exc}"
        raise ExportError(msg) from exc


def _layer_tables(features: Sequence[Feature]) -> dict[str, pandas.DataFrame]:
    names = property_names(features)
    by_layer: dict[str, list[dict[str, Any]]] = {layer.value: [] for layer in Layer}
    for feature in features:  # one pass: a layer not known goes with `other`
        exported = export_feature(feature)
        layer = exported["properties"].get("layer")
        by_layer[layer if layer in by_layer else Layer.OTHER.value].append(exported)
    return {layer: _frame(chosen, names) for layer, chosen in by_layer.items()}


def _frame(features: list[dict[str, Any]], names: list[str]) -> geopandas.GeoDataFrame:
    import geopandas

    columns = {"id": _column([f["id"] for f in features])}
    for name in names:
        target = f"{name}_" if name in {"id", "fid", "geometry", "geom"} else name
        columns[target] = _column([f["properties"].get(name) for f in features])
    geometry = geopandas.GeoSeries([_shape(f["geometry"]) for f in features], crs=_CRS)
    return geopandas.GeoDataFrame(columns, geometry=geometry, crs=_CRS)


def _column(values: list[Any]) -> pandas.Series[Any]:
    """A column typed from its values: nullable bool, integer or float, else text (JSON for
    lists and mappings) - pyogrio would otherwise guess from the first value."""
    import pandas as pd

    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Int64")
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Float64")
    texts = [None if v is None else typed_text(v) for v in values]
    return pd.Series(texts, dtype=object)


def typed_text(value: object) -> str:
    """A value in a text column of the GeoPackage: lists and mappings as JSON."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _aggregate_tables(
    aggregates: CountyAggregates, counties_gdf: geopandas.GeoDataFrame
) -> dict[str, pandas.DataFrame]:
    import pandas as pd

    if counties_gdf.crs is None:
        msg = "the county polygons have no CRS; expected EPSG:4326 or another declared CRS"
        raise ExportError(msg)
    counties = join_counties(aggregates, counties_gdf.to_crs(_CRS))
    national = pd.DataFrame(
        [
            {"scope": "national", **aggregates.national},
            {"scope": "nationwide_programmes", **aggregates.nationwide},
        ]
    )
    national["unplaced_projects"] = [aggregates.unplaced, 0]
    return {"counties": counties, "national": national.convert_dtypes()}
