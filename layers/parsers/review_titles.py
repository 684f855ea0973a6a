"""Who each project section of the review is: its title, number and programme, from its own text.

A section prints what identifies it in three places, each unreliable in the PDF's text:

- its **cover page** (title above the agencies and the date; often abbreviated, often lost),
- its **page footers** (``N-k``: section N, page k; only a few survive the conversion),
- its **body** (the names, works and agencies it reports on).

The **table of contents** prints ``title(agencies) N-1`` per section, but the text drops,
splits and misnumbers its entries (the real report prints 縣市管河川及區域排水整體改善計畫 beside
``19-1`` although its pages are ``18-k``). So the contents are aligned to sections *by
content*, never by position alone:

1. An entry may name a section whose cover prints the same title (after
   :func:`~layers.merge.match_key`), or whose text holds half of the entry title's character
   pairs (each weighted by how rare it is among the sections), or a third of them if no other
   section holds two thirds as much. A project that a section names as its partner
   (配合…「…計畫」) is left out of its text for this.
2. One optimal assignment (the Hungarian method) decides between competing sections, scoring
   the share of the title, a matching cover, the agencies a cover prints and a matching
   ``N-k`` footer. The entries' order and page numbers never decide alone.
3. A section whose cover prints a title that an entry does not match keeps its own title; the
   cover always wins. An entry that names no section is a reported problem.

A section's **number** is the one its footers print, else its aligned entry's ``N-1``; it is
never counted from its position. Its **programme** is the label its cover prints, else the one
its number falls in by the introduction's counts (水環境建設 19項、綠能建設 11項…), else the one
both its neighbours share (reported). A section left without a title gets a placeholder that
names its printed number, or else the titled section it follows, with a reported problem.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from layers.merge import agency_key, match_key
from layers.parsers.pages import is_page_footer, section_footer
from layers.records import Document

__all__ = ["Identity", "contents_end", "cover_start", "identify_sections"]

_TOC_MARKER = re.compile(r"(?:^|\s)(\d{1,2})-1\s*$")
_DATE = re.compile(r"^\d{3}\s*年\s*\d{1,2}\s*月$")
_SENTENCE = re.compile(r"[。，；：！？,;:]")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|[壹貳參肆伍陸柒]、|\d+[.、])"
)
_PROGRAMME_NAMES = ("水環境建設", "綠能建設", "數位建設", "城鄉建設", "人才培育促進就業建設")
_GROUP_LABEL = re.compile(r"^(?:水環境|綠能|數位|城鄉|人才培育|促進就業|建設|[(（]\d+項[)）])+$")
_AGENCY = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,12}(?:部|署|會|局|處|司|公司))(?:、[\u4e00-\u9fff]{2,12})*$"
)
# Another project named as a partner (配合中小企業處「引領中小微型企業…計畫」) is not this
# section's subject: such names are left out of the text the contents are matched against.
_REFERENCE = re.compile(
    r"(?:配合|協助|結合|搭配|參與|支援|串聯|銜接|延續|接續)[\u4e00-\u9fff]{0,8}?「[^」]{2,40}」"
)
_MAX_COVER_LINES = 12
_MAX_TITLE_CHARS = 40
_ANCHOR_SHARE = 0.5  # of an entry title's weighted pairs that a section's text holds: a match
_DISTINCT_SHARE = 0.35  # … or this much, if it is
_DISTINCT_RATIO = 1.5  # … this many times the entry's share in any other section


@dataclass(frozen=True, slots=True)
class Identity:
    """What identifies one section: title, number and programme, and where each came from."""

    name: str
    aliases: tuple[str, ...]
    agencies: tuple[str, ...]
    number: int | None
    programme: str | None
    title_source: str
    problems: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class _Section:
    order: int  # 1-based position in the document
    first: int
    start: int
    last: int
    cover: str | None
    cover_agencies: tuple[str, ...]
    cover_programme: str | None
    footer_number: int | None
    footer_line: int | None
    text: str  # the section's text, spaces removed, 台 as 臺


@dataclass(frozen=True, slots=True)
class _Entry:
    marker: int  # the N of its printed N-1
    title: str
    agencies: tuple[str, ...]
    line: int


def cover_start(document: Document, section_start: int, floor: int = 0) -> int:
    """The first line of the cover page before ``section_start``, from its ``N-1`` footer if
    one is printed (a footer opens its page in the text); never at or above line ``floor``."""
    first = section_start
    seen = 0
    for number in range(section_start - 1, floor, -1):
        text = document.lines[number - 1].strip()
        if not text:
            continue
        footer = section_footer(text)
        if footer is not None:
            first = number
            if footer[1] == 1:  # the cover page's own footer opens it
                return first
            continue
        if is_page_footer(text):
            continue
        if not _cover_line(text) or seen >= _MAX_COVER_LINES:
            break
        seen += 1
        first = number
    return first


def contents_end(document: Document, first_section: int) -> int:
    """The last line of the table of contents: its last ``N-1`` before the first section."""
    markers = [
        number
        for number in range(1, first_section)
        if _TOC_MARKER.search(document.lines[number - 1].strip())
    ]
    return markers[-1] if markers else 0


def identify_sections(
    document: Document,
    spans: Sequence[tuple[int, int, int]],
    programme_counts: Sequence[tuple[str, int]],
) -> tuple[list[Identity], list[tuple[int, str]]]:
    """The identity of each section, given as (cover first line, 壹 line, last line), and the
    problems that concern no one section (contents entries that match none, counts)."""
    sections = [_read_section(document, k, *span) for k, span in enumerate(spans, start=1)]
    entries = _toc_entries(document, spans[0][0] if spans else len(document.lines))
    problems: dict[int, list[tuple[int, str]]] = {s.order: [] for s in sections}
    matched = _align(entries, sections)
    used = {entry.line for entry in matched.values()}
    unmatched = [
        (entry.line, f"contents entry {entry.title} ({entry.marker}-1) matches no section's text")
        for entry in entries
        if entry.line not in used
    ]
    numbers = _numbers(sections, matched, problems)
    total = sum(count for _, count in programme_counts)
    if total and total != len(sections):
        unmatched.append(
            (1, f"the introduction counts {total} projects; {len(sections)} sections found")
        )
    programmes = _programmes(sections, numbers, _programme_ranges(programme_counts), problems)
    identities = []
    previous: tuple[str | None, int] = (None, 0)  # the last titled section, untitled ones since
    for section in sections:
        found = problems[section.order]
        number = numbers[section.order]
        name, aliases, agencies, source = _title(
            section, matched.get(section.order), number, previous, found
        )
        previous = (previous[0], previous[1] + 1) if source == _PLACEHOLDER else (name, 0)
        identities.append(
            Identity(
                name, aliases, agencies, number, programmes[section.order], source, tuple(found)
            )
        )
    return identities, unmatched


# --- what each section prints about itself ---


def _read_section(document: Document, order: int, first: int, start: int, last: int) -> _Section:
    footers = [
        (number, found)
        for number in range(first, last + 1)
        if (found := section_footer(document.lines[number - 1]))
    ]
    counted = Counter(section for _, (section, _) in footers)
    footer_number = counted.most_common(1)[0][0] if counted else None
    footer_line = next((n for n, (s, _) in footers if s == footer_number), None)
    cover, agencies, programme = _cover(document, first, start)
    text = re.sub(r"\s+", "", document.text(first, last)).replace("台", "臺")
    text = _REFERENCE.sub("", text)
    return _Section(
        order, first, start, last, cover, agencies, programme, footer_number, footer_line, text
    )


def _cover_line(text: str) -> bool:
    if _SENTENCE.search(text) or _HEADING.match(text) or len(text) > _MAX_TITLE_CHARS:
        return False
    return text.count("(") + text.count("（") == text.count(")") + text.count("）")


def _cover(
    document: Document, first: int, start: int
) -> tuple[str | None, tuple[str, ...], str | None]:
    """The cover's title, its agency line and a programme label, as printed."""
    parts: list[str] = []
    labels: list[str] = []
    agencies: tuple[str, ...] = ()
    for index in range(first, start):
        text = document.lines[index - 1].strip()
        compact = text.replace(" ", "")
        if not text or is_page_footer(text):
            continue
        if _GROUP_LABEL.match(compact):
            labels.append(compact)
            continue
        if _DATE.match(text) or text == "經濟部":
            break
        if _AGENCY.match(compact):
            agencies = tuple(a for a in compact.split("、") if a)
            break
        parts.append(text)
    title = "".join(parts).replace(" ", "")
    label = "".join(labels)
    programme = next((name for name in _PROGRAMME_NAMES if name in label), None)
    return title or None, agencies, programme


