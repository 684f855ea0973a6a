"""Parser for 經濟部年度施政計畫: the table of 年度重要計畫, printed as broken lines.

The table has four columns, 工作計畫名稱 / 重要計畫項目 / 計畫類別 / 實施內容. Extraction prints
each row as a few short lines holding the two name columns side by side, then the category
split over two lines (``…計畫公共`` / ``建設辦理…``), then the content. A row is found at its
category; its name lines are the short lines above it. Where the work plan and the item are
printed on one line, the item is the last six characters (the width of the item column).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Final

from layers.parsers import ParseResult
from layers.parsers.mentions import (
    Mention,
    finish,
    mentions_in,
    plan_type,
    records_from_mentions,
)
from layers.parsers.names import PLACE_WORDS, facility_type_of, names_place
from layers.parsers.narrative import Paragraph, is_furniture
from layers.records import Document, DocumentKind, Problem, RecordKind

__all__ = ["KIND", "Row", "find_rows", "parse", "recognise", "split_names"]

KIND = DocumentKind.POLICY_PLAN

_CATEGORIES: Final = {"科技": "發展", "公共": "建設", "社會": "發展"}
_HEADER: Final = re.compile(r"^(?:工作計畫名稱重要計畫項目計畫|類別實施內容|貳、年度重要計畫)$")
_OTHER: Final = re.compile(r"^([^，。、：；]{2,8}?)其它(.+)$")
_MID_CATEGORY: Final = re.compile(r"^([^，。、：；]{6,16}?)(?:公共|科技|社會)[\u4e00-\u9fff]")
_ITEM_WIDTH: Final = 6
_NAME_WIDTH: Final = 13


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the table: its name lines, category, and content lines (1-based numbers)."""

    name_lines: tuple[tuple[int, str], ...]
    category: str
    content: tuple[tuple[int, str], ...]


def recognise(document: Document) -> bool:
    """Whether ``document`` is a 年度施政計畫: its title says so and the table header repeats."""
    head = [line.replace(" ", "") for line in document.lines[:5] if line.strip()]
    if not head or not head[0].endswith("年度施政計畫"):
        return False
    text = "".join(line.replace(" ", "") for line in document.lines)
    return "年度重要計畫" in text and text.count("工作計畫名稱重要計畫項目") >= 2


def _width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def split_names(lines: list[str]) -> tuple[str | None, str]:
    """Split a row's name lines into work plan (or ``None``) and item.

    >>> split_names(["水資源開發及", "維護重大水資源規", "劃作業計畫"])
    ('水資源開發及維護', '重大水資源規劃作業計畫')
    """
    for index, line in enumerate(lines):
        if _width(line) > _ITEM_WIDTH + 0.5:
            work_plan = "".join(lines[:index]) + line[:-_ITEM_WIDTH]
            return work_plan, line[-_ITEM_WIDTH:] + "".join(lines[index + 1 :])
    return None, "".join(lines)


def _category_at(lines: list[str], index: int) -> tuple[str, str, str] | None:
    """``(name part, category, content part)`` if the row's category is printed at ``index``."""
    line = lines[index]
    match = _OTHER.match(line)
    if match:
        return match.group(1), "其它", match.group(2)
    following = next((ln for ln in lines[index + 1 :] if ln and not is_furniture(ln)), "")
    for first, second in _CATEGORIES.items():
        if line.endswith(first) and following.startswith(second):
            rest = following[len(second) :]
            if rest.startswith(("（", "(")):
                return None  # 推動商業科技 / 發展（資訊中: a name that holds 科技發展
            return line[: -len(first)], first + second, ""
    return None


def _is_name_line(line: str) -> bool:
    return bool(line) and not line.endswith(("。", "：", "；")) and _width(line) <= _NAME_WIDTH


def _name_lines(lines: list[str], index: int, floor: int, part: str) -> list[tuple[int, str]]:
    found = [(index + 1, part)] if part else []
    cursor = index - 1
    while cursor >= floor and _is_name_line(lines[cursor]):
        if is_furniture(lines[cursor]) or _HEADER.match(lines[cursor]):
            break
        found.insert(0, (cursor + 1, lines[cursor]))
        cursor -= 1
    return found


