"""Titles of the review's project sections: from the table of contents or the cover page.

The table of contents prints ``title(agencies) N-1`` per project, but the PDF text drops,
reorders and splits its entries; a cover page prints the title (sometimes abbreviated, sometimes
not at all) above ``經濟部`` and the date. Both are read; the table of contents wins because it
also names the agencies, and a cover title that differs is kept as an alias.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layers.records import Document

__all__ = ["Title", "cover_start", "section_titles"]

_TOC_MARKER = re.compile(r"(?:^|\s)(\d{1,2})-1\s*$")
_FOOTER = re.compile(r"^\d{1,2}-\d{1,2}$")
_DATE = re.compile(r"^\d{3}\s*年\s*\d{1,2}\s*月$")
_SENTENCE = re.compile(r"[。，；：！？,;:]")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|[壹貳參肆伍陸柒]、|\d+[.、])"
)
_GROUP_LABEL = re.compile(r"^(?:水環境|綠能|數位|城鄉|人才培育|促進就業|建設|[(（]\d+項[)）])+$")
_AGENCY = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,12}(?:部|署|會|局|處|司|公司))(?:、[\u4e00-\u9fff]{2,12})*$"
)
_MAX_COVER_LINES = 12
_MAX_TITLE_CHARS = 40


@dataclass(frozen=True, slots=True)
class Title:
    """A section's name, other printed names, and the executing agencies."""

    name: str
    aliases: tuple[str, ...]
    agencies: tuple[str, ...]


def cover_start(document: Document, section_start: int) -> int:
    """The first line of the cover page printed before the section starting at ``section_start``."""
    first = section_start
    seen = 0
    for number in range(section_start - 1, 0, -1):
        text = document.lines[number - 1].strip()
        if not text or _FOOTER.match(text):
            continue
        if not _cover_line(text) or seen >= _MAX_COVER_LINES:
            break
        seen += 1
        first = number
    return first


def section_titles(document: Document, cover_firsts: list[int]) -> dict[int, Title]:
    """The title of each section number (1-based), where one is printed."""
    toc = _toc_entries(document, cover_firsts[0] if cover_firsts else len(document.lines))
    titles: dict[int, Title] = {}
    for number, first in enumerate(cover_firsts, start=1):
        cover = _cover_title(document, first)
        entry = toc.get(number)
        if entry is not None:
            name, agencies = entry
            aliases = (cover,) if cover and _plain(cover) != _plain(name) else ()
            titles[number] = Title(name, aliases, agencies)
        elif cover:
            titles[number] = Title(cover, (), ())
    return titles


def _cover_line(text: str) -> bool:
    if _SENTENCE.search(text) or _HEADING.match(text) or len(text) > _MAX_TITLE_CHARS:
        return False
    return text.count("(") + text.count("（") == text.count(")") + text.count("）")


def _cover_title(document: Document, first: int) -> str | None:
    """The title lines of a cover page: those before the agency and date lines."""
    parts: list[str] = []
    end = _section_line(document, first)
    for index in range(first, end):
        text = document.lines[index - 1].strip()
        if not text or _FOOTER.match(text) or _GROUP_LABEL.match(text.replace(" ", "")):
            continue
        if _DATE.match(text) or _AGENCY.match(text) or text == "經濟部":
            break
        parts.append(text)
    title = "".join(parts).replace(" ", "")
    return title or None


def _section_line(document: Document, first: int) -> int:
    for number in range(first, len(document.lines) + 1):
        if "特別預算及進度執行情形" in document.lines[number - 1]:
            return number
    return first


def _toc_entries(document: Document, end: int) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Entries of the table of contents: section number → (title, agencies)."""
    entries: dict[int, tuple[str, tuple[str, ...]]] = {}
    chunk: list[str] = []
    for number in range(1, end):
        text = document.lines[number - 1].strip()
        if not text:
            continue
        marker = _TOC_MARKER.search(text)
        if marker is None:
            chunk.append(text)
            continue
        before = text[: marker.start()].strip()
        if before:
            chunk.append(before)
        entry = _toc_entry(chunk)
        if entry is not None:
            entries.setdefault(int(marker.group(1)), entry)
        chunk = []
    return entries


def _toc_entry(chunk: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """Title and agencies of one entry: the last line group whose agency list closes the chunk."""
    lines = [line for line in chunk if not _GROUP_LABEL.match(line.replace(" ", ""))]
    text = "".join(lines)
    match = re.search(r"[(（]([^()（）]+)[)）]$", text)
    if match is None:
        return None
    # Walk back from the line holding the agency list's opening bracket to where the title starts.
    opening, used = match.start(), 0
    start_line = 0
    for index, line in enumerate(lines):
        if used <= opening < used + len(line):
            start_line = index
            break
        used += len(line)
    while start_line > 0 and _continues_title(lines[start_line - 1]):
        start_line -= 1
    head = "".join(lines[start_line:])
    title_match = re.search(r"^(.*?)\s*[(（]([^()（）]+)[)）]$", head)
    if title_match is None:
        return None
    title = title_match.group(1).replace(" ", "")
    agencies = tuple(a.strip() for a in title_match.group(2).split("、") if a.strip())
    if not title or "(" in title or "（" in title:
        return None
    return title, agencies


def _continues_title(line: str) -> bool:
    opened = line.count("(") + line.count("（") - line.count(")") - line.count("）")
    return opened == 0 and not line.endswith(("。", ")", "）")) and not _SENTENCE.search(line)


def _plain(name: str) -> str:
    return re.sub(r"[\s()（）－—\-]", "", name).replace("台", "臺")
