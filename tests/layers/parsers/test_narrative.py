"""The shared core: paragraphs with line provenance, scopes, status phrases, figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from layers.parsers.narrative import (
    find_status,
    is_furniture,
    join_paragraphs,
    paragraph_figures,
    scope_of,
)
from tests.layers.parsers.conftest import make_document

# 001 lines 696-710: a page break (running head 工    業, page number 15) inside a sentence.
PAGE_BREAK = "\n".join(
    [
        "3、 限期完成使用：為促使工業區廠商確實設廠，現本部所轄工業",
        "",
        "區土地出售時，明定 2 年內需取得使用執照",
        "",
        "工    業 ",  # the printed trailing space is kept
        "",
        " 15 ",
        "",
        "請人於完成使用後 5 年內移轉登記申購土地。 ",
        "",
        "4、 運用金融控管：經認定為閒置土地將取消工業用地優惠稅率。",
    ]
)


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("8-3", True),
        ("11-1", True),
        ("15", True),
        ("工    業", True),
        ("能    源", True),
        ("http://fault.moeacgs.gov.tw/MgFault/", True),
        ("108 年度", False),
        ("工業", False),
        ("（一） 公有土地優惠釋出", False),
    ],
)
def test_is_furniture(line: str, furniture: bool) -> None:
    assert is_furniture(line) is furniture


def test_join_paragraphs_drops_furniture_and_keeps_lines() -> None:
    paragraphs = join_paragraphs(make_document(PAGE_BREAK))
    assert len(paragraphs) == 2
    first = paragraphs[0]
    assert first.text.endswith("需取得使用執照請人於完成使用後5年內移轉登記申購土地。")
    assert (first.first_line, first.last_line) == (1, 9)
    assert first.lines[first.text.index("請人")] == 9
    assert paragraphs[1].first_line == 11


def test_join_keeps_space_between_latin_words() -> None:
    document = make_document("總計 9,474.4 MW，及 beyond\n1 奈米")
    assert join_paragraphs(document)[0].text == "總計9,474.4 MW，及beyond 1奈米"


def test_join_paragraphs_of_nothing() -> None:
    assert join_paragraphs(make_document("")) == []
    assert join_paragraphs(make_document("\n \n8-1\n")) == []


def test_scope_of_title_and_sentence() -> None:
    (paragraph,) = join_paragraphs(
        make_document("（一） 大潭電廠增建計畫：裝置機組。第 7 號機組商轉。")
    )
    assert scope_of(paragraph, paragraph.text.index("大潭")) == (0, len(paragraph.text))
    start = paragraph.text.index("第7號")
    assert paragraph.text[slice(*scope_of(paragraph, start))] == "第7號機組商轉。"


@pytest.mark.parametrize(
    ("text", "phrase", "year"),
    [
        ("石門水庫阿姆坪防淤隧道預定於110年底完工", "預定於110年底完工", 2021),
        ("計畫第一階段將於110年底完工，可增供", "將於110年底完工", 2021),
        ("均已進入施工階段，預計於111年至113年完工", "預計於111年至113年完工", 2024),
        ("2部機原規劃於114年6月30日、119年6月30日商轉",
         "原規劃於114年6月30日、119年6月30日商轉", 2030),
        ("新烏山嶺引水隧道已於109年6月完工報竣", "已於109年6月完工", 2020),
        ("108年3月27日動工興建中", "興建中", None),
        ("預計110年累計完成150萬戶", None, None),  # a running total, not a completion
        ("預定於110年7月完成除役計畫提送", None, None),  # paperwork, not a completion
        ("", None, None),
    ],
)  # fmt: skip
def test_find_status(text: str, phrase: str | None, year: int | None) -> None:
    assert find_status(text) == (phrase, year)


def test_paragraph_figures_carry_their_own_line() -> None:
    document = make_document("總裝置容量\n316 萬瓩，投資總額\n1,104.6 億元，可供水每日 4\n萬噸。")
    (paragraph,) = join_paragraphs(document)
    figures = [figure for _, figure in paragraph_figures(paragraph, 0, len(paragraph.text))]
    assert [(f.printed, f.line, f.unit) for f in figures] == [
        ("316萬瓩", 2, "萬瓩"),
        ("1,104.6億元", 3, "億元"),
        ("每日4萬噸", 3, "萬噸/日"),
    ]
    assert figures[1].twd == 110_460_000_000
    assert figures[2].value == Decimal(4)
