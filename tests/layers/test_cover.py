"""What each document prints of itself — title, years, issue month — read from its text only,
and nothing where nothing is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.parsers import find_parser, kind_of
from layers.parsers.cover import read_cover
from layers.read import read_document
from layers.records import Cover, Document, DocumentKind


def _cover(sources: Path, kind: DocumentKind) -> Cover:
    for path in sorted(sources.glob("*.txt")):
        document = read_document(path)
        parser = find_parser(document)
        if parser is not None and kind_of(parser) == kind:
            return read_cover(kind, document)
    raise AssertionError(f"no {kind} among the sources")


@pytest.mark.parametrize(
    ("kind", "title", "years", "issued"),
    [
        (DocumentKind.POLICY_PLAN, "經濟部108年度施政計畫", (2019, 2019), None),
        (DocumentKind.BUSINESS_REPORT, "經濟部業務報告", (2020, 2020), None),  # printed spaced
        (
            DocumentKind.UNIT_BUDGET,
            "中華民國109年度中央政府總預算案 經濟部工業局單位預算",
            (2020, 2020),
            None,
        ),
        # the title is broken over two lines in the text
        (DocumentKind.STI_PLAN, "國家科學技術發展計畫（民國110年至113年）", (2021, 2024), None),
        # no title printed; its section covers say 經濟部, 111 年 1 月
        (DocumentKind.PERFORMANCE_REVIEW, None, (None, None), "2022-01"),
    ],
)
def test_the_real_documents_covers(
    sources: Path,
    kind: DocumentKind,
    title: str | None,
    years: tuple[int | None, int | None],
    issued: str | None,
) -> None:
    cover = _cover(sources, kind)
    assert (cover.title, (cover.first_year, cover.last_year), cover.issued) == (
        title,
        years,
        issued,
    )
    assert cover.line is not None


def _document(*lines: str) -> Document:
    return Document(name="x.txt", lines=lines)


def test_a_cover_re_wrapped_or_spaced_is_read_the_same() -> None:
    cover = read_cover(DocumentKind.POLICY_PLAN, _document("", " 經 濟 部 1 0 8 年度", "施政計畫"))
    assert (cover.title, cover.first_year, cover.line) == ("經濟部108年度施政計畫", 2019, 2)


@pytest.mark.parametrize(
    ("kind", "lines"),
    [
        (DocumentKind.POLICY_PLAN, ("經濟部施政計畫",)),  # no year printed: no title read
        (DocumentKind.UNIT_BUDGET, ("經濟部工業局單位預算",)),  # no 中華民國…年度
        (DocumentKind.PERFORMANCE_REVIEW, ("經濟部", "111 年 13 月")),  # no such month
        (None, ("經濟部108年度施政計畫",)),  # an unrecognised document
    ],
)
def test_what_is_not_printed_is_none(kind: DocumentKind | None, lines: tuple[str, ...]) -> None:
    assert read_cover(kind, _document(*lines)) == Cover()
