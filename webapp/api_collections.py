"""The API's feature collections, prepared once per app: projects, one per layer, counties.

Two types: a :class:`ProjectCollection` (``projects`` and one per layer) and the
:class:`CountyCollection`, each saying what its items are (``noun``, geometry kinds, the keys
that are queryables, the keys that choose what its items total) and how a filter selects them,
so that the API, the OpenAPI document and the pages ask the collection instead of branching on
its id.

``projects`` holds every project of the register, placed or not; ``water``, ``energy``,
``industrial_park``, ``disaster`` and ``other`` the projects of one main layer; ``counties``
the 22 county polygons with their per-layer totals (:func:`layers.aggregate.join_counties`).
Features are held as they are exported (:func:`layers.export.feature_collection`: 6-decimal
lon/lat, a ``location_note`` on every unplaced project) and each is encoded to JSON once, so
that a page is the join of its features' bytes. Nothing here knows about Flask.

A selection is the shared filter (:func:`layers.filters.apply_filter`'s semantics, by the
register's columns, :mod:`layers.columns`, shared by every collection), then the bounding box
(a project with no geometry never matches one), then the period (a project with no period
never matches a ``datetime``), in register order.

The county rows total the whole register, prepared once; given any project filter key
(:data:`COUNTY_TOTAL_KEYS`), they total the projects that pass it instead, aggregated and
encoded for that request, so that they agree with the map's choropleth of the same filter.
``county`` chooses the rows, not the projects: a county's row counts only projects in it
either way.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ClassVar, Final

import numpy as np
import numpy.typing as npt
import shapely

from geo.counties import normalise_place_name
from layers.aggregate import CountyAggregates, aggregate_counties
from layers.classify import Layer
from layers.filters import FILTER_KEYS, ProjectFilter
from layers.packed import PackedRegister, Selection
from webapp.api_query import BBox, ItemsQuery
from webapp.mapdata import page_geometry

__all__ = [
    "COLLECTION_IDS",
    "COUNTY_TOTAL_KEYS",
    "Catalogue",
    "CountyCollection",
    "CountyTotals",
    "FeatureCollection",
    "ProjectCollection",
    "build_catalogue",
]

log = logging.getLogger(__name__)

Feature = Mapping[str, Any]

#: The collections, in the order they are listed.
COLLECTION_IDS: Final[tuple[str, ...]] = ("projects", *(layer.value for layer in Layer), "counties")
#: Filter keys that are not properties of a project, so not queryables: free text and budget.
EXTRA_KEYS: Final[tuple[str, ...]] = ("q", "budget_min", "budget_max")
#: The filter keys that choose the projects the county rows total. Not ``town``: a town lies
#: in one county, and its projects' rows elsewhere would be only the full budgets of the
#: projects it shares with a neighbour (``projects?town=…`` answers that question).
COUNTY_TOTAL_KEYS: Final[tuple[str, ...]] = tuple(
    key for key in FILTER_KEYS if key not in ("county", "town")
)

_TITLES: Final[dict[str, tuple[str, str]]] = {
    "projects": ("All projects", "Every project of the register, placed or not."),
    Layer.WATER: ("Water", "Reservoirs, water supply and water environment projects."),
    Layer.ENERGY: ("Energy", "Power plants, grids and green energy projects."),
    Layer.INDUSTRIAL_PARK: ("Industrial parks", "Industrial park projects."),
    Layer.DISASTER: ("Disaster prevention", "Flood control and disaster prevention projects."),
    Layer.OTHER: ("Other", "Projects of no map layer (digital, talent, administration…)."),
    "counties": (
        "Counties",
        "The 22 counties with per-layer totals of projects, budgets and projects behind "
        "schedule: of every project of the register or, when the items are asked with project "
        f"filter parameters ({', '.join(COUNTY_TOTAL_KEYS)}), of the projects that pass them. "
        "A project in several counties counts as a project in each, and its money is shared "
        "equally among them, so the rows' budgets add up to the placed projects' total; "
        "nationwide programmes count in none.",
    ),
}


@dataclass(frozen=True)
class FeatureCollection:
    """One collection: what describes it, and how a query selects and encodes its items.

    :class:`ProjectCollection` and :class:`CountyCollection` say what their items are, how a
    project filter selects them, and how they are found and encoded.
    """

    id: str
    title: str
    description: str
    #: The filter keys that are query parameters here (queryables first, then EXTRA_KEYS).
    filter_keys: tuple[str, ...]
    bbox: BBox | None = None
    interval: tuple[str | None, str | None] | None = None

    #: What its items are, in the words of its pages: ``projects`` or ``counties``.
    noun: ClassVar[str] = "projects"
    #: The project filter keys that choose what its items total (none for projects).
    total_keys: ClassVar[tuple[str, ...]] = ()
    #: The kinds of geometry of its items, and a word on them, for the queryables.
    geometry_kinds: ClassVar[tuple[str, ...]] = ("point", "multipoint")
    geometry_note: ClassVar[str] = "Null for unplaced projects."

    @property
    def queryable_keys(self) -> tuple[str, ...]:
        """The filter keys that are properties of its items."""
        return self.filter_keys

    def item(self, feature_id: str) -> Feature | None:
        """The item of that id, ``None`` when there is none."""
        raise NotImplementedError

    def outline(self, feature: Feature) -> Any:
        """The feature's geometry for a small map."""
        return feature["geometry"]

    def select(self, query: ItemsQuery) -> Sequence[Feature]:
        """The features that pass the query's filter, bbox and datetime, in order (unpaged)."""
        raise NotImplementedError

    def encode(self, features: Sequence[Feature]) -> bytes:
        """The JSON array of the features (some of what :meth:`select` returned)."""
        raise NotImplementedError