# --- the table of contents ---


def _toc_entries(document: Document, end: int) -> list[_Entry]:
    """The entries of the table of contents, in printed order."""
    entries: list[_Entry] = []
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
            entries.append(_Entry(int(marker.group(1)), entry[0], entry[1], number))
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


# --- aligning the contents to the sections by content ---


def _align(entries: list[_Entry], sections: list[_Section]) -> dict[int, _Entry]:
    """Section order → the contents entry that names it, by content alone (one best assignment
    over the pairs the text supports: see the module docstring)."""
    if not entries or not sections:
        return {}
    weights = _pair_weights(sections)
    share = np.array([[_share(e.title, s.text, weights) for s in sections] for e in entries])
    same = np.array([[_same_cover(e, s) for s in sections] for e in entries])
    refused = np.array([s.cover is not None for s in sections]) & ~same  # a cover that differs
    agencies = np.array([[_agency_overlap(e, s) for s in sections] for e in entries])
    footer = np.array([[s.footer_number == e.marker for s in sections] for e in entries])
    # How far each pair stands out: its share against the entry's best share elsewhere.
    ranked = np.sort(share, axis=1)
    runner_up = ranked[:, -2:-1] if len(sections) > 1 else np.zeros((len(entries), 1))
    distinct = (share >= _DISTINCT_SHARE) & (share >= _DISTINCT_RATIO * runner_up)
    supported = same | (share >= _ANCHOR_SHARE) | distinct
    score = share + same + 0.5 * agencies + 0.2 * footer
    pairs = _assign(score, supported & ~refused)
    return {sections[j].order: entries[i] for i, j in pairs.items()}


