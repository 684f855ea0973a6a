"""Parser for the performance review of Forward-looking Infrastructure projects (績效檢討報告).

The report introduces its projects by programme with counts (水環境建設 19項、綠能建設 11項…),
lists them in a table of contents (often broken), then prints one section per project: a cover
page with the title, then 壹、特別預算及進度執行情形 (計畫期程, the budget table, the progress
table), 貳… milestones, 肆、 delays, 伍、經濟效益 (jobs and investment). Sections are numbered by
what they print, never by their order: see :mod:`layers.parsers.review_titles`. A section
with no printed title keeps a placeholder and a reported problem.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from geo.errors import ParseError
from layers.numbers import amount_to_twd, parse_number, roc_date, roc_year
from layers.parsers import ParseResult
from layers.parsers.pages import is_page_footer
from layers.parsers.review_budget import BudgetTable, find_budget_tables, parse_budget_table
from layers.parsers.review_checks import budget_checks, progress_checks
from layers.parsers.review_titles import (
    Identity,
    contents_end,
    cover_start,
    identify_sections,
)
from layers.records import (
    BudgetRow,
    Document,
    DocumentKind,
    Problem,
    Progress,
    Record,
    RecordKind,
    Source,
)

__all__ = ["KIND", "parse", "recognise"]

KIND = DocumentKind.PERFORMANCE_REVIEW

log = logging.getLogger(__name__)

_SECTION = re.compile(r"^\s*壹\s*、\s*特別預算及進度執行情形")
_PROGRAMME_COUNT = re.compile(
    r"(水環境建設|綠能建設|數位建設|城鄉建設|人才培育促進就業建設)\s*(\d+)\s*項"
)
_PERIOD = re.compile(r"計畫期程\s*[:：]\s*([\d/]+)\s*[~～－-]\s*([\d/]+)")
_AS_OF = re.compile(r"截至\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月底")
_PROGRESS_ROW = re.compile(r"^\s*(年累計|總累計)\s+(.*)$")
_JOBS_HEADER = re.compile(r"創造工作機會\s*[(（]人年[)）]")


@dataclass(frozen=True, slots=True)
class _Section:
    first: int  # first line of the cover page (1-based)
    start: int  # the 壹、 line
    last: int


def recognise(document: Document) -> bool:
    """Whether ``document`` is a performance review of Forward-looking Infrastructure."""
    head = "\n".join(document.lines[:200])
    body = "\n".join(document.lines)
    return "前瞻基礎建設計畫" in head and "特別預算執行情形" in body and "進度執行情形" in body


def parse(document: Document) -> ParseResult:
    """Read every project section of the review."""
    sections = _sections(document)
    identities, problems = identify_sections(
        document, [(s.first, s.start, s.last) for s in sections], _programme_counts(document)
    )
    found = [Problem(document.name, line, message) for line, message in problems]
    records: list[Record] = []
    tables = 0
    for section, identity in zip(sections, identities, strict=True):
        record, section_problems, table_count = _section_record(document, section, identity)
        records.append(record)
        found += section_problems
        tables += table_count
    log.info(
        "performance_review: %s -> %d project sections, %d budget tables",
        document.name,
        len(records),
        tables,
    )
    return ParseResult(records=tuple(records), problems=tuple(found), tables_parsed=tables)


def _sections(document: Document) -> list[_Section]:
    starts = [n for n, line in enumerate(document.lines, start=1) if _SECTION.match(line)]
    floor = contents_end(document, starts[0]) if starts else 0
    firsts = [cover_start(document, start, floor) for start in starts]
    ends = [first - 1 for first in firsts[1:]] + [len(document.lines)]
    return [
        _Section(first=first, start=start, last=end)
        for first, start, end in zip(firsts, starts, ends, strict=True)
    ]


def _programme_counts(document: Document) -> list[tuple[str, int]]:
    """The programmes and their project counts, as the introduction prints them in order."""
    intro = "".join(line.strip() for line in document.lines[:60])
    return [(name, int(count)) for name, count in _PROGRAMME_COUNT.findall(intro)]


def _section_record(
    document: Document, section: _Section, identity: Identity
) -> tuple[Record, list[Problem], int]:
    lines = [(n, document.lines[n - 1]) for n in range(section.start, section.last + 1)]
    problems = [Problem(document.name, line, message) for line, message in identity.problems]
    name = identity.name
    budget_lines, progress_lines = _split_parts(lines)
    tables = [
        parse_budget_table(caption, part) for caption, part in find_budget_tables(budget_lines)
    ]
    for table in tables:
        problems += [Problem(document.name, n, message) for n, message in table.problems]
    if not tables:
        problems.append(Problem(document.name, section.start, f"{name}: no budget table found"))
    progress = _progress(progress_lines)
    if progress is None:
        problems.append(Problem(document.name, section.start, f"{name}: no progress table found"))
    start, end = _period(lines, document.name, problems)
    jobs, investment = _jobs(lines)
    record = Record(
        name=name,
        kind=RecordKind.REVIEW_PROJECT,
        source=Source(document.name, KIND, section.first, section.last),
        text=document.text(section.first, section.last),
        aliases=identity.aliases,
        program=identity.programme,
        agencies=identity.agencies,
        title_source=identity.title_source,
        period_start=start,
        period_end=end,
        budget_year=_as_of_year(budget_lines),
        budget_rows=tuple(_as_printed(document, row) for table in tables for row in table.rows),
        progress=progress,
        jobs_person_years=jobs,
        private_investment_twd=investment,
        delay_reasons=_delay_reasons(lines),
        checks=tuple(_checks(tables, progress)),
    )
    return record, problems, len(tables)


def _as_printed(document: Document, row: BudgetRow) -> BudgetRow:
    """The row with its line as the file prints it, where reading normalised full-width forms."""
    printed = document.printed_line(row.line).strip()
    if printed == document.lines[row.line - 1].strip():
        return row
    return replace(row, printed=printed)


def _split_parts(
    lines: list[tuple[int, str]],
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The budget part (二、特別預算執行情形) and the progress part (三、進度執行情形)."""
    budget: list[tuple[int, str]] = []
    progress: list[tuple[int, str]] = []
    part: list[tuple[int, str]] | None = None
    for number, text in lines:
        compact = text.replace(" ", "")
        if compact.startswith("二、特別預算執行情形"):
            part = budget
        elif compact.startswith("三、進度執行情形"):
            part = progress
        elif re.match(r"^\s*[貳參肆伍陸]\s*、", text):
            part = None
        if part is not None:
            part.append((number, text))
    return budget, progress


