"""Parser for 國家科學技術發展計畫: national S&T policy, almost nothing bound to a place.

The plan names national programmes (``「科普產品製播推廣產學合作計畫」``); they become plan
records that are not place-bound. Facility names are read by the shared rules, which accept
only named sites; the review of the plan text is in the tests. Foreign programmes quoted in
the review of the international situation (美國, 歐盟, 新加坡…) are not Taiwan's and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from layers.parsers import ParseResult
from layers.parsers.mentions import Mention, finish, mentions_in, records_from_mentions
from layers.parsers.names import NameMatch, run_start, trim_name
from layers.parsers.narrative import Paragraph, join_paragraphs
from layers.records import Document, DocumentKind, Problem, RecordKind

__all__ = ["KIND", "parse", "recognise"]

KIND = DocumentKind.STI_PLAN

_FOREIGN: Final = re.compile(r"美國|歐盟|歐洲|韓國|日本|新加坡|中國|大陸|英國|德國|法國|Horizon")
_INTERNATIONAL: Final = re.compile(r"^[一二三四五六七八九十]+、國際情勢")
#: The plan's few named sites: innovation parks and network centres (no location is printed).
_SITE: Final = re.compile(r"[\u4e00-\u9fff]{2,16}?(?:創新園區|聯網第[一二三四]中心)")
_SECTION: Final = re.compile(r"^(?:[壹貳參肆伍陸柒捌玖拾]+、|[一二三四五六七八九十]+、)")


def recognise(document: Document) -> bool:
    """Whether ``document`` is the 國家科學技術發展計畫 (it cites the 科學技術基本法)."""
    text = "".join(line.replace(" ", "") for line in document.lines)
    return "國家科學技術發展計畫" in text and "科學技術基本法" in text


def _domestic(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs outside the review of the international situation."""
    kept: list[Paragraph] = []
    abroad = False
    for paragraph in paragraphs:
        if _SECTION.match(paragraph.text):
            abroad = bool(_INTERNATIONAL.match(paragraph.text))
        if not abroad:
            kept.append(paragraph)
    return kept


def _sites(text: str) -> list[NameMatch]:
    """Named sites: ``推動離岸風電海洋科技產業創新園區`` → ``離岸風電海洋科技產業創新園區``."""
    found: list[NameMatch] = []
    for match in _SITE.finditer(text):
        start = run_start(text, match.start())
        name = trim_name(text[start : match.end()])
        if len(name) >= 8:
            kind = "park" if name.endswith("園區") else "network_centre"
            found.append(NameMatch(name, match.end() - len(name), match.end(), kind))
    return found


def _programme(mention: Mention) -> Mention | None:
    if _FOREIGN.search(mention.name):
        return None
    if mention.kind is RecordKind.PLAN:
        return replace(mention, place_bound=False)
    return mention


def parse(document: Document) -> ParseResult:
    """Read the national programmes and the few named sites of the S&T plan.

    Parameters
    ----------
    document
        A document :func:`recognise` accepts; anything else yields no records and a problem.

    Returns
    -------
    ParseResult
        Programme records (not place-bound) and site records, and the problems met.
    """
    paragraphs = _domestic(join_paragraphs(document))
    problems: list[Problem] = []
    if not paragraphs:
        problems.append(Problem(document.name, None, "no text to read"))
    mentions = [
        kept
        for paragraph in paragraphs
        for mention in mentions_in(paragraph, extra=_sites(paragraph.text), clauses=False)
        if (kept := _programme(mention)) is not None
    ]
    records = records_from_mentions(document, KIND, mentions)
    result = ParseResult(records=records, problems=tuple(problems))
    return finish(document, result, parser="sti_plan")