def _assign(score: np.ndarray, eligible: np.ndarray) -> dict[int, int]:
    """Entry index → section index: the eligible pairs of one best assignment."""
    if not eligible.any():
        return {}
    rows, cols = linear_sum_assignment(np.where(eligible, score, 0.0), maximize=True)
    return {int(i): int(j) for i, j in zip(rows, cols, strict=True) if eligible[i, j]}


def _pairs(text: str) -> set[str]:
    plain = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text).replace("台", "臺")
    return {plain[k : k + 2] for k in range(len(plain) - 1)}


def _pair_weights(sections: list[_Section]) -> dict[str, float]:
    """How rare each character pair is among the sections (inverse document frequency)."""
    counts: Counter[str] = Counter()
    for section in sections:
        counts.update({section.text[k : k + 2] for k in range(len(section.text) - 1)})
    total = len(sections)
    weights = {pair: math.log((total + 1) / (count + 1)) for pair, count in counts.items()}
    weights[""] = math.log(total + 1)  # the weight of a pair that no section holds
    return weights


def _share(title: str, text: str, weights: dict[str, float]) -> float:
    """The weighted share of the title's character pairs that the text holds."""
    pairs = _pairs(title)
    total = sum(weights.get(pair, weights[""]) for pair in pairs)
    held = sum(weights.get(pair, weights[""]) for pair in pairs if pair in text)
    return held / total if total else 0.0


def _same_cover(entry: _Entry, section: _Section) -> bool:
    return section.cover is not None and match_key(section.cover) == match_key(entry.title)


