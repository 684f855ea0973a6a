"""The tables of a unit budget, read as printed: work plans, branch plans, multi-year plans.

Three tables are read:

* 歲出機關別預算表: one row per work plan (code, name, this year, last year, difference)
  and the 說明 text that compares them with last year;
* 歲出計畫提要及分支計畫概況表: a page header per work plan (``工作計畫名稱及編號``) and rows
  of branch plans (``01 name``), object classes (``2000 業務費``) and a 說明 column that
  runs on across rows and pages;
* 跨年期計畫概況表: one row per multi-year plan, in 億元.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from layers.numbers import BLANK_CELLS
from layers.parsers.unit_budget_text import Stream, clean_cell, names_match, parse_decimal
from layers.records import Document, Problem

__all__ = [
    "BranchRow",
    "MultiYearRow",
    "NotesSegment",
    "WorkPlanRow",
    "read_branch_plans",
    "read_budget_year",
    "read_multi_year_table",
    "read_work_plan_notes",
    "read_work_plans",
]

_CODE_CELL: Final = re.compile(r"^(\d{10})\s*(\S.*)$")
_BRANCH_CELL: Final = re.compile(r"^(\d{2})\s+(\S.*)$")
_OBJECT_CELL: Final = re.compile(r"^\d{4}\s+\S")
_YEAR: Final = re.compile(r"中華民國\s*(\d{2,3})\s*年度")
_BRANCH_START: Final = re.compile(r"^(本項|本年度|1\s?[.．、])")
_PAGE_HEADINGS: Final = ("經濟部", "**", "歲出", "中華民國", "單位：", "經資門", "本 頁", "附 屬")
_NOTES_YEAR: Final = re.compile(r"1\s?[.．]\s?本年度預算數\s*([\d,]+)\s*千元")


@dataclass(frozen=True, slots=True)
class WorkPlanRow:
    """A work plan row of the 歲出機關別預算表, amounts as printed (千元)."""

    code: str
    name: str
    line: int
    this_year: str
    prior_year: str
    change: str


@dataclass(slots=True)
class BranchRow:
    """A branch plan of the 分支計畫概況表 with its agencies and its 說明 text."""

    work_plan_code: str
    work_plan: str
    code: str
    name: str
    amount: str
    line: int
    last_line: int
    row: str = ""
    agencies: list[str] = field(default_factory=list)
    notes: Stream = field(default_factory=Stream)


@dataclass(frozen=True, slots=True)
class NotesSegment:
    """The part of the work-plan 說明 that belongs to one work plan."""

    amount: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MultiYearRow:
    """A row of the 跨年期計畫概況表 (amounts in 億元)."""

    name: str
    line: int
    period: str
    total_required: str
    years: tuple[tuple[str, str], ...]
    remarks: str


def read_budget_year(document: Document) -> int | None:
    """The ROC year the document budgets for: the year its page headings name most often."""
    years = Counter(int(m.group(1)) for line in document.lines for m in _YEAR.finditer(line))
    return years.most_common(1)[0][0] if years else None


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _is_amount(cell: str) -> bool:
    return cell in BLANK_CELLS or parse_decimal(cell) is not None


def _section(document: Document, title: str, end_titles: tuple[str, ...]) -> range:
    """Line indexes (0-based) from a section title printed alone to the next end title."""
    start = next(
        (i for i, line in enumerate(document.lines) if title in line and "\t" not in line), None
    )
    if start is None:
        return range(0)
    for stop in range(start + 1, len(document.lines)):
        if any(t in document.lines[stop] and "\t" not in document.lines[stop] for t in end_titles):
            return range(start, stop)
    return range(start, len(document.lines))


def read_work_plans(document: Document) -> tuple[list[WorkPlanRow], list[Problem]]:
    """Work plan rows of the 歲出機關別預算表; a row with amounts but no name is a problem."""
    rows: list[WorkPlanRow] = []
    problems: list[Problem] = []
    for index in _section(document, "歲出機關別預算表", ("歲入項目說明提要表", "附 屬 表")):
        cells = _cells(document.lines[index])
        if len(cells) < 4:
            continue
        at = next((i for i, cell in enumerate(cells) if _CODE_CELL.match(cell)), None)
        if at is None:
            numbers = [c for c in cells if c and parse_decimal(c) is not None and "," in c]
            if len(numbers) >= 2:
                problems.append(
                    Problem(
                        document.name,
                        index + 1,
                        "歲出機關別預算表: a row has amounts "
                        f"({' '.join(numbers)}) but no code or name",
                    )
                )
            continue
        match = _CODE_CELL.match(cells[at])
        amounts = cells[at + 1 : at + 4]
        if match is None or len(amounts) < 3 or not all(_is_amount(a) for a in amounts):
            continue
        code, name = match.groups()
        if code.endswith("00") and not code.endswith("00000") and not code.startswith("00"):
            rows.append(WorkPlanRow(code, name.strip(), index + 1, *amounts))
    return rows, problems


def read_work_plan_notes(document: Document) -> tuple[Stream, list[NotesSegment]]:
    """The 說明 of the 歲出機關別預算表 as one text, cut where each work plan's part begins."""
    stream = Stream()
    breaks: list[int] = []
    for index in _section(document, "歲出機關別預算表", ("歲入項目說明提要表", "附 屬 表")):
        line = document.lines[index]
        cells = _cells(line)
        if len(cells) == 1:
            if line.strip() and not line.strip().startswith(_PAGE_HEADINGS):
                stream.add(line, index + 1)
            continue
        at = next((i for i, cell in enumerate(cells) if _CODE_CELL.match(cell)), None)
        first_number = next((i for i, c in enumerate(cells) if "," in c and _is_amount(c)), None)
        if at is None and first_number is None:
            continue
        if _is_other_row(cells, at):
            breaks.append(len(stream.text))
        notes_from = (at + 4) if at is not None else (first_number or 0) + 3
        stream.add(" ".join(cells[notes_from:]), index + 1)
    return stream, _segments(stream.text, breaks)


