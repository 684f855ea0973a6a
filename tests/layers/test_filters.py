"""The one filter: parsing with precise errors, the round trip, and matching features."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.counties import COUNTIES, COUNTY_NAMES, county_by_name, normalise_place_name
from geo.errors import FilterError
from layers.classify import Layer
from layers.filters import (
    FilterChoices,
    ProjectFilter,
    apply_filter,
    format_filter,
    normalise_text,
    parse_filter,
)
from layers.status import Status

CHOICES = FilterChoices(
    towns=frozenset({"臺南市 新營區", "新營區", "高雄市 旗山區", "旗山區"}),
    programs=("水環境建設", "綠能建設"),
)


def _ids(register: dict[str, Any], **params: str | list[str]) -> list[str]:
    choices = FilterChoices.from_features(register["features"])
    f = parse_filter(params, choices=choices)
    return [feature["id"] for feature in apply_filter(register["features"], f)]


def test_the_22_counties() -> None:
    assert len(COUNTY_NAMES) == len(set(COUNTY_NAMES)) == 22
    assert len({county.code for county in COUNTIES}) == 22
    assert all("台" not in name for name in COUNTY_NAMES)
    assert county_by_name("台東縣") == county_by_name("臺東縣") is not None
    assert county_by_name("東京都") is None


def test_empty_filter_keeps_everything(register: dict[str, Any]) -> None:
    assert parse_filter({}, choices=CHOICES) == ProjectFilter()
    assert len(_ids(register)) == len(register["features"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"county": "臺南市"}, ["p1", "p2", "p7"]),
        ({"county": "台南市"}, ["p1", "p2", "p7"]),
        ({"county": ["高雄市", "嘉義縣"]}, ["p2", "p3", "p7"]),
        ({"layer": "energy"}, ["p3", "p4"]),
        ({"layer": ["energy", "other"]}, ["p3", "p4", "p5"]),
        ({"layer": "water", "county": "高雄市"}, ["p2"]),
        ({"town": "新營區"}, ["p2"]),
        ({"town": "台南市 新營區"}, ["p2"]),
        ({"program": "綠能建設"}, ["p3", "p4"]),
        ({"status": "behind"}, ["p1", "p4", "p7"]),
        ({"year": "2020"}, ["p1", "p3"]),
        ({"year": "109"}, ["p1", "p3"]),
        ({"year": "2024"}, ["p1"]),
        ({"precision": "3"}, ["p3", "p7"]),
        ({"precision": "6"}, ["p4"]),
        ({"q": "曾文"}, ["p1"]),
        ({"q": "防淤"}, ["p1"]),
        ({"q": "臺電"}, ["p3"]),
        ({"q": "台中"}, ["p6"]),
        ({"q": "  興達 "}, ["p3"]),
        ({"budget_min": "100000000"}, ["p1", "p3", "p4"]),
        ({"budget_max": "50,000,000"}, ["p2", "p6", "p7"]),
        ({"budget_min": "30000000", "budget_max": "100000000"}, ["p1", "p2", "p7"]),
        # as readers write amounts: 億 (10^8), 萬 (10^4), 千元 (the reports' unit)
        ({"budget_min": "1億"}, ["p1", "p3", "p4"]),
        ({"budget_max": "5,000萬"}, ["p2", "p6", "p7"]),
        ({"budget_min": "30,000千元", "budget_max": "1億元"}, ["p1", "p2", "p7"]),
        ({"budget_min": "0.3億", "budget_max": "１億"}, ["p1", "p2", "p7"]),
        # a fractional bound selects the same whole amounts (min rounds up, max down)
        ({"budget_min": "99999999.5"}, ["p1", "p3", "p4"]),
        ({"budget_max": "50000000.9"}, ["p2", "p6", "p7"]),
        ({"budget_min": "9", "budget_max": "1"}, []),  # a range nothing is in
        ({"county": "", "q": ""}, ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]),
    ],
)
def test_matching(
    register: dict[str, Any], params: dict[str, str | list[str]], expected: list[str]
) -> None:
    assert _ids(register, **params) == expected


def test_apply_filter_returns_the_features_themselves(register: dict[str, Any]) -> None:
    found = apply_filter(register["features"], ProjectFilter(layers=(Layer.OTHER,)))
    assert found == [register["features"][4]]
    assert found[0] is register["features"][4]


def test_q_is_case_insensitive() -> None:
    features = [{"id": "x", "properties": {"name": "Smart Grid 計畫", "aliases": []}}]
    assert apply_filter(features, ProjectFilter(q="SMART grid")) == features
    assert normalise_text("ＡＢＣ台") == "abc臺"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "red"}, "unknown parameter 'colour'; the parameters are: layer, county"),
        (
            {"county": "東京都"},
            "parameter 'county': '東京都' is not a county of Taiwan (臺北市、新北市",
        ),
        ({"county": "臺南"}, "連江縣"),
        ({"layer": "roads"}, "parameter 'layer': 'roads' is not one of: water, energy"),
        ({"layer": "WATER"}, "'WATER' is not one of: water"),  # codes are written exactly
        ({"status": "late"}, "parameter 'status': 'late' is not one of: completed"),
        ({"town": "中正區"}, "parameter 'town': '中正區' is not a town where a project lies"),
        ({"program": "太空建設"}, "'太空建設' is not a programme of the register (水環境建設"),
        ({"year": "soon"}, "parameter 'year': 'soon' is not a year from 1912 to 2200"),
        ({"year": "99999"}, "'99999' is not a year from 1912 to 2200 or a Republic of China"),
        ({"year": "１１０"}, "'１１０' is not a year"),
        ({"precision": "5"}, "'5' is not one of the codes 1 (exact location)"),
        ({"budget_min": "-1"}, "parameter 'budget_min': '-1' is not an amount in NT$"),
        ({"budget_max": "一億"}, "is not an amount in NT$ (150000000) or with a unit"),
        ({"status": ["behind", "planned"]}, "parameter 'status' takes one value, got 2"),
    ],
)
def test_errors_say_what_exists(params: dict[str, str | list[str]], message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(params, choices=CHOICES)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_parsing_normalises_and_deduplicates() -> None:
    f = parse_filter(
        {"county": ["台南市", "臺南市", "高雄市"], "layer": ["water", "water"], "status": "behind"},
        choices=CHOICES,
    )
    assert f.counties == ("臺南市", "高雄市")
    assert f.layers == (Layer.WATER,)
    assert f.status is Status.BEHIND


_text = st.text(min_size=1, max_size=12).map(str.strip).filter(bool)
filters = st.builds(
    ProjectFilter,
    layers=st.lists(st.sampled_from(list(Layer)), unique=True).map(tuple),
    counties=st.lists(st.sampled_from(COUNTY_NAMES), unique=True).map(tuple),
    town=st.none() | st.sampled_from(sorted(CHOICES.towns)),
    program=st.none() | st.sampled_from(CHOICES.programs),
    status=st.none() | st.sampled_from(list(Status)),
    year=st.none() | st.integers(1912, 2200),
    precision=st.none() | st.sampled_from([1, 2, 3, 4, 6]),
    q=st.none() | _text,
    budget_min=st.none() | st.integers(0, 10**9),
    budget_max=st.none() | st.integers(10**9, 10**13),
)


@given(filters)
def test_format_then_parse_is_the_identity(f: ProjectFilter) -> None:
    assert parse_filter(format_filter(f), choices=CHOICES) == f


@given(st.text(max_size=20))
def test_name_normalisation_is_idempotent(text: str) -> None:
    assert normalise_place_name(normalise_place_name(text)) == normalise_place_name(text)
    assert normalise_text(normalise_text(text)) == normalise_text(text)