@dataclass(frozen=True)
class ProjectCollection(FeatureCollection):
    """Projects: all of them, or those of one main layer; the filter selects them.

    Its items are rows of the packed register (:mod:`layers.packed`), decoded as exported and
    encoded from the bytes the register holds; the filter, bbox and datetime are masks of its
    columns.
    """

    layer: Layer | None = None
    register: PackedRegister | None = field(default=None, repr=False)
    #: Its members by id (the whole register's, or one layer's).
    by_id: Mapping[str, Feature] = field(default_factory=dict, repr=False)

    def item(self, feature_id: str) -> Feature | None:
        return self.by_id.get(feature_id)

    def select(self, query: ItemsQuery) -> Selection:
        assert self.register is not None
        layers = (self.layer,) if self.layer is not None else ()
        project_filter = replace(query.filter, layers=layers or query.filter.layers)
        keep = self.register.mask(project_filter, bbox=query.bbox, interval=query.interval)
        return Selection(self.register, source=self.register.api, keep=keep)

    def encode(self, features: Sequence[Feature]) -> bytes:
        if isinstance(features, Selection):
            return features.encoded()
        return b"[" + b",".join(_encode(f) for f in features) + b"]"


@dataclass(frozen=True)
class CountyCollection(FeatureCollection):
    """The county polygons with totals: ``county`` picks rows; the other project filter keys
    choose the projects the rows total (see the module docstring)."""

    #: The rows, their polygons and totals, made when first asked for.
    rows: CountyRows | None = field(default=None, repr=False)

    noun: ClassVar[str] = "counties"
    total_keys: ClassVar[tuple[str, ...]] = COUNTY_TOTAL_KEYS
    geometry_kinds: ClassVar[tuple[str, ...]] = ("polygon", "multipolygon")
    geometry_note: ClassVar[str] = "County boundaries."

    @property
    def queryable_keys(self) -> tuple[str, ...]:
        return ("county",)  # the other keys choose projects, not rows: not properties of rows

    @property
    def _rows(self) -> CountyRows:
        assert self.rows is not None
        return self.rows

    def item(self, feature_id: str) -> Feature | None:
        return self._rows.by_id.get(feature_id)

    def outline(self, feature: Feature) -> Any:
        return self._rows.outlines.get(str(feature["id"]), feature["geometry"])

    def select(self, query: ItemsQuery) -> list[Feature]:
        names = query.filter.counties
        chosen = replace(query.filter, counties=())  # names pick rows, not projects
        totals = self._rows.totals
        rows: Sequence[Feature] = self._rows.features
        if chosen != ProjectFilter():
            rows = totals.rows(totals.aggregate(chosen))
        found = [f for f in rows if not names or _county(f) in names]
        if query.bbox is not None:
            inside = self._rows.in_bbox(query.bbox)
            found = [f for f in found if f["id"] in inside]
        if query.interval is not None:
            found = []  # the county rows have no period: a datetime matches none
        return found

    def encode(self, features: Sequence[Feature]) -> bytes:
        return b"[" + b",".join(self._bytes(f) for f in features) + b"]"

    def _bytes(self, feature: Feature) -> bytes:
        fid = str(feature["id"])
        if self._rows.by_id.get(fid) is feature:
            return self._rows.encoded[fid]  # a row of every project, encoded once
        return self._rows.totals.encode(feature)  # a row totalled for this request's filter


