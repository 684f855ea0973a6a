"""Tests for geo.names: normalisation and every way a county or town is written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.errors import PlaceNotFoundError
from geo.names import (
    AreaKind,
    PlaceNames,
    former_town_names,
    normalize,
    normalize_for_matching,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("台南市", "臺南市"),
        ("臺 南 市", "臺南市"),
        ("台中\n港", "臺中港"),
        ("ＡＢＣ１２３", "ABC123"),
        ("石門水庫（桃園）", "石門水庫(桃園)"),
        ("\u3000高雄\u3000", "高雄"),
        ("彰化‧雲林", "彰化·雲林"),
        ("南投—彰化", "南投-彰化"),
        ("霧台鄉", "霧臺鄉"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_normalize_for_matching_keeps_offsets(text: str) -> None:
    normal, offsets = normalize_for_matching(text)
    assert len(normal) == len(offsets)
    assert list(offsets) == sorted(set(offsets))
    assert all(normalize_for_matching(text[i])[0] == normal[n] for n, i in enumerate(offsets))
    dropped = set(range(len(text))) - set(offsets)
    assert all(normalize(text[i]) == "" for i in dropped)


def test_normalize_for_matching_maps_back() -> None:
    text = "位於 台南 山上"
    normal, offsets = normalize_for_matching(text)
    assert normal == "位於臺南山上"
    start = normal.index("臺南山上")
    assert text[offsets[start] : offsets[start + 3] + 1] == "台南 山上"


def _one(names: PlaceNames, written: str, **kwargs: str) -> tuple[str, ...]:
    match = names.resolve(written, **kwargs)
    assert not match.ambiguous
    return tuple(
        area.name if area.kind is AreaKind.COUNTY else area.county + area.name
        for area in match.areas
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # counties, with and without their suffix, in either 台 or 臺
        ("臺南市", ("臺南市",)),
        ("臺南", ("臺南市",)),
        ("台南", ("臺南市",)),
        ("高雄", ("高雄市",)),
        ("宜蘭", ("宜蘭縣",)),
        ("馬祖", ("連江縣",)),
        ("新竹縣市", ("新竹縣", "新竹市")),
        ("嘉義縣市", ("嘉義縣", "嘉義市")),
        # pre-merger counties
        ("臺北縣", ("新北市",)),
        ("桃園縣", ("桃園市",)),
        ("臺中縣", ("臺中市",)),
        ("台南縣", ("臺南市",)),
        ("高雄縣", ("高雄市",)),
        # pre-merger towns
        ("板橋市", ("新北市板橋區",)),
        ("大樹鄉", ("高雄市大樹區",)),
        ("鳳山市", ("高雄市鳳山區",)),
        ("中壢市", ("桃園市中壢區",)),
        ("豐原市", ("臺中市豐原區",)),
        ("新營市", ("臺南市新營區",)),
        ("楊梅鎮", ("桃園市楊梅區",)),
        # a town right after its county
        ("高雄大樹", ("高雄市大樹區",)),
        ("臺南山上", ("臺南市山上區",)),
        ("桃園觀音", ("桃園市觀音區",)),
        ("高雄縣大樹鄉", ("高雄市大樹區",)),
        ("臺南市東區", ("臺南市東區",)),
        ("新竹東區", ("新竹市東區",)),
        ("嘉義西區", ("嘉義市西區",)),
        ("新竹竹北", ("新竹縣竹北市",)),
        # current names win over look-alike former ones
        ("桃園市", ("桃園市",)),
        ("桃園區", ("桃園市桃園區",)),
        ("東勢鄉", ("雲林縣東勢鄉",)),
        ("東勢鎮", ("臺中市東勢區",)),
        ("宜蘭市", ("宜蘭縣宜蘭市",)),
        ("臺東市", ("臺東縣臺東市",)),
        ("台西鄉", ("雲林縣臺西鄉",)),
    ],
)
def test_resolve(names: PlaceNames, written: str, expected: tuple[str, ...]) -> None:
    assert _one(names, written) == expected


@pytest.mark.parametrize(
    ("written", "candidates"),
    [
        ("新竹", {"新竹縣", "新竹市"}),
        ("嘉義", {"嘉義縣", "嘉義市"}),
        ("中山區", {"臺北市", "基隆市"}),
        ("信義區", {"臺北市", "基隆市"}),
        ("大安區", {"臺北市", "臺中市"}),
        ("中正區", {"臺北市", "基隆市"}),
        ("東區", {"新竹市", "嘉義市", "臺中市", "臺南市"}),
        ("北區", {"新竹市", "臺中市", "臺南市"}),
    ],
)
def test_ambiguous_without_context(names: PlaceNames, written: str, candidates: set[str]) -> None:
    match = names.resolve(written)
    assert match.ambiguous
    assert {area.county for area in match.areas} == candidates


@pytest.mark.parametrize(
    ("written", "context", "expected"),
    [
        ("新竹", "新竹縣竹東鎮", ("新竹縣",)),
        ("新竹", "新竹市香山區", ("新竹市",)),
        ("嘉義", "位於嘉義縣大埔鄉", ("嘉義縣",)),
        ("中山區", "臺北市中山區", ("臺北市中山區",)),
        ("中山區", "基隆港旁的中山區", ("基隆市中山區",)),
        ("東區", "臺南市東區", ("臺南市東區",)),
        ("大安區", "台中大安", ("臺中市大安區",)),
    ],
)
def test_resolved_by_context(
    names: PlaceNames, written: str, context: str, expected: tuple[str, ...]
) -> None:
    match = names.resolve(written, context=context)
    assert match.by_context
    assert _one(names, written, context=context) == expected


@pytest.mark.parametrize(
    ("written", "context"),
    [
        ("中山區", ""),
        ("中山區", "臺北市與基隆市"),  # both candidates' counties named: still ambiguous
        ("新竹", "臺中市"),  # context names neither candidate
    ],
)
def test_context_that_does_not_decide(names: PlaceNames, written: str, context: str) -> None:
    assert names.resolve(written, context=context).ambiguous


def test_county_argument(names: PlaceNames) -> None:
    assert _one(names, "東區", county="臺南") == ("臺南市東區",)
    assert names.town("中山區", county="63000").areas[0].code == "63000040"


@pytest.mark.parametrize("written", ["大樹", "北京", "臺", "", "石門水庫"])
def test_unknown(names: PlaceNames, written: str) -> None:
    with pytest.raises(PlaceNotFoundError):
        names.resolve(written)


def test_county_and_town_kinds(names: PlaceNames) -> None:
    assert names.county("臺南").areas[0].code == "67000"
    with pytest.raises(PlaceNotFoundError, match="not a county"):
        names.county("板橋區")
    with pytest.raises(PlaceNotFoundError, match="not a town"):
        names.town("臺南")


def test_former_town_names_leave_out_old_city_districts(names: PlaceNames) -> None:
    former = former_town_names(names.towns)
    assert former["板橋市"].name == "板橋區"
    # 鹽埕區 and 安平區 were districts of the old cities: no 鄉/鎮/市 form
    assert not {"鹽埕鄉", "鹽埕鎮", "鹽埕市", "安平鎮", "西屯鄉"} & set(former)
    # never a current name
    assert not {"桃園市", "東勢鄉"} & set(former)
