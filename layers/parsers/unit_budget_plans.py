"""Work plans, branch plans and budget items of a unit budget, with their sum checks."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from layers.parsers.unit_budget_entries import Entry, fmt_thousands, sum_values
from layers.parsers.unit_budget_tables import BranchRow, NotesSegment, WorkPlanRow
from layers.parsers.unit_budget_text import (
    AMOUNT,
    Item,
    Stream,
    amount_figure,
    names_match,
    parse_items,
)
from layers.records import Figure, RecordKind

__all__ = [
    "DESCRIPTOR",
    "PlanSet",
    "branch_entries",
    "check_plans",
    "merge_notes",
    "plan_entries",
]

#: Item names that describe the enclosing plan rather than name an item of it.
DESCRIPTOR: Final = re.compile(r"^(總經費|本年度)")
_THIS_YEAR: Final = re.compile(r"本年度(?:編列|續編(?:第\s*\d+\s*年經費)?)\s*([\d,]+\s*千元)")
_CHANGE: Final = re.compile(
    r"^[，,]\s*較上年度(減列|增列)\s*([\d,]+)\s*千元|計淨(增|減)\s*([\d,]+)\s*千元|與上年度同"
)


class PlanSet:
    """The entries read so far, by kind, with lookups by work plan."""

    def __init__(self) -> None:
        self.plans: dict[str, Entry] = {}
        self.branches: list[Entry] = []
        self.items: list[Entry] = []

    def branch(self, work_plan: str, name: str) -> Entry | None:
        """The branch plan of ``work_plan`` printed as ``name``."""
        return next(
            (b for b in self.branches if b.work_plan == work_plan and names_match(b.name, name)),
            None,
        )

    def item(self, work_plan: str, name: str) -> Entry | None:
        """The budget item of ``work_plan`` printed as ``name``."""
        return next(
            (i for i in self.items if i.work_plan == work_plan and names_match(i.name, name)), None
        )


def plan_entries(
    rows: list[WorkPlanRow], headers: list[tuple[str, str, str, int]], plans: PlanSet
) -> None:
    """One PLAN per work plan, from the 歲出機關別預算表 and the 提要 page headers."""
    for row in rows:
        entry = Entry(RecordKind.PLAN, row.name, row.line, row.line, text=row.name)
        entry.add_alias(f"{row.code} {row.name}")
        entry.figures += [
            amount_figure("amount", row.this_year, row.line),
            amount_figure("prior_year_amount", row.prior_year, row.line),
            amount_figure("change_from_prior_year", row.change, row.line),
        ]
        plans.plans[row.code] = entry
    for code, name, amount, line in headers:
        known = plans.plans.get(code)
        if known is None:
            known = Entry(RecordKind.PLAN, name, line, line, text=name)
            known.add_alias(f"{code} {name}")
            plans.plans[code] = known
        known.figures.append(amount_figure("amount", amount, line))


def branch_entries(branches: list[BranchRow], plans: PlanSet) -> None:
    """One BRANCH_PLAN per branch row and one BUDGET_ITEM per named item of its 說明."""
    for row in branches:
        entry = Entry(
            RecordKind.BRANCH_PLAN,
            row.name,
            row.line,
            row.last_line,
            text=row.notes.text or row.row,
            work_plan=row.work_plan,
        )
        entry.add_alias(f"{row.code} {row.name}")
        entry.agencies += row.agencies
        entry.figures.append(amount_figure("amount", row.amount, row.line))
        plans.branches.append(entry)
        items = [i for i in parse_items(row.notes.text) if not DESCRIPTOR.match(i.name)]
        entries = [_item_entry(item, row, entry) for item in items]
        plans.items += entries
        _this_year_mentions(row.notes, items, entry, entries)
        _check_items(row.notes, items, entries, entry)


def _item_entry(item: Item, row: BranchRow, branch: Entry) -> Entry:
    first, last = row.notes.span_lines(item.start, item.end)
    entry = Entry(
        RecordKind.BUDGET_ITEM,
        item.name,
        first,
        last,
        text=row.notes.text[item.start : item.end].strip(),
        work_plan=row.work_plan,
        program=branch.name,
    )
    entry.figures += [
        amount_figure("amount", printed, row.notes.line_at(at)) for printed, at in item.amounts
    ]
    return entry


def _this_year_mentions(
    stream: Stream, items: list[Item], branch: Entry, entries: list[Entry]
) -> None:
    """``本年度編列…千元`` in a 說明 is the amount of its item, or else of the branch plan."""
    for match in _THIS_YEAR.finditer(stream.text):
        figure = amount_figure("amount", match.group(0), stream.line_at(match.start(1)))
        owner = next(
            (
                e
                for i, e in zip(items, entries, strict=True)
                if i.level == 1 and i.start <= match.start() < i.end
            ),
            branch,
        )
        if figure.printed not in {f.printed for f in owner.figures}:
            owner.figures.append(figure)


def _check_items(stream: Stream, items: list[Item], entries: list[Entry], branch: Entry) -> None:
    """Flag items that do not add up to their branch plan, and sub-items to their item."""
    top = [e for i, e in zip(items, entries, strict=True) if i.level == 1]
    numbers = [i.number for i in items if i.level == 1]
    if len(top) < 2:
        return
    if numbers[0] > 1:
        branch.add_check(
            f"the 說明 starts at item {numbers[0]}: items 1–{numbers[0] - 1} are not printed"
        )
    total = sum_values([f for e in top for f in e.values("amount")[: _heads(e)]])
    printed = branch.values("amount")[0].value
    if total is not None and printed is not None and total != printed:
        branch.add_check(
            f"its {len(top)} items add up to {fmt_thousands(total)}千元, "
            f"not the printed {fmt_thousands(printed)}千元"
        )
    for index, (item, entry) in enumerate(zip(items, entries, strict=True)):
        subs = [e for i, e in zip(items, entries, strict=True) if i.parent == index]
        sub_total = sum_values([f for e in subs for f in e.values("amount")[:1]])
        own = sum_values(entry.values("amount")[: len(item.amounts)])
        if subs and sub_total is not None and own is not None and sub_total != own:
            entry.add_check(
                f"its {len(subs)} sub-items add up to {fmt_thousands(sub_total)}千元, "
                f"not the printed {fmt_thousands(own)}千元"
            )


def _heads(entry: Entry) -> int:
    """How many of an item's amount figures were printed in its head."""
    return sum(1 for f in entry.values("amount") if not f.printed.startswith("本年度"))


