"""Mentions of named facilities and plans in paragraphs, and the records they make.

A document may name a facility many times; it becomes one record, placed at its first
mention, carrying the figures printed with every mention (each figure keeps its own line).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from layers.parsers import ParseResult
from layers.parsers.names import (
    PLACE_WORDS,
    NameMatch,
    find_facility_names,
    find_plan_names,
    names_place,
)
from layers.parsers.narrative import (
    Paragraph,
    find_status,
    paragraph_figures,
    scope_of,
    title_end,
    unique,
)
from layers.records import Document, DocumentKind, Figure, Record, RecordKind, Source

__all__ = [
    "PLAN_TYPES",
    "Mention",
    "finish",
    "mentions_in",
    "merge_ordinal_names",
    "plan_type",
    "records_from_mentions",
]

log = logging.getLogger(__name__)

#: Words that give a plan without a facility word its domain.
PLAN_TYPES: Final = (
    ("離岸風", "offshore_wind"),
    ("風力", "wind_farm"),
    ("輸變電", "grid"),
    ("電網", "grid"),
    ("變電", "substation"),
    ("地熱", "geothermal"),
    ("小水力", "small_hydro"),
    ("太陽光電", "solar"),
    ("天然氣", "lng_terminal"),
    ("淨水", "water_treatment_plant"),
    ("再生水", "reclaimed_water_plant"),
    ("海水淡化", "desalination_plant"),
    ("海淡", "desalination_plant"),
    ("水井", "well"),
    ("伏流水", "subsurface_intake"),
    ("供水", "water_supply"),
    ("取水", "water_supply"),
    ("排水", "flood_control"),
    ("河川", "flood_control"),
    ("海岸", "flood_control"),
    ("流域", "flood_control"),
    ("防洪", "flood_control"),
    ("集水區", "watershed"),
    ("地層下陷", "subsidence"),
    ("斷層", "fault"),
    ("火山", "volcano"),
    ("崩塌", "landslide"),
    ("山崩", "landslide"),
    ("液化", "soil_liquefaction"),
    ("管線", "pipeline"),
    ("原水管", "pipeline"),
    ("產業園區", "industrial_park"),
    ("工業區", "industrial_park"),
    ("園區", "park"),
)
_LIST_MARKS: Final = ("、", "及", "與", "和", "暨")
#: A new subject between a figure and a name: the figure is about something else.
_NEW_SUBJECT: Final = re.compile(r"[，；](?:本部|台電|中油|台水|另|並|亦|同時)")
_ALIAS = re.compile(r"^[（(](?:以下)?簡稱[「]?([^」）)]{1,12})[」]?[）)]|^[（(]([A-Z]{2,10})[）)]")
_ORDINAL_FILLER = re.compile(r"液化天然氣|天然氣|座")
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+\S+$")


@dataclass(frozen=True, slots=True)
class Mention:
    """One printed mention of a named facility or plan, with the span it speaks for."""

    name: str
    kind: RecordKind
    facility_type: str | None
    paragraph: Paragraph
    start: int
    end: int
    scope: tuple[int, int]
    place_bound: bool
    aliases: tuple[str, ...] = ()
    status_end: int = -1
    owns_scope: bool = True
    work_plan: str | None = None


def plan_type(name: str, facility_type: str | None) -> str | None:
    """The facility type of a plan: from its facility word, else from its domain words."""
    if facility_type is not None:
        return facility_type
    return next((kind for word, kind in PLAN_TYPES if word in name), None)


def _alias_after(text: str, end: int) -> tuple[str, ...]:
    match = _ALIAS.match(text[end:])
    if not match:
        return ()
    return (match.group(1) or match.group(2),)


#: A facility name followed, up to the next list mark, by the words of a work on it
#: (臺南山上淨水場供水系統改善、白河水庫後續更新改善第一階段、): a project's name printed
#: without 計畫; the entry is named by it, so that it joins that project.
_WORK_TAIL = re.compile(
    r"^((?:(?![及與和])[\u4e00-\u9fff（）()]){0,14}?"
    r"(?:改善|更新|整治|擴建|擴區|改建|增建|新建|第.期|第.階段|[（(]第.階段[)）]))"
    r"(?=[、，。；：:及與等\d]|$)"
)
_STATUS = re.compile(r"已|將|預|於|完成|進行|辦理|持續|啟動|推動")
#: A county or city printed before a site's own name (苗栗通霄溪伏流水 is 通霄溪伏流水).
_COUNTY_PREFIX = re.compile(
    r"^(?:臺北|台北|新北|桃園|臺中|台中|臺南|台南|高雄|基隆|新竹|苗栗|彰化|南投|雲林|嘉義|屏東|"
    r"宜蘭|花蓮|臺東|台東|澎湖|金門|連江)[市縣]?"
)


#: What a county's name runs on into (臺中港, 桃園支援新竹): then it is not a prefix.
_NOT_A_NAME_START = ("港", "市", "縣", "區", "支援", "地區")


def _work_name(paragraph: Paragraph, match: NameMatch) -> str:
    """A facility's name, or the work on it where the print names one: 臺南山上淨水場 in
    ``臺南山上淨水場供水系統改善、`` is that work, 楠梓科技園區 in ``楠梓科技園區鑽石區塊更新：``
    the renewal of that block."""
    tail = _WORK_TAIL.match(re.sub(r"\s+", "", paragraph.text[match.end : match.end + 40]))
    if tail and not _STATUS.search(tail.group(1)):
        return match.name + tail.group(1)
    return match.name


def _county_free(name: str) -> tuple[str, ...]:
    """A site's name without the county printed before it (苗栗通霄溪伏流水: 通霄溪伏流水)."""
    bare = _COUNTY_PREFIX.sub("", name)
    if bare != name and len(bare) >= 4 and not bare.startswith(_NOT_A_NAME_START):
        return (bare,)
    return ()