def _agency_overlap(entry: _Entry, section: _Section) -> float:
    if not section.cover_agencies or not entry.agencies:
        return 0.0
    printed = {agency_key(a) for a in section.cover_agencies}
    listed = {agency_key(a) for a in entry.agencies}
    return len(printed & listed) / len(listed)


# --- numbers, programmes, titles ---


def _numbers(
    sections: list[_Section], matched: dict[int, _Entry], problems: dict[int, list[tuple[int, str]]]
) -> dict[int, int | None]:
    """Each section's number as printed: in its footers, else beside its contents entry."""
    numbers: dict[int, int | None] = {}
    for section in sections:
        entry = matched.get(section.order)
        numbers[section.order] = section.footer_number or (entry.marker if entry else None)
        if section.footer_number and entry is not None and entry.marker != section.footer_number:
            problems[section.order].append(
                (
                    entry.line,
                    f"contents print {entry.title} as {entry.marker}-1, but its pages are "
                    f"numbered {section.footer_number}-k (line {section.footer_line})",
                )
            )
    return numbers


def _programme_ranges(counts: Sequence[tuple[str, int]]) -> list[tuple[int, int, str]]:
    ranges, first = [], 1
    for name, count in counts:
        ranges.append((first, first + count - 1, name))
        first += count
    return ranges


def _programmes(
    sections: list[_Section],
    numbers: dict[int, int | None],
    ranges: list[tuple[int, int, str]],
    problems: dict[int, list[tuple[int, str]]],
) -> dict[int, str | None]:
    """Each section's programme: the label its cover prints, else the one its printed number
    falls in by the introduction's counts, else the one both its neighbours share (the report
    prints each programme's sections together), reported as such."""
    printed: dict[int, str | None] = {}
    for section in sections:
        number = numbers[section.order]
        counted = next((n for low, high, n in ranges if number and low <= number <= high), None)
        label = section.cover_programme
        if label and counted and label != counted:
            problems[section.order].append(
                (
                    section.first,
                    f"section {number}: cover prints {label}, counts place it in {counted}",
                )
            )
        printed[section.order] = label or counted
    programmes = dict(printed)
    for k, section in enumerate(sections):
        if printed[section.order]:
            continue
        before = next((printed[s.order] for s in reversed(sections[:k]) if printed[s.order]), None)
        after = next((printed[s.order] for s in sections[k + 1 :] if printed[s.order]), None)
        if before and before == after:
            programmes[section.order] = before
            problems[section.order].append(
                (section.start, f"programme {before} taken from the sections around it")
            )
        else:
            problems[section.order].append((section.start, "programme not printed"))
    return programmes


_PLACEHOLDER = "none printed: placeholder"


def _title(
    section: _Section,
    entry: _Entry | None,
    number: int | None,
    previous: tuple[str | None, int],
    problems: list[tuple[int, str]],
) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    cover = section.cover
    if entry is not None and cover is not None:
        name = max((entry.title, cover), key=len)  # the same title; keep the fuller form
        aliases = tuple(t for t in (entry.title, cover) if t != name)
        source = f"cover page (line {section.first}), confirmed by contents (line {entry.line})"
        return name, aliases, entry.agencies, source
    if entry is not None:
        source = f"contents (line {entry.line}), matched by the section's text"
        return entry.title, (), entry.agencies, source
    if cover is not None:
        return cover, (), section.cover_agencies, f"cover page (line {section.first})"
    # No title: named by what is printed (its number), else by the titled section before it.
    title, untitled = previous
    nth = "一二三四五六七八九"[untitled] if untitled < 9 else str(untitled + 1)
    if number is not None:
        placeholder = f"（第 {number} 項計畫：報告未載明名稱）"
    elif title is not None:
        placeholder = f"（報告未載明名稱：「{title}」後第{nth}節）"
    else:
        placeholder = f"（報告未載明名稱：報告第{nth}節）"
    problems.append((section.start, f"no title printed: named {placeholder}"))
    return placeholder, (), section.cover_agencies, _PLACEHOLDER