def _is_other_row(cells: list[str], at: int | None) -> bool:
    """Whether a row's 說明 belongs to no work plan: a 節 row, a row with no code or amount."""
    match = _CODE_CELL.match(cells[at]) if at is not None else None
    if match is None:
        return True
    this_year = cells[at + 1] if at is not None and len(cells) > at + 1 else ""
    return not match.group(1).endswith("00") or this_year in BLANK_CELLS


def _segments(text: str, breaks: list[int]) -> list[NotesSegment]:
    """Cut the notes where ``1. 本年度預算數…千元`` opens a work plan's part."""
    starts = list(_NOTES_YEAR.finditer(text))
    segments: list[NotesSegment] = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        end = min([end, *(b for b in breaks if b > match.start())])
        segments.append(NotesSegment(amount=match.group(1), start=match.start(), end=end))
    return segments


def read_branch_plans(
    document: Document,
) -> tuple[list[BranchRow], list[tuple[str, str, str, int]]]:
    """Branch plans of the 歲出計畫提要及分支計畫概況表, and each work plan page header.

    Returns the branch plans and, per work plan, its code, name, printed amount and the line
    of its first page header.
    """
    branches: list[BranchRow] = []
    headers: dict[str, tuple[str, str, str, int]] = {}
    work_plan: tuple[str, str, str, int] | None = None
    in_table = False
    for index, line in enumerate(document.lines):
        cells = _cells(line)
        if cells[0] == "工作計畫名稱及編號" and "預算金額" in cells:
            work_plan = _work_plan_header(cells, index + 1)
            if work_plan is not None:
                headers.setdefault(work_plan[0], work_plan)
            in_table = False
        elif cells[0].startswith("分支計畫及用途別科目") and work_plan is not None:
            in_table = True
        elif in_table and work_plan is not None:
            if len(cells) == 1:
                in_table = not line.strip().startswith(_PAGE_HEADINGS) and in_table
                continue
            _read_branch_row(cells, index + 1, work_plan, branches)
    return branches, list(headers.values())