class CountyRows:
    """The county polygons and their rows totalling every project, made on first use.

    Reading the polygons (GDAL, pandas) and totalling a million projects take half a second,
    which listing the collections does not need: it needs only their bounding box, which
    :func:`build_catalogue` is given.
    """

    def __init__(self, register: PackedRegister, frame: Callable[[], Any]) -> None:
        self._register, self._frame = register, frame

    @functools.cached_property
    def shapes(self) -> list[Any]:
        """The county polygons, in the boundary file's order."""
        return list(self._frame().geometry)

    @functools.cached_property
    def totals(self) -> CountyTotals:
        """What totals any selection of projects by county."""
        return CountyTotals.of(self._register, self._frame())

    @functools.cached_property
    def features(self) -> list[dict[str, Any]]:
        """One row per polygon, totalling every project."""
        return self.totals.rows(self.totals.aggregate(ProjectFilter()))

    @functools.cached_property
    def encoded(self) -> dict[str, bytes]:
        """Each row's JSON, by id."""
        return {f["id"]: _encode(f) for f in self.features}

    @functools.cached_property
    def by_id(self) -> dict[str, Feature]:
        """Each row by id (the county code)."""
        return {f["id"]: f for f in self.features}

    @functools.cached_property
    def outlines(self) -> dict[str, Any]:
        """Each polygon simplified for a small map, by row id."""
        return {
            f["id"]: page_geometry(shape)
            for f, shape in zip(self.features, self.shapes, strict=True)
        }

    @functools.cached_property
    def _tree(self) -> shapely.STRtree:
        return shapely.STRtree(self.shapes)

    def in_bbox(self, bbox: BBox) -> set[str]:
        """The ids of the rows whose polygon meets the box."""
        west, south, east, north = bbox
        if south > north:
            return set()  # a south edge north of the north edge bounds nothing
        boxes = (
            [shapely.box(west, south, east, north)]
            if west <= east
            else [shapely.box(west, south, 180, north), shapely.box(-180, south, east, north)]
        )  # a west edge east of the east edge: the box crosses the antimeridian
        ids = [f["id"] for f in self.features]
        hits: set[str] = set()
        for box in boxes:
            hits.update(ids[i] for i in self._tree.query(box, predicate="intersects"))
        return hits


@dataclass(frozen=True)
class CountyTotals:
    """The register and the county polygons, to total any selection of projects by county.

    The rows are :func:`layers.aggregate.join_counties`'s columns, built without pandas, and
    each polygon's GeoJSON is encoded once (the 22 polygons weigh about 750 kB): a filtered
    request only totals and encodes the figures.
    """

    #: Each polygon's own attributes (county code and names), in the boundary file's order.
    attributes: Sequence[dict[str, Any]] = field(repr=False)
    #: Their GeoJSON geometries, in the same order.
    geometries: Sequence[dict[str, Any]] = field(repr=False)
    #: The geometries' JSON bytes by county code.
    encoded_geometries: Mapping[str, bytes] = field(repr=False)
    #: The register, which selects and totals the projects of a filter.
    register: PackedRegister = field(repr=False)

    @classmethod
    def of(cls, register: PackedRegister, frame: Any) -> CountyTotals:
        """The totals of a register over the county polygons of ``frame``."""
        geometries = [f["geometry"] for f in frame.to_geo_dict(drop_id=True)["features"]]
        attributes = _records(frame.drop(columns="geometry"))
        encoded = {
            str(attrs["county_code"]): _encode(geometry)
            for attrs, geometry in zip(attributes, geometries, strict=True)
        }
        return cls(attributes, geometries, encoded, register)

    def aggregate(self, project_filter: ProjectFilter) -> CountyAggregates:
        """The county totals of the projects that pass the filter."""
        return self.register.columns.aggregate(self.register.mask(project_filter))

    def rows(self, aggregates: CountyAggregates) -> list[dict[str, Any]]:
        """One feature per county polygon (id: the county code) with its totals.

        Parameters
        ----------
        aggregates
            The county totals of the projects, filtered or not
            (:func:`layers.aggregate.aggregate_counties`, or the columns' same sums).
        """
        zero = aggregate_counties(()).national  # a polygon outside the 22 gets zeros
        return [
            {
                "type": "Feature",
                "id": str(attrs["county_code"]),
                "geometry": geometry,
                "properties": {
                    **attrs,
                    **aggregates.counties.get(_county_name(attrs), zero),
                },
            }
            for attrs, geometry in zip(self.attributes, self.geometries, strict=True)
        ]

    def encode(self, row: Feature) -> bytes:
        """A row's JSON, its polygon's bytes taken from those encoded once."""
        head = {"type": "Feature", "id": row["id"]}
        return (
            _encode(head)[:-1]
            + b',"geometry":'
            + self.encoded_geometries[str(row["id"])]
            + b',"properties":'
            + _encode(row["properties"])
            + b"}"
        )


