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

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
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
    """One collection: its features in register order and what a selection needs.

    :class:`ProjectCollection` and :class:`CountyCollection` say what their items are and how
    a project filter selects them; everything else (bbox, datetime, paging, encoding) is here.
    """

    id: str
    title: str
    description: str
    features: Sequence[Feature] = field(repr=False)
    #: The filter keys that are query parameters here (queryables first, then EXTRA_KEYS).
    filter_keys: tuple[str, ...]
    bbox: BBox | None = None
    interval: tuple[str | None, str | None] | None = None
    encoded: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    tree: shapely.STRtree | None = field(default=None, repr=False)
    tree_ids: tuple[str, ...] = field(default=(), repr=False)
    by_id: Mapping[str, Feature] = field(default_factory=dict, repr=False)

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

    def outline(self, feature: Feature) -> Any:
        """The feature's geometry for a small map."""
        return feature["geometry"]

    def select(self, query: ItemsQuery) -> Sequence[Feature]:
        """The features that pass the query's filter, bbox and datetime, in order (unpaged)."""
        chosen = self._filtered(query.filter)
        if query.bbox is not None:
            inside = self._in_bbox(query.bbox)
            chosen = [f for f in chosen if f["id"] in inside]
        if query.interval is not None:
            chosen = []  # items with no period (the county rows): a datetime matches none
        return chosen

    def encode(self, features: Sequence[Feature]) -> bytes:
        """The JSON array of the features, from their bytes encoded once."""
        return b"[" + b",".join(self._bytes(f) for f in features) + b"]"

    def _bytes(self, feature: Feature) -> bytes:
        fid = str(feature["id"])
        return self.encoded[fid] if self.by_id.get(fid) is feature else _encode(feature)

    def _filtered(self, project_filter: ProjectFilter) -> list[Feature]:
        raise NotImplementedError

    def _in_bbox(self, bbox: BBox) -> set[str]:
        west, south, east, north = bbox
        if self.tree is None or south > north:
            return set()  # a south edge north of the north edge bounds nothing
        boxes = (
            [shapely.box(west, south, east, north)]
            if west <= east
            else [shapely.box(west, south, 180, north), shapely.box(-180, south, east, north)]
        )  # a west edge east of the east edge: the box crosses the antimeridian
        hits: set[str] = set()
        for box in boxes:
            hits.update(self.tree_ids[i] for i in self.tree.query(box, predicate="intersects"))
        return hits


@dataclass(frozen=True)
class ProjectCollection(FeatureCollection):
    """Projects: all of them, or those of one main layer; the filter selects them.

    Its items are rows of the packed register (:mod:`layers.packed`), decoded as exported and
    encoded from the bytes the register holds; the filter, bbox and datetime are masks of its
    columns.
    """

    layer: Layer | None = None
    register: PackedRegister | None = field(default=None, repr=False)

    def select(self, query: ItemsQuery) -> Selection:
        """The features that pass the query's filter, bbox and datetime, in order (unpaged)."""
        assert self.register is not None
        layers = (self.layer,) if self.layer is not None else ()
        project_filter = replace(query.filter, layers=layers or query.filter.layers)
        keep = self.register.mask(project_filter, bbox=query.bbox, interval=query.interval)
        return Selection(self.register, np.flatnonzero(keep), self.register.api)

    def encode(self, features: Sequence[Feature]) -> bytes:
        if isinstance(features, Selection):
            return features.encoded()
        return super().encode(features)


@dataclass(frozen=True)
class CountyCollection(FeatureCollection):
    """The county polygons with totals: ``county`` picks rows; the other project filter keys
    choose the projects the rows total (see the module docstring)."""

    totals: CountyTotals | None = field(default=None, repr=False)
    #: The county outlines for a small map, simplified, by feature id.
    outlines: Mapping[str, Any] = field(default_factory=dict, repr=False)

    noun: ClassVar[str] = "counties"
    total_keys: ClassVar[tuple[str, ...]] = COUNTY_TOTAL_KEYS
    geometry_kinds: ClassVar[tuple[str, ...]] = ("polygon", "multipolygon")
    geometry_note: ClassVar[str] = "County boundaries."

    @property
    def queryable_keys(self) -> tuple[str, ...]:
        return ("county",)  # the other keys choose projects, not rows: not properties of rows

    def outline(self, feature: Feature) -> Any:
        return self.outlines.get(str(feature["id"]), feature["geometry"])

    def _bytes(self, feature: Feature) -> bytes:
        fid = str(feature["id"])
        if self.by_id.get(fid) is feature or self.totals is None:
            return super()._bytes(feature)
        return self.totals.encode(feature)  # a row totalled for this request's filter

    def _filtered(self, project_filter: ProjectFilter) -> list[Feature]:
        names = project_filter.counties
        chosen = replace(project_filter, counties=())  # names pick rows, not projects
        rows: Sequence[Feature] = self.features
        if self.totals is not None and chosen != ProjectFilter():
            rows = self.totals.rows(self.totals.aggregate(chosen))
        return [f for f in rows if not names or _county(f) in names]


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


def build_catalogue(register: PackedRegister, counties: Any) -> Catalogue:
    """Prepare every collection of a register.

    Parameters
    ----------
    register
        The register in its binary form (:attr:`webapp.store.Atlas.packed`).
    counties
        The county polygons of the ``counties`` collection (:attr:`webapp.store.Atlas.counties`).
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
        "counties": _counties(register, counties),
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
    members = Selection(register, np.flatnonzero(chosen))
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
        features=Selection(register, members.rows, register.api),
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


def _counties(register: PackedRegister, frame: Any) -> CountyCollection:
    shapes = list(frame.geometry)
    totals = CountyTotals.of(register, frame)
    counties = totals.rows(totals.aggregate(ProjectFilter()))
    title, description = _TITLES["counties"]
    return CountyCollection(
        id="counties",
        title=title,
        description=description,
        features=counties,
        filter_keys=("county", *COUNTY_TOTAL_KEYS),
        bbox=_bounds(shapes),
        encoded={f["id"]: _encode(f) for f in counties},
        tree=shapely.STRtree(shapes),
        tree_ids=tuple(f["id"] for f in counties),
        by_id={f["id"]: f for f in counties},
        totals=totals,
        outlines={f["id"]: page_geometry(shape) for f, shape in zip(counties, shapes, strict=True)},
    )


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


def _bounds(geometries: Sequence[Any]) -> BBox | None:
    if not geometries:
        return None
    west, south, east, north = shapely.total_bounds(geometries)
    return float(west), float(south), float(east), float(north)