def find_rows(document: Document) -> tuple[list[Row], list[Problem]]:
    """The rows of the 年度重要計畫 table, and problems with rows that cannot be read."""
    lines = [line.replace(" ", "").replace("\u3000", "") for line in document.lines]
    start = next((i for i, line in enumerate(lines) if line == "貳、年度重要計畫"), None)
    if start is None:
        return [], [Problem(document.name, None, "no 年度重要計畫 table found")]
    heads: list[tuple[int, list[tuple[int, str]], str, str]] = []
    for index in range(start + 1, len(lines)):
        found = _category_at(lines, index)
        if found:
            name_part, category, rest = found
            floor = heads[-1][0] + (1 if heads[-1][2] == "其它" else 2) if heads else start + 1
            heads.append((index, _name_lines(lines, index, floor, name_part), category, rest))
    return _rows(document, lines, heads)


def _rows(
    document: Document,
    lines: list[str],
    heads: list[tuple[int, list[tuple[int, str]], str, str]],
) -> tuple[list[Row], list[Problem]]:
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, (index, names, category, rest) in enumerate(heads):
        end = heads[number + 1][1][0][0] - 1 if number + 1 < len(heads) else len(lines)
        if number + 1 < len(heads) and not heads[number + 1][1]:
            end = heads[number + 1][0]
        content: list[tuple[int, str]] = [(index + 1, rest)] if rest else []
        second = _CATEGORIES.get(category[:2], "")
        for cursor in range(index + 1, end):
            line = lines[cursor]
            if not line or is_furniture(line) or _HEADER.match(line):
                continue
            if cursor == index + 1 and second and line.startswith(second):
                line = line[len(second) :]
            if content and content[-1][1].endswith("。") and _MID_CATEGORY.match(line):
                message = "a row's category is printed mid-line; the row was not read"
                problems.append(Problem(document.name, cursor + 1, message))
                break
            content.append((cursor + 1, line))
        if not names:
            problems.append(Problem(document.name, index + 1, "a row without a name"))
            continue
        rows.append(Row(tuple(names), category, tuple(content)))
    return rows, problems


def _paragraph(item: str, item_line: int, content: tuple[tuple[int, str], ...]) -> Paragraph:
    text, lines = [item, "："], [item_line] * (len(item) + 1)
    for number, line in content:
        text.append(line)
        lines.extend([number] * len(line))
    return Paragraph("".join(text), tuple(lines))


def _row_mentions(row: Row) -> tuple[Mention, list[Mention]]:
    work_plan, item = split_names([line for _, line in row.name_lines])
    paragraph = _paragraph(item, row.name_lines[0][0], row.content)
    kind = plan_type(item, facility_type_of(item))
    content = paragraph.text[len(item) :]
    bound = names_place(item) or (
        kind is not None
        and not re.search(r"全國|全臺|國家", item)
        and any(word in content for word in PLACE_WORDS)
    )
    span = (0, len(paragraph.text))
    plan = Mention(item, RecordKind.PLAN, kind, paragraph, 0, len(item), span, bound)
    plan = replace(plan, status_end=len(paragraph.text), owns_scope=True, work_plan=work_plan)
    others = [m for m in mentions_in(paragraph) if m.start >= len(item) and m.name not in item]
    return plan, others


def parse(document: Document) -> ParseResult:
    """Read the rows of a policy plan's 年度重要計畫 table as plan records.

    Parameters
    ----------
    document
        A document :func:`recognise` accepts; anything else yields no records and a problem.

    Returns
    -------
    ParseResult
        One plan record per row (facilities named in a row's content as records of their own),
        the problems met, and one table parsed if any row was read.
    """
    rows, problems = find_rows(document)
    mentions: list[Mention] = []
    for row in rows:
        plan, others = _row_mentions(row)
        mentions.extend([plan, *others])
    records = records_from_mentions(document, KIND, mentions)
    result = ParseResult(records=records, problems=tuple(problems), tables_parsed=int(bool(rows)))
    return finish(document, result, parser="policy_plan")
