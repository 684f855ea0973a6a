"""Running text of a unit budget: 說明 cells joined across pages, numbered items, amounts.

A 說明 column is printed in cells that a PDF page break may cut anywhere, even inside a
number (``195,00`` / ``0千元``). :class:`Stream` joins the cells back into one text and
remembers the document line every character came from, so that anything found in the text
can name its lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from layers.numbers import amount_to_twd, parse_number
from layers.records import Figure

__all__ = [
    "AMOUNT",
    "MULTI_YEAR",
    "Item",
    "MultiYearMention",
    "Stream",
    "amount_figure",
    "clean_cell",
    "find_multi_year",
    "name_key",
    "names_match",
    "parse_decimal",
    "parse_items",
]

#: A printed amount in 千元: ``341,582千元``, ``12.5千元``.
AMOUNT: Final = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*千元")

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"

#: The multi-year sentence: 總經費…千元，分N年辦理，A至B年度已編列…千元，本年度續編…千元.
MULTI_YEAR: Final = re.compile(
    r"總經費\s*" + _NUMBER + r"\s*千元\s*[，,]\s*分\s*(\d+)?\s*年辦理\s*[，,]\s*"
    r"(\d{2,3})\s*至\s*(\d{2,3})\s*年度已編列\s*" + _NUMBER + r"\s*千元\s*[，,]\s*"
    r"本年度續編\s*(第\s*\d+\s*年經費)?\s*" + _NUMBER + r"\s*千元"
)

_TAGS = re.compile(r"</?(?:p|br|b|i|strong|em)\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TOP_MARKER = re.compile(r"(?<![\d.,(（<A-Za-z])(\d{1,2})\s?[.．](?!\d)\s?")
_SUB_MARKER = re.compile(r"[(（](\d{1,2})[)）]\s?")
_ANGLE_MARKER = re.compile(r"<(\d{1,2})>\s?")
_CLAUSE = re.compile(r"[，,]係|係(?:行政院|依據|配合)")
_PRINTED_NUMBER = re.compile(r"(?<![\d,])-?\d[\d,]*(?:\.\d+)?")
_INNER: Final = (_SUB_MARKER, _ANGLE_MARKER)
_SENTENCE_END: Final = "。：:；;！？)）"
_HEAD_END: Final = "，,。：:；;"
_NAME_PREFIXES: Final = ("新增", "辦理")
_NAME_SUFFIXES: Final = ("等經費", "經費", "費用", "費", "等")


def clean_cell(text: str) -> str:
    """A cell's text without HTML-ish tags and with runs of white space made one space."""
    return _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()


