"""The register in a binary form the app loads in seconds: an Arrow IPC file beside the GeoJSON.

``projects.geojson`` stays the published register. ``infra-atlas build`` also writes
``projects.arrow``: one row per project, in register order, holding

- ``id``, ``name``, ``layer``, ``status``, ``program``, ``counties``, ``towns``, ``budget_year``,
  ``period_start``/``period_end`` and the three ``budget_*_twd`` fields as typed columns, and
  ``geometry`` as WKB (described by GeoParquet's ``geo`` schema metadata), for anyone who reads
  it with Arrow tools;
- ``feature``: the project's GeoJSON Feature as the register holds it, ``api``: as exported
  (:func:`layers.export.feature_collection`), and ``csv``: its CSV row (for the register's
  columns), each encoded once, so that a page of the API or a download joins bytes;
- ``c_*``: the filter columns of :class:`layers.columns.RegisterColumns`, computed from the
  features by the same code, so that loading them is copying arrays, never re-reading JSON;
- ``site_*``: each project's points (map markers, rounded as the map rounds them, and the API's
  6-decimal points) with the county the geocoder gave each (its name, and its code in the
  metadata's ``site_counties``); ``p_*`` its period as day numbers;
- ``k:``/``n:``/``b:``/``t:`` + a property: each property typed as the GeoPackage export types
  it (its kind, and its number, boolean or text), and ``g:wkb`` the export's MultiPoint, so that
  a GeoPackage of any selection is a ``take`` of these columns written through pyogrio's Arrow
  path (and the table sorts by them).

The file records the SHA-256 of the GeoJSON it was made from: a register that has changed since
(edited, rebuilt, copied from elsewhere) is packed again from its GeoJSON, never served from a
stale file. The GeoJSON is hashed again only when ``stat`` says it may have changed
(:func:`layers.export.seen_register_digest`). :func:`load_packed` is the one way in.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import shapely

from geo.counties import normalise_place_name
from geo.errors import BuildError
from layers.aggregate import CountyAggregates
from layers.classify import Layer
from layers.columns import RegisterColumns
from layers.export import (
    GEOMETRY_COLUMNS,
    csv_row_values,
    export_feature,
    property_names,
    read_register,
    seen_register_digest,
    typed_text,
)
from layers.filters import ProjectFilter
from layers.params import FilterChoices
from layers.schema import Project, ProjectFeature

__all__ = [
    "MARKER_DECIMALS",
    "PACKED",
    "ById",
    "PackedFeatures",
    "PackedRegister",
    "Selection",
    "Sites",
    "geometry_points",
    "load_packed",
    "pack",
    "period_of",
    "place_at",
    "read_packed",
    "write_packed",
]

log = logging.getLogger(__name__)

#: The binary register's file name in a build folder.
PACKED: Final = "projects.arrow"
#: A map marker's lon/lat decimals (about 1 m): what the page needs, a third less JSON.
MARKER_DECIMALS: Final = 5
#: The version of this layout: a file of another version is packed again.
_LAYOUT: Final = "4"
#: A missing day in the period columns.
_NO_DAY: Final = -1
_CODED: Final = ("layer", "status", "program", "precision")
_MONEY: Final = ("legal", "allocated", "executed")


def period_of(start: object, end: object) -> tuple[date | None, date | None] | None:
    """A project's period from its ``period_start`` and ``period_end`` (ISO dates), ``None``
    when it has neither; a missing end is open."""
    first, last = _iso_date(start), _iso_date(end)
    if first is None and last is None:
        return None
    return first, last


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# Writing ------------------------------------------------------------------------------------


def pack(features: Sequence[ProjectFeature], digest: str) -> pa.Table:
    """The binary form of a register's features (checked ones: :func:`read_register`), made
    from the GeoJSON whose SHA-256 is ``digest``."""
    columns = RegisterColumns.of(features)
    exported = [export_feature(f) for f in features]
    names = property_names(features)
    layouts = {tuple(f["properties"]) for f in features}
    props = [f["properties"] for f in features]
    county_names = sorted(columns.counties)
    town_forms = sorted(columns.towns)
    sites, site_counties = _site_columns(features, exported)
    table: dict[str, Any] = {
        "id": pa.array([str(f["id"]) for f in features], pa.string()),
        "name": pa.array([p.get("name") for p in props], pa.string()),
        **{
            key: pa.array([_text(p.get(key)) for p in props], pa.string())
            for key in ("layer", "status", "program", "period_start", "period_end")
        },
        "counties": pa.array([list(p.get("counties") or ()) for p in props], pa.list_(pa.string())),
        "towns": pa.array([list(p.get("towns") or ()) for p in props], pa.list_(pa.string())),
        "budget_year": pa.array([_whole(p.get("budget_year")) for p in props], pa.int64()),
        **{
            f"budget_{key}_twd": pa.array(
                [_number(p.get(f"budget_{key}_twd")) for p in props], pa.float64()
            )
            for key in _MONEY
        },
        "geometry": pa.array(
            [_wkb(f.get("geometry")) for f in features],
            pa.binary(),
        ),
        "feature": pa.array([_encode(f) for f in features], pa.large_binary()),
        "api": pa.array([_encode(f) for f in exported], pa.large_binary()),
        "csv": pa.array(_csv_texts(features, names), pa.large_string()),
        **_filter_columns(columns, county_names, town_forms),
        **sites,
        **_period_columns(props),
        "placed": pa.array([bool(f.get("geometry")) for f in features], pa.bool_()),
        **_table_columns(exported, names if len(layouts) <= 1 else None),
    }
    metadata = {
        "infra_atlas_layout": _LAYOUT,
        "register_sha256": digest,
        "codes": json.dumps({key: list(columns.codes[key][0]) for key in _CODED}),
        "counties": json.dumps(county_names, ensure_ascii=False),
        "towns": json.dumps(town_forms, ensure_ascii=False),
        "site_counties": json.dumps(site_counties, ensure_ascii=False),
        # the CSV rows are the register's columns; a selection's are the same only when every
        # project has the same properties in the same order
        "csv_columns": json.dumps(names if len(layouts) <= 1 else None, ensure_ascii=False),
    }
    schema_meta = {**metadata, "geo": _geo_metadata()}
    return pa.table(table).replace_schema_metadata(schema_meta)


def write_packed(table: pa.Table, path: Path, *, chunk: int = 1 << 20) -> None:
    """Write the table as an Arrow IPC file of batches of ``chunk`` rows, whole or not at all
    (a temporary file renamed)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=chunk)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _filter_columns(
    columns: RegisterColumns, county_names: list[str], town_forms: list[str]
) -> dict[str, pa.Array]:
    size = len(columns.features)
    county_lists: list[list[int]] = [[] for _ in range(size)]
    for code, name in enumerate(county_names):
        for row in np.flatnonzero(columns.counties[name]):
            county_lists[row].append(code)
    town_lists: list[list[int]] = [[] for _ in range(size)]
    for code, form in enumerate(town_forms):
        for row in columns.towns[form]:
            town_lists[int(row)].append(code)
    pair_lists: list[list[int]] = [[] for _ in range(size)]
    for row, county in zip(columns.pairs[0], columns.pairs[1], strict=True):
        pair_lists[int(row)].append(int(county))  # in the order the project names them
    money = {
        f"c_{key}": pa.array(values, pa.int64(), mask=~present)
        for key, (values, present) in columns.money.items()
    }
    return {
        **{f"c_{key}": pa.array(columns.codes[key][1], pa.int32()) for key in _CODED},
        "c_counties": pa.array(county_lists, pa.list_(pa.int32())),
        "c_towns": pa.array(town_lists, pa.list_(pa.int32())),
        "c_pairs": pa.array(pair_lists, pa.list_(pa.int32())),
        "c_budget_year": pa.array(columns.budget_year, pa.int32()),
        "c_start_year": pa.array(columns.start_year, pa.int32()),
        "c_end_year": pa.array(columns.end_year, pa.int32()),
        "c_budget": pa.array(columns.budget, pa.float64()),
        **money,
        "c_behind": pa.array(columns.behind, pa.bool_()),
        "c_nationwide": pa.array(columns.nationwide, pa.bool_()),
        "c_group": pa.array(columns.group, pa.int32()),
        "c_names": pa.array(columns.names, pa.large_string()),
    }


