"""Arithmetic checks on the review's printed tables: flagged, never fixed."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from layers.parsers.review_budget import BudgetTable
from layers.records import BudgetRow, Progress

__all__ = ["budget_checks", "progress_checks"]

_RATE_TOLERANCE = Decimal("0.06")  # printed rates are rounded to 2 decimals, some to 0


def budget_checks(table: BudgetTable) -> list[str]:
    """Inconsistencies between a table's printed figures, as readable sentences."""
    where = f" ({table.agency})" if table.agency else ""
    checks: list[str] = []
    for row in table.rows:
        checks += [f"{_label(row)}{where}: {problem}" for problem in _row_problems(row)]
    if not table.problems:  # a total is never checked against rows we failed to read
        checks += [f"{problem}{where}" for problem in _total_problems(table.rows)]
    return checks


def progress_checks(progress: Progress) -> list[str]:
    """Inconsistencies in the progress table (difference ≠ actual − planned)."""
    checks = []
    for label, planned, actual, diff in (
        ("年累計", progress.year_planned_pct, progress.year_actual_pct, progress.year_diff_pct),
        ("總累計", progress.total_planned_pct, progress.total_actual_pct, progress.total_diff_pct),
    ):
        if None not in (planned, actual, diff) and abs(actual - planned - diff) > Decimal("0.011"):  # type: ignore[operator]
            checks.append(
                f"progress {label}: printed difference {diff} ≠ actual {actual} − planned {planned}"
            )
    return checks


def _label(row: BudgetRow) -> str:
    phase = f"phase {row.phase} " if row.phase else ""
    return f"budget {phase}{row.year} (line {row.line})"


def _row_problems(row: BudgetRow) -> list[str]:
    problems = []
    parts = (row.realized_twd, row.payable_twd, row.surplus_twd, row.prepaid_twd)
    if row.executed_twd is not None and None not in parts:
        total = sum(p for p in parts if p is not None)
        if total != row.executed_twd:
            problems.append(
                f"執行數 {row.executed_twd // 1000:,} ≠ "
                f"實現數+應付未付+節餘+預付 {total // 1000:,} 千元"
            )
    rate = _ratio(row.executed_twd, row.allocated_twd)
    printed_rate = row.execution_rate_pct
    if rate is not None and printed_rate is not None and abs(rate - printed_rate) > _RATE_TOLERANCE:
        problems.append(f"執行率 printed {row.execution_rate_pct}% but G/B is {rate:.2f}%")
    if "000,000" in row.printed or " 00.00" in row.printed:
        problems.append("placeholder cells printed (000,000 / 00.00)")
    return problems


def _total_problems(rows: tuple[BudgetRow, ...]) -> list[str]:
    phases: dict[str | None, list[BudgetRow]] = defaultdict(list)
    phase: str | None = None
    for row in rows:
        phase = row.phase or phase
        phases[phase].append(row)
    problems = []
    for name, members in phases.items():
        years = [r for r in members if r.year != "total"]
        totals = [r for r in members if r.year == "total"]
        for total in totals:
            summed = sum(r.legal_twd or 0 for r in years)
            if years and total.legal_twd is not None and summed != total.legal_twd:
                problems.append(
                    f"budget phase {name} 總計 (line {total.line}): 法定特別預算 "
                    f"{total.legal_twd // 1000:,} ≠ sum of years {summed // 1000:,} 千元"
                )
    return problems


def _ratio(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)
