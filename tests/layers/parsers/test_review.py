"""The performance review parser, on a real excerpt (golden) and on the whole report."""

from __future__ import annotations

import re
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest

from layers.parsers import find_parser, review
from layers.read import read_document
from layers.records import Document, Record
from layers.register import json_value

REVIEW = "002_3096ba7c283ef362.txt"
SOURCES = Path(__file__).resolve().parents[3] / "data" / "sources"


@pytest.fixture(scope="module")
def document() -> Document:
    return read_document(SOURCES / REVIEW)


@pytest.fixture(scope="module")
def records(document: Document) -> tuple[Record, ...]:
    return review.parse(document).records


def test_recognised_by_content_only(tmp_path: Path) -> None:
    sources = SOURCES
    renamed = tmp_path / "whatever.txt"
    renamed.write_bytes((sources / REVIEW).read_bytes())
    assert find_parser(read_document(renamed)) is review
    for other in sorted(sources.glob("*.txt")):
        if other.name != REVIEW:
            assert not review.recognise(read_document(other)), other.name


def test_excerpt_golden(golden: object) -> None:
    path = Path(__file__).parents[2] / "fixtures" / "documents" / "review_excerpt.txt"
    result = review.parse(read_document(path))
    data = {
        "records": [json_value(asdict(record)) for record in result.records],
        "problems": [json_value(asdict(problem)) for problem in result.problems],
    }
    for record in data["records"]:
        record.pop("text")
    golden("review_excerpt", data)  # type: ignore[operator]


def test_every_section_found(records: tuple[Record, ...], document: Document) -> None:
    intro = "".join(document.lines[:30])
    printed_total = int(re.search(r"計\s*(\d+)\s*項", intro).group(1))  # type: ignore[union-attr]
    assert len(records) == printed_total == 47


def test_programmes_follow_the_printed_counts(records: tuple[Record, ...]) -> None:
    counts: dict[str | None, int] = {}
    for record in records:
        counts[record.program] = counts.get(record.program, 0) + 1
    # Sections 19 and 45 print neither a title, a number nor a programme, and each lies between
    # sections of two programmes: their programme is not guessed.
    assert counts == {
        "水環境建設": 18,
        None: 2,
        "綠能建設": 11,
        "數位建設": 14,
        "城鄉建設": 1,
        "人才培育促進就業建設": 1,
    }


@pytest.mark.parametrize(
    ("number", "title", "agencies"),
    [
        (1, "石門水庫阿姆坪防淤隧道工程計畫", ("經濟部水利署",)),
        (2, "烏溪鳥嘴潭人工湖工程計畫", ()),
        (13, "台南山上淨水場供水系統改善工程計畫", ("經濟部水利署", "台灣自來水公司")),
        (
            18,
            "縣市管河川及區域排水整體改善計畫",
            ("經濟部水利署", "內政部", "行政院農委會", "交通部"),
        ),
        # 19 prints no title (its body is 全國水環境改善計畫's), no number: named by the section
        # before it; 20's text does not confirm the contents' 高雄海洋科技…第二期
        (19, "（報告未載明名稱：「縣市管河川及區域排水整體改善計畫」後第一節）", ()),
        (20, "（報告未載明名稱：「縣市管河川及區域排水整體改善計畫」後第二節）", ()),
        (32, "引領中小微型企業數位轉型戰略攻頂計畫", ("經濟部中企處",)),
        (33, "建構零售暨服務業數據共享創新服務計畫", ("經濟部商業司",)),
        (
            47,
            "數位與特殊技術人才發展計畫",
            ("經濟部工業局", "經濟部中企處", "經濟部加工處", "經濟部商業司"),
        ),
    ],
)
def test_titles_from_contents_or_cover(
    records: tuple[Record, ...], number: int, title: str, agencies: tuple[str, ...]
) -> None:
    record = records[number - 1]
    assert record.name == title
    assert record.agencies == agencies


def test_untitled_sections_get_a_placeholder_and_a_problem(document: Document) -> None:
    result = review.parse(document)
    placeholders = [r for r in result.records if "報告未載明名稱" in r.name]
    reported = [p for p in result.problems if "no title printed" in p.message]
    assert placeholders
    assert len(placeholders) == len(reported)