#: A value's kind in a GeoPackage column (:func:`layers.export.typed_column`'s rules).
_NULL, _BOOL, _INT, _FLOAT, _OTHER = range(5)


def _table_columns(
    exported: Sequence[dict[str, Any]], names: list[str] | None
) -> dict[str, pa.Array]:
    """Each property as the GeoPackage export types it, so that a selection's table is a
    ``take`` of these columns: ``k:name`` each value's kind; ``n:name`` the numbers, ``b:name``
    the booleans and ``t:name`` the text, for the kinds the register holds; ``g:wkb`` the
    geometry as a MultiPoint. None (no such columns) when the register's features differ in
    their properties, or a value would not round-trip (an id that is not text, a whole number
    beyond 2**53)."""
    if names is None or not all(isinstance(f["id"], str) for f in exported):
        return {}
    columns: dict[str, pa.Array] = {}
    for name in names:
        values = [f["properties"].get(name) for f in exported]
        kinds = [_kind(v) for v in values]
        held = set(kinds) - {_NULL}
        if any(k == _INT and abs(v) > 2**53 for k, v in zip(kinds, values, strict=True)):
            return {}
        columns[f"k:{name}"] = pa.array(kinds, pa.int8())
        if held & {_INT, _FLOAT}:
            numbers = [
                float(v) if k in (_INT, _FLOAT) else None
                for k, v in zip(kinds, values, strict=True)
            ]
            columns[f"n:{name}"] = pa.array(numbers, pa.float64())
        if _BOOL in held:
            columns[f"b:{name}"] = pa.array(
                [v if k == _BOOL else None for k, v in zip(kinds, values, strict=True)], pa.bool_()
            )
        if held - {_BOOL} and (_OTHER in held or _BOOL in held):  # text is the only common type
            columns[f"t:{name}"] = pa.array(
                [None if v is None else typed_text(v) for v in values], pa.large_string()
            )
    geometries = [
        shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None for f in exported
    ]
    columns["g:wkb"] = pa.array(
        [None if g is None else shapely.to_wkb(_multi(g)) for g in geometries], pa.binary()
    )
    return columns