def merge_notes(stream: Stream, segments: list[NotesSegment], plans: PlanSet) -> None:
    """Add the work-plan 說明 (歲出機關別預算表) to the plans, branch plans and items it names."""
    for segment in segments:
        plan = next(
            (
                p
                for p in plans.plans.values()
                if p.values("amount") and p.values("amount")[0].printed == segment.amount
            ),
            None,
        )
        if plan is None:
            continue
        head = AMOUNT.search(stream.text, segment.start, segment.end)
        if head:
            plan.figures.append(
                amount_figure("amount", head.group(0), stream.line_at(head.start()))
            )
        first, last = stream.span_lines(segment.start, segment.end)
        plan.first_line, plan.last_line = min(plan.first_line, first), max(plan.last_line, last)
        plan.text = stream.text[segment.start : segment.end].strip()
        _merge_note_items(stream, segment, plan, plans)


def _merge_note_items(stream: Stream, segment: NotesSegment, plan: Entry, plans: PlanSet) -> None:
    items = parse_items(stream.text, segment.start, segment.end, notes=True)
    owners: list[Entry | None] = []
    for index, item in enumerate(items):
        name = re.sub(r"總經費$", "", item.name)
        own_end = items[index + 1].start if index + 1 < len(items) else item.end
        parent = owners[item.parent] if item.parent is not None else None
        if item.level == 1:
            owner = plans.branch(plan.name, name) or plans.item(plan.name, name)
        else:
            owner = plans.item(plan.name, name)
        if owner is None:
            owner = _new_note_item(stream, item, name, plan, parent)
            plans.items.append(owner)
        owner.add_alias(name)
        owner.figures += _note_figures(stream, item, min(own_end, item.end))
        owners.append(owner)
    _check_note_items(items, owners)


