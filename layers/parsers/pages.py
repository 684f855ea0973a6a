"""Page furniture of PDF text: the footers a converter leaves between lines of content.

A footer is a line that holds nothing but a page mark. The reports print ``11-1`` (section 11,
page 1); other editions and converters print ``- 45 -``, ``— 45 —``, ``第 3 頁``,
``第 3 頁，共 12 頁``, ``Page 3``, ``3 / 12`` or a roman numeral (a bare number is not taken: a
table prints those). A footer is never content: it is skipped wherever
it interrupts a table or a sentence, and a section-page footer (``N-k``) tells which section
the page belongs to.
"""

from __future__ import annotations

import re

__all__ = ["is_page_footer", "section_footer"]

_SECTION_PAGE = re.compile(r"^(\d{1,2})\s*-\s*(\d{1,3})$")
_OTHER_FOOTERS = (
    re.compile(r"^[-－—–─]\s*\d{1,4}\s*[-－—–─]$"),  # - 45 -
    re.compile(r"^第\s*\d{1,4}\s*頁(?:\s*[,，、/／]?\s*共\s*\d{1,4}\s*頁)?$"),  # 第 3 頁，共 12 頁
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),  # 3 / 12
    re.compile(r"^[-－]?\s*[ivxlc]{1,6}\s*[-－]?$", re.IGNORECASE),  # roman page numbers
)


def section_footer(text: str) -> tuple[int, int] | None:
    """The (section, page) of an ``N-k`` footer line, or ``None``."""
    match = _SECTION_PAGE.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def is_page_footer(text: str) -> bool:
    """Whether ``text`` is a line holding only a page mark (any of the forms above)."""
    stripped = text.strip()
    if not stripped:
        return False
    if section_footer(stripped):
        return True
    return any(pattern.match(stripped) for pattern in _OTHER_FOOTERS)
