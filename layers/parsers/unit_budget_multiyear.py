"""Multi-year plans (跨年期計畫) of a unit budget, from the 說明 text and the 跨年期計畫概況表."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from layers.numbers import roc_year
from layers.parsers.unit_budget_entries import Entry, fmt_thousands, sum_values
from layers.parsers.unit_budget_plans import DESCRIPTOR, PlanSet
from layers.parsers.unit_budget_tables import BranchRow, MultiYearRow, NotesSegment
from layers.parsers.unit_budget_text import (
    MultiYearMention,
    Stream,
    amount_figure,
    find_multi_year,
    names_match,
    parse_items,
)
from layers.records import Figure, RecordKind

__all__ = ["multi_year_entries"]

_HALF_CENT_YI: Final = Decimal("0.005")  # half the last printed digit of an amount in 億元
_APPROVED: Final = re.compile(r"核定總經費\s*([\d,.]+)\s*億元")
_OPENS_WITH_NAME: Final = re.compile(r"^(\S+?計畫)係")


@dataclass(frozen=True, slots=True)
class _Found:
    """A multi-year sentence and the plan it belongs to."""

    name: str
    alias: str | None
    work_plan: str
    program: str | None
    stream: Stream
    mention: MultiYearMention
    span: tuple[int, int]


def multi_year_entries(
    branches: list[BranchRow],
    notes: tuple[Stream, list[NotesSegment]],
    table: list[MultiYearRow],
    plans: PlanSet,
) -> list[Entry]:
    """One MULTI_YEAR_PLAN per plan, whether printed in a 說明, in the table, or in both."""
    entries: list[Entry] = []
    for found in [*_in_branches(branches), *_in_notes(*notes, plans)]:
        entry = next((e for e in entries if _same(e, found.name)), None)
        if entry is None:
            entry = _new_entry(found)
            entries.append(entry)
        entry.add_alias(found.name)
        if found.alias:
            entry.add_alias(found.alias)
        entry.figures += _text_figures(found)
        if found.mention.prior_from and entry.period_start is None:
            entry.period_start = date(roc_year(found.mention.prior_from), 1, 1)
    for row in table:
        entry = next((e for e in entries if _same(e, row.name)), None)
        if entry is None:
            text = f"{row.name} {row.period} {row.total_required} {row.remarks}"
            entry = Entry(RecordKind.MULTI_YEAR_PLAN, row.name, row.line, row.line, text=text)
            entries.append(entry)
        _add_table_row(entry, row)
    for entry in entries:
        _check(entry)
    return entries


def _same(entry: Entry, name: str) -> bool:
    return any(names_match(known, name) for known in [entry.name, *entry.aliases])


def _in_branches(branches: list[BranchRow]) -> list[_Found]:
    """Multi-year sentences of the branch plans' 說明: of a named item, or of the branch."""
    found: list[_Found] = []
    for row in branches:
        text = row.notes.text
        items = [i for i in parse_items(text) if i.level == 1 and not DESCRIPTOR.match(i.name)]
        opening = _OPENS_WITH_NAME.match(text)
        for mention in find_multi_year(text):
            item = next((i for i in items if i.start <= mention.start < i.end), None)
            if item is not None:
                name, alias, program, span = item.name, None, row.name, (item.start, item.end)
            else:
                name, program, span = row.name, row.name, (0, len(text))
                alias = opening.group(1) if opening else None
            found.append(_Found(name, alias, row.work_plan, program, row.notes, mention, span))
    return found


def _in_notes(stream: Stream, segments: list[NotesSegment], plans: PlanSet) -> list[_Found]:
    """Multi-year sentences of the work-plan 說明: the plan is named just before 總經費."""
    found: list[_Found] = []
    for segment in segments:
        plan = next(
            (
                p
                for p in plans.plans.values()
                if p.values("amount") and p.values("amount")[0].printed == segment.amount
            ),
            None,
        )
        for mention in find_multi_year(stream.text, segment.start, segment.end):
            opened = max(stream.text.rfind(mark, segment.start, mention.start) for mark in ")>）")
            name = stream.text[opened + 1 : mention.start].strip()
            if not name or plan is None:
                continue
            end = stream.text.find("。", mention.end, segment.end)
            span = (opened + 1, end + 1 if end >= 0 else mention.end)
            branch = plans.branch(plan.name, name)
            found.append(
                _Found(
                    name, None, plan.name, branch.name if branch else None, stream, mention, span
                )
            )
    return found


def _new_entry(found: _Found) -> Entry:
    first, last = found.stream.span_lines(*found.span)
    return Entry(
        RecordKind.MULTI_YEAR_PLAN,
        found.name,
        first,
        last,
        text=found.stream.text[found.span[0] : found.span[1]].strip(),
        work_plan=found.work_plan,
        program=found.program,
    )


def _text_figures(found: _Found) -> list[Figure]:
    mention, stream = found.mention, found.stream
    prior_years = f"{mention.prior_from}-{mention.prior_to}"
    figures = [
        amount_figure("total_cost", mention.total[0], stream.line_at(mention.total[1])),
        amount_figure(
            f"budgeted_prior_years:{prior_years}",
            mention.prior[0],
            stream.line_at(mention.prior[1]),
        ),
        amount_figure("this_year", mention.this_year[0], stream.line_at(mention.this_year[1])),
    ]
    if mention.years is not None:
        figures.append(
            Figure(
                "duration_years",
                Decimal(mention.years),
                "年",
                f"分{mention.years}年",
                stream.line_at(mention.start),
            )
        )
    return figures