def _as_of(lines: list[tuple[int, str]]) -> date | None:
    for _, text in lines[:3]:
        match = _AS_OF.search(text)
        if match:
            year, month = roc_year(int(match.group(1))), int(match.group(2))
            return date(year, month, calendar.monthrange(year, month)[1])
    return None


def _as_of_year(lines: list[tuple[int, str]]) -> int | None:
    as_of = _as_of(lines)
    return as_of.year if as_of else None


def _progress(lines: list[tuple[int, str]]) -> Progress | None:
    found: dict[str, tuple[int, list[Decimal | None]]] = {}
    for index, (number, text) in enumerate(lines):
        match = _PROGRESS_ROW.match(text)
        if not match:
            continue
        tokens = match.group(2).split()
        following = iter(lines[index + 1 :])
        while len(tokens) < 3 and (nxt := next(following, None)) is not None:
            if not _PROGRESS_ROW.match(nxt[1]):
                tokens += nxt[1].split()
        try:
            found[match.group(1)] = (number, [parse_number(t) for t in tokens[:3]])
        except ParseError:
            continue
    if not found:
        return None
    year = found.get("年累計", (0, [None, None, None]))[1]
    total = found.get("總累計", (0, [None, None, None]))[1]
    year += [None] * (3 - len(year))
    total += [None] * (3 - len(total))
    line = min(number for number, _ in found.values())
    return Progress(
        as_of=_as_of(lines),
        year_planned_pct=year[0],
        year_actual_pct=year[1],
        year_diff_pct=year[2],
        total_planned_pct=total[0],
        total_actual_pct=total[1],
        total_diff_pct=total[2],
        line=line,
    )


def _period(
    lines: list[tuple[int, str]], document: str, problems: list[Problem]
) -> tuple[date | None, date | None]:
    for number, text in lines[:12]:
        match = _PERIOD.search(text.replace(" ", ""))
        if match:
            try:
                return roc_date(match.group(1)), roc_date(match.group(2))
            except ParseError as exc:
                problems.append(Problem(document, number, f"period not read: {exc}"))
                return None, None
    return None, None


def _jobs(lines: list[tuple[int, str]]) -> tuple[Decimal | None, int | None]:
    for index, (_, text) in enumerate(lines):
        if not _JOBS_HEADER.search(text):
            continue
        for _, value_line in lines[index + 1 : index + 4]:
            # Printed as "100 0.5", "85人 30", "55人年 無" (無: none printed, kept null).
            tokens = [re.sub(r"人年?$", "", t) for t in value_line.split()]
            if not tokens:
                continue
            try:
                values = [None if t == "無" else parse_number(t) for t in tokens]
            except ParseError:
                return None, None
            if len(values) == 2:
                return values[0], amount_to_twd(values[1], "億元")
            return None, None
    return None, None


def _delay_reasons(lines: list[tuple[int, str]]) -> str | None:
    collected: list[str] = []
    inside = False
    for _, text in lines:
        if re.match(r"^\s*肆\s*、", text):
            inside = True
            continue
        if inside and re.match(r"^\s*[伍陸]\s*、", text):
            break
        if inside and text.strip() and not is_page_footer(text):
            collected.append(text.strip())
    reasons = "\n".join(collected).strip()
    return reasons or None


def _checks(tables: list[BudgetTable], progress: Progress | None) -> list[str]:
    checks: list[str] = []
    for table in tables:
        checks += budget_checks(table)
    if progress is not None:
        checks += progress_checks(progress)
    return checks