def _kind(value: object) -> int:
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int):
        return _INT
    if isinstance(value, float):
        return _FLOAT
    return _OTHER


def _multi(geometry: Any) -> Any:
    return shapely.MultiPoint([geometry]) if isinstance(geometry, shapely.Point) else geometry


def _site_columns(
    features: Sequence[ProjectFeature], exported: Sequence[dict[str, Any]]
) -> tuple[dict[str, pa.Array], list[str]]:
    """Each project's points: the map's (5 decimals), the API's (6), and each one's county by
    its place record (``None`` when no record gives one), by name and as a code into the
    counties named, which are returned too."""
    marker_lon, marker_lat, api_lon, api_lat, county = [], [], [], [], []
    for feature, out in zip(features, exported, strict=True):
        points = geometry_points(feature.get("geometry"))
        out_points = geometry_points(out.get("geometry"))
        places = place_at(feature["properties"])
        marker_lon.append([round(p[0], MARKER_DECIMALS) for p in points])
        marker_lat.append([round(p[1], MARKER_DECIMALS) for p in points])
        api_lon.append([float(p[0]) for p in out_points])
        api_lat.append([float(p[1]) for p in out_points])
        county.append([_site_county(places.get((p[0], p[1]), {})) for p in points])
    doubles = pa.list_(pa.float64())
    counties = sorted({name for names in county for name in names if name is not None})
    code = {name: index for index, name in enumerate(counties)}
    return {
        "site_lon": pa.array(marker_lon, doubles),
        "site_lat": pa.array(marker_lat, doubles),
        "site_api_lon": pa.array(api_lon, doubles),
        "site_api_lat": pa.array(api_lat, doubles),
        "site_county": pa.array(county, pa.list_(pa.string())),
        # the same counties as codes into the metadata's "site_counties", -1 for none
        "site_county_code": pa.array(
            [[-1 if name is None else code[name] for name in names] for names in county],
            pa.list_(pa.int32()),
        ),
    }, counties


def _site_county(place: Any) -> str | None:
    county = place.get("county") if isinstance(place, dict) else None
    return normalise_place_name(county) if county is not None else None


def _period_columns(props: Sequence[Any]) -> dict[str, pa.Array]:
    first, last, dated = [], [], []
    for p in props:
        period = period_of(p.get("period_start"), p.get("period_end"))
        start, end = period or (None, None)
        first.append(start.toordinal() if start else _NO_DAY)
        last.append(end.toordinal() if end else _NO_DAY)
        dated.append(period is not None)
    return {
        "p_first": pa.array(first, pa.int32()),
        "p_last": pa.array(last, pa.int32()),
        "p_dated": pa.array(dated, pa.bool_()),
    }


def place_at(props: Project) -> dict[tuple[Any, Any], Mapping[str, Any]]:
    """A project's place records (what the geocoder read for each site) by their lon, lat:
    the point of the geometry each one gave."""
    return {(place.get("lon"), place.get("lat")): place for place in props.get("places") or ()}


def geometry_points(geometry: Any) -> list[Any]:
    """The points of a Point or MultiPoint (none for no geometry or another kind)."""
    if not geometry:
        return []
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPoint":
        return list(geometry["coordinates"])
    return []


def _csv_texts(features: Sequence[ProjectFeature], names: list[str]) -> list[str]:
    piece = io.StringIO()
    writer = csv.writer(piece, lineterminator="\r\n")
    texts = []
    for feature in features:
        writer.writerow(csv_row_values(feature, names))
        texts.append(piece.getvalue())
        piece.seek(0)
        piece.truncate()
    return texts


