"""Altered copies of the real documents, as the next edition or another PDF converter makes them.

Each alteration takes the corpus as ``{file name: text}`` and returns a new one. Sections of the
review are cut where the parser of the *unaltered* report says they are; the altered copy is
then read afresh, so nothing of the first reading is carried over but the cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from layers.parsers import review
from layers.read import read_document

Corpus = dict[str, str]
Alteration = Callable[[Corpus], Corpus]

REVIEW = "002_3096ba7c283ef362.txt"
BUSINESS = "001_3f6f350d1aff0367.txt"


def load(sources: Path) -> Corpus:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(sources.glob("*.txt"))}


def review_sections(sources: Path) -> dict[str, tuple[int, int]]:
    """Each review section's name → its (first, last) line in the unaltered report."""
    records = review.parse(read_document(sources / REVIEW)).records
    return {r.name: (r.source.first_line, r.source.last_line) for r in records}


def _blocks(
    text: str, spans: dict[str, tuple[int, int]]
) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
    """The report as head, named section blocks in order, tail."""
    lines = text.split("\n")
    ordered = sorted(spans.items(), key=lambda item: item[1][0])
    head = lines[: ordered[0][1][0] - 1]
    blocks = [(name, lines[first - 1 : last]) for name, (first, last) in ordered]
    tail = lines[ordered[-1][1][1] :]
    return head, blocks, tail


def _join(head: list[str], blocks: list[tuple[str, list[str]]], tail: list[str]) -> str:
    return "\n".join([*head, *(line for _, block in blocks for line in block), *tail])


def reorder(spans: dict[str, tuple[int, int]], moves: list[tuple[str, str | None]]) -> Alteration:
    """Move each named section after another (``None``: to the end of the report)."""

    def alter(corpus: Corpus) -> Corpus:
        head, blocks, tail = _blocks(corpus[REVIEW], spans)
        for name, after in moves:
            block = next(b for b in blocks if b[0] == name)
            blocks.remove(block)
            index = len(blocks) if after is None else [b[0] for b in blocks].index(after) + 1
            blocks.insert(index, block)
        return {**corpus, REVIEW: _join(head, blocks, tail)}

    return alter


def remove(spans: dict[str, tuple[int, int]], names: list[str]) -> Alteration:
    def alter(corpus: Corpus) -> Corpus:
        head, blocks, tail = _blocks(corpus[REVIEW], spans)
        return {**corpus, REVIEW: _join(head, [b for b in blocks if b[0] not in names], tail)}

    return alter


def duplicate(
    spans: dict[str, tuple[int, int]], name: str, title: str | None, edits: dict[str, str]
) -> Alteration:
    """Print section ``name`` twice: the copy after it, its cover title replaced by ``title``
    (or kept, with ``None``) and the ``edits`` made to its text."""

    def alter(corpus: Corpus) -> Corpus:
        head, blocks, tail = _blocks(corpus[REVIEW], spans)
        index = [b[0] for b in blocks].index(name)
        copy = "\n".join(blocks[index][1])
        if title is not None:
            copy = copy.replace(name, title, 1)
        for old, new in edits.items():
            assert old in copy, old
            copy = copy.replace(old, new)
        blocks.insert(index + 1, (f"copy of {name}", copy.split("\n")))
        return {**corpus, REVIEW: _join(head, blocks, tail)}

    return alter


def footers_in_tables(corpus: Corpus) -> Corpus:
    """Page footers of other forms printed inside every budget table, after its first row."""
    forms = ["- 45 -", "第 3 頁", "第 12 頁，共 80 頁", "— 7 —", "Page 9", "3 / 40"]
    lines = corpus[REVIEW].split("\n")
    out: list[str] = []
    count = 0
    for line in lines:
        out.append(line)
        if re.match(r"^\s*\d?\s*1[01]\d \d[\d,]*", line):
            out += ["", forms[count % len(forms)], ""]
            count += 1
    assert count > 50
    return {**corpus, REVIEW: "\n".join(out)}


def full_width(corpus: Corpus) -> Corpus:
    """The review with every ASCII digit, letter, % and . printed full-width (１１０ ４５．５％)."""
    table = str.maketrans(
        {
            **{chr(ord("0") + k): chr(0xFF10 + k) for k in range(10)},
            **{chr(ord("A") + k): chr(0xFF21 + k) for k in range(26)},
            "%": "％",
            ".": "．",
        }
    )
    return {**corpus, REVIEW: corpus[REVIEW].translate(table)}


def renamed_reversed(corpus: Corpus) -> Corpus:
    """Every file renamed, so that name order reverses the documents' order."""
    names = sorted(corpus)
    return {f"{len(names) - k:02d}_report.txt": corpus[name] for k, name in enumerate(names)}


_HEADING = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十壹貳參肆伍陸柒捌玖拾]+、|\d+[、.])"
)


def rewrapped(corpus: Corpus) -> Corpus:
    """The business report's prose re-wrapped at twice the width (another converter, another
    page): each prose line joined with the next unless that one opens a heading."""
    lines = [line for line in corpus[BUSINESS].split("\n") if line.strip()]

    def prose(line: str) -> bool:
        return "\t" not in line and len(line.strip()) > 15

    out: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        following = lines[k + 1] if k + 1 < len(lines) else None
        if following and prose(line) and prose(following) and not _HEADING.match(following):
            out.append(line.rstrip() + following.lstrip())
            k += 2
        else:
            out.append(line)
            k += 1
    return {**corpus, BUSINESS: "\n\n".join(out)}


def edited(file: str, edits: dict[str, str]) -> Alteration:
    def alter(corpus: Corpus) -> Corpus:
        text = corpus[file]
        for old, new in edits.items():
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        return {**corpus, file: text}

    return alter


def unrelated_added(corpus: Corpus) -> Corpus:
    """A document that is not a report of the ministry: a council's meeting minutes."""
    minutes = "\n".join(
        [
            "臺南市議會第四屆第二次定期會會議紀錄",
            "時間：110 年 10 月 5 日上午 9 時",
            "出席：議員 45 人",
            "一、報告事項：市府工務局報告永康區道路養護工程 12 件，經費 3,200 萬元。",
            "二、討論事項：安南區排水改善，請市府於 111 年度編列預算 1.2 億元辦理。",
        ]
    )
    return {**corpus, "000_minutes.txt": minutes}