def _plan_mention(paragraph: Paragraph, match: NameMatch) -> Mention:
    scope = scope_of(paragraph, match.start)
    kind = plan_type(match.name, match.facility_type)
    scoped = paragraph.text[scope[0] : scope[1]]
    bound = names_place(match.name) or (
        kind is not None
        and not re.search(r"全國|全臺|國家", match.name)
        and any(word in scoped for word in PLACE_WORDS)
    )
    aliases = _alias_after(paragraph.text, match.end)
    return Mention(
        match.name, RecordKind.PLAN, kind, paragraph, match.start, match.end, scope, bound, aliases
    )


def mentions_in(
    paragraph: Paragraph, *, extra: Sequence[NameMatch] = (), clauses: bool = True
) -> list[Mention]:
    """The plans and facilities named in ``paragraph``, in print order.

    A facility named inside a plan's name (``大潭電廠`` in ``大潭電廠增建計畫``) is that
    plan's subject, not a mention of its own there. ``extra`` are facility names the caller
    found by rules of its own document; ``clauses`` reads unquoted plan names too.
    """
    plans = find_plan_names(paragraph.text, clauses=clauses)
    mentions = [_plan_mention(paragraph, plan) for plan in plans]
    for match in [*extra, *find_facility_names(paragraph.text)]:
        if any(p.start <= match.start and match.end <= p.end for p in plans):
            continue
        mentions.append(
            Mention(
                _work_name(paragraph, match),
                RecordKind.FACILITY,
                match.facility_type,
                paragraph,
                match.start,
                match.end,
                scope_of(paragraph, match.start),
                True,
                (*_alias_after(paragraph.text, match.end), *_county_free(match.name)),
            )
        )
    return _settle(paragraph.text, sorted(mentions, key=lambda m: m.start))


def _status_end(text: str, mentions: Sequence[Mention], index: int) -> int:
    """Where the words about mention ``index`` end: at the next name that starts a new clause.

    Names listed together (``A、B後續更新改善、C等均已進入施工階段``: no clause mark between
    them, each gap ending in a list mark) share the status printed after them.
    """
    mention = mentions[index]
    previous = mention.end
    for other in mentions[index + 1 :]:
        if other.start >= mention.scope[1]:
            break
        gap = text[previous : other.start]
        if gap and (re.search(r"[，；。：]", gap) or not gap.endswith(_LIST_MARKS)):
            return other.start
        previous = other.end
    return mention.scope[1]