class Stream:
    """Text built from cells, each character tied to the document line it was printed on."""

    def __init__(self) -> None:
        self.text = ""
        self._starts: list[int] = []
        self._lines: list[int] = []

    def add(self, cell: str, line: int) -> None:
        """Append a cell printed on ``line``; a cut word or number is joined back whole."""
        piece = clean_cell(cell)
        if not piece:
            return
        if self.text and self.text[-1] in _SENTENCE_END:
            self.text += " "
        self._starts.append(len(self.text))
        self._lines.append(line)
        self.text += piece

    def line_at(self, offset: int) -> int:
        """The document line of the character at ``offset`` (0 for an empty stream)."""
        if not self._starts:
            return 0
        index = max(bisect_right(self._starts, offset) - 1, 0)
        return self._lines[index]

    def span_lines(self, start: int, end: int) -> tuple[int, int]:
        """First and last document line of ``text[start:end]``."""
        return self.line_at(start), self.line_at(max(start, end - 1))


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered item of a 說明 text, with the amounts printed in its head."""

    number: int
    level: int
    name: str
    start: int
    end: int
    amounts: tuple[tuple[str, int], ...]
    parent: int | None = None


@dataclass(frozen=True, slots=True)
class MultiYearMention:
    """One printed 總經費 / 已編列 / 本年度續編 sentence."""

    start: int
    end: int
    total: tuple[str, int]
    years: int | None
    prior_from: int
    prior_to: int
    prior: tuple[str, int]
    this_year: tuple[str, int]


def amount_figure(what: str, printed: str, line: int, *, unit: str = "千元") -> Figure:
    """A figure for an amount printed in ``unit``, with its value in whole NT$.

    The amount is the last number of ``printed`` (``106至108年度已編列162,688千元`` is
    162,688); an unreadable or blank one gives a figure whose value is ``None``.
    """
    numbers = _PRINTED_NUMBER.findall(printed)
    try:
        value = parse_number(numbers[-1]) if numbers else None
    except ValueError:
        value = None
    return Figure(
        what=what,
        value=value,
        unit=unit,
        printed=printed,
        line=line,
        twd=amount_to_twd(value, unit),
    )


def _numbered(text: str, start: int, end: int, marker: re.Pattern[str]) -> list[re.Match[str]]:
    """Markers numbered one after another (the first may be any number) in a span."""
    found: list[re.Match[str]] = []
    for match in marker.finditer(text, start, end):
        number = int(match.group(1))
        if not found or number == int(found[-1].group(1)) + 1:
            found.append(match)
    return found


def _head(text: str, start: int, end: int) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """The name and head amounts of an item body, or ``None`` if it names no amount."""
    first = AMOUNT.search(text, start, end)
    if first is None:
        return None
    name = text[start : first.start()].strip(" ，,:：")
    if not name or "。" in name or _CLAUSE.search(name) or len(name) > 160:
        return None
    head_end = first.end()
    while head_end < end and text[head_end] not in _HEAD_END:
        head_end += 1
    amounts = tuple((m.group(0), m.start()) for m in AMOUNT.finditer(text, first.start(), head_end))
    return name, amounts


def parse_items(
    text: str, start: int = 0, end: int | None = None, *, notes: bool = False
) -> list[Item]:
    """The numbered items (``1.``) and their sub-items (``(1)``, ``<1>``) of a text span.

    With ``notes``, items are the ``(1)`` of a work plan's 說明 and sub-items its ``<1>``.
    """
    stop = len(text) if end is None else end
    items: list[Item] = []
    outer, inner = (_SUB_MARKER, (_ANGLE_MARKER,)) if notes else (_TOP_MARKER, _INNER)
    tops = _numbered(text, start, stop, outer)
    for index, top in enumerate(tops):
        top_end = tops[index + 1].start() if index + 1 < len(tops) else stop
        items.extend(_items_at(text, top, top_end, level=1, parent=None))
        parent = len(items) - 1 if items and items[-1].start == top.start() else None
        for marker in inner:
            subs = _numbered(text, top.end(), top_end, marker)
            for sub_index, sub in enumerate(subs):
                sub_end = subs[sub_index + 1].start() if sub_index + 1 < len(subs) else top_end
                items.extend(_items_at(text, sub, sub_end, level=2, parent=parent))
            if subs:
                break
    return items


def _items_at(
    text: str, marker: re.Match[str], end: int, *, level: int, parent: int | None
) -> list[Item]:
    """The item a marker opens, if its head names an amount."""
    head = _head(text, marker.end(), end)
    if head is None:
        return []
    name, amounts = head
    return [
        Item(
            number=int(marker.group(1)),
            level=level,
            name=name,
            start=marker.start(),
            end=end,
            amounts=amounts,
            parent=parent,
        )
    ]


def find_multi_year(text: str, start: int = 0, end: int | None = None) -> list[MultiYearMention]:
    """Every multi-year sentence in a text span."""
    found: list[MultiYearMention] = []
    for match in MULTI_YEAR.finditer(text, start, len(text) if end is None else end):
        years = match.group(2)
        found.append(
            MultiYearMention(
                start=match.start(),
                end=match.end(),
                total=(match.group(1) + "千元", match.start(1)),
                years=int(years) if years else None,
                prior_from=int(match.group(3)),
                prior_to=int(match.group(4)),
                prior=(text[match.start(3) : match.end(5)] + "千元", match.start(5)),
                this_year=(match.group(7) + "千元", match.start(7)),
            )
        )
    return found


def name_key(name: str) -> str:
    """A name reduced for matching: no spaces, no 新增/辦理 prefix, no 經費/費 suffix."""
    key = re.sub(r"\s+", "", name).replace("‧", "·").replace("•", "·")
    for prefix in _NAME_PREFIXES:
        key = key.removeprefix(prefix)
    for suffix in _NAME_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            key = key.removesuffix(suffix)
            break
    return key


def names_match(first: str, second: str) -> bool:
    """Whether two printed names name the same thing (equal, or one ends the other)."""
    a, b = name_key(first), name_key(second)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return a == b or (len(shorter) >= 6 and longer.endswith(shorter))


def parse_decimal(text: str) -> Decimal | None:
    """A printed number, or ``None`` when blank or unreadable."""
    try:
        return parse_number(text)
    except ValueError:
        return None
