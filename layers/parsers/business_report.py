"""Parser for 經濟部業務報告: the ministry's narrative report to the Legislative Yuan, by bureau.

Only the bureaus whose work is bound to places on the map are read (工業, 國營事業, 科技產業園區,
能源, 水利, 礦業及地質調查); the others (商業, 投資, 貿易…) describe policies and, in 貿易,
parks abroad.
"""

from __future__ import annotations

import re
from typing import Final

from layers.parsers import ParseResult
from layers.parsers.mentions import Mention, finish, mentions_in, records_from_mentions
from layers.parsers.names import find_sited_units, find_titled_plants
from layers.parsers.narrative import Paragraph, join_paragraphs
from layers.records import Document, DocumentKind, Problem

__all__ = ["KIND", "MAPPED_BUREAUS", "parse", "recognise"]

KIND = DocumentKind.BUSINESS_REPORT

#: Bureau headings whose sections are read.
MAPPED_BUREAUS: Final = frozenset(
    {"工業", "國營事業", "科技產業園區", "能源", "水利", "礦業及地質調查"}
)

_HEADING = re.compile(r"^(?:\d+、|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_BUREAU = re.compile(r"^[壹貳參肆伍陸柒捌玖拾]+、(\S{2,12}?)(?:[(（]\S*[)）])?$")


def _bureaus(text: str) -> list[str]:
    return [m.group(1) for line in text.split("\n") if (m := _BUREAU.match(line.replace(" ", "")))]


def recognise(document: Document) -> bool:
    """Whether ``document`` is a 業務報告: its title says so and it has bureau headings."""
    head = "".join(line.replace(" ", "") for line in document.lines[:10])
    if "業務報告" not in head:
        return False
    return len(_bureaus("\n".join(document.lines))) >= 3


def _sections(paragraphs: list[Paragraph]) -> list[tuple[str, Paragraph]]:
    bureau = ""
    out: list[tuple[str, Paragraph]] = []
    for paragraph in paragraphs:
        match = _BUREAU.match(paragraph.text)
        if match:
            bureau = match.group(1)
            continue
        out.append((bureau, paragraph))
    return out


def _unbalanced(document: Document, paragraph: Paragraph) -> Problem | None:
    if paragraph.text.count("「") == paragraph.text.count("」"):
        return None
    message = "quotes 「」 do not pair up; names in this paragraph may be missed"
    return Problem(document.name, paragraph.first_line, message)


def parse(document: Document) -> ParseResult:
    """Read the named facilities and plans of a business report.

    Parameters
    ----------
    document
        A document :func:`recognise` accepts; anything else yields no records and a problem.

    Returns
    -------
    ParseResult
        One record per distinct name, and the problems met.
    """
    sections = _sections(join_paragraphs(document))
    mapped = [(b, p) for b, p in sections if b in MAPPED_BUREAUS]
    problems: list[Problem] = []
    if not mapped:
        problems.append(Problem(document.name, None, "no bureau section to read was found"))
    mentions: list[Mention] = []
    reclaimed = False
    for _bureau, paragraph in mapped:
        problem = _unbalanced(document, paragraph)
        if problem:
            problems.append(problem)
        if _HEADING.match(paragraph.text):
            reclaimed = "再生水" in paragraph.text[:40]
        extra = find_titled_plants(paragraph.text, "reclaimed_water_plant") if reclaimed else []
        extra += find_sited_units(paragraph.text)
        mentions.extend(mentions_in(paragraph, extra=extra))
    records = records_from_mentions(document, KIND, mentions)
    result = ParseResult(records=records, problems=tuple(problems))
    return finish(document, result, parser="business_report")