def _settle(text: str, mentions: list[Mention]) -> list[Mention]:
    """Decide where each mention's status words end and whether it alone owns its scope's
    figures. The first name in an item's title is the item's subject: it owns the item; other
    names in the title (``…廠供應觀音工業區：``) are objects and own nothing. Elsewhere a figure
    printed beside several names belongs to none of them (``合計約 3,669 億元`` after nine
    plans), except a figure printed inside a name."""
    title = title_end(text)
    settled: list[Mention] = []
    for index, mention in enumerate(mentions):
        if mention.start < title:
            subject = index == 0
            after = [m.start for m in mentions if m.start > title]
            end = (after[0] if after else len(text)) if subject else mention.end
            settled.append(replace(mention, status_end=end, owns_scope=subject))
            continue
        others = {m.name for m in mentions if mention.scope[0] <= m.start < mention.scope[1]}
        settled.append(
            replace(
                mention,
                status_end=_status_end(text, mentions, index),
                owns_scope=others == {mention.name},
            )
        )
    return settled


def _ordinal_key(name: str) -> str | None:
    key = _ORDINAL_FILLER.sub("", name)
    match = _ORDINAL.search(key)
    return match.group(0) if match else None


def merge_ordinal_names(mentions: Sequence[Mention]) -> list[Mention]:
    """Give a facility named by ordinal one name: ``第三天然氣接收站`` and
    ``第三座液化天然氣接收站`` are ``觀塘第三接收站`` where the document prints that name.

    Only names that start with the ordinal are renamed, and only when one name with a place
    before the ordinal shares their key; the other printed forms become aliases.
    """
    by_key: dict[str, list[str]] = {}
    for mention in mentions:
        key = _ordinal_key(mention.name)
        if key and mention.name not in by_key.get(key, []):
            by_key.setdefault(key, []).append(mention.name)
    canonical: dict[str, str] = {}
    for names in by_key.values():
        ordinal = [n for n in names if n.startswith("第")]
        placed = [n for n in names if not n.startswith("第")]
        if ordinal and len(placed) <= 1:
            best = placed[0] if placed else ordinal[0]
            canonical.update(dict.fromkeys(ordinal, best))
    merged: list[Mention] = []
    for mention in mentions:
        name = canonical.get(mention.name, mention.name)
        aliases = mention.aliases if name == mention.name else (*mention.aliases, mention.name)
        merged.append(replace(mention, name=name, aliases=aliases))
    return merged


def _figures(mentions: Iterable[Mention]) -> tuple[Figure, ...]:
    seen: dict[tuple[int, int], Figure] = {}
    for mention in mentions:
        for offset, figure in paragraph_figures(mention.paragraph, *mention.scope):
            inside = mention.start <= offset < mention.end
            before = mention.paragraph.text[offset : mention.start]
            if inside or (mention.owns_scope and not _NEW_SUBJECT.search(before)):
                seen.setdefault((mention.paragraph.first_line, offset), figure)
    return tuple(seen.values())


def _record(document: Document, kind: DocumentKind, group: list[Mention]) -> Record:
    first = group[0]
    begin, end = first.scope
    first_line, last_line = first.paragraph.span_lines(begin, end)
    status, year = None, None
    for mention in group:
        status, year = find_status(mention.paragraph.text[mention.end : mention.status_end])
        if status:
            break
    aliases = unique([a for m in group for a in m.aliases if a != first.name])
    return Record(
        name=first.name,
        kind=first.kind,
        source=Source(document.name, kind, first_line, last_line),
        text=first.paragraph.text[begin:end],
        aliases=aliases,
        facility_type=first.facility_type,
        work_plan=first.work_plan,
        status_phrase=status,
        completion_year=year,
        figures=_figures(group),
        place_bound=any(m.place_bound for m in group),
    )


def records_from_mentions(
    document: Document, kind: DocumentKind, mentions: Sequence[Mention]
) -> tuple[Record, ...]:
    """One record per distinct name, at its first mention, with every mention's figures."""
    groups: dict[str, list[Mention]] = {}
    for mention in merge_ordinal_names(mentions):
        groups.setdefault(mention.name, []).append(mention)
    return tuple(_record(document, kind, group) for group in groups.values())


def finish(document: Document, result: ParseResult, *, parser: str) -> ParseResult:
    """Log the one line a parse ends with, and return ``result``."""
    unbound = sum(1 for record in result.records if not record.place_bound)
    log.info(
        "%s: %s -> %d records (%d not place-bound, %d problems)",
        parser,
        document.name,
        len(result.records),
        unbound,
        len(result.problems),
    )
    return result
