"""The source reports as they describe themselves: title, years covered, issue month.

Read from the build report (``build-report.json``'s ``documents``, which the build fills from
each document's own text: :mod:`layers.parsers.cover`), and worded for a reader by
:func:`describe`: a report's printed title and years, else its kind, never its file's hash.
Nothing here knows about Flask.
"""

from __future__ import annotations

import calendar
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from webapp.i18n import Lang, label, strings

__all__ = ["SourceDocument", "describe", "read_documents"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A source report as its text describes itself (the build report's ``documents``)."""

    name: str
    kind: str | None
    title: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    issued: str | None = None


def read_documents(build: Path) -> dict[str, SourceDocument]:
    """The build's source documents by file name, from ``build-report.json``; empty (and
    logged) when the build has no readable report — pages then name a source by its kind."""
    path = build / "build-report.json"
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return {
            item["document"]: SourceDocument(
                name=item["document"],
                kind=item.get("kind"),
                title=item.get("title"),
                first_year=item.get("first_year"),
                last_year=item.get("last_year"),
                issued=item.get("issued"),
            )
            for item in listed
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("no source documents described: %s: %s", path, exc)
        return {}


def describe(document: SourceDocument | None, kind: str | None, lang: Lang) -> str:
    """A source report for a reader: its printed title (else its kind), the years it covers
    and when it was issued, as far as it prints them — ``經濟部108年度施政計畫（2019 年）``,
    ``前瞻基礎建設計畫績效檢討報告（2022 年 1 月發布）``."""
    kind = kind or (document.kind if document else None)
    kind_name = label("document", kind, lang) if kind else strings(lang)["unknown_document"]
    title = document.title if document and document.title else None
    notes: list[str] = []
    if title and lang == "en":
        notes.append(kind_name)  # the printed title is Chinese: say in English what it is
    if document and document.first_year is not None:
        first, last = document.first_year, document.last_year or document.first_year
        span = str(first) if first == last else f"{first}–{last}"
        notes.append(f"{span} 年" if lang == "zh" else span)
    if document and document.issued:
        year, month = (int(part) for part in document.issued.split("-"))
        notes.append(
            f"{year} 年 {month} 月發布"
            if lang == "zh"
            else f"issued {calendar.month_name[month]} {year}"
        )
    name = title or kind_name
    if not notes:
        return name
    return f"{name}（{'，'.join(notes)}）" if lang == "zh" else f"{name} ({', '.join(notes)})"
