"""The 特別預算執行情形 tables of the performance review, read row by row.

A table prints, per phase (期別), one row per year and a 總計 row, with the columns
法定特別預算 (A), 分配數 (B), 實現數 (C), 支用比 (C/B), 已執行應付未付數 (D), 節餘數 (E),
預付數 (F), 執行數 (G)=(C+D+E+F), 執行率 (G/B), 達成率 (G/A) and 是否尚有保留款待執行, in 千元.
The PDF text breaks rows across lines, moves the 是/否 of the merged last column to the start
or end of a neighbouring row, prints blank cells as ``-``, ``--`` or nothing at all, and prints
``同(A)`` for B = A and ``同執行率`` for 達成率 = 執行率. Every value is kept as printed; checks
on the table's own arithmetic are reported, never fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from geo.errors import ParseError
from layers.numbers import BLANK_CELLS, amount_to_twd, parse_number, roc_year
from layers.parsers.pages import is_page_footer
from layers.records import BudgetRow

__all__ = ["BudgetTable", "find_budget_tables", "parse_budget_table"]

# A row may open with the 是/否 of the phase above, with its note: 是(110年將執行完畢) 109 …
_ROW_START = re.compile(
    r"^\s*(?:([是否])(?:\s*[(（][^()（）]*[)）])?\s+)?(?:(\d{1,2})\s+)?(1\d\d|總計)(?=\s|$)(.*)$"
)
_PHASE_ONLY = re.compile(r"^\s*(?:([是否])\s+)?(\d{1,2})\s*$")
_CONTINUATION = re.compile(r"^(?:[\s\d,.\-同執行率是否()（）A]*|[(（]?[\u4e00-\u9fff]{2,6}[:：])$")
# A 是/否 whose note the PDF broke before its closing bracket: 是(110年將
_OPEN_NOTE = re.compile(r"^[是否]\s*[(（][^()（）]*$")
# A line with three or more numbers looks like a row: one not read is reported, never dropped.
_ROW_LIKE = re.compile(r"(?:\d[\d,.]*\s+){2,}\d")
_SUBTABLE = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[)）]\s*(.+)$")
_SAME_AS_A = "同(A)"
_SAME_AS_RATE = "同執行率"
_COLUMN_LABELS = {
    "legal": ("法定",),
    "allocated": ("分配數",),
    "realized": ("實現數",),
    "spend_ratio": ("支用比", "支用"),
    "payable": ("應付",),
    "surplus": ("節餘",),
    "prepaid": ("預付",),
    "executed": ("執行數",),
    "execution_rate": ("執行率",),
    "achievement": ("達成率",),
}
_RESERVE_NOTE = re.compile(r"\s(保\s*留[\s\S]*)$")
_BREAKDOWN = re.compile(r"[(（][^()（）]*[:：][^()（）]*[)）]")


@dataclass(frozen=True, slots=True)
class BudgetTable:
    """One budget table: the main one of a section (``agency`` None) or a sub-table."""

    agency: str | None
    plan: str | None
    first_line: int
    last_line: int
    rows: tuple[BudgetRow, ...]
    problems: tuple[tuple[int, str], ...]


def find_budget_tables(
    lines: list[tuple[int, str]],
) -> list[tuple[str | None, list[tuple[int, str]]]]:
    """Split a section's budget part into tables at each ``經費單位：千元``.

    ``lines`` are (line number, text) pairs. Returns, per table, the sub-table caption printed
    just before it (``(一) 經濟部工業局「…」``) or ``None``, and the table's lines.
    """
    tables: list[tuple[str | None, list[tuple[int, str]]]] = []
    caption: str | None = None
    for number, text in lines:
        sub = _SUBTABLE.match(text)
        if sub and "「" in text:
            caption = sub.group(2).strip()
            continue
        if "經費單位" in text:
            tables.append((caption, []))
            caption = None
            continue
        if tables:
            tables[-1][1].append((number, text))
    return tables


def parse_budget_table(caption: str | None, lines: list[tuple[int, str]]) -> BudgetTable:
    """Read every row of one table; rows are kept in printed order."""
    agency, plan = _caption_parts(caption)
    first = lines[0][0] if lines else 0
    last = lines[-1][0] if lines else 0
    header, body = _split_header(lines)
    columns = _columns(header)
    if len(columns) < 2:
        return BudgetTable(
            agency, plan, first, last, (), ((first, "budget table header not read"),)
        )
    rows: list[BudgetRow] = []
    groups, unread = _group_rows(body)
    problems = [
        (number, f"budget table line not read as a row: {text!r}") for number, text in unread
    ]
    for phase, reserve, chunk in groups:
        for number, text in chunk:
            try:
                rows.append(
                    _row(number, text, columns, phase=phase, reserve=reserve, agency=agency)
                )
            except ParseError as exc:
                problems.append((number, f"budget row not read: {exc}"))
    return BudgetTable(agency, plan, first, last, tuple(rows), tuple(problems))


def _split_header(lines: list[tuple[int, str]]) -> tuple[str, list[tuple[int, str]]]:
    """The header text (whitespace removed) and the lines after it."""
    for index, (_, text) in enumerate(lines):
        if _ROW_START.match(text.strip()) or _PHASE_ONLY.match(text.strip()):
            header = "".join(t for _, t in lines[:index])
            return re.sub(r"\s+", "", header), lines[index:]
    return re.sub(r"\s+", "", "".join(t for _, t in lines)), []


def _columns(header: str) -> list[str]:
    """The value columns the header prints, in order."""
    found = []
    for column, labels in _COLUMN_LABELS.items():
        positions = [header.find(label) for label in labels if label in header]
        if positions:
            found.append((min(positions), column))
    return [column for _, column in sorted(found)]


def _caption_parts(caption: str | None) -> tuple[str | None, str | None]:
    if caption is None:
        return None, None
    match = re.match(r"(.*?)「(.+?)」", caption)
    if not match:
        return caption, None
    return match.group(1).strip() or None, match.group(2).strip()


def _group_rows(
    lines: list[tuple[int, str]],
) -> tuple[list[tuple[str | None, bool | None, list[tuple[int, str]]]], list[tuple[int, str]]]:
    """Group printed lines into phases of rows, each row with its continuation lines joined;
    and the lines that look like rows but could not be read as one."""
    phases: list[tuple[str | None, list[str], list[tuple[int, str]]]] = []
    unread: list[tuple[int, str]] = []
    for number, text in _joined(lines):
        phase_only = _PHASE_ONLY.match(text)
        if phase_only and phases and phases[-1][2] and phases[-1][2][-1][1].endswith((".", ",")):
            phase_only = None  # the digits of a number the PDF broke, not a phase
        start = _ROW_START.match(text)
        if phase_only:
            _flag(phases, phase_only.group(1))
            phases.append((phase_only.group(2), [], []))
        elif start:
            flag, phase, year, rest = start.groups()
            _flag(phases, flag)
            if phase or not phases:
                phases.append((phase, [], []))
            phases[-1][2].append((number, f"{year}{rest}"))
        elif phases and phases[-1][2] and _CONTINUATION.match(text):
            row_number, row_text = phases[-1][2][-1]
            phases[-1][2][-1] = (row_number, f"{row_text} {text}")
        elif _ROW_LIKE.search(text):
            unread.append((number, text))
    return [(phase, _reserve(flags, rows), rows) for phase, flags, rows in phases], unread


def _joined(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Stripped lines without page footers; a 是/否 whose note the PDF broke over two lines
    (``是(110年將`` above ``執行完畢) 109 …``) is joined to the line that closes it."""
    joined: list[tuple[int, str]] = []
    held: tuple[int, str] | None = None
    for number, raw in lines:
        text = raw.strip()
        if not text or is_page_footer(text):
            continue
        if held is not None:
            number, text = held[0], f"{held[1]}{text}"
            held = None
        if _OPEN_NOTE.match(text):
            held = (number, text)
            continue
        joined.append((number, text))
    if held is not None:
        joined.append(held)
    return joined


