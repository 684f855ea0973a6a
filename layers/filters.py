"""One filter for the map, the table, the exports and the API, parsed from query parameters.

A :class:`ProjectFilter` is a plain value: every field empty means "everything". It is parsed
from a mapping of query parameters by :func:`parse_filter`, written back by
:func:`format_filter` (``parse_filter(format_filter(f), choices=...) == f``) and applied to
register features by :func:`apply_filter`. Nothing here knows about Flask.

The parameters (repeatable ones take several values, as ``?county=臺南市&county=高雄市``):

``layer`` (repeatable)
    A map layer (:class:`~layers.classify.Layer`); matches the project's main layer.
``county`` (repeatable)
    An official county name, 台 forms accepted; a project spanning several counties matches
    each of them.
``town``
    A town as the register lists it (``臺南市 新營區``) or its bare name (``新營區``).
``program``
    A programme name as the register lists it (``水環境建設``).
``status``
    A :class:`~layers.status.Status`.
``year``
    The budget year, or any year the project period covers; a year below 1912 is read as a
    Republic of China year (``110`` → 2021).
``precision``
    A location precision code (:data:`PRECISION_CODES`).
``q``
    Text in the name or the aliases; 台/臺, full/half width and case do not matter.
``budget_min``, ``budget_max``
    Bounds (NT$, inclusive) on the latest legal budget ``budget_legal_twd``, in NT$ or with a
    unit as readers write amounts: ``1.5億``, ``8,902千元``, ``500萬``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, TypeVar

from geo.counties import COUNTY_NAMES, normalise_place_name
from geo.errors import FilterError
from layers.classify import Layer
from layers.status import Status

__all__ = [
    "FILTER_KEYS",
    "PRECISION_CODES",
    "FilterChoices",
    "ProjectFilter",
    "apply_filter",
    "format_filter",
    "normalise_text",
    "parse_filter",
    "split_town",
]

Feature = Mapping[str, Any]

#: Location precision codes (IATI ``GeographicalPrecision``) the geocoder gives.
PRECISION_CODES: Final[dict[int, str]] = {
    1: "exact location",
    2: "near (within 25 km)",
    3: "town (second-level administrative division)",
    4: "county (first-level administrative division)",
    6: "nationwide",
}

_REPEATABLE: Final = ("layer", "county")
_SINGLE: Final = (
    "town",
    "program",
    "status",
    "year",
    "precision",
    "q",
    "budget_min",
    "budget_max",
)
#: Every key :func:`parse_filter` accepts.
FILTER_KEYS: Final[tuple[str, ...]] = _REPEATABLE + _SINGLE
_ROC_OFFSET: Final = 1911
_T = TypeVar("_T")
_E = TypeVar("_E", Layer, Status)


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Which projects to show; an empty field does not filter."""

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


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The values that exist, against which a filter is checked.

    Layers, statuses, counties and precision codes are fixed; towns and programmes are those
    the register holds (:meth:`from_features`).
    """

    towns: frozenset[str] = frozenset()
    programs: tuple[str, ...] = ()
    counties: tuple[str, ...] = field(default=COUNTY_NAMES)

    @classmethod
    def from_features(cls, features: Iterable[Feature]) -> FilterChoices:
        """The choices a register offers: its towns (full and bare) and its programmes."""
        towns: set[str] = set()
        programs: dict[str, None] = {}
        for feature in features:
            props = feature["properties"]
            for town in props.get("towns") or ():
                towns.update(_town_forms(town))
            if props.get("program"):
                programs[props["program"]] = None
        return cls(towns=frozenset(towns), programs=tuple(programs))


def normalise_text(text: str) -> str:
    """Text folded for searching: NFKC width, 台 → 臺, case-folded, outer spaces dropped."""
    return unicodedata.normalize("NFKC", text).replace("台", "臺").casefold().strip()


def parse_filter(
    params: Mapping[str, str | Sequence[str]], *, choices: FilterChoices
) -> ProjectFilter:
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
    values = {key: _values(key, raw) for key, raw in params.items()}
    unknown = sorted(set(values) - set(FILTER_KEYS))
    if unknown:
        msg = f"unknown filter key {unknown[0]!r}; the keys are: {', '.join(FILTER_KEYS)}"
        raise FilterError(msg)
    one = {key: _one(key, values.get(key, [])) for key in _SINGLE}
    result = ProjectFilter(
        layers=_unique(_choice("layer", v, tuple(Layer)) for v in values.get("layer", [])),
        counties=_unique(_county(v, choices) for v in values.get("county", [])),
        town=_town(one["town"], choices),
        program=_program(one["program"], choices),
        status=None if one["status"] is None else _choice("status", one["status"], tuple(Status)),
        year=_year(one["year"]),
        precision=_precision(one["precision"]),
        q=one["q"],
        budget_min=_amount("budget_min", one["budget_min"]),
        budget_max=_amount("budget_max", one["budget_max"]),
    )
    low, high = result.budget_min, result.budget_max
    if low is not None and high is not None and low > high:
        msg = f"budget_min ({low}) is above budget_max ({high})"
        raise FilterError(msg)
    return result


def format_filter(f: ProjectFilter) -> dict[str, list[str]]:
    """The query parameters of a filter (empty fields left out), the inverse of
    :func:`parse_filter`."""
    params: dict[str, list[str]] = {}
    if f.layers:
        params["layer"] = [layer.value for layer in f.layers]
    if f.counties:
        params["county"] = list(f.counties)
    singles = {
        "town": f.town,
        "program": f.program,
        "status": f.status.value if f.status else None,
        "year": f.year,
        "precision": f.precision,
        "q": f.q,
        "budget_min": f.budget_min,
        "budget_max": f.budget_max,
    }
    params.update({key: [str(value)] for key, value in singles.items() if value is not None})
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


def _matches(props: Mapping[str, Any], f: ProjectFilter, query: str | None) -> bool:
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


def _counties(props: Mapping[str, Any]) -> list[str]:
    return [normalise_place_name(county) for county in props.get("counties") or ()]


def _project_towns(props: Mapping[str, Any]) -> set[str]:
    return {form for town in props.get("towns") or () for form in _town_forms(town)}


def split_town(town: str) -> tuple[str, str]:
    """A register town as (county, bare name): ``台南市 新營區`` → ``("臺南市", "新營區")``;
    a town written without its county gives ``("", name)``."""
    county, _, name = normalise_place_name(town).rpartition(" ")
    return county, name


def _town_forms(town: str) -> set[str]:
    """A town's full form and its bare name: ``臺南市 新營區`` → that and ``新營區``."""
    return {normalise_place_name(town), split_town(town)[1]}


