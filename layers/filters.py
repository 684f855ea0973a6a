"""One filter for the map, the table, the exports and the API, read from query parameters.

A :class:`ProjectFilter` is a plain value: every field empty means "everything". It is read
from query parameters by :func:`parse_filter` — the parameters are the table
:data:`layers.params.FILTER_PARAMS`, which says what each accepts — written back by
:func:`format_filter` (``parse_filter(format_filter(f), choices=...) == f``) and applied to
register features by :func:`apply_filter`. Nothing here knows about Flask.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from geo.counties import normalise_place_name
from layers.classify import Layer
from layers.params import (
    FILTER_KEYS,
    FILTER_PARAMS,
    PRECISION_CODES,
    FilterChoices,
    Params,
    read_params,
    reject_unknown,
    split_town,
    town_forms,
)
from layers.schema import Project, ProjectFeature
from layers.status import Status

__all__ = [
    "FILTER_KEYS",
    "PRECISION_CODES",
    "FilterChoices",
    "ProjectFilter",
    "apply_filter",
    "format_filter",
    "iso_year",
    "normalise_text",
    "parse_filter",
    "split_town",
]

Feature = ProjectFeature
#: The repeatable parameters' fields, named in the plural.
_FIELDS: Final = {"layer": "layers", "county": "counties"}


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Which projects to show; an empty field does not filter. A ``budget_min`` above
    ``budget_max`` is a range nothing is in."""

    layers: tuple[Layer, ...] = ()
    counties: tuple[str, ...] = ()
    town: str | None = None
    program: str | None = None
    status: Status | None = None
    year: int | None = None
    precision: int | None = None
    q: str | None = None
    budget_min: int | None = None
    budget_max: int | None = None


def normalise_text(text: str) -> str:
    """Text folded for searching: NFKC width, 台 → 臺, case-folded, outer spaces dropped."""
    return unicodedata.normalize("NFKC", text).replace("台", "臺").casefold().strip()


def parse_filter(params: Params, *, choices: FilterChoices) -> ProjectFilter:
    """Read a filter from query parameters, checking every value exists.

    Parameters
    ----------
    params
        Key → one value or a sequence of values (a Werkzeug ``MultiDict`` turned into
        ``dict(multi.lists())``, or click options). Empty strings are ignored.
    choices
        The towns and programmes that exist.

    Returns
    -------
    ProjectFilter
        The filter; repeated values are kept once, in the order given.

    Raises
    ------
    FilterError
        An unknown key, several values for a single-valued key, or a value that does not exist;
        the message names the key, the value and what would have been accepted.
    """
    reject_unknown(params, FILTER_KEYS)
    values = read_params(params, FILTER_PARAMS, choices=choices)
    return ProjectFilter(**{_FIELDS.get(key, key): values[key] for key in FILTER_KEYS})


def format_filter(f: ProjectFilter) -> dict[str, list[str]]:
    """The query parameters of a filter (empty fields left out), the inverse of
    :func:`parse_filter`."""
    params: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        value = getattr(f, _FIELDS.get(key, key))
        values = value if isinstance(value, tuple) else () if value is None else (value,)
        if values:
            params[key] = [str(item) for item in values]
    return params


def apply_filter(features: Iterable[Feature], f: ProjectFilter) -> list[Feature]:
    """The features that pass the filter, in their order (the features themselves, not copies).

    Parameters
    ----------
    features
        Register features (GeoJSON Feature mappings with ``properties``).
    f
        The filter.

    Returns
    -------
    list
        Every matching feature: no cap.
    """
    query = normalise_text(f.q) if f.q else None
    return [feature for feature in features if _matches(feature["properties"], f, query)]


def _matches(props: Project, f: ProjectFilter, query: str | None) -> bool:
    # Cheapest tests first, each skipped when its field is empty: this runs per feature.
    if f.layers and props.get("layer") not in f.layers:
        return False
    if f.status is not None and props.get("status") != f.status:
        return False
    if f.precision is not None and props.get("precision") != f.precision:
        return False
    if f.program is not None and props.get("program") != f.program:
        return False
    if f.counties and not any(c in f.counties for c in _counties(props)):
        return False
    if f.town is not None and f.town not in _project_towns(props):
        return False
    if f.year is not None and not _covers_year(props, f.year):
        return False
    if query is not None and not any(query in normalise_text(n) for n in _names(props)):
        return False
    return _in_budget(props.get("budget_legal_twd"), f)


def _counties(props: Project) -> list[str]:
    return [normalise_place_name(county) for county in props.get("counties") or ()]


def _project_towns(props: Project) -> set[str]:
    return {form for town in props.get("towns") or () for form in town_forms(town)}


def _covers_year(props: Project, year: int) -> bool:
    """The budget year is ``year``, or the project period (or its one known end) holds it."""
    if props.get("budget_year") == year:
        return True
    start, end = (iso_year(props.get(key)) for key in ("period_start", "period_end"))
    if start is not None and end is not None:
        return start <= year <= end
    return year in (start, end)


def iso_year(value: object) -> int | None:
    """The year of an ISO date (``2021-05-01`` → 2021), ``None`` if it is not one."""
    if isinstance(value, str) and value[:4].isdigit():
        return int(value[:4])
    return None


def _names(props: Project) -> list[str]:
    return [props.get("name") or "", *(props.get("aliases") or ())]


def _in_budget(amount: object, f: ProjectFilter) -> bool:
    if f.budget_min is None and f.budget_max is None:
        return True
    if not isinstance(amount, (int, float)):
        return False  # a project without a budget is outside any budget range
    low = f.budget_min if f.budget_min is not None else amount
    high = f.budget_max if f.budget_max is not None else amount
    return low <= amount <= high
