"""The register's schema: what each property of a project feature holds, checked on loading.

The build writes every field below (:func:`layers.build.build_register`); a register may leave
out all but ``name`` and ``layer`` (a register of another origin, a test's small one), but a
field that is there must hold its kind of value. :func:`validate_register` refuses a damaged
register with one line that names the feature and the field, before anything is served from
it: a feature without id or properties, a repeated id, a budget that is not a number (NaN
included), coordinates that are not finite lon/lat.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import UnionType
from typing import (
    Annotated,
    Any,
    Final,
    Literal,
    Required,
    TypedDict,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

from geo.errors import BuildError
from layers.classify import Layer

__all__ = [
    "FIELDS",
    "REQUIRED",
    "Project",
    "ProjectFeature",
    "validate_feature",
    "validate_register",
]

Kind = Literal["text", "integer", "number", "year", "flag", "texts", "record", "records", "layer"]
#: A year (the kind checks it is a whole number; the name says what it means).
Year = Annotated[int, "year"]
#: A map layer's code (:class:`~layers.classify.Layer`).
LayerCode = Annotated[str, "layer"]
Record = dict[str, Any]


class Project(TypedDict, total=False):
    """The properties of a project feature: every field the build writes, by its type.

    ``docs/data-dictionary.md`` says what each one means. Any field but ``name`` and ``layer``
    may be absent or ``None`` (a register of another origin, a test's small one).
    """

    name: Required[str]
    aliases: list[str] | None
    layer: Required[LayerCode]
    layer2: LayerCode | None
    program: str | None
    agencies: list[str] | None
    kinds: list[str] | None
    facility_type: str | None
    place_bound: bool | None
    period_start: str | None
    period_end: str | None
    budget_year: Year | None
    budget_legal_twd: int | None
    budget_allocated_twd: int | None
    budget_executed_twd: int | None
    execution_rate_pct: float | None
    budget_level: str | None
    budget_parent: str | None
    budget_amount_twd: int | None
    budget_rows: list[Record] | None
    progress_as_of: str | None
    progress_planned_pct: float | None
    progress_actual_pct: float | None
    progress_year_planned_pct: float | None
    progress_year_actual_pct: float | None
    status: str | None
    status_phrases: list[str] | None
    completion_year: Year | None
    jobs_person_years: float | None
    private_investment_twd: int | None
    delay_reasons: str | None
    figures: list[Record] | None
    sources: list[Record] | None
    merges: list[str] | None
    checks: list[str] | None
    counties: list[str] | None
    towns: list[str] | None
    precision: int | None
    approximate: bool | None
    places: list[Record] | None
    location_note: str | None
    location_reason: Record | None


class ProjectFeature(TypedDict):
    """A project as a GeoJSON Feature of the register."""

    type: str
    id: str
    geometry: Record | None
    properties: Project


def _kind(hint: Any) -> Kind:
    """The kind of value a field's type annotation holds (``None`` aside)."""
    if get_origin(hint) is Required:
        (hint,) = get_args(hint)
    if get_origin(hint) in (Union, UnionType):
        (hint,) = [arg for arg in get_args(hint) if arg is not type(None)]
    if get_origin(hint) is Annotated:
        kind: Kind = hint.__metadata__[0]
        return kind
    if get_origin(hint) is list:
        return "texts" if get_args(hint) == (str,) else "records"
    simple: dict[Any, Kind] = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "flag",
        dict: "record",
    }
    return simple[get_origin(hint) or hint]


_HINTS: Final = get_type_hints(Project, include_extras=True)
#: Every property of a project feature and the kind of value it holds, from :class:`Project`.
FIELDS: Final[dict[str, Kind]] = {name: _kind(hint) for name, hint in _HINTS.items()}
#: The properties every feature has (``Required`` in :class:`Project`).
REQUIRED: Final = tuple(name for name, hint in _HINTS.items() if get_origin(hint) is Required)
_LAYERS: Final = frozenset(layer.value for layer in Layer)
_EXPECTED: Final[dict[Kind, str]] = {
    "text": "text",
    "integer": "a whole number",
    "number": "a finite number",
    "year": "a year (a whole number)",
    "flag": "true or false",
    "texts": "a list of texts",
    "record": "a record (an object)",
    "records": "a list of records",
    "layer": f"one of {', '.join(sorted(_LAYERS))}",
}


def validate_register(features: Sequence[Any], where: str) -> list[ProjectFeature]:
    """Check every feature and that no id repeats; the features, now known to be projects.

    Raises
    ------
    BuildError
        One line: ``where``, the feature (its index and id) and what is wrong.
    """
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        validate_feature(feature, index, where)
        fid = str(feature["id"])
        if fid in seen:
            msg = f"{where}: feature {index} repeats the id {fid!r} of feature {seen[fid]}"
            raise BuildError(msg)
        seen[fid] = index
    return cast(list[ProjectFeature], list(features))


def validate_feature(feature: Any, index: int, where: str) -> None:
    """Check one feature (see :func:`validate_register`)."""
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise BuildError(f"{where}: feature {index} is not a GeoJSON Feature")
    fid = feature.get("id")
    if not isinstance(fid, (str, int)) or isinstance(fid, bool) or str(fid) == "":
        raise BuildError(f"{where}: feature {index} has no id")
    label = f"{where}: feature {index} (id {fid!r})"
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        raise BuildError(f"{label} has no properties")
    for name in REQUIRED:
        if props.get(name) is None:
            raise BuildError(f"{label}: property {name!r} is missing")
    for name, kind in FIELDS.items():
        value = props.get(name)
        if value is not None and not _holds(kind, value):
            shown = repr(value)[:60]
            raise BuildError(f"{label}: {name!r} is {shown}, expected {_EXPECTED[kind]}")
    problem = _geometry_problem(feature.get("geometry"))
    if problem:
        raise BuildError(f"{label}: geometry {problem}")


def _holds(kind: Kind, value: Any) -> bool:
    if kind in ("text", "layer"):
        return isinstance(value, str) and (kind == "text" or value in _LAYERS)
    if kind in ("integer", "year"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return _finite(value)
    if kind == "flag":
        return isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == "record":
        return isinstance(value, Mapping)
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _geometry_problem(geometry: Any) -> str | None:
    """What is wrong with a Point or MultiPoint in lon/lat, or ``None``."""
    if geometry is None:
        return None
    if not isinstance(geometry, Mapping):
        return "is not a GeoJSON geometry"
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        points = [coordinates]
    elif kind == "MultiPoint" and isinstance(coordinates, list) and coordinates:
        points = coordinates
    else:
        return f"of type {kind!r} is not a Point or a non-empty MultiPoint"
    for point in points:
        if not (isinstance(point, list) and len(point) in (2, 3) and all(map(_finite, point))):
            return f"has a position that is not numbers: {str(point)[:40]}"
        lon, lat = point[0], point[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"has a position outside lon/lat: {lon}, {lat}"
    return None
