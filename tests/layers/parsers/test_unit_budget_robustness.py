"""Figures are read from the text, never stored; odd or garbage input never breaks the parser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.parsers import unit_budget
from layers.records import Document, Record, RecordKind


def edited(document: Document, line: int, old: str, new: str) -> Document:
    """A copy of ``document`` with ``old`` replaced by ``new`` on one line (1-based)."""
    assert old in document.lines[line - 1]
    lines = list(document.lines)
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return Document(document.name, tuple(lines))


def named(records: tuple[Record, ...], kind: RecordKind, name: str) -> list[Record]:
    return [r for r in records if r.kind is kind and r.name == name]


def test_a_changed_branch_amount_is_read_and_flagged(unit_budget_document: Document) -> None:
    changed = edited(unit_budget_document, 839, "3,796,926", "3,796,927")
    records = unit_budget.parse(changed).records
    (branch,) = named(records, RecordKind.BRANCH_PLAN, "發展新興與高科技產業")
    assert branch.figures[0].value == Decimal(3796927)
    assert "its 25 items add up to 3,796,926千元, not the printed 3,796,927千元" in branch.checks
    (plan,) = named(records, RecordKind.PLAN, "工業技術升級輔導")
    assert "its 2 branch plans add up to 8,244,475千元, not the printed 8,244,474千元" in (
        plan.checks
    )


def test_a_changed_multi_year_figure_is_read_and_flagged(unit_budget_document: Document) -> None:
    changed = edited(unit_budget_document, 891, "已編列162,688千元", "已編列262,688千元")
    (plan,) = named(
        unit_budget.parse(changed).records, RecordKind.MULTI_YEAR_PLAN, "亞洲·矽谷試驗場域計畫"
    )
    priors = {f.value for f in plan.figures if f.what == "budgeted_prior_years:106-108"}
    assert priors == {Decimal(162688), Decimal(262688)}  # line 411 still prints 162,688
    assert "已編列 262,688千元 + 本年度 26,604千元 exceeds 總經費 254,000千元" in plan.checks


def test_a_changed_table_total_is_flagged(unit_budget_document: Document) -> None:
    changed = edited(unit_budget_document, 1962, "106-109\t1.89", "106-109\t1.99")
    (plan,) = named(
        unit_budget.parse(changed).records, RecordKind.MULTI_YEAR_PLAN, "亞洲·矽谷試驗場域計畫"
    )
    assert (
        "the table's yearly amounts add up to 1.89億元, not the printed 經費需求總額 1.99億元"
        in (plan.checks)
    )


def test_a_removed_item_is_lost_and_the_sum_flagged(unit_budget_document: Document) -> None:
    changed = edited(unit_budget_document, 1272, "5. 補(捐)助民間團體推動產業發展活動90千元。", "")
    records = unit_budget.parse(changed).records
    assert named(records, RecordKind.BUDGET_ITEM, "補(捐)助民間團體推動產業發展活動") == []
    (branch,) = named(records, RecordKind.BRANCH_PLAN, "產業政策企劃")
    assert branch.checks == ("its 4 items add up to 3,787千元, not the printed 3,877千元",)


@pytest.mark.parametrize(
    "lines",
    [
        (),
        ("",),
        ("經濟部工業局單位預算",),
        ("單位預算", "工作計畫名稱及編號\t\t預算金額"),
        (
            "單位預算",
            "工作計畫名稱及編號\t5726102000 工業管理\t預算金額\t552,644",
            "分支計畫及用途別科目\t金額\t承辦單位\t說明",
            "01 甲計畫\t1,2x3\t乙組\t1. 丙計畫千元",
        ),
        ("\t\t\t", "跨年期計畫概況表", "甲計畫\t105-109\tx\t0.39\t0.20\t0.20\t-\t備註"),
    ],
)
def test_odd_documents_give_a_clear_result(lines: tuple[str, ...]) -> None:
    result = unit_budget.parse(Document("odd.txt", lines))
    if not result.records:
        assert result.problems


def test_garbage_is_not_a_unit_budget() -> None:
    garbage = Document("garbage.txt", ("\x07\t\t\t", "1,2,3", "<p></p>", "千元千元"))
    assert unit_budget.recognise(garbage) is False
    result = unit_budget.parse(garbage)
    assert result.records == ()
    assert [p.message for p in result.problems] == [
        "no 歲出計畫提要及分支計畫概況表: not a unit budget"
    ]


_PIECES = st.sampled_from(
    [
        "工作計畫名稱及編號",
        "5726102000 工業管理",
        "預算金額",
        "552,644",
        "分支計畫及用途別科目",
        "01 產業政策企劃",
        "2000 業務費",
        "3,877",
        "-",
        "產業政策組",
        "、工業區組",
        "<p>",
        "</p>",
        "1. ",
        "(1)",
        "<2>",
        "總經費",
        "112,080千元",
        "，分5年辦理，",
        "105至108年度已編列",
        "本年度續編",
        "本年度編列",
        "20,000千元",
        "。",
        "係行政院",
        "跨年期計畫概況表",
        "105-109",
        "0.79",
        "歲出機關別預算表",
        "中華民國 109 年度",
        "雲林",
        "工業區",
        "工業用水專用設施",
        "\t",
        " ",
        "195,00",
        "0千元",
    ]
)
_LINES = st.lists(st.lists(_PIECES, max_size=12).map("".join), max_size=40)


@settings(max_examples=150, deadline=None)
@given(_LINES)
def test_parse_never_raises(lines: list[str]) -> None:
    result = unit_budget.parse(Document("fuzz.txt", ("單位預算", *lines)))
    for record in result.records:
        assert record.source.first_line <= record.source.last_line
