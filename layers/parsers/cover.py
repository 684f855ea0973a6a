"""What a document says it is: its printed title, the years it covers and when it was issued.

Read from the text only, by the kind of document the parsers recognised, and only where the
document prints it (spaces inside a line and a title broken over two lines do not matter):

- a 施政計畫 prints ``經濟部108年度施政計畫``: that title, the year 2019;
- a 業務報告 prints ``經濟部業務報告`` and ``109年下半年迄今之重要業務``: the year 2020;
- a 單位預算 prints ``中華民國109年度``, ``中央政府總預算案`` and ``經濟部工業局單位預算``;
- a 科學技術發展計畫 prints ``國家科學技術發展計畫（民國110年至113年）``: 2021 to 2024;
- a 績效檢討報告's section covers print ``經濟部`` over ``111年1月``: issued January 2022.

What is not printed stays ``None`` (the page then names the document by its kind).
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from layers.records import Cover, Document, DocumentKind

__all__ = ["read_cover"]

_ROC: Final = 1911
#: How far into a document its cover and opening are looked for.
_OPENING: Final = 120


def read_cover(kind: DocumentKind | None, document: Document) -> Cover:
    """The cover of a document of ``kind``; an empty :class:`Cover` when nothing is printed."""
    lines = [(number, re.sub(r"\s+", "", text)) for number, text in enumerate(document.lines, 1)]
    lines = [(number, text) for number, text in lines if text]
    opening = lines[:_OPENING]
    # a title may break over two lines: each line is also read joined with the next
    pairs = [(n, a + b) for (n, a), (_, b) in zip(opening, [*opening[1:], (0, "")], strict=True)]
    match kind:
        case DocumentKind.POLICY_PLAN:
            return _titled(pairs, r"經濟部(\d{2,3})年度施政計畫")
        case DocumentKind.BUSINESS_REPORT:
            cover = _titled(pairs, r"經濟部業務報告")
            year = _first(pairs, r"本部(\d{2,3})年[上下]半年迄今")
            return Cover(cover.title, year, year, None, cover.line) if cover.title else cover
        case DocumentKind.UNIT_BUDGET:
            year = _first(pairs, r"中華民國(\d{2,3})年度")
            unit = _found(pairs, r"經濟部\w{2,8}?單位預算")
            if year is None or unit is None:
                return Cover()
            title = f"中華民國{year - _ROC}年度中央政府總預算案 {unit[1]}"
            return Cover(title, year, year, None, unit[0])
        case DocumentKind.STI_PLAN:
            found = _found(pairs, r"國家科學技術發展計畫[（(]民國(\d{2,3})年至(\d{2,3})年[）)]")
            if found is None:
                return Cover()
            first, last = (int(group) + _ROC for group in re.findall(r"\d+", found[1])[-2:])
            return Cover(found[1], first, last, None, found[0])
        case DocumentKind.PERFORMANCE_REVIEW:
            return _issued(lines)
    return Cover()


def _found(pairs: list[tuple[int, str]], pattern: str) -> tuple[int, str] | None:
    for number, text in pairs:
        if match := re.search(pattern, text):
            return number, match.group(0)
    return None


def _first(pairs: list[tuple[int, str]], pattern: str) -> int | None:
    found = _found(pairs, pattern)
    return None if found is None else int(re.findall(r"\d+", found[1])[0]) + _ROC


def _titled(pairs: list[tuple[int, str]], pattern: str) -> Cover:
    found = _found(pairs, pattern)
    if found is None:
        return Cover()
    digits = re.findall(r"\d+", found[1])
    year = int(digits[0]) + _ROC if digits else None
    return Cover(found[1], year, year, None, found[0])


def _issued(lines: list[tuple[int, str]]) -> Cover:
    """The month printed under ``經濟部`` on a cover (the first such cover)."""
    for (_, text), (number, below) in itertools.pairwise(lines):
        if text == "經濟部" and (match := re.fullmatch(r"(\d{2,3})年(\d{1,2})月", below)):
            year, month = int(match.group(1)) + _ROC, int(match.group(2))
            if 1 <= month <= 12:
                return Cover(issued=f"{year}-{month:02d}", line=number)
    return Cover()