def _encode(feature: Any) -> bytes:
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode()


def _wkb(geometry: Any) -> bytes | None:
    return shapely.to_wkb(shapely.geometry.shape(geometry)) if geometry else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _geo_metadata() -> str:
    """GeoParquet-style ``geo`` metadata: what the geometry column is (GeoArrow readers)."""
    return json.dumps(
        {
            "version": "1.1.0",
            "primary_column": "geometry",
            "columns": {
                "geometry": {
                    "encoding": "WKB",
                    "geometry_types": ["Point", "MultiPoint"],
                    "crs": "OGC:CRS84",
                }
            },
        }
    )


# Reading ------------------------------------------------------------------------------------


class PackedFeatures(Sequence[ProjectFeature]):
    """The register's features, each decoded from its JSON when it is asked for."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        # one chunk (as written) is read where it lies, in the mapped file; never copied
        array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        _, offsets, data = array.buffers()
        self._offsets = np.frombuffer(offsets, np.int64)[
            array.offset : array.offset + len(array) + 1
        ]
        self._data = memoryview(data) if data is not None else memoryview(b"")
        self._size = len(array)

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> ProjectFeature: ...
    @overload
    def __getitem__(self, index: slice) -> list[ProjectFeature]: ...
    def __getitem__(self, index: int | slice) -> ProjectFeature | list[ProjectFeature]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        return json.loads(self.raw(index))  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[ProjectFeature]:
        return (self[i] for i in range(self._size))

    def raw(self, index: int) -> bytes:
        """The feature's JSON bytes."""
        return bytes(self._data[self._offsets[index] : self._offsets[index + 1]])


