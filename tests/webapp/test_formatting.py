"""Budgets, percentages, periods and the page state as the map page writes them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.errors import FilterError
from layers.classify import Layer
from layers.filters import FilterChoices, ProjectFilter
from layers.status import Status
from webapp import formatting
from webapp.i18n import LANGS, label, parse_lang, strings
from webapp.state import CHOROPLETHS, SORT_KEYS, PageState, parse_state, state_query


@pytest.mark.parametrize(
    ("amount", "lang", "text"),
    [
        (1_194_000_000, "zh", "11.94 億元"),
        (100_000_000, "zh", "1.00 億元"),
        (8_902_000, "zh", "8,902 千元"),
        (0, "zh", "0 千元"),
        (500, "zh", "500 元"),
        (None, "zh", "—"),
        (True, "zh", "—"),
        (1_194_000_000, "en", "NT$1.19 billion"),
        (8_902_000, "en", "NT$8.9 million"),
        (5_000, "en", "NT$5 thousand"),
    ],
)
def test_budgets_read_in_qian_or_yi_yuan(amount: Any, lang: Any, text: str) -> None:
    assert formatting.format_twd(amount, lang) == text


@pytest.mark.parametrize(
    ("value", "text"), [(83.95, "83.95 %"), (100, "100 %"), (70.1, "70.1 %"), (None, "—")]
)
def test_percentages_as_printed(value: Any, text: str) -> None:
    assert formatting.format_pct(value) == text


def test_progress_period_and_year() -> None:
    props = {"progress_actual_pct": 83.95, "progress_planned_pct": 83.96}
    assert formatting.format_progress(props, "zh") == "83.95 % ／ 83.96 %"
    assert formatting.format_progress({}, "en") == "—"
    assert formatting.format_period("2017-09-01", "2025-08-31", "zh") == (
        "2017-09 – 2025-08（民國 106–114 年）"
    )
    assert formatting.format_period("2017-09-01", None, "en") == "2017-09 – ?"
    assert formatting.format_year(2021, "zh") == "110 年（2021）"


def test_counties_and_reasons_off_the_map() -> None:
    assert formatting.format_counties({"counties": ["臺南市", "高雄市"]}, "zh") == "臺南市、高雄市"
    assert formatting.format_counties({"counties": ["臺南市"]}, "en") == "Tainan City"
    assert formatting.format_counties({"precision": 6}, "zh") == "全國性"
    assert formatting.format_counties({}, "en") == "not placed"
    note = {"location_note": "no place named"}
    assert formatting.off_map_reason(note, "en") == "not placed: no place named"
    assert formatting.off_map_reason({"place_bound": False}, "zh") == "全國性計畫"


def test_every_language_has_every_string_and_label() -> None:
    zh, en = (set(strings(lang)) for lang in LANGS)
    assert zh == en
    for lang in LANGS:
        for layer in Layer:
            assert label("layer", layer.value, lang) != layer.value
        for status in Status:
            assert label("status", status.value, lang) != status.value or lang == "en"
        for key in SORT_KEYS:
            assert label("sort", key, lang)
    assert parse_lang(None) == "zh"
    assert parse_lang(" en ") == "en"
    with pytest.raises(FilterError, match="parameter 'lang': 'fr' is not one of: zh, en"):
        parse_lang("fr")


CHOICES = FilterChoices(towns=frozenset({"臺南市 新營區", "新營區"}), programs=("水環境建設",))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": ["cost"]}, "parameter 'sort': 'cost' is not one of: name, layer"),
        ({"order": ["up"]}, "parameter 'order': 'up' is not one of: asc, desc"),
        ({"page": ["0"]}, "parameter 'page': '0' is not a whole number from 1"),
        ({"page": ["1", "2"]}, "parameter 'page' takes one value, got 2"),
        ({"choropleth": ["jobs"]}, "parameter 'choropleth': 'jobs' is not one of"),
        ({"colour": ["red"]}, "unknown parameter 'colour'; the parameters are: lang, sort"),
    ],
)
def test_bad_view_values_name_the_parameter(params: dict[str, list[str]], message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse_state(params, choices=CHOICES)


states = st.builds(
    PageState,
    filter=st.builds(
        ProjectFilter,
        layers=st.lists(st.sampled_from(list(Layer)), unique=True).map(tuple),
        counties=st.lists(st.sampled_from(["臺南市", "高雄市"]), unique=True).map(tuple),
        town=st.sampled_from([None, "臺南市 新營區"]),
        program=st.sampled_from([None, "水環境建設"]),
        status=st.sampled_from([None, *Status]),
        year=st.one_of(st.none(), st.integers(1912, 2200)),
        precision=st.sampled_from([None, 1, 2, 3, 4, 6]),
        q=st.one_of(st.none(), st.text(min_size=1).map(str.strip).filter(bool)),
        budget_min=st.one_of(st.none(), st.integers(0, 10**6)),
        budget_max=st.one_of(st.none(), st.integers(10**6, 10**12)),
    ),
    lang=st.sampled_from(LANGS),
    sort=st.sampled_from([None, *SORT_KEYS]),
    descending=st.booleans(),
    page=st.integers(1, 50),
    choropleth=st.sampled_from([None, *CHOROPLETHS]),
)


@given(states)
def test_the_query_string_holds_the_whole_state(state: PageState) -> None:
    from urllib.parse import parse_qs

    params = parse_qs(state_query(state), keep_blank_values=True)
    expected = state.but(descending=state.descending and state.sort is not None)
    assert parse_state(params, choices=CHOICES) == expected
