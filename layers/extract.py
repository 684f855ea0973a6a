"""Stage 2: recognise each document's kind and extract its records."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from layers.parsers import ParseResult, find_parser, kind_of
from layers.records import Document, DocumentReport, Problem, Record

__all__ = ["Extraction", "extract_records"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Every record read, and a report per document (including those no parser knows)."""

    records: tuple[Record, ...]
    reports: tuple[DocumentReport, ...]


def extract_records(documents: list[Document]) -> Extraction:
    """Parse each document with the parser that recognises its content.

    A document no parser recognises is reported with a problem and skipped; a parser that fails
    on a document loses that document only, and the failure is reported.
    """
    records: list[Record] = []
    reports: list[DocumentReport] = []
    for document in documents:
        parser = find_parser(document)
        if parser is None:
            problem = Problem(document.name, None, "no parser recognises this document; skipped")
            reports.append(DocumentReport(document.name, None, problems=(problem,)))
            continue
        try:
            result: ParseResult = parser.parse(document)
        except Exception as exc:  # one broken document must not stop the build
            problem = Problem(document.name, None, f"parser failed: {type(exc).__name__}: {exc}")
            reports.append(DocumentReport(document.name, kind_of(parser), problems=(problem,)))
            continue
        records += result.records
        reports.append(
            DocumentReport(
                document.name,
                kind_of(parser),
                records=len(result.records),
                tables_parsed=result.tables_parsed,
                problems=result.problems,
            )
        )
    with_budget = sum(1 for record in records if record.budget_rows)
    log.info(
        "extract: %d documents -> %d records (%d with budget tables)",
        len(documents),
        len(records),
        with_budget,
    )
    return Extraction(records=tuple(records), reports=tuple(reports))