@dataclass(frozen=True, eq=False)
class Sites:
    """Every point of every project, as arrays (one entry per point, in register order)."""

    feature: npt.NDArray[np.int64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    api_lon: npt.NDArray[np.float64]
    api_lat: npt.NDArray[np.float64]
    #: The county code of each point (:attr:`PackedRegister.site_counties`), -1 for none.
    county: npt.NDArray[np.int32]
    #: Whether the point's project has more than one.
    shared: npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class PackedRegister:
    """A register loaded from its binary form: lazily decoded features, their encoded bytes,
    the filter columns and the sites."""

    table: pa.Table
    features: PackedFeatures
    api: PackedFeatures
    csv_columns: list[str] | None
    columns: RegisterColumns
    sites: Sites
    site_counties: list[str]
    period_first: npt.NDArray[np.int32]
    period_last: npt.NDArray[np.int32]
    dated: npt.NDArray[np.bool_]
    #: Whether each project has a geometry (is on the map).
    placed: npt.NDArray[np.bool_]
    #: What the app derives from the columns once (its sort columns), by name.
    derived: dict[Any, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, table: pa.Table) -> PackedRegister:
        meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
        features = PackedFeatures(table["feature"])
        size = len(features)
        codes = json.loads(meta["codes"])
        county_names = json.loads(meta["counties"])
        town_forms = json.loads(meta["towns"])
        pair_rows, pair_counties = _flat(table["c_pairs"])
        counts = np.bincount(pair_rows, minlength=size) if size else np.zeros(0, np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if size else counts

        def counties() -> dict[str, npt.NDArray[np.bool_]]:
            rows, codes = _flat(table["c_counties"])
            masks = {}
            for code, name in enumerate(county_names):
                mask = np.zeros(size, bool)
                mask[rows[codes == code]] = True
                masks[name] = mask
            return masks

        def towns() -> dict[str, npt.NDArray[np.int64]]:
            rows, codes = _flat(table["c_towns"])
            order = np.argsort(codes, kind="stable")
            split = np.searchsorted(codes[order], np.arange(len(town_forms) + 1))
            return {
                form: rows[order[split[code] : split[code + 1]]]
                for code, form in enumerate(town_forms)
            }

        columns = RegisterColumns(
            features=features,
            codes={
                key: (
                    {value: code for code, value in enumerate(codes[key])},
                    _values(table[f"c_{key}"], np.int32),
                )
                for key in _CODED
            },
            counties=_Index(county_names, counties),
            towns=_Index(town_forms, towns),
            budget_year=_values(table["c_budget_year"], np.int32),
            start_year=_values(table["c_start_year"], np.int32),
            end_year=_values(table["c_end_year"], np.int32),
            budget=_values(table["c_budget"], np.float64),
            search_texts=table["c_names"].to_pylist,
            money={key: _nullable(table[f"c_{key}"], np.int64) for key in _MONEY},
            behind=_values(table["c_behind"], np.bool_),
            nationwide=_values(table["c_nationwide"], np.bool_),
            group=_values(table["c_group"], np.int64),
            pairs=(
                pair_rows,
                pair_counties.astype(np.int64),
                np.arange(len(pair_rows), dtype=np.int64) - starts[pair_rows],
                counts[pair_rows],
            ),
        )
        site_rows, lon = _flat(table["site_lon"], np.float64)
        _, lat = _flat(table["site_lat"], np.float64)
        _, api_lon = _flat(table["site_api_lon"], np.float64)
        _, api_lat = _flat(table["site_api_lat"], np.float64)
        _, county_code = _flat(table["site_county_code"], np.int32)
        points = np.bincount(site_rows, minlength=size) if size else np.zeros(0, np.int64)
        return cls(
            table=table,
            features=features,
            api=PackedFeatures(table["api"]),
            csv_columns=json.loads(meta["csv_columns"]),
            columns=columns,
            sites=Sites(
                feature=site_rows,
                lon=lon,
                lat=lat,
                api_lon=api_lon,
                api_lat=api_lat,
                county=county_code,
                shared=points[site_rows] > 1,
            ),
            site_counties=json.loads(meta["site_counties"]),
            period_first=_values(table["p_first"], np.int32),
            period_last=_values(table["p_last"], np.int32),
            dated=_values(table["p_dated"], np.bool_),
            placed=_values(table["placed"], np.bool_),
        )

    @functools.cached_property
    def ids(self) -> list[str]:
        """Each project's id, in register order."""
        ids: list[str] = self.table["id"].to_pylist()
        return ids

    @property
    def digest(self) -> str:
        """The SHA-256 of the GeoJSON register this was packed from."""
        return str((self.table.schema.metadata or {})[b"register_sha256"].decode())

    @functools.cached_property
    def row_of(self) -> dict[str, int]:
        """Each project's row by its id."""
        return {fid: row for row, fid in enumerate(self.ids)}

    def numbers(self, name: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]] | None:
        """A numeric property's values (as floats, exactly) and which projects have one;
        ``None`` if the register holds it not as numbers only."""
        table, size = self.table, len(self.features)
        if self.csv_columns is not None and name not in self.csv_columns:
            return np.zeros(size, np.float64), np.zeros(size, bool)  # no project has it
        if f"k:{name}" not in table.column_names:
            return None
        kinds = _values(table[f"k:{name}"], np.int8)
        if np.isin(kinds, (_BOOL, _OTHER)).any():
            return None
        if f"n:{name}" not in table.column_names:  # no project has one
            return np.zeros(len(kinds), np.float64), np.zeros(len(kinds), bool)
        return _nullable(table[f"n:{name}"], np.float64)

    @functools.cached_property
    def names(self) -> list[str]:
        """Each project's name, in register order."""
        return [str(name) for name in self.table["name"].to_pylist()]

    @functools.cached_property
    def by_id(self) -> ById:
        """The features by id, each decoded when it is asked for."""
        return ById(self)

    def select(self, project_filter: ProjectFilter) -> Selection:
        """The projects that pass the filter, in register order (the columns' mask: the same
        as :func:`layers.filters.apply_filter`, which a property test holds)."""
        return Selection(self, keep=self.mask(project_filter))

    def mask(
        self,
        project_filter: ProjectFilter,
        *,
        bbox: tuple[float, float, float, float] | None = None,
        interval: tuple[date | None, date | None] | None = None,
    ) -> npt.NDArray[np.bool_]:
        """Which projects pass the filter, and have a point in ``bbox`` and a period meeting
        ``interval`` when they are given (:meth:`in_bbox`, :meth:`in_period`). Every selection
        of the app is made here (a register served from a database makes it there)."""
        keep = self.columns.mask(project_filter)
        if bbox is not None:
            keep &= self.in_bbox(bbox)
        if interval is not None:
            keep &= self.in_period(*interval)
        return keep

    def in_bbox(self, bbox: tuple[float, float, float, float]) -> npt.NDArray[np.bool_]:
        """Which projects have a point (the API's, 6 decimals) in the box, edges included; a
        west edge east of the east edge crosses the antimeridian, a south edge north of the
        north edge bounds nothing."""
        west, south, east, north = bbox
        lon, lat = self.sites.api_lon, self.sites.api_lat
        inside = (lat >= south) & (lat <= north)
        inside &= (lon >= west) & (lon <= east) if west <= east else (lon >= west) | (lon <= east)
        found = np.zeros(len(self.features), bool)
        found[self.sites.feature[inside]] = True
        return found

    def in_period(self, first: date | None, last: date | None) -> npt.NDArray[np.bool_]:
        """Which projects' periods meet the interval ``first``–``last`` (``None``: open); a
        project with no period never does, nor does an interval that ends before it starts."""
        if first is not None and last is not None and first > last:
            return np.zeros(len(self.features), bool)
        meets = self.dated.copy()
        if first is not None:
            meets &= (self.period_last == _NO_DAY) | (self.period_last >= first.toordinal())
        if last is not None:
            meets &= (self.period_first == _NO_DAY) | (self.period_first <= last.toordinal())
        return meets

    def choices(self) -> FilterChoices:
        """What the register offers a filter (:meth:`FilterChoices.from_features`'s values)."""
        programs = tuple(p for p in self.columns.codes["program"][0] if p)
        return FilterChoices(towns=frozenset(self.columns.towns), programs=programs)

    def town_names(self) -> list[str]:
        """Every town the register names, once each."""
        column = self.table["towns"]
        if column.num_chunks == 0:
            return []
        flat = pa.chunked_array([chunk.flatten() for chunk in column.chunks], pa.string())
        return [str(town) for town in flat.unique().to_pylist() if town is not None]

    def csv_texts(self, rows: npt.NDArray[np.int64]) -> list[str]:
        """The CSV rows (text, with their line ends) of these projects."""
        column = self.table["csv"]
        return [str(v) for v in column.take(pa.array(rows)).to_pylist()] if len(rows) else []


class ById(Mapping[str, ProjectFeature]):
    """A register's features by id, decoded on demand."""

    def __init__(self, register: PackedRegister) -> None:
        self._register = register

    def __getitem__(self, fid: str) -> ProjectFeature:
        return self._register.features[self._register.row_of[fid]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._register.ids)

    def __len__(self) -> int:
        return len(self._register.ids)

    def __contains__(self, fid: object) -> bool:
        return fid in self._register.row_of


class Selection(Sequence[ProjectFeature]):
    """Some of a packed register's projects, by row, in register order: its length is known,
    a feature is decoded when it is read, and what can be answered from the register's
    columns (totals, markers, CSV rows) is answered from them."""

    def __init__(
        self,
        register: PackedRegister,
        rows: npt.NDArray[np.int64] | None = None,
        source: PackedFeatures | None = None,
        *,
        keep: npt.NDArray[np.bool_] | None = None,
    ) -> None:
        """The projects of ``rows``, or those a mask of the register (``keep``) keeps. A mask's
        rows are listed when first read, and a page from the start lists only the rows up to its
        end: the first page of a million projects reads a few thousand entries of the mask and
        allocates no array of a million rows (whose first touch costs a fresh thread several
        milliseconds)."""
        if (rows is None) == (keep is None):
            msg = "a selection is made of rows or of a mask, one of the two"
            raise TypeError(msg)
        self.register = register
        self._rows, self._keep = rows, keep
        #: What a row decodes to: the register's features, or (the API's) as exported.
        self.source = source if source is not None else register.features

    @functools.cached_property
    def _size(self) -> int:
        if self._rows is None and self._keep is not None:
            return int(np.count_nonzero(self._keep))
        return len(self.rows)

    @property
    def rows(self) -> npt.NDArray[np.int64]:
        """The selected rows of the register, in order."""
        if self._rows is None:
            assert self._keep is not None
            self._rows = np.flatnonzero(self._keep)
        return self._rows

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> ProjectFeature: ...
    @overload
    def __getitem__(self, index: slice) -> Selection: ...
    def __getitem__(self, index: int | slice) -> ProjectFeature | Selection:
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            forward = index.step in (None, 1) and start >= 0 and stop is not None and stop >= 0
            if forward and self._rows is None and self._keep is not None:
                leading = _first_rows(self._keep, stop)
                return Selection(self.register, leading[start:], self.source)
            return Selection(self.register, self.rows[index], self.source)
        return self.source[int(self.rows[index])]

    def __iter__(self) -> Iterator[ProjectFeature]:
        return (self.source[int(row)] for row in self.rows)

    def encoded(self) -> bytes:
        """The features as a JSON array, joined from the bytes encoded once."""
        return b"[" + b",".join(self.source.raw(int(row)) for row in self.rows) + b"]"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Selection):
            return (
                other.register is self.register
                and other.source is self.source
                and np.array_equal(other.rows, self.rows)
            )
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def csv_rows(self) -> tuple[list[str], Callable[[int, int], list[str]]] | None:
        """The CSV columns and rows as the register holds them written
        (:class:`layers.export.EncodedRows`); ``None`` when a selection's columns could differ
        from the register's (no projects, or projects with other properties)."""
        names = self.register.csv_columns
        if names is None or not len(self.rows):
            return None
        return (
            ["id", *names, *GEOMETRY_COLUMNS],
            lambda start, stop: self.register.csv_texts(self.rows[start:stop]),
        )

    def layer_tables(self) -> Iterator[tuple[str, pa.Table]] | None:
        """The GeoPackage's table of each layer, as Arrow tables taken from the register's
        typed columns (:class:`layers.export.ArrowTables`), made one at a time as they are
        written; ``None`` when the register holds no such columns."""
        register = self.register
        names, table = register.csv_columns, register.table
        if names is None or "g:wkb" not in table.column_names:
            return None
        needed = table.select(
            ["id", "g:wkb", *(c for c in table.column_names if c[:2] in ("k:", "n:", "b:", "t:"))]
        )  # not the large encoded columns
        return self._layer_tables(needed, names)

    def _layer_tables(self, needed: pa.Table, names: list[str]) -> Iterator[tuple[str, pa.Table]]:
        layer_values, layer_codes = self.register.columns.codes["layer"]
        other = [code for value, code in layer_values.items() if value not in _LAYER_NAMES]
        for layer in _LAYER_NAMES:
            codes = [code for value, code in layer_values.items() if value == layer]
            if layer == "other":
                codes += other
            rows = self.rows[np.isin(layer_codes[self.rows], codes)]
            picked = needed.take(pa.array(rows, pa.int64())) if len(rows) else needed.slice(0, 0)
            columns = {"id": picked["id"]}
            for name in names:
                target = f"{name}_" if name in {"id", "fid", "geometry", "geom"} else name
                columns[target] = _typed(picked, name)
            columns["geometry"] = picked["g:wkb"]
            yield layer, pa.table(columns)

    def aggregates(self) -> CountyAggregates:
        """The county totals of these projects (the columns' sums)."""
        keep = np.zeros(len(self.register.features), bool)
        keep[self.rows] = True
        return self.register.columns.aggregate(keep)

    def where(self, keep: npt.NDArray[np.bool_]) -> Selection:
        """The projects of this selection that ``keep`` (a mask of the register) selects."""
        return Selection(self.register, self.rows[keep[self.rows]], self.source)