def _add_table_row(entry: Entry, row: MultiYearRow) -> None:
    """The table's figures (億元), its 執行期間 as the period, and the approved total."""
    entry.add_alias(row.name)
    entry.figures.append(amount_figure("total_required", row.total_required, row.line, unit="億元"))
    for label, printed in row.years:
        entry.figures.append(amount_figure(_column(label), printed, row.line, unit="億元"))
    approved = _APPROVED.search(row.remarks)
    if approved:
        entry.figures.append(amount_figure("total_cost", approved.group(0), row.line, unit="億元"))
    start, end = (int(year) for year in row.period.split("-"))
    entry.period_start = date(roc_year(start), 1, 1)
    entry.period_end = date(roc_year(end), 12, 31)


def _column(label: str) -> str:
    """What a year column of the table measures, its ROC years after the colon."""
    years = re.findall(r"\d{2,3}", label)
    year = years[0] if years else "?"
    if "及以前" in label:
        return f"budgeted_prior_years:-{year}"
    if "及以後" in label:
        return f"future_need:{year}-"
    return f"budgeted_year:{year}"


def _check(entry: Entry) -> None:
    """Flag sums that overrun the total and text and table figures that disagree."""
    total, prior, this = (
        _kilo(entry, w) for w in ("total_cost", "budgeted_prior_years", "this_year")
    )
    if total and prior and this and prior[0] + this[0] > total[0]:
        entry.add_check(
            f"已編列 {fmt_thousands(prior[0])}千元 + 本年度 {fmt_thousands(this[0])}千元 "
            f"exceeds 總經費 {fmt_thousands(total[0])}千元"
        )
    for what in ("total_cost", "budgeted_prior_years", "this_year"):
        _check_units_agree(entry, what)
    _check_table_sum(entry)
    _check_duration(entry)


def _kilo(entry: Entry, what: str) -> list[Decimal]:
    """Values (in 千元) of the text figures measuring ``what``."""
    return [
        f.value
        for f in entry.figures
        if f.what.split(":")[0] == what and f.unit == "千元" and f.value is not None
    ]


def _check_units_agree(entry: Entry, what: str) -> None:
    """A 千元 figure and the table's 億元 figures must agree to the table's rounding."""
    texts = _kilo(entry, what)
    table = [
        f
        for f in entry.figures
        if f.unit == "億元"
        and f.value is not None
        and (
            f.what.split(":")[0] == what
            or (what == "budgeted_prior_years" and _before_this_year(f, entry))
        )
    ]
    if what == "this_year":
        table = [f for f in table if f.what.startswith("this_year")] or _this_year_column(entry)
    if not texts or not table:
        return
    yi = sum_values(table)
    if yi is None:
        return
    for value in set(texts):
        if abs(value / 100_000 - yi) > _HALF_CENT_YI * len(table):
            entry.add_check(
                f"the 說明 prints {what} {fmt_thousands(value)}千元 but the 跨年期計畫概況表 "
                f"prints {yi}億元"
            )


def _before_this_year(figure: Figure, entry: Entry) -> bool:
    """Whether a table column counts years before the one this entry's text budgets."""
    this_years = [
        f for f in entry.figures if f.what.startswith("budgeted_prior_years:") and f.unit == "千元"
    ]
    if not this_years or not figure.what.startswith(("budgeted_prior_years:", "budgeted_year:")):
        return False
    last_prior = int(this_years[0].what.rsplit("-", 1)[1])
    year = int(re.findall(r"\d+", figure.what)[0])
    return year <= last_prior


def _this_year_column(entry: Entry) -> list[Figure]:
    """The table's column for the year after the text's 已編列 years."""
    prior = [
        f for f in entry.figures if f.what.startswith("budgeted_prior_years:") and f.unit == "千元"
    ]
    if not prior:
        return []
    year = int(prior[0].what.rsplit("-", 1)[1]) + 1
    return [f for f in entry.figures if f.what == f"budgeted_year:{year}" and f.value is not None]


def _check_table_sum(entry: Entry) -> None:
    columns = [
        f
        for f in entry.figures
        if f.unit == "億元" and f.what != "total_required" and f.what != "total_cost"
    ]
    required = [f for f in entry.figures if f.what == "total_required" and f.value is not None]
    if not columns or not required:
        return
    total = sum((f.value for f in columns if f.value is not None), Decimal(0))
    if abs(total - required[0].value) > _HALF_CENT_YI * len(columns):  # type: ignore[operator]
        entry.add_check(
            f"the table's yearly amounts add up to {total}億元, not the printed "
            f"經費需求總額 {required[0].printed}億元"
        )


def _check_duration(entry: Entry) -> None:
    durations = [f for f in entry.figures if f.what == "duration_years" and f.value is not None]
    if not durations or entry.period_start is None or entry.period_end is None:
        return
    years = entry.period_end.year - entry.period_start.year + 1
    if durations[0].value != years:
        entry.add_check(
            f"the 說明 says {durations[0].printed}辦理 but the period runs "
            f"{entry.period_start.year}–{entry.period_end.year} ({years} years)"
        )
