"""Typed, frozen records passed between pipeline stages, each carrying its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

__all__ = [
    "BudgetRow",
    "Document",
    "DocumentKind",
    "DocumentReport",
    "Figure",
    "Problem",
    "Progress",
    "Record",
    "RecordKind",
    "Source",
]


class DocumentKind(StrEnum):
    """What a source document is, recognised from its content."""

    PERFORMANCE_REVIEW = "performance_review"  # 前瞻基礎建設計畫績效檢討報告
    UNIT_BUDGET = "unit_budget"  # 單位預算
    POLICY_PLAN = "policy_plan"  # 年度施政計畫
    BUSINESS_REPORT = "business_report"  # 業務報告
    STI_PLAN = "sti_plan"  # 國家科學技術發展計畫


class RecordKind(StrEnum):
    """What one extracted record describes."""

    REVIEW_PROJECT = "review_project"  # a project section of the performance review
    PLAN = "plan"  # a named plan or programme of work
    FACILITY = "facility"  # a named physical site: plant, reservoir, park, wind farm…
    BRANCH_PLAN = "branch_plan"  # 分支計畫 of a unit budget
    MULTI_YEAR_PLAN = "multi_year_plan"  # 跨年期計畫: 總經費, 已編列, 本年度續編
    BUDGET_ITEM = "budget_item"  # an item with an amount in a budget's 說明 text


@dataclass(frozen=True, slots=True)
class Document:
    """A source document as lines of text (line ``n`` is ``lines[n - 1]``)."""

    name: str
    lines: tuple[str, ...]
    printed: tuple[str, ...] = ()  # the lines as printed, where reading normalised any

    def text(self, first: int, last: int) -> str:
        """The text of lines ``first`` to ``last`` (1-based, inclusive)."""
        return "\n".join(self.lines[first - 1 : last])

    def printed_line(self, number: int) -> str:
        """Line ``number`` as the file prints it (before full-width forms were normalised)."""
        return (self.printed or self.lines)[number - 1]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: document file name, kind and line range (1-based)."""

    document: str
    kind: DocumentKind
    first_line: int
    last_line: int


@dataclass(frozen=True, slots=True)
class Figure:
    """A printed number with what it measures; ``twd`` is set for amounts of money."""

    what: str
    value: Decimal | None
    unit: str
    printed: str
    line: int
    twd: int | None = None


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One row of a 特別預算執行情形 table, every amount in whole NT$ as printed (×1000)."""

    phase: str | None
    year: int | Literal["total"]
    legal_twd: int | None
    allocated_twd: int | None
    realized_twd: int | None
    payable_twd: int | None
    surplus_twd: int | None
    prepaid_twd: int | None
    executed_twd: int | None
    spend_ratio_pct: Decimal | None
    execution_rate_pct: Decimal | None
    achievement_rate_pct: Decimal | None
    reserve_pending: bool | None
    line: int
    printed: str
    agency: str | None = None
    allocated_same_as_legal: bool = False
    achievement_same_as_execution: bool = False


@dataclass(frozen=True, slots=True)
class Progress:
    """進度執行情形: planned and actual progress in %, for the year and cumulative."""

    as_of: date | None
    year_planned_pct: Decimal | None
    year_actual_pct: Decimal | None
    year_diff_pct: Decimal | None
    total_planned_pct: Decimal | None
    total_actual_pct: Decimal | None
    total_diff_pct: Decimal | None
    line: int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a parser could not read, or a printed inconsistency; never fatal."""

    document: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Record:
    """One project, plan, facility or budget item as one document prints it."""

    name: str
    kind: RecordKind
    source: Source
    text: str = ""
    aliases: tuple[str, ...] = ()
    facility_type: str | None = None
    program: str | None = None
    agencies: tuple[str, ...] = ()
    work_plan: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    budget_year: int | None = None
    budget_rows: tuple[BudgetRow, ...] = ()
    progress: Progress | None = None
    jobs_person_years: Decimal | None = None
    private_investment_twd: int | None = None
    delay_reasons: str | None = None
    status_phrase: str | None = None
    completion_year: int | None = None
    figures: tuple[Figure, ...] = ()
    place_bound: bool = True
    checks: tuple[str, ...] = ()
    title_source: str | None = None  # where a review section's title was read (see review_titles)


@dataclass(frozen=True, slots=True)
class Cover:
    """A document's printed title, the years it covers (AD) and its issue month (``YYYY-MM``),
    with the line each was read from."""

    title: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    issued: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """What the extraction made of one document, for the build report."""

    document: str
    kind: DocumentKind | None
    records: int = 0
    tables_parsed: int = 0
    problems: tuple[Problem, ...] = field(default=())
    #: What the document prints of its own title, years and issue date (``None``: not read).
    cover: Cover | None = None
