"""One parser per document kind, chosen by what the text contains.

A parser is a module with ``KIND``, ``recognise(document) -> bool`` and
``parse(document) -> ParseResult``. :data:`PARSERS` is asked in order; the first that
recognises a document parses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from layers.records import Document, DocumentKind, Problem, Record

__all__ = ["ParseResult", "find_parser", "kind_of", "parsers"]


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a parser read from one document."""

    records: tuple[Record, ...]
    problems: tuple[Problem, ...] = field(default=())
    tables_parsed: int = 0


def parsers() -> list[ModuleType]:
    """The parser modules, most specific first."""
    from layers.parsers import business_report, policy_plan, review, sti_plan, unit_budget

    return [review, unit_budget, policy_plan, business_report, sti_plan]


def find_parser(document: Document) -> ModuleType | None:
    """The parser that recognises ``document``, or ``None``."""
    for module in parsers():
        if module.recognise(document):
            return module
    return None


def kind_of(module: ModuleType) -> DocumentKind:
    """The document kind a parser module reads."""
    kind: DocumentKind = module.KIND
    return kind
