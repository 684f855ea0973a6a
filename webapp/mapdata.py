"""What the map page shows, computed from filtered features; nothing here knows about Flask.

- :func:`marker_rows`: the compact marker data the page's script draws (one row per point).
- :func:`summarise`: the counts and totals of the summary, and the projects not on the map.
- :func:`choropleth_classes`: the counties' classes for the choropleth, with legend labels.
- :func:`sort_features` and :func:`page_of`: the table's order and page.
- :func:`simplified_boundaries`: the boundary files made light enough for a page
  (:func:`page_geometry`, also the API pages' county outlines).
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.counties import normalise_place_name
from layers.aggregate import CountyAggregates, aggregate_counties, whole_amount
from layers.classify import Layer
from layers.database import DatabaseRegister
from layers.filters import ProjectFilter
from layers.packed import PackedRegister, Selection, geometry_points, place_at
from layers.schema import Project, ProjectFeature
from webapp.formatting import behind_gap, format_twd
from webapp.i18n import Lang

__all__ = [
    "CHOROPLETH_COLOURS",
    "CLUSTER_CELL_PX",
    "MAP_LAYERS",
    "SYMBOLS",
    "Choropleth",
    "MarkerPoints",
    "Summary",
    "choropleth_classes",
    "marker_rows",
    "marker_svg",
    "page_geometry",
    "page_of",
    "simplified_boundaries",
    "sort_features",
    "summarise",
    "view_markers",
]

Feature = ProjectFeature

#: The layers in marker order; a marker row names its layer by index in this tuple.
MAP_LAYERS: Final[tuple[str, ...]] = tuple(layer.value for layer in Layer)
#: Boundary simplification tolerance (degrees, about 100 m) and coordinate grid (about 10 m).
_TOLERANCE: Final = 0.001
_GRID: Final = 0.0001
_MARKER_DECIMALS: Final = 5
#: Each layer's colour and shape (colour-blind safe Okabe-Ito colours; the shape tells them
#: apart without colour).
SYMBOLS: Final[dict[str, tuple[str, str]]] = {
    "water": ("#0072B2", "circle"),
    "energy": ("#E69F00", "triangle"),
    "industrial_park": ("#8E44AD", "square"),
    "disaster": ("#D55E00", "diamond"),
    "other": ("#6B6B6B", "dot"),
}
#: Choropleth fills: class 0 (no budget) then five classes, light to dark.
CHOROPLETH_COLOURS: Final = ("#f2f2f2", "#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
_SHAPES: Final = {
    "circle": '<circle cx="8" cy="8" r="6"/>',
    "triangle": '<path d="M8 1.5 L14.5 14 L1.5 14 Z"/>',
    "square": '<rect x="2.5" y="2.5" width="11" height="11"/>',
    "diamond": '<path d="M8 1 L15 8 L8 15 L1 8 Z"/>',
    "dot": '<circle cx="8" cy="8" r="4.5"/>',
}
_STATUS_ORDER: Final = ("behind", "on_track", "planned", "completed", "unknown")
OFF_MAP_SHOWN: Final = 100


def marker_rows(features: Sequence[Feature], counties: Collection[str] = ()) -> dict[str, Any]:
    """The markers of placed features: ``{"layers": [...], "rows": [[id, layer, precision,
    lon, lat, name], ...]}``, one row per point (a MultiPoint project gives several rows).

    ``layer`` is an index into ``layers``; ``precision`` is the register's code (0 if none);
    ``name`` names the marker for a screen reader and a tooltip. Details are left out to keep
    the data small; a popup fetches them. With ``counties`` (a county page, a county filter), a
    project's sites the geocoder placed in another county are left out: the map of a county
    shows what lies in it (the project's page and popup say where else it runs).
    """
    index = {name: position for position, name in enumerate(MAP_LAYERS)}
    other = index[Layer.OTHER.value]
    rows: list[list[Any]] = []
    for feature in features:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        props = feature["properties"]
        layer = index.get(props.get("layer") or "", other)
        precision = props.get("precision") or 0
        points = geometry_points(geometry)
        if counties and len(points) > 1:
            points = _sites_in(points, props, counties)
        for lon, lat, *_ in points:  # GeoJSON order: lon, lat
            rows.append(
                [
                    str(feature["id"]),
                    layer,
                    precision,
                    round(lon, _MARKER_DECIMALS),
                    round(lat, _MARKER_DECIMALS),
                    props["name"],
                ]
            )
    return {"layers": list(MAP_LAYERS), "rows": rows}


#: Pixels a cluster cell spans on the map (Leaflet's tiles are 256 px).
CLUSTER_CELL_PX: Final = 64


@dataclass(frozen=True, eq=False)
class MarkerPoints:
    """Marker rows (:func:`marker_rows`) with their coordinates and layers as arrays, made
    once per filter so that each view is a few array operations."""

    layers: list[str]
    rows: Sequence[list[Any]]
    lon: np.ndarray[Any, np.dtype[np.float64]]
    lat: np.ndarray[Any, np.dtype[np.float64]]
    layer: np.ndarray[Any, np.dtype[np.int64]]

    @classmethod
    def of(cls, markers: Mapping[str, Any]) -> MarkerPoints:
        rows = markers["rows"]
        return cls(
            layers=list(markers["layers"]),
            rows=rows,
            lon=np.array([row[3] for row in rows], np.float64),
            lat=np.array([row[4] for row in rows], np.float64),
            layer=np.array([row[1] for row in rows], np.int64),
        )

    @classmethod
    def of_selection(cls, selection: Selection, counties: Collection[str] = ()) -> MarkerPoints:
        """The markers of a selection from the register's site columns: the rows of
        :func:`marker_rows` (a test holds them equal), each made when it is read."""
        register = selection.register
        sites = register.sites
        chosen = np.zeros(len(register.features), bool)
        chosen[selection.rows] = True
        keep = chosen[sites.feature]
        if counties:  # a shared project's sites in other counties are left out
            inside = [code for code, name in enumerate(register.site_counties) if name in counties]
            keep &= ~sites.shared | (sites.county < 0) | np.isin(sites.county, inside)
        index = np.flatnonzero(keep)
        layer_of = {name: position for position, name in enumerate(MAP_LAYERS)}
        other = layer_of[Layer.OTHER.value]
        values, codes = register.columns.codes["layer"]
        by_code = np.full(len(values) + 1, other, np.int64)
        for value, code in values.items():
            by_code[code] = layer_of.get(value or "", other)
        feature = sites.feature[index]
        layer = by_code[codes[feature]]
        lon, lat = sites.lon[index], sites.lat[index]
        return cls(
            layers=list(MAP_LAYERS),
            rows=_SiteRows(register, feature, layer, lon, lat),
            lon=lon,
            lat=lat,
            layer=layer,
        )

    @functools.cached_property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """West, south, east and north of the points (``None`` if there are none)."""
        if not len(self.lon):
            return None
        return (
            float(self.lon.min()),
            float(self.lat.min()),
            float(self.lon.max()),
            float(self.lat.max()),
        )

    def within(self, bbox: tuple[float, float, float, float]) -> bool:
        """Whether every point lies in the box (a box that does not wrap)."""
        west, south, east, north = bbox
        bounds = self.bounds
        return (
            bounds is not None
            and west <= bounds[0]
            and south <= bounds[1]
            and (bounds[2] <= east and bounds[3] <= north and west <= east)
        )

    def marker_rows(self) -> dict[str, Any]:
        """All the rows, as :func:`marker_rows` gives them."""
        return {"layers": self.layers, "rows": list(self.rows)}


class _SiteRows(Sequence[list[Any]]):
    """Marker rows made from the site columns when read (few are: a view's, when zoomed in)."""

    def __init__(
        self,
        register: PackedRegister,
        feature: np.ndarray[Any, np.dtype[np.int64]],
        layer: np.ndarray[Any, np.dtype[np.int64]],
        lon: np.ndarray[Any, np.dtype[np.float64]],
        lat: np.ndarray[Any, np.dtype[np.float64]],
    ) -> None:
        self.register, self.feature, self.layer, self.lon, self.lat = (
            register,
            feature,
            layer,
            lon,
            lat,
        )
        values, codes = register.columns.codes["precision"]
        self.precision = np.zeros(len(values) + 1, np.int64)
        for value, code in values.items():
            self.precision[code] = value or 0
        self.precision_code = codes

    def __len__(self) -> int:
        return len(self.feature)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = int(self.feature[index])
        return [
            self.register.ids[row],
            int(self.layer[index]),
            int(self.precision[self.precision_code[row]]),
            float(self.lon[index]),
            float(self.lat[index]),
            self.register.names[row],
        ]


def view_markers(
    points: MarkerPoints,
    bbox: tuple[float, float, float, float],
    zoom: int,
    *,
    limit: int,
) -> dict[str, Any]:
    """The markers of one map view: the rows inside ``bbox`` if there are at most ``limit``,
    else clusters on a grid of about :data:`CLUSTER_CELL_PX` pixels at ``zoom``.

    A cluster is ``[layer, count, lon, lat]`` (the mean of its points): one per layer and cell,
    so that each layer's colour and count stay true to the filter; the counts add up to the
    points in view (``total``).
    """
    west, south, east, north = bbox
    lon, lat, layer = points.lon, points.lat, points.layer
    if not points.within(bbox):  # a view of part of the points: those inside it
        inside = (lat >= south) & (lat <= north)
        inside &= (lon >= west) & (lon <= east) if west <= east else (lon >= west) | (lon <= east)
        chosen = np.flatnonzero(inside)
        lon, lat, layer = lon[chosen], lat[chosen], layer[chosen]
    else:
        chosen = np.arange(len(lon))
    view: dict[str, Any] = {"layers": points.layers, "total": int(chosen.size)}
    if chosen.size <= limit:
        return {**view, "rows": [points.rows[int(i)] for i in chosen], "clusters": []}
    size = cell_degrees(zoom)
    cx = np.floor(lon / size).astype(np.int64)
    cy = np.floor(lat / size).astype(np.int64)
    # a point's 5 decimals as a whole number: the sums are exact, in any order (and in SQL)
    lon, lat = np.rint(lon * _SCALE), np.rint(lat * _SCALE)
    # one whole number per (layer, cell): a 1-D count is far faster than a unique over rows
    cx -= cx.min()
    cy -= cy.min()
    width, height = int(cx.max()) + 1, int(cy.max()) + 1
    keys = (layer * width + cx) * height + cy
    span = (int(layer.max()) + 1) * width * height
    if span <= 4 * len(keys):  # few cells (a zoomed-out view): count into every cell
        counts = np.bincount(keys, minlength=span)
        cells = np.flatnonzero(counts)
        sum_lon = np.bincount(keys, lon, minlength=span)[cells]
        sum_lat = np.bincount(keys, lat, minlength=span)[cells]
        counts = counts[cells]
    else:  # many cells: count only those that hold a point
        cells, which, counts = np.unique(keys, return_inverse=True, return_counts=True)
        sum_lon = np.bincount(which, lon)
        sum_lat = np.bincount(which, lat)
    clusters = [
        _cluster(int(cell // (width * height)), int(count), float(x), float(y))
        for cell, count, x, y in zip(cells, counts, sum_lon, sum_lat, strict=True)
    ]
    return {**view, "rows": [], "clusters": clusters}


#: A map point's coordinates have 5 decimals: times this, they are whole numbers.
_SCALE: Final = 10**_MARKER_DECIMALS


def cell_degrees(zoom: int) -> float:
    """The degrees a cluster cell spans at ``zoom`` (:data:`CLUSTER_CELL_PX` pixels)."""
    return 360.0 / (float(2**zoom) * 256 / CLUSTER_CELL_PX)


def _cluster(layer: int, count: int, sum_lon: float, sum_lat: float) -> list[Any]:
    """``[layer, count, lon, lat]``: the mean of the points, from the sums of their
    coordinates × 10⁵ (whole numbers)."""
    return [layer, count, round(sum_lon / count / _SCALE, 5), round(sum_lat / count / _SCALE, 5)]


def database_markers(
    register: DatabaseRegister,
    project_filter: ProjectFilter,
    *,
    limit: int,
    total: int | None = None,
) -> dict[str, Any]:
    """The markers of a filter from the database: :func:`marker_rows`'s, or with more than
    ``limit`` points, none and how many (``by_view``: the page then asks view by view).
    ``total``, the filter's points if the caller has counted them, is not counted again."""
    database, build = register.database, register.build
    if total is None:
        total = database.marker_count(build, project_filter, None)
    if total > limit:
        return {"layers": list(MAP_LAYERS), "rows": [], "by_view": total}
    rows = database.marker_rows(build, project_filter, None)
    return {"layers": list(MAP_LAYERS), "rows": [_marker_row(row) for row in rows]}


def database_view(
    register: DatabaseRegister,
    project_filter: ProjectFilter,
    bbox: tuple[float, float, float, float],
    zoom: int,
    *,
    limit: int,
) -> dict[str, Any]:
    """:func:`view_markers` of a filter, counted and clustered by the database (one query for
    the clusters, and one for the rows when there are few enough): the same answer (a test
    holds them equal)."""
    database, build = register.database, register.build
    cells: dict[tuple[int, int, int], list[int]] = {}
    for layer, x, y, count, sum_lon, sum_lat in database.marker_cells(
        build, project_filter, bbox, cell_degrees(zoom)
    ):
        held = cells.setdefault((_layer_index(layer), x, y), [0, 0, 0])  # layers "other" share
        held[0] += count
        held[1] += sum_lon
        held[2] += sum_lat
    total = sum(count for count, _, _ in cells.values())
    view: dict[str, Any] = {"layers": list(MAP_LAYERS), "total": total}
    if total <= limit:
        rows = database.marker_rows(build, project_filter, bbox)
        return {**view, "rows": [_marker_row(row) for row in rows], "clusters": []}
    clusters = [
        _cluster(key[0], count, float(sum_lon), float(sum_lat))
        for key, (count, sum_lon, sum_lat) in sorted(cells.items())
    ]
    return {**view, "rows": [], "clusters": clusters}


def _layer_index(layer: str | None) -> int:
    """A layer's place in :data:`MAP_LAYERS`; one not known counts as ``other``."""
    return _LAYER_INDEX.get(layer or "", _LAYER_INDEX[Layer.OTHER.value])


_LAYER_INDEX: Final = {name: position for position, name in enumerate(MAP_LAYERS)}


def _marker_row(row: tuple[str, str | None, int, float, float, str | None]) -> list[Any]:
    fid, layer, precision, lon, lat, name = row
    return [str(fid), _layer_index(layer), int(precision), float(lon), float(lat), str(name)]


def _sites_in(points: list[Any], props: Project, counties: Collection[str]) -> list[Any]:
    """The points of a multi-site project in ``counties``, by the county its place record
    gives (a point with no record, or a record with no county, is kept: never hidden)."""
    places = place_at(props)
    return [
        point
        for point in points
        if (county := places.get((point[0], point[1]), {}).get("county")) is None
        or normalise_place_name(county) in counties
    ]


def marker_svg(layer: str, *, exact: bool) -> str:
    """The marker symbol of a layer as inline SVG: filled with a dark outline for an exact
    site (precision 1-2), hollow with a dashed outline for a town or county (3-4)."""
    colour, shape = SYMBOLS.get(layer, SYMBOLS["other"])
    paint = (
        f'fill="{colour}" stroke="#1a1a1a" stroke-width="1.2"'
        if exact
        else f'fill="#ffffff" fill-opacity="0.7" stroke="{colour}" stroke-width="2.2" '
        'stroke-dasharray="3 2"'
    )
    return (
        f'<svg class="sym" width="16" height="16" viewBox="0 0 16 16" {paint} '
        f'aria-hidden="true" focusable="false">{_SHAPES[shape]}</svg>'
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary of a filtered set."""

    count: int
    legal_twd: int | None  # None when no matching project prints the figure
    executed_twd: int | None
    behind: int
    off_map: Sequence[Feature]
    with_legal: int  # how many matching projects print a legal budget
    with_executed: int


def summarise(features: Sequence[Feature]) -> Summary:
    """Count and total the features (each once, whatever its counties) and list those with no
    point on the map (nationwide programmes and unplaced projects), in register order."""
    if isinstance(features, Selection):
        return _summarise_columns(features)
    # each project once: the national totals of layers.aggregate, summed here directly
    legal, executed = (
        [whole_amount(f["properties"].get(key)) for f in features]
        for key in ("budget_legal_twd", "budget_executed_twd")
    )
    with_legal, with_executed = (sum(v is not None for v in values) for values in (legal, executed))
    return Summary(
        count=len(features),
        legal_twd=sum(v for v in legal if v is not None) if with_legal else None,
        executed_twd=sum(v for v in executed if v is not None) if with_executed else None,
        behind=sum(f["properties"].get("status") == "behind" for f in features),
        off_map=[feature for feature in features if not feature.get("geometry")],
        with_legal=with_legal,
        with_executed=with_executed,
    )


def _summarise_columns(selection: Selection) -> Summary:
    """:func:`summarise` by the register's columns (a test holds the two equal)."""
    register, rows = selection.register, selection.rows
    money = register.columns.money
    (legal, has_legal), (executed, has_executed) = (
        (money[key][0][rows], money[key][1][rows]) for key in ("legal", "executed")
    )
    with_legal, with_executed = int(has_legal.sum()), int(has_executed.sum())
    return Summary(
        count=len(rows),
        legal_twd=int(legal[has_legal].sum()) if with_legal else None,
        executed_twd=int(executed[has_executed].sum()) if with_executed else None,
        behind=int(register.columns.behind[rows].sum()),
        off_map=selection.where(~register.placed),
        with_legal=with_legal,
        with_executed=with_executed,
    )


@dataclass(frozen=True, slots=True)
class Choropleth:
    """Counties coloured by a budget: each county's class (0 = none), the labels of the classes
    and each county's amount as text."""

    measure: str
    classes: dict[str, int]
    labels: list[str]
    amounts: dict[str, str]


def choropleth_classes(
    features: Sequence[Feature],
    measure: str,
    *,
    lang: Lang,
    classes: int = 5,
    aggregates: CountyAggregates | None = None,
) -> Choropleth:
    """Classify the counties by the ``legal`` or ``executed`` budget of the features in them.

    A project in several counties gives each an equal share of its money
    (:mod:`layers.aggregate`), so the counties add up to the placed total; nationwide
    programmes are in no county. Classes are quantiles of the non-zero county sums (budgets
    are very skewed), class 0 is a county with none. ``aggregates``, when given, are those
    of ``features`` already counted (by the register's columns).
    """
    rows = (aggregates or aggregate_counties(features)).counties
    values = {county: int(row[f"all_{measure}_twd"]) for county, row in rows.items()}
    positive = sorted(v for v in values.values() if v > 0)
    uppers = _quantile_uppers(positive, classes)
    lowers = [positive[0] if positive else 0, *uppers[:-1]]
    labels = [
        f"{format_twd(low, lang)} – {format_twd(high, lang)}"
        for low, high in zip(lowers, uppers, strict=True)
    ]
    return Choropleth(
        measure=measure,
        classes={county: _class_of(value, uppers) for county, value in values.items()},
        labels=labels,
        amounts={county: format_twd(value, lang) for county, value in values.items()},
    )


def _quantile_uppers(values: list[int], classes: int) -> list[int]:
    if not values:
        return []
    uppers = [values[min(len(values) - 1, (len(values) * k) // classes)] for k in range(1, classes)]
    return sorted({*uppers, values[-1]})


def _class_of(value: int, uppers: list[int]) -> int:
    if value <= 0:
        return 0
    return next(i for i, upper in enumerate(uppers, start=1) if value <= upper)


def _missing_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else 0)


_SORT_VALUES: Final[dict[str, Callable[[Project], Any]]] = {
    "name": lambda p: p.get("name") or "",
    "layer": lambda p: MAP_LAYERS.index(p["layer"]) if p.get("layer") in MAP_LAYERS else 9,
    "county": lambda p: (p.get("counties") or ["\uffff"])[0],
    "budget": lambda p: p.get("budget_legal_twd"),
    "rate": lambda p: p.get("execution_rate_pct"),
    "progress": lambda p: p.get("progress_actual_pct"),
    "gap": behind_gap,
    "status": lambda p: _STATUS_ORDER.index(p.get("status") or "unknown"),
}


def sort_features(
    features: Sequence[Feature], key: str | None, *, descending: bool
) -> Sequence[Feature]:
    """The features in table order: by a :data:`webapp.state.SORT_KEYS` column, projects
    without a value last either way; register order (stable) for ties and when ``key`` is None."""
    if key is None:
        return features if isinstance(features, Selection) else list(features)
    if isinstance(features, Selection) and (values := _sort_column(features.register, key)):
        return _sorted_rows(features, *values, descending=descending)
    value = _SORT_VALUES[key]
    present = [f for f in features if value(f["properties"]) is not None]
    missing = [f for f in features if value(f["properties"]) is None]
    present.sort(key=lambda f: value(f["properties"]), reverse=descending)
    return present + missing


def _sort_column(
    register: PackedRegister, key: str
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, np.dtype[np.bool_]]] | None:
    """Every project's value of a sort column (:data:`_SORT_VALUES`) and which have one, read
    from the register's columns once; ``None`` when they cannot give it exactly."""
    found = register.derived.get(("sort", key))
    if found is None:
        found = register.derived.setdefault(("sort", key), _read_sort_column(register, key))
    return found


def _read_sort_column(
    register: PackedRegister, key: str
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, np.dtype[np.bool_]]] | None:
    size = len(register.features)
    everyone = np.ones(size, bool)
    codes = register.columns.codes
    if key == "name":
        return np.array(register.names, dtype=str), everyone
    if key in ("layer", "status"):
        index, column = codes[key]
        by_code = np.zeros(len(index) + 1, np.int64)
        for value, code in index.items():  # as _SORT_VALUES ranks them
            by_code[code] = _SORT_VALUES[key]({key: value})  # type: ignore[misc]
        return by_code[column], everyone
    if key == "county":
        firsts = [c[0] if c else "\uffff" for c in register.table["counties"].to_pylist()]
        return np.array(firsts, dtype=str), everyone
    numbers = {
        "budget": "budget_legal_twd",
        "rate": "execution_rate_pct",
        "progress": "progress_actual_pct",
    }
    if key in numbers:
        return register.numbers(numbers[key])
    if key == "gap":
        actual, planned = (
            register.numbers(name) for name in ("progress_actual_pct", "progress_planned_pct")
        )
        if actual is None or planned is None:
            return None
        behind = register.columns.behind & actual[1] & planned[1]
        gap = np.zeros(size, np.float64)
        for row in np.flatnonzero(behind):  # as behind_gap rounds it, in Python
            gap[row] = round(float(planned[0][row]) - float(actual[0][row]), 2)
        return gap, behind
    return None


def _sorted_rows(
    selection: Selection,
    values: np.ndarray[Any, Any],
    present: np.ndarray[Any, np.dtype[np.bool_]],
    *,
    descending: bool,
) -> Selection:
    """The selection in the order of ``values`` (a stable sort, as Python's with ``reverse``),
    those without a value last in register order."""
    rows = selection.rows
    has = present[rows]
    valued, missing = rows[has], rows[~has]
    _, rank = np.unique(values[valued], return_inverse=True)
    order = np.argsort(-rank if descending else rank, kind="stable")
    return Selection(selection.register, np.concatenate([valued[order], missing]), selection.source)


def page_of(items: Sequence[Feature], page: int, size: int) -> tuple[list[Feature], int]:
    """One page of the items (empty past the end) and the number of pages (at least 1)."""
    pages = max(1, -(-len(items) // size))
    start = (page - 1) * size
    return list(items[start : start + size]), pages


def page_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """A polygon as GeoJSON light enough for a page: simplified (about 100 m) and rounded
    (about 10 m)."""
    simpler = shapely.set_precision(geometry.simplify(_TOLERANCE, preserve_topology=True), _GRID)
    outline: dict[str, Any] = json.loads(shapely.to_geojson(simpler))
    return outline


@functools.cache
def simplified_boundaries(path: Path, mtime: float) -> tuple[bytes, bytes]:
    """A boundary GeoJSON simplified (about 100 m) and rounded (about 10 m) for the page, as
    JSON bytes and their gzip; cached per file version (pass its mtime)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        features.append(
            {
                "type": "Feature",
                "properties": feature["properties"],
                "geometry": page_geometry(shape(feature["geometry"])),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
    return body, gzip.compress(body, compresslevel=6)
