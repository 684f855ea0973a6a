"""Table-driven tests of the printed patterns a unit budget is read from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from layers.parsers.unit_budget_parks import park_entries
from layers.parsers.unit_budget_text import (
    Stream,
    amount_figure,
    find_multi_year,
    name_key,
    names_match,
    parse_items,
)
from layers.records import Document


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one item, its name and its amount (千元 as printed)
        (
            "1. 智慧機械產業智慧升級計畫386,000千元，係配合",
            [("智慧機械產業智慧升級計畫", ["386,000千元"])],
        ),
        # no space after the marker, 關係 inside the name is not the 係 of a clause
        (
            "2.營造亞太產業供應鏈夥伴關係新局計畫56,772千元，係依循",
            [("營造亞太產業供應鏈夥伴關係新局計畫", ["56,772千元"])],
        ),
        # a head with two amounts joined by 及: both belong to the item
        (
            "4. 出席會議等國外旅費1,928千元及大陸地區旅費400千元。",
            [("出席會議等國外旅費", ["1,928千元", "400千元"])],
        ),
        # a version number inside the name is neither a marker nor an amount
        (
            "31. 潛力隱形冠軍計畫(Hidden Champion+2.0)140,000千元，係",
            [("潛力隱形冠軍計畫(Hidden Champion+2.0)", ["140,000千元"])],
        ),
        # 10. followed by a name starting with a digit
        ("10. 5G+產業生態鏈推動計畫202,000千元，係", [("5G+產業生態鏈推動計畫", ["202,000千元"])]),
        # decimals are not markers (4.5萬輛), items must follow in order
        (
            "1. 甲計畫10千元，推動4.5萬輛。 3. 乙計畫20千元。 2. 丙計畫30千元。",
            [("甲計畫", ["10千元"]), ("丙計畫", ["30千元"])],
        ),
        # an item without an amount is not an item
        ("1. 推動產業升級。 2. 提升競爭力。", []),
    ],
)
def test_parse_items_reads_names_and_amounts(
    text: str, expected: list[tuple[str, list[str]]]
) -> None:
    items = [i for i in parse_items(text) if i.level == 1]
    assert [(i.name, [a for a, _ in i.amounts]) for i in items] == expected


def test_parse_items_reads_sub_items_under_their_item() -> None:
    text = (
        "2. 辦理下列資訊服務等31,094千元： (1) 甲服務8,995千元。 (2) 乙服務687千元。"
        " 3. 差旅費40千元。"
    )
    items = parse_items(text)
    assert [(i.level, i.name, i.parent) for i in items] == [
        (1, "辦理下列資訊服務等", None),
        (2, "甲服務", 0),
        (2, "乙服務", 0),
        (1, "差旅費", None),
    ]


@pytest.mark.parametrize(
    ("text", "total", "years", "prior", "this_year"),
    [
        (
            "亞洲·矽谷試驗場域計畫總經費254,000千元，分年辦理，106至108年度已編列162,688千元，本年度續編26,604千元",
            "254,000千元",
            None,
            "106至108年度已編列162,688千元",
            "26,604千元",
        ),
        (
            "總經費2,000,000千元，分5年辦理，107至108年度已編列709,600千元，本年度續編第3年經費400,000千元",
            "2,000,000千元",
            5,
            "107至108年度已編列709,600千元",
            "400,000千元",
        ),
        (
            "1. 總經費112,080千元，分年辦理，105至108年度已編列59,644千元，本年度續編20,000千元。",
            "112,080千元",
            None,
            "105至108年度已編列59,644千元",
            "20,000千元",
        ),
    ],
)
def test_find_multi_year_reads_the_printed_sentence(
    text: str, total: str, years: int | None, prior: str, this_year: str
) -> None:
    (found,) = find_multi_year(text)
    assert (found.total[0], found.years, found.prior[0], found.this_year[0]) == (
        total,
        years,
        prior,
        this_year,
    )


@pytest.mark.parametrize(
    "text", ["總經費254,000千元，分年辦理", "本年度續編26,604千元", "總經費1.12億元"]
)
def test_find_multi_year_ignores_incomplete_sentences(text: str) -> None:
    assert find_multi_year(text) == []


@pytest.mark.parametrize(
    ("what", "printed", "unit", "value", "twd"),
    [
        ("amount", "3,796,926", "千元", Decimal(3796926), 3_796_926_000),
        ("amount", "本年度續編第3年經費400,000千元", "千元", Decimal(400000), 400_000_000),
        (
            "budgeted_prior_years:106-108",
            "106至108年度已編列162,688千元",
            "千元",
            Decimal(162688),
            162_688_000,
        ),
        ("change_from_prior_year", "-2,758", "千元", Decimal(-2758), -2_758_000),
        ("total_required", "0.79", "億元", Decimal("0.79"), 79_000_000),
        ("amount", "-", "千元", None, None),
    ],
)
def test_amount_figure_keeps_the_printed_text(
    what: str, printed: str, unit: str, value: Decimal | None, twd: int | None
) -> None:
    figure = amount_figure(what, printed, 7, unit=unit)
    assert (figure.printed, figure.value, figure.twd, figure.line) == (printed, value, twd, 7)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("人員維持費", "人員維持", True),
        ("資訊管理經費", "資訊管理", True),
        (
            "新增空總臺灣當代文化實驗場第二期整體發展計畫經費",
            "空總臺灣當代文化實驗場第二期整體發展計畫",
            True,
        ),
        ("時空資訊雲落實智慧國土計畫-產業用地開發整合服務計畫", "產業用地開發整合服務計畫", True),
        ("亞洲·矽谷試驗 場域計畫", "亞洲·矽谷試驗場域計畫", True),
        ("資安旗艦計畫", "物聯網應用場域資安強化推動計畫", False),
        ("計畫", "旗艦計畫", False),
    ],
)
def test_names_match(first: str, second: str, same: bool) -> None:
    assert names_match(first, second) is same


def test_name_key_is_idempotent() -> None:
    for name in ("人員維持費", "新增甲計畫經費", "亞洲‧矽谷"):
        assert name_key(name_key(name)) == name_key(name)


def test_stream_joins_a_number_cut_by_a_page_break() -> None:
    stream = Stream()
    stream.add("<p>7. 國防產業之航太與船艦產業推動計畫195,00</p>", 981)
    stream.add("<p>0千元，係配合國機國造</p>", 993)
    (item,) = parse_items(stream.text)
    assert item.amounts[0][0] == "195,000千元"
    assert stream.span_lines(item.start, item.end) == (981, 993)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "雲林離島式基礎工業區工業用水專用設施之清淤泥砂標售收入。",
            ["雲林離島式基礎工業區", "雲林離島式基礎工業區工業用水專用設施"],
        ),
        ("彰濱工業區崙尾東區(再生能源專區)原定分年釋出", ["彰濱工業區"]),
        ("高雄大社工業區自 1960 年代開始營運", ["高雄大社工業區"]),
        # generic mentions name no place
        ("強化已編定工業區及都市計畫工業區公共設施服務水準", []),
        ("工業區組、永續發展組", []),
    ],
)
def test_parks_are_read_only_where_a_place_names_them(line: str, names: list[str]) -> None:
    entries = park_entries(Document("x.txt", (line,)), [])
    assert [e.name for e in entries] == names
