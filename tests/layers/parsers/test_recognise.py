"""Each narrative parser recognises its own document by content and rejects the other four."""

from __future__ import annotations

import logging
from types import ModuleType

import pytest

from layers.parsers import business_report, policy_plan, sti_plan
from layers.records import Document
from tests.layers.parsers.conftest import (
    ALL_SOURCES,
    BUSINESS_REPORT,
    POLICY_PLAN,
    STI_PLAN,
    make_document,
)

OWN = {policy_plan: POLICY_PLAN, business_report: BUSINESS_REPORT, sti_plan: STI_PLAN}


@pytest.mark.parametrize("module", list(OWN))
@pytest.mark.parametrize("source", ALL_SOURCES)
def test_recognises_only_its_own_document(
    module: ModuleType, source: str, sources: dict[str, Document]
) -> None:
    assert module.recognise(sources[source]) is (OWN[module] == source)


def test_recognition_ignores_the_file_name(sources: dict[str, Document]) -> None:
    renamed = Document(name="unknown.txt", lines=sources[BUSINESS_REPORT].lines)
    assert business_report.recognise(renamed)
    assert not policy_plan.recognise(Document(name=POLICY_PLAN, lines=("隨便的文字",)))


MALFORMED = {
    "empty": "",
    "blank lines": "\n\n  \n",
    "random text": "這是一段隨機的文字，沒有任何表格。\n123 456\n@@@ ###",
    "headings only": (
        "經濟部108年度施政計畫\n貳、年度重要計畫\n工作計畫名稱重要計畫項目計畫\n類別實施內容"
    ),
    "a lonely category": "貳、年度重要計畫\n公共\n建設",
    "unpaired quotes": "經濟部業務報告\n壹、工業\n一、 推動「大潭電廠增建計畫\n。」」「",
}


@pytest.mark.parametrize("module", list(OWN))
@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_documents_give_a_clear_result(module: ModuleType, text: str) -> None:
    document = make_document(text, name="odd.txt")
    assert module.recognise(document) is False
    result = module.parse(document)
    assert all(record.source.document == "odd.txt" for record in result.records)
    assert all(problem.document == "odd.txt" for problem in result.problems)


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (policy_plan, "no 年度重要計畫 table found"),
        (business_report, "no bureau section to read was found"),
        (sti_plan, "no text to read"),
    ],
)
def test_empty_document_is_a_problem_not_an_exception(module: ModuleType, message: str) -> None:
    result = module.parse(make_document(""))
    assert result.records == ()
    assert [problem.message for problem in result.problems] == [message]


def test_each_parse_ends_with_one_log_line(
    caplog: pytest.LogCaptureFixture, sources: dict[str, Document]
) -> None:
    with caplog.at_level(logging.INFO, logger="layers.parsers.mentions"):
        result = business_report.parse(sources[BUSINESS_REPORT])
    (message,) = [record.getMessage() for record in caplog.records]
    unbound = sum(1 for record in result.records if not record.place_bound)
    assert message.startswith(
        f"business_report: {BUSINESS_REPORT} -> {len(result.records)} records "
        f"({unbound} not place-bound"
    )