def test_periods_are_gregorian(records: tuple[Record, ...]) -> None:
    first = records[0]
    assert (str(first.period_start), str(first.period_end)) == ("2015-01-01", "2024-12-31")
    assert all(r.period_start and r.period_end for r in records if r.name != records[34].name)


def _digits(value: int | None) -> str | None:
    return None if value is None else f"{Decimal(value) / 1000:,f}".rstrip("0").rstrip(".")


def test_every_budget_figure_is_the_printed_one(records: tuple[Record, ...]) -> None:
    rows = [row for record in records for row in record.budget_rows]
    assert len(rows) > 250
    for row in rows:
        printed = re.sub(r"\s", "", row.printed)
        for value in (row.legal_twd, row.realized_twd, row.executed_twd, row.payable_twd):
            digits = _digits(value)
            if digits is not None:
                assert digits.replace(",", "") in printed.replace(",", ""), (row.line, digits)


def test_first_section_budget_table(records: tuple[Record, ...]) -> None:
    rows = records[0].budget_rows
    years = [(row.phase, row.year) for row in rows]
    assert years == [
        ("1", 2017), ("1", 2018), ("1", "total"),
        ("2", 2019), ("2", 2020), ("2", "total"),
        ("3", 2021), ("3", 2022), ("3", "total"),
    ]  # fmt: skip
    y2018 = rows[1]
    assert y2018.legal_twd == y2018.allocated_twd == 235_650_000  # 同(A) resolved
    assert y2018.allocated_same_as_legal
    assert y2018.executed_twd == 235_651_000
    assert y2018.achievement_rate_pct == Decimal(100)
    assert y2018.achievement_same_as_execution
    assert rows[7].legal_twd == 450_000_000
    assert rows[7].allocated_twd is None
    assert rows[8].achievement_rate_pct == Decimal("19.15")


def test_split_and_oddly_printed_numbers(records: tuple[Record, ...]) -> None:
    by_line = {row.line: row for record in records for row in record.budget_rows}
    assert by_line[1860].surplus_twd == 12_046_000  # printed "12, 046"
    assert by_line[3372].legal_twd == 1_200_000_000  # printed "1200,000"
    assert by_line[12376].spend_ratio_pct == Decimal("98.5")  # "98." + "5" on the next line


def test_agency_sub_tables(records: tuple[Record, ...]) -> None:
    agencies = {row.agency for row in records[45].budget_rows}
    assert {None, "經濟部工業局", "經濟部中小企業處"} <= agencies


def test_progress_rows_equal_the_printed_text(
    records: tuple[Record, ...], document: Document
) -> None:
    for record in records:
        progress = record.progress
        assert progress is not None, record.name
        text = "\n".join(document.lines[progress.line - 1 : progress.line + 6])
        for value in (progress.total_planned_pct, progress.total_actual_pct):
            assert value is not None
            assert str(value) in text, (record.name, value)
    first = records[0].progress
    assert first is not None
    assert str(first.as_of) == "2021-12-31"
    assert (first.year_planned_pct, first.year_actual_pct) == (Decimal(100), Decimal("99.8"))
    assert (first.total_planned_pct, first.total_actual_pct) == (
        Decimal("83.96"),
        Decimal("83.95"),
    )


def test_jobs_and_investment(records: tuple[Record, ...]) -> None:
    assert records[0].jobs_person_years == Decimal(100)
    assert records[0].private_investment_twd == 50_000_000  # 0.5 億元


def test_inconsistencies_are_flagged_not_fixed(records: tuple[Record, ...]) -> None:
    checks = [check for record in records for check in record.checks]
    assert any("執行數" in check for check in checks)
    row = next(r for r in records[0].budget_rows if r.year == 2018)
    assert row.executed_twd == 235_651_000  # printed, although C+D+E+F = 235,651


@pytest.mark.parametrize(
    ("section", "jobs", "investment"),
    [(13, Decimal(85), 3_000_000_000), (2, Decimal(350), 0)],
)
def test_jobs_printed_with_units_or_none(
    records: tuple[Record, ...], section: int, jobs: Decimal, investment: int
) -> None:
    assert records[section - 1].jobs_person_years == jobs
    assert records[section - 1].private_investment_twd == investment