def _first_rows(
    keep: npt.NDArray[np.bool_], count: int, block: int = 1 << 12
) -> npt.NDArray[np.int64]:
    """The first ``count`` rows a mask keeps (fewer if it keeps fewer), reading it only as far
    as they reach: a block at a time, each twice the last."""
    found: list[npt.NDArray[np.int64]] = []
    have = start = 0
    while have < count and start < len(keep):
        rows = np.flatnonzero(keep[start : start + block]) + start
        found.append(rows)
        have += len(rows)
        start, block = start + block, block * 2
    return np.concatenate(found)[:count] if found else np.zeros(0, np.int64)


#: The GeoPackage's point tables, one per layer (a layer not known goes with ``other``).
_LAYER_NAMES: Final = tuple(layer.value for layer in Layer)


class _Index(Mapping[str, npt.NDArray[Any]]):
    """A mapping whose keys are known at once and whose values are all made when one is first
    read: a county's mask, a town's rows (a million projects' take a tenth of a second, which a
    start does not need)."""

    def __init__(
        self, keys: Sequence[str], make: Callable[[], dict[str, npt.NDArray[Any]]]
    ) -> None:
        self._keys, self._make = dict.fromkeys(keys), make

    @functools.cached_property
    def _made(self) -> dict[str, npt.NDArray[Any]]:
        return self._make()

    def __getitem__(self, key: str) -> npt.NDArray[Any]:
        return self._made[key]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _typed(picked: pa.Table, name: str) -> pa.ChunkedArray:
    """A property's column for these rows, typed as :func:`layers.export.typed_column` types
    the same values: booleans, whole numbers, numbers, else text."""
    kinds = set(np.unique(picked[f"k:{name}"].to_numpy())) - {_NULL}
    if kinds == {_BOOL}:
        return picked[f"b:{name}"]
    if kinds == {_INT}:
        return picked[f"n:{name}"].cast(pa.int64())
    if kinds and kinds <= {_INT, _FLOAT}:
        return picked[f"n:{name}"]
    if not kinds:
        return pa.chunked_array([pa.nulls(picked.num_rows, pa.large_string())])
    return picked[f"t:{name}"]


