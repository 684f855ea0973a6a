"""Stage 2: recognise each document's kind and extract its records."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from types import ModuleType

from layers.parsers import ParseResult, find_parser, kind_of, parsers
from layers.parsers.cover import read_cover
from layers.records import Document, DocumentReport, Problem, Record

__all__ = ["Extraction", "extract_records"]

_KIND_ORDER = [kind_of(module) for module in parsers()]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Every record read, and a report per document (including those no parser knows)."""

    records: tuple[Record, ...]
    reports: tuple[DocumentReport, ...]


def extract_records(documents: list[Document]) -> Extraction:
    """Parse each document with the parser that recognises its content.

    Documents are read in an order that depends on their content only (the kind the parser
    recognises, then the text's digest), never on their file names or the order they are
    given in: the same documents always give the same records in the same order.

    A document no parser recognises is reported with a problem and skipped; a parser that fails
    on a document loses that document only, and the failure is reported.
    """
    records: list[Record] = []
    reports: list[DocumentReport] = []
    for parser, document in sorted(((find_parser(d), d) for d in documents), key=_content_order):
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
                cover=read_cover(kind_of(parser), document),
            )
        )
    reports.sort(key=lambda report: report.document)
    with_budget = sum(1 for record in records if record.budget_rows)
    log.info(
        "extract: %d documents -> %d records (%d with budget tables)",
        len(documents),
        len(records),
        with_budget,
    )
    return Extraction(records=tuple(records), reports=tuple(reports))


def _content_order(pair: tuple[ModuleType | None, Document]) -> tuple[int, str]:
    parser, document = pair
    rank = _KIND_ORDER.index(kind_of(parser)) if parser else len(_KIND_ORDER)
    digest = hashlib.sha256("\n".join(document.lines).encode("utf-8")).hexdigest()
    return rank, digest
