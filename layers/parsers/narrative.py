"""The shared core of the narrative parsers: paragraphs with line provenance, and mentions.

PDF text breaks lines mid-sentence and lets page furniture (``8-3``, ``工    業``, `` 15 ``)
interrupt it. :func:`join_paragraphs` drops the furniture and joins lines into paragraphs,
keeping for every character the document line it was printed on, so that a name or a figure
found in a paragraph can be traced back to its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from layers.figures import find_figures
from layers.numbers import parse_number, roc_year
from layers.records import Document, Figure

__all__ = [
    "Paragraph",
    "find_status",
    "is_furniture",
    "join_paragraphs",
    "paragraph_figures",
    "scope_of",
    "starts_item",
    "title_end",
    "unique",
]

_FURNITURE: Final = (
    re.compile(r"^\d{1,2}-\d{1,3}$"),  # 8-3, 11-1: page footers
    re.compile(r"^\d{1,3}$"),  # bare page numbers
    re.compile(r"^(?:[\u4e00-\u9fff]\s{2,})+[\u4e00-\u9fff]$"),  # 工    業: running heads
    re.compile(r"^https?://\S+$"),  # link targets printed apart from their text
)
_ITEM: Final = re.compile(
    r"^(?:[壹貳參肆伍陸柒捌玖拾]+、|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、]|\d+\.\s*[\u4e00-\u9fff]|[（(]?[IVX]+[.）)])"
)
_CJK: Final = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
_SPACES: Final = re.compile(r"\s+")

#: 完成 is a completion unless what is completed is paperwork (完成除役計畫提送…).
_DONE: Final = r"完成(?!除役|計畫|規劃|可行|審查|評估|招商|用水契約|媒合|累計|檢討)"
_VERBS: Final = f"(?:完工|{_DONE}|商轉|竣工|通水|併聯|啟用|營運)"
_STATUS: Final = (
    re.compile(r"(?:預計|預定|可望|將|原規劃|原預定)於?\d{2,3}年[^，。；：累]{0,30}?" + _VERBS),
    re.compile(r"已於\d{2,3}年[^，。；：累]{0,16}?" + _VERBS),
    re.compile(r"完工於\d{2,3}年[^，。；：]{0,10}"),
    re.compile(r"\d{2,3}年[^，。；：]{0,8}?(?:完工|竣工|商轉)"),
    re.compile(r"已陸續完工|已完工|工程完工|施工中|興建中|趕工中|進入施工階段|已決標|決標"),
)
_YEAR: Final = re.compile(r"(\d{2,3})年")
_DAILY: Final = re.compile(r"每日(?:約|達|最大達)?\s?(\d[\d,]*(?:\.\d+)?)\s?(萬噸|噸)(?!/日)")


def is_furniture(line: str) -> bool:
    """Whether a stripped line is page furniture (footer, page number, running head, link)."""
    return any(pattern.match(line) for pattern in _FURNITURE)


def starts_item(line: str) -> bool:
    """Whether a stripped line starts a heading or numbered item (``一、``, ``（二）``, ``3、``)."""
    return bool(_ITEM.match(line))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Joined text and, for each of its characters, the document line (1-based) it came from."""

    text: str
    lines: tuple[int, ...]

    @property
    def first_line(self) -> int:
        """The line of the first character."""
        return self.lines[0]

    @property
    def last_line(self) -> int:
        """The line of the last character."""
        return self.lines[-1]

    def span_lines(self, start: int, end: int) -> tuple[int, int]:
        """The first and last document line of ``text[start:end]``."""
        end = max(end, start + 1)
        return self.lines[start], self.lines[min(end, len(self.lines)) - 1]


def _normalise(line: str) -> str:
    """Drop spaces next to CJK text (PDF debris) and keep one between Latin words or numbers."""
    parts = _SPACES.split(line.strip().replace("｢", "「").replace("｣", "」"))
    out = parts[0]
    for part in parts[1:]:
        joined = bool(_CJK.match(out[-1:])) or bool(_CJK.match(part[:1]))
        out += part if joined else " " + part
    return out


def _append(text: list[str], lines: list[int], piece: str, number: int) -> None:
    if text and text[-1][-1:].isascii() and piece[:1].isascii() and text[-1][-1:].isalpha():
        text.append(" ")
        lines.append(number)
    text.append(piece)
    lines.extend([number] * len(piece))


