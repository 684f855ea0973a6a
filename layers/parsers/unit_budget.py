"""Parser for unit budget documents (單位預算): work plans, branch plans, items, parks.

Reads, in order: the budget year from the page headings; the work plans of the
歲出機關別預算表; the branch plans and their 說明 of the 歲出計畫提要及分支計畫概況表; the
work-plan 說明, merged into the plans, branch plans and items it names; the multi-year plans
of the 說明 text and the 跨年期計畫概況表; and the industrial parks named in the text.
Every figure is read from the text as printed; inconsistencies are flagged in
``Record.checks``, never corrected.
"""

from __future__ import annotations

import logging

from layers.numbers import roc_year
from layers.parsers import ParseResult
from layers.parsers.unit_budget_entries import Entry
from layers.parsers.unit_budget_multiyear import multi_year_entries
from layers.parsers.unit_budget_parks import mark_park_plans, park_entries
from layers.parsers.unit_budget_plans import (
    PlanSet,
    branch_entries,
    check_plans,
    merge_notes,
    plan_entries,
)
from layers.parsers.unit_budget_tables import (
    read_branch_plans,
    read_budget_year,
    read_multi_year_table,
    read_work_plan_notes,
    read_work_plans,
)
from layers.records import Document, DocumentKind, Problem, RecordKind

__all__ = ["KIND", "parse", "recognise"]

KIND = DocumentKind.UNIT_BUDGET

log = logging.getLogger(__name__)

_TITLE = "單位預算"
_TABLE_TITLES = ("歲出計畫提要及分支計畫概況表", "分支計畫及用途別科目")


def recognise(document: Document) -> bool:
    """Whether ``document`` is a unit budget: it says 單位預算 and prints branch-plan tables."""
    head = "\n".join(document.lines[:200])
    if _TITLE not in head:
        return False
    return any(title in line for line in document.lines for title in _TABLE_TITLES)


def parse(document: Document) -> ParseResult:
    """Read the records of a unit budget.

    A document without the tables of a unit budget gives no records and one problem saying
    so; nothing in the text makes the parser fail.
    """
    branches, headers = read_branch_plans(document)
    if not headers:
        problem = Problem(document.name, None, "no 歲出計畫提要及分支計畫概況表: not a unit budget")
        log.info("unit_budget: %s -> 0 records (no branch-plan tables)", document.name)
        return ParseResult(records=(), problems=(problem,))
    work_rows, problems = read_work_plans(document)
    notes = read_work_plan_notes(document)
    table, table_problems = read_multi_year_table(document)
    plans = PlanSet()
    plan_entries(work_rows, headers, plans)
    branch_entries(branches, plans)
    merge_notes(*notes, plans)
    check_plans(plans)
    multi = multi_year_entries(branches, notes, table, plans)
    entries: list[Entry] = [*plans.plans.values(), *plans.branches, *plans.items, *multi]
    entries += park_entries(document, [e.name for e in entries])
    mark_park_plans(entries)
    year = read_budget_year(document)
    budget_year = roc_year(year) if year is not None else None
    records = tuple(entry.to_record(document.name, budget_year) for entry in entries)
    count = sum(1 for r in records if r.kind is RecordKind.MULTI_YEAR_PLAN)
    log.info(
        "unit_budget: %s -> %d records (%d multi-year plans)", document.name, len(records), count
    )
    return ParseResult(
        records=records,
        problems=(*problems, *table_problems),
        tables_parsed=len(headers) + bool(work_rows) + bool(table),
    )
