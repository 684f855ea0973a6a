"""The items query string: limit, offset, bbox and datetime, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from geo.errors import FilterError
from layers.filters import FILTER_KEYS, FilterChoices, ProjectFilter
from layers.packed import period_of
from webapp.api_query import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ItemsQuery,
    parse_items_query,
)

CHOICES = FilterChoices(towns=frozenset({"新營區"}), programs=("水環境建設",))


def parse(**params: str | list[str]) -> ItemsQuery:
    lists = {key: [value] if isinstance(value, str) else value for key, value in params.items()}
    return parse_items_query(lists, filter_keys=FILTER_KEYS, choices=CHOICES)


def test_no_parameters_is_the_first_page_of_everything() -> None:
    assert parse() == ItemsQuery(ProjectFilter(), DEFAULT_LIMIT, 0, None, None)


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("1", 1),
        ("10", 10),
        (str(MAX_LIMIT), MAX_LIMIT),
        ("10001", MAX_LIMIT),
        ("999999", MAX_LIMIT),
    ],
)
def test_limit_above_the_maximum_is_capped(limit: str, expected: int) -> None:
    assert parse(limit=limit).limit == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "parameter 'limit': '0' is not a whole number from 1"),
        ({"limit": "-5"}, "'-5' is not a whole number from 1"),
        ({"limit": "ten"}, "'ten' is not a whole number"),
        ({"offset": "-1"}, "parameter 'offset': '-1' is not a whole number from 0"),
        ({"offset": "1.5"}, "'1.5' is not a whole number"),
        ({"offset": str(2**53)}, "is not a whole number from 0 to 9007199254740991"),
        ({"limit": ["5", "6"]}, "parameter 'limit' takes one value, got 2"),
        ({"limits": "5"}, "unknown parameter 'limits'; the parameters are: limit, offset"),
        ({"county": "東京都"}, "parameter 'county': '東京都' is not a county"),
        ({"status": "late"}, "parameter 'status': 'late' is not one of"),
        ({"bbox": "120,22,121"}, "'120,22,121' is not 4 or 6 comma-separated numbers"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, str | list[str]], message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse(**params)


def test_filter_keys_go_to_the_shared_filter() -> None:
    query = parse(county=["台南市", "高雄市"], status="behind", offset="20", limit="5")
    assert query.filter == ProjectFilter(counties=("臺南市", "高雄市"), status="behind")  # type: ignore[arg-type]
    assert (query.offset, query.limit) == (20, 5)


def test_a_collection_refuses_the_filter_keys_it_does_not_take() -> None:
    with pytest.raises(FilterError, match="unknown parameter 'layer'"):
        parse_items_query({"layer": ["water"]}, filter_keys=("county",), choices=CHOICES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120,22,121,23", (120.0, 22.0, 121.0, 23.0)),
        ("120.5, 22.5 ,121,23", (120.5, 22.5, 121.0, 23.0)),
        ("120,22,0,121,23,100", (120.0, 22.0, 121.0, 23.0)),  # heights dropped
        ("179,-10,-179,10", (179.0, -10.0, -179.0, 10.0)),  # crosses the antimeridian
        ("-180,-90,180,90", (-180.0, -90.0, 180.0, 90.0)),
        ("1e-05,22,1.2e2,23", (1e-05, 22.0, 120.0, 23.0)),  # JSON numbers, as clients print
        # the part of the Earth the numbers bound
        ("200,22,-190,23", (-160.0, 22.0, 170.0, 23.0)),  # the same meridians
        ("-500,22,500,23", (-180.0, 22.0, 180.0, 23.0)),  # every longitude
        ("120,-100,121,100", (120.0, -90.0, 121.0, 90.0)),  # pole to pole
        ("120,23,121,22", (120.0, 23.0, 121.0, 22.0)),  # bounds nothing: kept, matched by none
    ],
)
def test_bbox(text: str, expected: tuple[float, ...]) -> None:
    assert parse(bbox=text).bbox == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("120,22,121", "4 or 6"),
        ("120,22,121,23,24", "4 or 6"),
        ("a,b,c,d", "4 or 6"),
        ("120,22,nan,23", "4 or 6"),
        ("120,22,inf,23", "4 or 6"),
        ("+120,22,121,23", "4 or 6"),
        ("120,22,121,1e999", "a number is too large"),
    ],
)
def test_bad_bbox(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse(bbox=text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-05-01", (date(2021, 5, 1), date(2021, 5, 1))),
        ("2021-05-01T08:00:00Z", (date(2021, 5, 1), date(2021, 5, 1))),
        ("2021-04-30T20:00:00Z", (date(2021, 5, 1), date(2021, 5, 1))),  # 04:00 in Taipei
        ("2021-05-01T00:30:00+08:00", (date(2021, 5, 1), date(2021, 5, 1))),
        ("2020-01-01/2021-12-31", (date(2020, 1, 1), date(2021, 12, 31))),
        ("../2021-12-31", (None, date(2021, 12, 31))),
        ("2020-01-01/..", (date(2020, 1, 1), None)),
        ("/2021-12-31", (None, date(2021, 12, 31))),
        ("2020-01-01/", (date(2020, 1, 1), None)),
        ("2024-02-29", (date(2024, 2, 29), date(2024, 2, 29))),
        ("2021-05-01t08:00:00.25z", (date(2021, 5, 1), date(2021, 5, 1))),
        ("2016-12-31T23:59:60Z", (date(2017, 1, 1), date(2017, 1, 1))),  # a leap second
        # beyond the last or before the first day there is, seen from Taipei
        ("9999-12-31T23:00:00-10:00", (date.max, date.max)),
        ("0001-01-01T00:00:00+14:00", (date.min, date.min)),
        ("2022-01-01/2021-01-01", (date(2022, 1, 1), date(2021, 1, 1))),  # holds no day
    ],
)
def test_datetime(text: str, expected: tuple[date | None, date | None]) -> None:
    assert parse(datetime=text).interval == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-13-01", "not an RFC 3339 date"),
        ("yesterday", "not an RFC 3339 date"),
        ("2021-05-01T25:00:00Z", "not an RFC 3339 date"),
        ("2021-02-29", "not an RFC 3339 date"),
        ("2021-05-01T08:00:00", "not an RFC 3339 date"),  # RFC 3339 says the offset
        ("2021-05-01 08:00:00Z", "not an RFC 3339 date"),
        ("../..", "not an RFC 3339 date"),
        ("2020-01-01/2021-01-01/2022-01-01", "not an RFC 3339 date"),
    ],
)
def test_bad_datetime(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse(datetime=text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2019-01-01", "2024-12-31", (date(2019, 1, 1), date(2024, 12, 31))),
        ("2019-01-01", None, (date(2019, 1, 1), None)),
        (None, None, None),
        ("unknown", None, None),
    ],
)
def test_period_of(start: object, end: object, expected: object) -> None:
    assert period_of(start, end) == expected