def join_paragraphs(
    document: Document,
    *,
    first: int = 1,
    last: int | None = None,
    skip: Callable[[str], bool] = is_furniture,
) -> list[Paragraph]:
    """Join the lines ``first`` to ``last`` of ``document`` into paragraphs.

    Blank lines and lines for which ``skip`` is true are dropped; a paragraph starts at every
    heading or numbered item.

    Parameters
    ----------
    document
        The document to read.
    first, last
        The line range to read (1-based, inclusive); ``last`` defaults to the last line.
    skip
        Which stripped lines are furniture rather than text.

    Returns
    -------
    list[Paragraph]
        The paragraphs in document order.
    """
    stop = len(document.lines) if last is None else last
    paragraphs: list[Paragraph] = []
    text: list[str] = []
    lines: list[int] = []
    for number in range(first, stop + 1):
        raw = document.lines[number - 1].strip()
        if not raw or skip(raw):  # before normalising: 工    業 must not become 工業
            continue
        piece = _normalise(raw)
        if text and starts_item(piece):
            paragraphs.append(Paragraph("".join(text), tuple(lines)))
            text, lines = [], []
        _append(text, lines, piece, number)
    if text:
        paragraphs.append(Paragraph("".join(text), tuple(lines)))
    return paragraphs


def title_end(text: str) -> int:
    """Where the title of a numbered item ends (its ``：``), or ``-1`` if it has none."""
    colon = min((i for i in (text.find("："), text.find(":")) if i >= 0), default=-1)
    return colon if colon <= 60 else -1


def scope_of(paragraph: Paragraph, start: int) -> tuple[int, int]:
    """The span a mention at ``start`` speaks for: the whole item if it is in the item's title,
    else its sentence or clause (up to and including ``。`` or ``；``)."""
    text = paragraph.text
    if start < title_end(text):
        return 0, len(text)
    begin = max(text.rfind(stop, 0, start) for stop in "。；") + 1
    ends = [i for i in (text.find(stop, start) for stop in "。；") if i >= 0]
    return begin, min(ends) + 1 if ends else len(text)


def find_status(text: str, *, after: int = 0) -> tuple[str | None, int | None]:
    """The status phrase in ``text`` nearest after ``after`` and its completion year (Gregorian).

    >>> find_status("石門水庫阿姆坪防淤隧道預定於110年底完工")
    ('預定於110年底完工', 2021)
    """
    for pattern in _STATUS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        match = next((m for m in matches if m.start() >= after), matches[0])
        phrase = match.group(0)
        years = [int(y) for y in _YEAR.findall(phrase) if 80 <= int(y) <= 150]
        return phrase, roc_year(years[-1]) if years else None
    return None, None


def _daily_figures(text: str) -> Iterable[tuple[int, Figure]]:
    """``每日 9 萬噸``: water capacity printed with the day before the number."""
    for match in _DAILY.finditer(text):
        number, unit = match.group(1), match.group(2)
        yield (
            match.start(1),  # the line of a figure is the line its number is printed on
            Figure(
                what="water_capacity",
                value=parse_number(number),
                unit=f"{unit}/日",
                printed=match.group(0),
                line=0,
            ),
        )


def paragraph_figures(paragraph: Paragraph, start: int, end: int) -> Iterable[tuple[int, Figure]]:
    """The figures printed in ``paragraph.text[start:end]``, each with its offset and true line.

    Besides :func:`~layers.figures.find_figures`, water capacity printed as ``每日 N 萬噸``
    (the day before the number) is read here.
    """
    text = paragraph.text[start:end]
    found: list[tuple[int, Figure]] = []
    cursor = 0
    for figure in find_figures(text, first_line=0):
        offset = text.find(figure.printed, cursor)
        if offset < 0:  # pragma: no cover - find_figures yields substrings of text
            continue
        cursor = offset + len(figure.printed)
        found.append((offset, figure))
    found.extend(_daily_figures(text))
    for offset, figure in sorted(found, key=lambda item: item[0]):
        yield start + offset, replace(figure, line=paragraph.lines[start + offset])


def unique(items: Sequence[str]) -> tuple[str, ...]:
    """``items`` without repeats, in first-seen order."""
    return tuple(dict.fromkeys(items))