@dataclass(frozen=True)
class Catalogue:
    """Every collection by id, in :data:`COLLECTION_IDS` order."""

    collections: Mapping[str, FeatureCollection]

    def __iter__(self) -> Any:
        return iter(self.collections.values())

    def get(self, collection_id: str) -> FeatureCollection | None:
        """The collection, or ``None`` when there is none of that id."""
        return self.collections.get(collection_id)


def build_catalogue(
    register: PackedRegister, counties: Callable[[], Any], county_bounds: BBox | None
) -> Catalogue:
    """Prepare every collection of a register.

    Parameters
    ----------
    register
        The register in its binary form (:attr:`webapp.store.Atlas.packed`).
    counties
        Gives the county polygons of the ``counties`` collection when its items are first
        asked for (:attr:`webapp.store.Atlas.counties`).
    county_bounds
        The polygons' bounding box (:attr:`webapp.store.Atlas.county_bounds`).
    """
    project_keys = tuple(key for key in FILTER_KEYS if key not in EXTRA_KEYS) + EXTRA_KEYS
    collections = {
        "projects": _projects(register, None, project_keys),
        **{
            layer.value: _projects(
                register, layer, tuple(key for key in project_keys if key != "layer")
            )
            for layer in Layer
        },
        "counties": CountyCollection(
            id="counties",
            title=_TITLES["counties"][0],
            description=_TITLES["counties"][1],
            filter_keys=("county", *COUNTY_TOTAL_KEYS),
            bbox=county_bounds,
            rows=CountyRows(register, counties),
        ),
    }
    log.info(
        "api: %d projects -> %d collections (%d placed)",
        len(register.features),
        len(collections),
        int(register.placed.sum()),
    )
    return Catalogue(collections)


def _projects(
    register: PackedRegister, layer: Layer | None, keys: tuple[str, ...]
) -> ProjectCollection:
    title, description = _TITLES[layer or "projects"]
    # a collection's members are part of the build: its own columns say which they are (the
    # database holds the same rows), so that preparing the collections asks the database nothing
    chosen = register.columns.mask(ProjectFilter(layers=(layer,) if layer else ()))
    sites = chosen[register.sites.feature]
    lon, lat = register.sites.api_lon[sites], register.sites.api_lat[sites]
    bbox = (
        (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
        if len(lon)
        else None
    )
    return ProjectCollection(
        id=layer.value if layer else "projects",
        title=title,
        description=description,
        filter_keys=keys,
        layer=layer,
        bbox=bbox,
        interval=_interval_of(register, chosen),
        by_id=_Members(register, chosen),
        register=register,
    )


class _Members(Mapping[str, Feature]):
    """A project collection's items by id, decoded as exported when asked for."""

    def __init__(self, register: PackedRegister, chosen: npt.NDArray[np.bool_]) -> None:
        self._register, self._chosen = register, chosen

    def __getitem__(self, fid: str) -> Feature:
        row = self._register.row_of.get(fid)
        if row is None or not self._chosen[row]:
            raise KeyError(fid)
        return self._register.api[row]

    def __iter__(self) -> Iterator[str]:
        ids = self._register.ids
        return (ids[row] for row in np.flatnonzero(self._chosen))

    def __len__(self) -> int:
        return int(self._chosen.sum())


def _interval_of(
    register: PackedRegister, chosen: npt.NDArray[np.bool_]
) -> tuple[str | None, str | None] | None:
    """The first start and last end of the chosen projects' periods (``None`` when one is
    open), ``None`` when none has a period."""
    dated = chosen & register.dated
    if not dated.any():
        return None
    first, last = register.period_first[dated], register.period_last[dated]
    start = None if (first < 0).any() else date.fromordinal(int(first.min())).isoformat()
    end = None if (last < 0).any() else date.fromordinal(int(last.max())).isoformat()
    return start, end


def _records(rows: Any) -> list[dict[str, Any]]:
    """Table rows as JSON-ready mappings: missing values None, numbers plain Python."""
    cleaned = rows.astype(object).where(rows.notna(), None)
    return [
        {key: _plain(value) for key, value in row.items()} for row in cleaned.to_dict("records")
    ]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _county(feature: Feature) -> str:
    return _county_name(feature["properties"])


def _county_name(props: Mapping[str, Any]) -> str:
    return normalise_place_name(str(props.get("county") or ""))


def _encode(feature: Feature) -> bytes:
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode()
