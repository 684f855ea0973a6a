"""The query string of an OGC API – Features items request, parsed into a typed query.

Only what is particular to the API is parsed here: ``limit``, ``offset``, ``bbox``,
``datetime`` and ``f``. Every other parameter must be one of the collection's filter keys and
is read by the shared filter, :func:`layers.filters.parse_filter`, so that the map, the exports
and the API agree on what ``county=臺南市`` means. Nothing here knows about Flask.

``limit``
    Features per page: 1 to :data:`MAX_LIMIT`; a larger value is capped, not refused
    (default :data:`DEFAULT_LIMIT`).
``offset``
    How many matching features to skip (default 0).
``bbox``
    ``minlon,minlat,maxlon,maxlat`` in CRS84 (or six numbers, heights ignored); a box whose
    west edge is east of its east edge crosses the antimeridian.
``datetime``
    An instant (``2021-05-01`` or ``2021-05-01T08:00:00Z``) or an interval
    (``2020-01-01/2021-12-31``, ``../2021-12-31``, ``2020-01-01/..``). Compared by day: a time
    is read in Taiwan's time zone (UTC+8), the day the reports date their periods in.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Final

from geo.errors import FilterError
from layers.filters import FilterChoices, ProjectFilter, parse_filter

__all__ = [
    "API_KEYS",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "BBox",
    "Interval",
    "ItemsQuery",
    "parse_bbox",
    "parse_datetime",
    "parse_items_query",
    "period_of",
]

DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 10_000
#: The parameters every items request accepts, besides the collection's filter keys.
API_KEYS: Final[tuple[str, ...]] = ("limit", "offset", "bbox", "datetime", "f")
TAIPEI: Final = timezone(timedelta(hours=8), "Asia/Taipei")
_OPEN: Final = ("", "..")

#: West, south, east, north in CRS84 degrees.
BBox = tuple[float, float, float, float]
#: First and last day, inclusive; ``None`` is open.
Interval = tuple[date | None, date | None]


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
    """Read an items request's query parameters.

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
    unknown = [key for key in params if key not in API_KEYS and key not in filter_keys]
    if unknown:
        accepted = ", ".join([*API_KEYS, *filter_keys])
        msg = f"unknown parameter {unknown[0]!r}; this collection accepts: {accepted}"
        raise FilterError(msg)
    one = {key: _one(key, params.get(key, ())) for key in API_KEYS}
    return ItemsQuery(
        filter=parse_filter(
            {key: list(values) for key, values in params.items() if key in filter_keys},
            choices=choices,
        ),
        limit=_limit(one["limit"]),
        offset=_count("offset", one["offset"], default=0),
        bbox=None if one["bbox"] is None else parse_bbox(one["bbox"]),
        interval=None if one["datetime"] is None else parse_datetime(one["datetime"]),
    )


def parse_bbox(text: str) -> BBox:
    """``minlon,minlat,maxlon,maxlat`` (or with heights: six numbers) as four floats.

    Raises
    ------
    FilterError
        Not four or six finite numbers, a latitude or longitude out of range, or south above
        north.
    """
    parts = text.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        msg = (
            f"bbox takes 4 or 6 comma-separated numbers (minlon,minlat,maxlon,maxlat), got {text!r}"
        )
        raise FilterError(msg)
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]  # heights dropped
    west, south, east, north = numbers
    if not all(-180 <= lon <= 180 for lon in (west, east)):
        msg = f"bbox {text!r}: a longitude is outside -180..180 (CRS84 is lon,lat order)"
        raise FilterError(msg)
    if not all(-90 <= lat <= 90 for lat in (south, north)):
        msg = f"bbox {text!r}: a latitude is outside -90..90 (CRS84 is lon,lat order)"
        raise FilterError(msg)
    if south > north:
        msg = f"bbox {text!r}: the south edge ({south}) is north of the north edge ({north})"
        raise FilterError(msg)
    return west, south, east, north


def parse_datetime(text: str) -> Interval:
    """An instant or an interval as first and last day (inclusive; ``None`` open).

    Raises
    ------
    FilterError
        Not an RFC 3339 date or date-time, an interval open at both ends, or one that ends
        before it starts.
    """
    parts = text.split("/")
    if len(parts) == 1:
        day = _day(parts[0], text)
        return day, day
    if len(parts) != 2:
        msg = f"datetime {text!r}: an interval has one '/', as 2020-01-01/2021-12-31"
        raise FilterError(msg)
    start, end = (None if part.strip() in _OPEN else _day(part, text) for part in parts)
    if start is None and end is None:
        msg = f"datetime {text!r} is open at both ends; give a start, an end or both"
        raise FilterError(msg)
    if start is not None and end is not None and start > end:
        msg = f"datetime {text!r} ends before it starts"
        raise FilterError(msg)
    return start, end


def period_of(start: object, end: object) -> Interval | None:
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


def _day(part: str, text: str) -> date:
    value = part.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        msg = (
            f"datetime {text!r}: {value!r} is not an RFC 3339 date or date-time "
            "(2021-05-01, 2021-05-01T08:00:00Z) or '..'"
        )
        raise FilterError(msg) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # RFC 3339 wants an offset; UTC when left out
    try:
        return moment.astimezone(TAIPEI).date()
    except OverflowError:
        msg = f"datetime {text!r}: {value!r} is out of range in Taiwan's time zone"
        raise FilterError(msg) from None


def _one(key: str, values: Sequence[str]) -> str | None:
    present = [value.strip() for value in values if value.strip()]
    if len(present) > 1:
        msg = f"parameter {key!r} takes one value, got {len(present)}: {', '.join(present)}"
        raise FilterError(msg)
    return present[0] if present else None


def _whole(value: str, *, least: int) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= least else None


def _count(key: str, value: str | None, *, default: int) -> int:
    if value is None:
        return default
    number = _whole(value, least=0)
    if number is None:
        msg = f"parameter {key!r} takes a whole number of 0 or more, got {value!r}"
        raise FilterError(msg)
    return number


def _limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    limit = _whole(value, least=1)
    if limit is None:
        msg = f"parameter 'limit' takes a whole number from 1 to {MAX_LIMIT}, got {value!r}"
        raise FilterError(msg)
    return min(limit, MAX_LIMIT)  # the standard: a larger limit is capped, not refused
