"""The query string of an OGC API – Features items request, read into a typed query.

The parameters particular to the API are the table :data:`ITEMS_PARAMS` — ``limit``,
``offset``, ``bbox``, ``datetime`` — plus ``f`` (the format, read by the routes). Every other
parameter must be one of the collection's filter keys and is read by the shared filter,
:func:`layers.filters.parse_filter`, so that the map, the exports and the API agree on what
``county=臺南市`` means. The kinds of value, and what each accepts, are
:mod:`layers.params`'s. Nothing here knows about Flask.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from layers.filters import FilterChoices, ProjectFilter, parse_filter
from layers.params import (
    Box,
    Choice,
    Interval,
    Param,
    Period,
    Whole,
    Words,
    read_params,
    reject_unknown,
)

__all__ = [
    "API_LANG",
    "DEFAULT_LIMIT",
    "ITEMS_PARAMS",
    "MAX_LIMIT",
    "BBox",
    "Interval",
    "ItemsQuery",
    "format_param",
    "parse_items_query",
]

DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 10_000
#: The largest offset: the largest whole number every JSON reader keeps exactly.
MAX_OFFSET: Final = 2**53 - 1

#: West, south, east, north in CRS84 degrees.
BBox = tuple[float, float, float, float]

#: Paging, box and period: what every items request takes besides its filter keys and ``f``.
ITEMS_PARAMS: Final[tuple[Param, ...]] = (
    Param(
        "limit",
        Whole(1, cap=MAX_LIMIT),
        Words("Items per page", "每頁筆數"),
        f"How many items a page holds (default {DEFAULT_LIMIT}); a value above {MAX_LIMIT} is "
        f"read as {MAX_LIMIT}.",
        default=DEFAULT_LIMIT,
    ),
    Param(
        "offset",
        Whole(0, most=MAX_OFFSET),
        Words("Offset", "略過筆數"),
        "How many matching items to skip (the next and prev links page with it).",
        default=0,
    ),
    Param(
        "bbox",
        Box(),
        Words("Bounding box", "範圍"),
        "minlon,minlat,maxlon,maxlat (CRS84), or six numbers with heights (ignored). A west "
        "edge east of the east edge crosses the antimeridian; a longitude beyond ±180 is the "
        "same meridian, a latitude beyond ±90 the pole; a south edge north of the north edge "
        "bounds nothing. Items with no geometry never match.",
    ),
    Param(
        "datetime",
        Period(),
        Words("Date or period", "日期或期間"),
        "An RFC 3339 instant or interval (2021-05-01, 2021-05-01T08:00:00Z, "
        "2020-01-01/2021-12-31, ../2021-12-31, 2020-01-01/..) against the project period "
        "(period_start to period_end), by day in Taiwan time (UTC+8). An interval that ends "
        "before it starts holds nothing. Items with no period never match.",
    ),
)
_KEYS: Final = tuple(param.key for param in ITEMS_PARAMS)


@dataclass(frozen=True, slots=True)
class ItemsQuery:
    """One page of one filtered selection."""

    filter: ProjectFilter = field(default_factory=ProjectFilter)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: BBox | None = None
    interval: Interval | None = None


def parse_items_query(
    params: Mapping[str, Sequence[str]],
    *,
    filter_keys: Collection[str],
    choices: FilterChoices,
) -> ItemsQuery:
    """Read an items request's query parameters (``f`` aside).

    Parameters
    ----------
    params
        Key → values, as ``dict(request.args.lists())``.
    filter_keys
        The filter keys (:data:`layers.filters.FILTER_KEYS`) this collection accepts.
    choices
        The towns and programmes that exist, for the filter.

    Raises
    ------
    FilterError
        An unknown parameter, a repeated single-valued one, or a bad value; the message names
        the parameter and says what it accepts.
    """
    reject_unknown(params, (*_KEYS, "f", "lang", *filter_keys))
    values = read_params(params, ITEMS_PARAMS, choices=choices)
    return ItemsQuery(
        filter=parse_filter(
            {key: list(values) for key, values in params.items() if key in filter_keys},
            choices=choices,
        ),
        limit=values["limit"] or DEFAULT_LIMIT,
        offset=values["offset"] or 0,
        bbox=values["bbox"],
        interval=values["datetime"],
    )


def format_param(formats: Sequence[str]) -> Param:
    """The ``f`` parameter of a resource offering ``formats``."""
    return Param(
        "f",
        Choice(formats),
        Words("Format", "格式"),
        "The format, overriding the Accept header.",
    )


#: The language of the API's HTML pages (their JSON is the same in both).
API_LANG: Final = Param(
    "lang",
    Choice(("en", "zh")),
    Words("Language", "語言"),
    "The language of the HTML pages: en (the default) or zh.",
)
