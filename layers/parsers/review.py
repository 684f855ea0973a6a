"""Parser for the performance review of Forward-looking Infrastructure projects (placeholder)."""

from __future__ import annotations

from layers.parsers import ParseResult
from layers.records import Document, DocumentKind

KIND = DocumentKind.PERFORMANCE_REVIEW


def recognise(document: Document) -> bool:
    """Whether ``document`` is of this kind."""
    return False


def parse(document: Document) -> ParseResult:
    """Read the records of ``document``."""
    return ParseResult(records=())