def _new_note_item(
    stream: Stream, item: Item, name: str, plan: Entry, parent: Entry | None
) -> Entry:
    first, last = stream.span_lines(item.start, item.end)
    return Entry(
        RecordKind.BUDGET_ITEM,
        name,
        first,
        last,
        text=stream.text[item.start : item.end].strip(),
        work_plan=plan.name,
        program=parent.name if parent is not None else None,
    )


def _note_figures(stream: Stream, item: Item, end: int) -> list[Figure]:
    """This year's amount of a 說明 item and its change from last year, as printed.

    ``end`` is where the item's own text ends and its first sub-item begins.
    """
    text = stream.text
    this_year = _THIS_YEAR.search(text, item.start, end)
    if this_year is not None:
        printed, at = this_year.group(0), this_year.start(1)
    elif item.amounts:
        printed, at = item.amounts[0]
    else:
        return []
    figures = [amount_figure("amount", printed, stream.line_at(at))]
    after = text.find("千元", at) + 2
    change = _CHANGE.search(text, after, end)
    if change is not None and (
        change.start() == after or change.group(3) or change.group(0) == "與上年度同"
    ):
        figures.append(_change_figure(change, stream.line_at(change.start())))
    return figures


def _change_figure(match: re.Match[str], line: int) -> Figure:
    """A change from last year; 減列 and 淨減 are printed as amounts and read as negative."""
    printed = match.group(0).lstrip("，, ")
    if printed == "與上年度同":
        return Figure("change_from_prior_year", Decimal(0), "千元", printed, line, 0)
    figure = amount_figure("change_from_prior_year", printed, line)
    sign = match.group(1) or match.group(3)
    if sign in {"減列", "減"} and figure.value is not None and figure.twd is not None:
        return Figure(figure.what, -figure.value, figure.unit, printed, line, -figure.twd)
    return figure


def _check_note_items(items: list[Item], owners: list[Entry | None]) -> None:
    for index, (item, owner) in enumerate(zip(items, owners, strict=True)):
        subs = [o for i, o in zip(items, owners, strict=True) if i.parent == index and o]
        if item.level != 1 or not subs or owner is None:
            continue
        total = sum_values([s.values("amount")[-1] for s in subs])
        own = owner.values("amount")[-1].value if owner.values("amount") else None
        if total is not None and own is not None and total != own:
            owner.add_check(
                f"the work-plan 說明 parts add up to {fmt_thousands(total)}千元, "
                f"not the printed {fmt_thousands(own)}千元"
            )


def check_plans(plans: PlanSet) -> None:
    """Flag work plans whose figures disagree among themselves or with their branch plans."""
    for plan in plans.plans.values():
        _check_same_amount(plan)
        _check_difference(plan)
        _check_branch_sum(plan, [b for b in plans.branches if b.work_plan == plan.name])
    for branch in plans.branches:
        _check_same_amount(branch)


def _check_same_amount(entry: Entry) -> None:
    amounts = entry.values("amount")
    if len({f.value for f in amounts}) > 1:
        entry.add_check(
            "its amount is printed differently: "
            + ", ".join(f"{f.printed} (line {f.line})" for f in amounts)
        )


def _check_difference(plan: Entry) -> None:
    """This year − last year must be the printed difference."""
    this, prior, change = (
        plan.values(w) for w in ("amount", "prior_year_amount", "change_from_prior_year")
    )
    if not (this and prior and change):
        return
    a, b, c = this[0].value, prior[0].value, change[0].value
    if a is not None and b is not None and c is not None and a - b != c:
        plan.add_check(
            f"this year {this[0].printed} − last year {prior[0].printed} "
            f"is not the printed difference {change[0].printed}"
        )


def _check_branch_sum(plan: Entry, branches: list[Entry]) -> None:
    if not branches or not plan.values("amount"):
        return
    total = sum_values([b.values("amount")[0] for b in branches])
    own = plan.values("amount")[0].value
    if total is not None and own is not None and total != own:
        plan.add_check(
            f"its {len(branches)} branch plans add up to {fmt_thousands(total)}千元, "
            f"not the printed {fmt_thousands(own)}千元"
        )