def _covers_year(props: Mapping[str, Any], year: int) -> bool:
    """The budget year is ``year``, or the project period (or its one known end) holds it."""
    if props.get("budget_year") == year:
        return True
    start, end = (_iso_year(props.get(key)) for key in ("period_start", "period_end"))
    if start is not None and end is not None:
        return start <= year <= end
    return year in (start, end)


def _iso_year(value: object) -> int | None:
    if isinstance(value, str) and value[:4].isdigit():
        return int(value[:4])
    return None


def _names(props: Mapping[str, Any]) -> list[str]:
    return [props.get("name") or "", *(props.get("aliases") or ())]


def _in_budget(amount: object, f: ProjectFilter) -> bool:
    if f.budget_min is None and f.budget_max is None:
        return True
    if not isinstance(amount, (int, float)):
        return False  # a project without a budget is outside any budget range
    low = f.budget_min if f.budget_min is not None else amount
    high = f.budget_max if f.budget_max is not None else amount
    return low <= amount <= high


def _values(key: str, raw: str | Sequence[str]) -> list[str]:
    items = [raw] if isinstance(raw, str) else list(raw)
    if not all(isinstance(item, str) for item in items):
        msg = f"filter {key!r} takes text values, got {raw!r}"
        raise FilterError(msg)
    return [item.strip() for item in items if item.strip()]


def _one(key: str, values: list[str]) -> str | None:
    if len(values) > 1:
        msg = f"filter {key!r} takes one value, got {len(values)}: {', '.join(values)}"
        raise FilterError(msg)
    return values[0] if values else None


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


def _choice(key: str, value: str, options: tuple[_E, ...]) -> _E:
    for option in options:
        if option.value == value.lower():
            return option
    plural = "statuses" if key == "status" else f"{key}s"
    msg = f"unknown {key} {value!r}; the {plural} are: {', '.join(o.value for o in options)}"
    raise FilterError(msg)


def _county(value: str, choices: FilterChoices) -> str:
    name = normalise_place_name(value)
    if name not in choices.counties:
        msg = f"unknown county {value!r}; the counties are: {'、'.join(choices.counties)}"
        raise FilterError(msg)
    return name


def _town(value: str | None, choices: FilterChoices) -> str | None:
    if value is None:
        return None
    name = normalise_place_name(value)
    if name not in choices.towns:
        msg = f"unknown town {value!r}: no project in the register lies in a town of that name"
        raise FilterError(msg)
    return name


def _program(value: str | None, choices: FilterChoices) -> str | None:
    if value is None or value in choices.programs:
        return value
    msg = f"unknown program {value!r}; the programs are: {'、'.join(choices.programs)}"
    raise FilterError(msg)


def _integer(key: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        msg = f"filter {key!r} takes a whole number, got {value!r}"
        raise FilterError(msg) from None


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    year = _integer("year", value)
    if 0 < year <= _ROC_OFFSET:
        year += _ROC_OFFSET  # 民國 year, as the reports print it
    if not 1912 <= year <= 2200:
        msg = f"year {value!r} is out of range (a year like 2021 or ROC 110)"
        raise FilterError(msg)
    return year


def _precision(value: str | None) -> int | None:
    if value is None:
        return None
    code = _integer("precision", value)
    if code not in PRECISION_CODES:
        codes = ", ".join(f"{c} ({meaning})" for c, meaning in PRECISION_CODES.items())
        msg = f"unknown precision {value!r}; the codes are: {codes}"
        raise FilterError(msg)
    return code


#: Units a budget bound may be written in, as the reports and readers write amounts.
_UNITS: Final = (
    ("億元", 100_000_000),
    ("億", 100_000_000),
    ("萬元", 10_000),
    ("萬", 10_000),
    ("千元", 1_000),
    ("元", 1),
)
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(億元|億|萬元|萬|千元|元)?$")


def _amount(key: str, value: str | None) -> int | None:
    """A budget bound in NT$: ``150000000``, ``1.5億``, ``1億元``, ``8,902千元``, ``500萬``."""
    if value is None:
        return None
    text = value.replace(",", "").replace("_", "").replace("，", "").strip()
    match = _AMOUNT.match(text)
    if match is None:
        if text.startswith("-"):
            msg = f"filter {key!r} must not be negative, got {value!r}"
        else:
            msg = (
                f"filter {key!r} takes an amount in NT$ (150000000) or with a unit "
                f"(1.5億, 8,902千元, 500萬), got {value[:40]!r}"
            )
        raise FilterError(msg)
    number, unit = Decimal(match.group(1)), match.group(2) or "元"
    scale = dict(_UNITS)[unit]
    amount = number * scale
    if amount != amount.to_integral_value() or amount > 10**15:
        msg = f"filter {key!r}: {value[:40]!r} is not a whole NT$ amount up to 10^15"
        raise FilterError(msg)
    return int(amount)