def load_packed(build: Path) -> PackedRegister:
    """The register of a build folder in its binary form: ``projects.arrow`` if it was made from
    the ``projects.geojson`` there now, else packed from it (and written, if the folder can be
    written to, so that the next start is fast).

    Raises
    ------
    BuildError
        No readable register in ``build`` (:func:`layers.export.read_register`).
    """
    path = build / "projects.geojson"
    try:
        digest = seen_register_digest(path)
    except FileNotFoundError:
        msg = f"no register at {path}: run `infra-atlas build` first"
        raise BuildError(msg) from None
    except OSError as exc:
        msg = f"cannot read the register {path}: {exc}"
        raise BuildError(msg) from exc
    table = _read(build / PACKED)
    if table is None or not _made_from(table, digest):
        log.info("%s is not the binary register of %s: packing again", build / PACKED, digest[:16])
        table = pack(read_register(build), digest)
        try:
            write_packed(table, build / PACKED)
        except OSError as exc:
            log.warning("could not keep the binary register in %s: %s", build, exc)
    return PackedRegister.of(table)


def read_packed(path: Path, digest: str) -> PackedRegister:
    """The binary register at ``path``, which must have been made from a register whose
    SHA-256 is ``digest`` (a copy of a build kept elsewhere, such as a database's).

    Raises
    ------
    BuildError
        The file cannot be read, or was made from another register or in another layout.
    """
    table = _read(path)
    if table is None or not _made_from(table, digest):
        layout = None if table is None else _layout(table)
        why = f", but of layout {layout} (this version reads {_LAYOUT})"
        msg = f"{path} is not the binary register of {digest[:16]}"
        msg += why if layout not in (None, _LAYOUT) else ""
        raise BuildError(f"{msg}: load the build again (infra-atlas load)")
    return PackedRegister.of(table)


