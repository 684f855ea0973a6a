"""The register the app serves: features, their index and filter choices.

Served from a build folder, the app reads the build once and never again while it runs
(restart it after ``infra-atlas build``). Served from a database (``serve --db``),
:class:`LiveAtlas` asks the database which build is live at every request and changes to a
newly loaded build when there is one: several servers sharing the database change together.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flask import current_app, g

from geo.counties import normalise_place_name
from geo.errors import DataFileError
from layers.aggregate import CountyAggregates
from layers.columns import RegisterColumns
from layers.database import Database, DatabaseRegister, LiveBuild
from layers.export import county_bounds, read_counties
from layers.filters import FilterChoices, ProjectFilter
from layers.history import read_history
from layers.packed import PackedRegister, Selection, load_packed
from layers.schema import ProjectFeature
from webapp.cache import LRU
from webapp.documents import SourceDocument, read_documents
from webapp.page import TownChoice, town_choices

if TYPE_CHECKING:
    import geopandas

__all__ = ["Atlas", "LiveAtlas", "current_atlas"]

Feature = ProjectFeature


@dataclass(frozen=True)
class Atlas:
    """One build's register (in its binary form) and the boundaries."""

    #: The register: its features, columns, sites and each feature's encoded bytes.
    packed: PackedRegister = field(repr=False)
    boundaries: Path
    #: The build's folder (from a database: this server's copy of the build's files).
    folder: Path
    #: The source reports by file name, as they describe themselves.
    documents: Mapping[str, SourceDocument] = field(default_factory=dict, repr=False)
    #: Project id → when it first appeared and last changed (:mod:`layers.history`).
    history: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    #: Answers kept for this register (pages, markers, the API's collections), by kind.
    caches: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, build: Path, boundaries: Path) -> Atlas:
        """Read the register of ``build`` (:func:`layers.packed.load_packed`) and check the
        boundary files are there.

        Raises
        ------
        BuildError
            No readable register in ``build``.
        DataFileError
            ``counties.geojson`` or ``towns.geojson`` missing from ``boundaries``.
        """
        packed = load_packed(build)
        for name in ("counties.geojson", "towns.geojson"):
            if not (boundaries / name).is_file():
                msg = f"boundary file missing: {boundaries / name}"
                raise DataFileError(msg)
        return cls(
            packed=packed,
            boundaries=boundaries,
            folder=build,
            documents=read_documents(build),
            history=read_history(build / "history.json"),
        )

    @classmethod
    def from_database(
        cls, database: Database, build: LiveBuild, cache: Path, boundaries: Path
    ) -> Atlas:
        """A build of a database (its files copied into ``cache``).

        Raises
        ------
        DatabaseError
            The database cannot be reached, or has lost the build's files.
        """
        selections: LRU[Any] = LRU(64)  # a selection is a mask of the rows: 1 MB at a million
        register = DatabaseRegister.open(database, build, cache, selections=selections)
        return cls(
            packed=register,
            boundaries=boundaries,
            folder=register.folder,
            documents=read_documents(register.folder),
            history=read_history(register.folder / "history.json"),
        )

    @property
    def key(self) -> str:
        """What tells this register from another: the SHA-256 of its GeoJSON (and the build's
        id, from a database)."""
        build = getattr(self.packed, "build", None)
        return self.packed.digest if build is None else f"{build}:{self.packed.digest}"

    @property
    def features(self) -> Sequence[Feature]:
        """The register's features in register order, each decoded when read."""
        return self.packed.features

    @property
    def by_id(self) -> Mapping[str, Feature]:
        """The features by id, each decoded when read."""
        return self.packed.by_id

    @functools.cached_property
    def choices(self) -> FilterChoices:
        """What the register offers a filter: its towns and programmes."""
        return self.packed.choices()

    def select(self, project_filter: ProjectFilter) -> Selection:
        """The features that pass the filter, in register order (the columns' masks; the
        same as :func:`layers.filters.apply_filter`, which a property test holds)."""
        return self.packed.select(project_filter)

    def aggregate(self, project_filter: ProjectFilter) -> CountyAggregates:
        """The county totals of the projects that pass the filter (the columns' sums; the same
        as :func:`layers.aggregate.aggregate_counties`, which a property test holds)."""
        return self.columns.aggregate(self.packed.mask(project_filter))

    @property
    def columns(self) -> RegisterColumns:
        """The register in columns, for filtering by masks (:mod:`layers.columns`)."""
        return self.packed.columns

    @functools.cached_property
    def counties(self) -> geopandas.GeoDataFrame:
        """The county polygons of ``counties.geojson``, read once, on first use (the map's
        county views and GeoPackage downloads, the API's ``counties`` collection)."""
        return read_counties(self.boundaries / "counties.geojson")

    @functools.cached_property
    def county_bounds(self) -> tuple[float, float, float, float] | None:
        """The bounding box of the county polygons, read without :attr:`counties` (the API's
        list of collections needs only this)."""
        return county_bounds(self.boundaries / "counties.geojson")

    @functools.cached_property
    def town_names_en(self) -> dict[str, str]:
        """Each town's MOI English name, by its register form ``臺南市 新營區``, read once from
        ``towns.geojson`` (empty if it has no ``town_en``)."""
        with (self.boundaries / "towns.geojson").open(encoding="utf-8") as stream:
            features = json.load(stream).get("features", [])
        names: dict[str, str] = {}
        for feature in features:
            props = feature.get("properties") or {}
            if props.get("town_en") and props.get("county") and props.get("town"):
                key = normalise_place_name(f"{props['county']} {props['town']}")
                names[key] = props["town_en"]
        return names

    @functools.cached_property
    def towns(self) -> list[TownChoice]:
        """The towns the register holds, for the form's choices, listed once."""
        return town_choices(self.packed.town_names())


class LiveAtlas:
    """The atlas of a database's live build, changed when another build is loaded."""

    def __init__(self, database: Database, cache: Path, boundaries: Path) -> None:
        self.database, self.cache, self.boundaries = database, cache, boundaries
        self._lock = threading.Lock()
        #: The build being served, by its id.
        self._held: tuple[int, Atlas] | None = None

    def current(self) -> Atlas:
        """The atlas of the live build (one query of the database; a new build is read once).

        Raises
        ------
        DatabaseError
            The database cannot be reached or holds no build.
        """
        live = self.database.live()
        held = self._held
        if held is None or held[0] != live.id:
            with self._lock:
                held = self._held
                if held is None or held[0] != live.id:
                    atlas = Atlas.from_database(self.database, live, self.cache, self.boundaries)
                    held = self._held = (live.id, atlas)
        return held[1]


def current_atlas() -> Atlas:
    """The atlas of the current request (the live build's, from a database), else the app's."""
    atlas = g.get("atlas")
    return cast(Atlas, atlas if atlas is not None else current_app.extensions["atlas"])