def _flag(
    phases: list[tuple[str | None, list[str], list[tuple[int, str]]]], flag: str | None
) -> None:
    # A 是/否 printed at the start of a row belongs to the merged column of the phase above.
    if flag and phases:
        phases[-1][1].append(flag)


def _reserve(flags: list[str], rows: list[tuple[int, str]]) -> bool | None:
    found = list(flags)
    for _, text in rows:
        found += re.findall(r"(?<![\u4e00-\u9fff])[是否](?![\u4e00-\u9fff])", text)
    if not found:
        return None
    return "是" in found


def _row(
    number: int,
    text: str,
    columns: list[str],
    *,
    phase: str | None,
    reserve: bool | None,
    agency: str | None,
) -> BudgetRow:
    printed = text
    text, note = _normalise(text)
    head, _, rest = text.partition(" ")
    year: int | Literal["total"] = "total" if head == "總計" else roc_year(int(head))
    cells = dict(zip(columns, _cells(rest, len(columns)), strict=True))
    legal = _number(cells.get("legal"))
    same_a = cells.get("allocated") == _SAME_AS_A
    rate = _number(cells.get("execution_rate"))
    same_rate = cells.get("achievement") == _SAME_AS_RATE
    return BudgetRow(
        phase=phase,
        year=year,
        legal_twd=amount_to_twd(legal, "千元"),
        allocated_twd=amount_to_twd(legal if same_a else _number(cells.get("allocated")), "千元"),
        realized_twd=_twd(cells.get("realized")),
        payable_twd=_twd(cells.get("payable")),
        surplus_twd=_twd(cells.get("surplus")),
        prepaid_twd=_twd(cells.get("prepaid")),
        executed_twd=_twd(cells.get("executed")),
        spend_ratio_pct=_number(cells.get("spend_ratio")),
        execution_rate_pct=rate,
        achievement_rate_pct=rate if same_rate else _number(cells.get("achievement")),
        reserve_pending=True if note else reserve,
        line=number,
        printed=printed,
        agency=agency,
        allocated_same_as_legal=same_a,
        achievement_same_as_execution=same_rate,
    )


