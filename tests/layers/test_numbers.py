"""Reading printed numbers and ROC dates: tables of real forms and property tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.errors import ParseError
from layers.numbers import (
    amount_to_twd,
    is_placeholder,
    join_split_numbers,
    parse_number,
    roc_date,
    roc_year,
)


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("235,650", Decimal(235650)),
        ("1200,000", Decimal(1200000)),
        ("12, 046", Decimal(12046)),
        ("00.00", Decimal("0.00")),
        ("000,000", Decimal(0)),
        ("99.17%", Decimal("99.17")),
        ("-0.2", Decimal("-0.2")),
        ("955,982.536", Decimal("955982.536")),
        ("-", None),
        ("--", None),
        ("─", None),
    ],
)
def test_printed_forms(printed: str, value: Decimal | None) -> None:
    assert parse_number(printed) == value


@pytest.mark.parametrize("printed", ["同(A)", "abc", "1.2.3", ",", "是"])
def test_not_numbers_raise(printed: str) -> None:
    with pytest.raises(ParseError, match="not a number"):
        parse_number(printed)


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_round_trip(value: int) -> None:
    assert parse_number(f"{value:,}") == value


@given(st.integers(min_value=1000, max_value=10**9))
def test_numbers_split_at_a_comma_rejoin(value: int) -> None:
    printed = f"{value:,}"
    head, _, tail = printed.partition(",")
    assert join_split_numbers(["x", f"{head},", tail, "y"]) == ["x", printed, "y"]


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(2110, 12, 31)))
def test_roc_dates_round_trip(day: date) -> None:
    printed = f"{day.year - 1911}/{day.month}/{day.day:02d}"
    assert roc_date(printed) == day
    assert roc_date(f"{day.year - 1911}年{day.month}月{day.day}日") == day


@pytest.mark.parametrize("printed", ["110/13/01", "110/02/30", "abc", "0/1/1"])
def test_bad_dates_raise(printed: str) -> None:
    with pytest.raises(ParseError):
        roc_date(printed)


def test_roc_year() -> None:
    assert roc_year(110) == 2021


@pytest.mark.parametrize(
    ("value", "unit", "twd"),
    [
        (Decimal("235650"), "千元", 235_650_000),
        (Decimal("0.5"), "億元", 50_000_000),
        (Decimal("1.18"), "億元", 118_000_000),
        (Decimal("2500"), "萬元", 25_000_000),
        (None, "千元", None),
    ],
)
def test_amounts_in_twd(value: Decimal | None, unit: str, twd: int | None) -> None:
    assert amount_to_twd(value, unit) == twd


def test_unknown_unit_raises() -> None:
    with pytest.raises(ParseError, match="not a unit of money"):
        amount_to_twd(Decimal(1), "公頃")


@pytest.mark.parametrize(
    ("printed", "expected"), [("000,000", True), ("00.00", True), ("0", False)]
)
def test_placeholders(printed: str, expected: bool) -> None:
    assert is_placeholder(printed) is expected
