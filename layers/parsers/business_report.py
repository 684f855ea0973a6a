"""Parser for business report documents (not written yet: recognises nothing)."""

from __future__ import annotations

from layers.parsers import ParseResult
from layers.records import Document, DocumentKind

KIND = DocumentKind.BUSINESS_REPORT


def recognise(document: Document) -> bool:
    """Whether ``document`` is of this kind."""
    return False


def parse(document: Document) -> ParseResult:
    """Read the records of ``document``."""
    return ParseResult(records=())