def _normalise(text: str) -> tuple[str, str | None]:
    """Rejoin what the PDF split, drop the reserve flags; return the row and a reserve note."""
    text = re.sub(r"同\s*執\s*行\s*率", _SAME_AS_RATE, text)
    text = re.sub(r"同\s*[(（]\s*A\s*(?:[)）]|(?=\s))", _SAME_AS_A, text)
    text = re.sub(r"(?<=\d)\s*%", "", text)
    text = re.sub(r"(?<=\d,)\s+(?=\d{3}(?!\d))", "", text)
    text = re.sub(r"(?<=\d\.)\s+(?=\d)", "", text)
    text = _BREAKDOWN.sub("", text)
    note = None
    if match := _RESERVE_NOTE.search(text):
        note = re.sub(r"\s+", "", match.group(1))
        text = text[: match.start()]
    text = re.sub(r"(?<!\S)(?:是/否|[是否]\S*)(?!\S)", "", text.rstrip())
    return text.lstrip().rstrip(), note


def _cells(rest: str, count: int) -> list[str | None]:
    """Place the printed cells in the ``count`` value columns.

    A row that prints only its legal budget (a year not yet allocated), or nothing at all,
    keeps the rest null. A row short of cells reads each extra space of a wide gap as a blank
    cell, as the PDF laid it out; any other count is an error rather than a guess.
    """
    cells = rest.split()
    if len(cells) == count:
        return [None if cell in BLANK_CELLS else cell for cell in cells]
    if all(cell in BLANK_CELLS for cell in cells[1:]):
        return (cells[:1] + [None] * count)[:count]
    spaced = rest.rstrip().split(" ")
    if len(spaced) == count:
        return [None if cell in BLANK_CELLS else cell for cell in spaced]
    if len(cells) == count - 1:
        # The last column (達成率 or 執行率) left blank: nothing shows where else a cell is missing.
        return [None if cell in BLANK_CELLS else cell for cell in cells] + [None]
    if len(spaced) == count - 1:
        return [None if cell in BLANK_CELLS else cell for cell in spaced] + [None]
    msg = f"{len(cells)} of {count} cells printed: {rest.strip()!r}"
    raise ParseError(msg)


def _twd(cell: str | None) -> int | None:
    return amount_to_twd(_number(cell), "千元")


def _number(cell: str | None) -> Decimal | None:
    if cell is None or cell in {_SAME_AS_A, _SAME_AS_RATE}:
        return None
    return parse_number(cell)