def _read(path: Path) -> pa.Table | None:
    """The binary register at ``path``, memory-mapped; ``None`` if it cannot be read."""
    try:
        return pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    except (OSError, pa.ArrowInvalid):
        return None


def _made_from(table: pa.Table, digest: str) -> bool:
    """Whether a binary register is of this layout and was made from the register whose
    SHA-256 is ``digest``."""
    made = (table.schema.metadata or {}).get(b"register_sha256")
    return _layout(table) == _LAYOUT and made == digest.encode()


def _layout(table: pa.Table) -> str | None:
    """The layout a binary register names, ``None`` if none."""
    layout = (table.schema.metadata or {}).get(b"infra_atlas_layout")
    return layout.decode() if layout else None


# Reading: the columns as numpy arrays over the file's own buffers (the file is memory-mapped),
# without pyarrow's conversions, which import pandas (a quarter of a second) on first use.

#: The numpy type of each fixed-width Arrow type the file holds.
_NUMPY: Final = {
    pa.int8(): np.int8,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.float64(): np.float64,
}


def _flat(
    column: pa.ChunkedArray, dtype: type[np.generic] = np.int64
) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """A list column's (row of each value, values), over all its chunks."""
    array = _one(column)
    if len(array) == 0:
        return np.zeros(0, np.int64), np.zeros(0, dtype)
    offsets = _values(array.offsets, np.int64)
    values = _values(array.values, dtype)[offsets[0] : offsets[-1]]
    rows = np.repeat(np.arange(len(array), dtype=np.int64), np.diff(offsets))
    return rows, values


def _values(column: pa.ChunkedArray | pa.Array, dtype: type[np.generic]) -> Any:
    """A column of numbers or booleans as ``dtype``: a view of the file's buffer when the
    types agree (read-only), else a converted copy. A null's value is whatever the buffer holds
    there (:func:`_nullable` masks them)."""
    array = _one(column)
    if len(array) == 0:
        return np.zeros(0, dtype)
    buffer = array.buffers()[1]
    if pa.types.is_boolean(array.type):
        return _bits(buffer, array.offset, len(array))
    held = np.frombuffer(
        buffer, _NUMPY[array.type], len(array), array.offset * array.type.byte_width
    )
    return np.asarray(held, dtype)


def _nullable(
    column: pa.ChunkedArray, dtype: type[np.generic]
) -> tuple[Any, npt.NDArray[np.bool_]]:
    """A column of numbers with nulls: (its values as ``dtype``, 0 for a null; which are not
    null)."""
    array = _one(column)
    bitmap = array.buffers()[0] if len(array) else None
    size = len(array)
    present = np.ones(size, bool) if bitmap is None else _bits(bitmap, array.offset, size)
    return np.where(present, _values(array, dtype), 0).astype(dtype, copy=False), present


def _bits(buffer: pa.Buffer, offset: int, size: int) -> npt.NDArray[np.bool_]:
    """``size`` bits of an Arrow bitmap (least significant bit first) from bit ``offset``."""
    bits = np.unpackbits(np.frombuffer(buffer, np.uint8), count=offset + size, bitorder="little")
    return bits[offset:].view(np.bool_)


def _one(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as one array: its only chunk as it is, several chunks joined."""
    if isinstance(column, pa.Array):
        return column
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
