"""The whole 109 unit budget: records checked against the printed text (lines verified by grep)."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import pytest

from layers.parsers import find_parser, unit_budget
from layers.parsers.unit_budget_parks import INDUSTRIAL_PARK, WATER_SUPPLY
from layers.read import read_document
from layers.records import Document, Figure, Record, RecordKind
from tests.layers.parsers.conftest import SOURCES, UNIT_BUDGET


@pytest.fixture(scope="module")
def records(unit_budget_document: Document) -> tuple[Record, ...]:
    return unit_budget.parse(unit_budget_document).records


def one(records: tuple[Record, ...], kind: RecordKind, name: str) -> Record:
    (found,) = [r for r in records if r.kind is kind and r.name == name]
    return found


def figures(record: Record, what: str, unit: str = "千元") -> list[Figure]:
    return [f for f in record.figures if f.what == what and f.unit == unit]


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.txt")), ids=lambda p: p.name)
def test_recognises_only_the_unit_budget(path: object) -> None:
    document = read_document(path)  # type: ignore[arg-type]
    assert unit_budget.recognise(document) is (document.name == UNIT_BUDGET)


def test_the_unit_budget_parser_is_the_one_chosen(unit_budget_document: Document) -> None:
    assert find_parser(unit_budget_document) is unit_budget


def test_counts_by_kind(records: tuple[Record, ...]) -> None:
    kinds = {kind: sum(1 for r in records if r.kind is kind) for kind in RecordKind}
    # 5 work plans (4 with 提要 pages + 一般建築及設備), 2+3+6+1 branch plans,
    # 3 plans in the 跨年期計畫概況表
    assert kinds[RecordKind.PLAN] == 5
    assert kinds[RecordKind.BRANCH_PLAN] == 12
    assert kinds[RecordKind.MULTI_YEAR_PLAN] == 3


def test_budget_year_is_read_from_the_document(records: tuple[Record, ...]) -> None:
    assert {r.budget_year for r in records} == {2020}


def test_asia_silicon_valley_multi_year_plan(records: tuple[Record, ...]) -> None:
    plan = one(records, RecordKind.MULTI_YEAR_PLAN, "亞洲·矽谷試驗場域計畫")
    total = figures(plan, "total_cost")
    assert {(f.value, f.twd) for f in total} == {(Decimal(254000), 254_000_000)}
    assert {f.line for f in total} == {411, 891}  # work-plan 說明 and branch-plan 說明
    (prior,) = {
        (f.value, f.what)
        for f in plan.figures
        if f.what.startswith("budgeted_prior") and f.unit == "千元"
    }
    assert prior == (Decimal(162688), "budgeted_prior_years:106-108")
    assert {f.value for f in figures(plan, "this_year")} == {Decimal(26604)}
    assert [f.printed for f in figures(plan, "total_cost", "億元")] == ["核定總經費2.54億元"]
    assert (plan.period_start, plan.period_end) == (date(2017, 1, 1), date(2020, 12, 31))
    assert (plan.work_plan, plan.program) == ("工業技術升級輔導", "發展新興與高科技產業")
    assert plan.checks == ()


def test_scooter_multi_year_plan_reads_a_sentence_cut_by_a_page_break(
    records: tuple[Record, ...],
) -> None:
    plan = one(records, RecordKind.MULTI_YEAR_PLAN, "智慧電動機車能源補充設施普及計畫")
    prior = [f for f in plan.figures if f.what == "budgeted_prior_years:107-108"]
    # "107至1" ends line 1318, "08年度已編列709,600千元" opens line 1330
    assert {(f.value, f.line) for f in prior} == {(Decimal(709600), 1330), (Decimal(709600), 430)}
    assert {f.twd for f in figures(plan, "total_cost")} == {2_000_000_000}
    assert (plan.period_start, plan.period_end) == (date(2018, 1, 1), date(2022, 12, 31))


def test_multi_year_plans_and_their_totals(records: tuple[Record, ...]) -> None:
    plans = {r.name: r for r in records if r.kind is RecordKind.MULTI_YEAR_PLAN}
    totals = {name: sorted({f.twd for f in figures(p, "total_cost")}) for name, p in plans.items()}
    assert totals == {
        "亞洲·矽谷試驗場域計畫": [254_000_000],
        "產業用地開發整合服務計畫": [112_080_000],
        "智慧電動機車能源補充設施普及計畫": [2_000_000_000],
    }
    assert (
        "時空資訊雲落實智慧國土計畫-產業用地開發整合服務計畫"
        in plans["產業用地開發整合服務計畫"].aliases
    )


def test_branch_plan_01(records: tuple[Record, ...]) -> None:
    branch = one(records, RecordKind.BRANCH_PLAN, "發展新興與高科技產業")
    table = branch.figures[0]
    assert (table.printed, table.value, table.twd, table.line) == (
        "3,796,926",
        Decimal(3796926),
        3_796_926_000,
        839,
    )
    assert branch.agencies == ("電子資訊組", "金屬機電組", "知識服務組", "工業區組")
    assert branch.work_plan == "工業技術升級輔導"
    assert (branch.source.first_line, branch.source.last_line) == (839, 951)
    assert branch.checks == ()  # its 25 items add up to the printed total


def test_work_plan_with_code_and_amounts(records: tuple[Record, ...]) -> None:
    plan = one(records, RecordKind.PLAN, "工業管理")
    assert "5726102000 工業管理" in plan.aliases
    printed = {(f.what, f.printed) for f in plan.figures if f.line == 430}
    assert {
        ("amount", "552,644"),
        ("prior_year_amount", "555,402"),
        ("change_from_prior_year", "-2,758"),
    } <= printed
    assert plan.checks == ()


def test_items_are_tied_to_work_plan_and_branch(records: tuple[Record, ...]) -> None:
    item = one(records, RecordKind.BUDGET_ITEM, "國防產業之航太與船艦產業推動計畫")
    # "195,00" ends line 981 and "0千元" opens line 993
    assert [(f.printed, f.value) for f in item.figures] == [("195,000千元", Decimal(195000))]
    assert (item.source.first_line, item.source.last_line) == (981, 993)
    assert (item.work_plan, item.program) == ("工業技術升級輔導", "策進傳統產業躍升與永續發展環境")
    branch_items = [
        r
        for r in records
        if r.kind is RecordKind.BUDGET_ITEM
        and r.program == "策進傳統產業躍升與永續發展環境"
        and r.text[:1].isdigit()
    ]
    assert len(branch_items) == 35


def test_an_item_printed_twice_is_one_record_with_both_mentions(
    records: tuple[Record, ...],
) -> None:
    (item,) = [
        r for r in records if r.kind is RecordKind.BUDGET_ITEM and r.name == "亞洲·矽谷試驗場域計畫"
    ]
    assert {f.line for f in item.figures} == {891, 411}
    (branch,) = [r for r in records if r.kind is RecordKind.BRANCH_PLAN and r.name == "人員維持"]
    assert {(f.printed, f.line) for f in branch.figures} == {
        ("282,317", 1123),
        ("282,317千元", 430),
    }


def test_missing_items_are_flagged_not_fixed(records: tuple[Record, ...]) -> None:
    branch = one(records, RecordKind.BRANCH_PLAN, "基本行政工作維持")
    assert branch.figures[0].value == Decimal(36141)
    assert branch.checks == (
        "the 說明 starts at item 8: items 1–7 are not printed",
        "its 10 items add up to 33,617千元, not the printed 36,141千元",
    )


def test_nameless_row_is_a_problem(unit_budget_document: Document) -> None:
    problems = unit_budget.parse(unit_budget_document).problems
    assert [p.line for p in problems] == [445]


def test_industrial_parks_and_water_supply(records: tuple[Record, ...]) -> None:
    facilities = {r.name: r for r in records if r.kind is RecordKind.FACILITY}
    water = facilities["雲林離島式基礎工業區工業用水專用設施"]
    assert (water.facility_type, water.source.first_line) == (WATER_SUPPLY, 377)
    assert facilities["新材料循環產業園區"].facility_type == INDUSTRIAL_PARK
    assert facilities["彰濱工業區"].source.first_line == 304
    branch = one(
        records, RecordKind.BRANCH_PLAN, "全國循環專區試點暨新材料循環產業園區申請設置計畫"
    )
    assert branch.facility_type == INDUSTRIAL_PARK


def test_every_record_names_its_lines_and_text(
    records: tuple[Record, ...], unit_budget_document: Document
) -> None:
    for record in records:
        assert 1 <= record.source.first_line <= record.source.last_line
        assert record.source.last_line <= len(unit_budget_document.lines)
        assert record.text, record.name


def test_one_log_line(unit_budget_document: Document, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="layers.parsers.unit_budget"):
        result = unit_budget.parse(unit_budget_document)
    assert caplog.messages == [
        f"unit_budget: {UNIT_BUDGET} -> {len(result.records)} records (3 multi-year plans)"
    ]