def _work_plan_header(cells: list[str], line: int) -> tuple[str, str, str, int] | None:
    match = _CODE_CELL.match(cells[1]) if len(cells) > 1 else None
    at = cells.index("預算金額")
    amount = next((c for c in cells[at + 1 :] if c), "")
    if match is None:
        return None
    return match.group(1), match.group(2).strip(), amount, line


def _read_branch_row(
    cells: list[str], line: int, work_plan: tuple[str, str, str, int], branches: list[BranchRow]
) -> None:
    """Add one table row: a new branch plan, or more agencies and 說明 for the current one."""
    padded = [*cells, "", "", ""]
    first, amount, agency, notes = padded[0], padded[1], padded[2], " ".join(padded[3:]).strip()
    if notes and all(_is_amount(cell) for cell in notes.split()):
        return  # a row of numbers: another table, not the 說明 column
    current = branches[-1] if branches and branches[-1].work_plan_code == work_plan[0] else None
    match = _BRANCH_CELL.match(first)
    if match and not _OBJECT_CELL.match(first) and _is_amount(amount):
        code, name = match.group(1), match.group(2).strip()
        branch = BranchRow(
            work_plan[0], work_plan[1], code, name, amount, line, line, row="\t".join(cells[:3])
        )
        branch.agencies.extend(a for a in re.split(r"[、，,]", agency) if a.strip())
        starts_own = bool(_BRANCH_START.match(clean_cell(notes))) or names_match_in(
            branch.name, notes
        )
        if current is not None and notes and not starts_own:
            current.notes.add(notes, line)
            current.last_line = line
        else:
            branch.notes.add(notes, line)
        branches.append(branch)
        return
    if current is None:
        return
    if agency.startswith("、"):
        current.agencies.extend(a for a in agency.split("、") if a.strip())
    if notes:
        current.notes.add(notes, line)
    current.last_line = line


def names_match_in(name: str, text: str) -> bool:
    """Whether ``text`` opens by naming ``name`` (``X計畫係行政院…核定辦理``)."""
    head = clean_cell(text).split("係", 1)[0]
    return bool(head) and names_match(head, name)


def read_multi_year_table(document: Document) -> tuple[list[MultiYearRow], list[Problem]]:
    """Rows of the 跨年期計畫概況表; a row whose amounts cannot be read is a problem."""
    rows: list[MultiYearRow] = []
    problems: list[Problem] = []
    headers: list[str] = []
    for index in _section(document, "跨年期計畫概況表", ("委 辦 計 畫", "委辦經費分析表")):
        cells = _cells(document.lines[index])
        if len(cells) < 7:
            continue
        if not cells[0] and "年度" in cells[3]:
            headers = [_unspace(c) for c in cells[3:7]]
            continue
        if not re.fullmatch(r"\d{2,3}\s*-\s*\d{2,3}", cells[1]):
            continue
        amounts = cells[2:7]
        if not all(_is_amount(a) for a in amounts):
            problems.append(
                Problem(
                    document.name, index + 1, f"跨年期計畫概況表: cannot read amounts {amounts}"
                )
            )
            continue
        labels = headers or [f"column {i}" for i in range(1, 5)]
        rows.append(
            MultiYearRow(
                name=_unspace(cells[0]),
                line=index + 1,
                period=cells[1].replace(" ", ""),
                total_required=amounts[0],
                years=tuple(zip(labels, amounts[1:], strict=False)),
                remarks=_unspace(" ".join(cells[7:])),
            )
        )
    return rows, problems


def _unspace(text: str) -> str:
    """A cell with the line breaks of its PDF box removed (kept only between Latin words)."""
    return re.sub(r"(?<![A-Za-z])\s+|\s+(?![A-Za-z])", "", clean_cell(text))
