"""Fixtures for the parser tests: source documents, fixture excerpts and golden files.

Golden files are rewritten, instead of compared, with ``pytest --update-golden`` (or
``UPDATE_GOLDEN=1``); review the diff by hand against the excerpt before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from layers.read import read_document
from layers.records import Document, Record

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "data" / "sources"
FIXTURES = ROOT / "tests" / "fixtures" / "unit_budget"
UNIT_BUDGET = "003_8de6e0f7f6b119a0.txt"
NARRATIVE_FIXTURES = ROOT / "tests" / "fixtures" / "narrative"
NARRATIVE_GOLDEN = Path(__file__).resolve().parent / "golden"


def _jsonable(value: Any) -> Any:
    """Dates, decimals and enums as strings; everything else as JSON has it."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def records_json(records: tuple[Record, ...]) -> str:
    """Records normalised for a golden file: sorted keys, one stable order."""
    rows = [_jsonable(asdict(record)) for record in records]
    rows.sort(key=lambda r: (r["kind"], r["source"]["first_line"], r["name"]))
    return json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.fixture(scope="session")
def unit_budget_document() -> Document:
    """The real 109 unit budget of the Industrial Development Bureau."""
    return read_document(SOURCES / UNIT_BUDGET)


@pytest.fixture
def excerpt() -> Callable[[str], Document]:
    """Read a fixture excerpt of the unit budget by file name."""

    def read(name: str) -> Document:
        return read_document(FIXTURES / name)

    return read


@pytest.fixture
def golden_text(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with a golden file, or rewrite it with --update-golden (or UPDATE_GOLDEN=1)."""

    def check(name: str, text: str) -> None:
        path = FIXTURES / "golden" / name
        if request.config.getoption("--update-golden") or os.environ.get("UPDATE_GOLDEN") == "1":
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text

    return check


POLICY_PLAN = "000_86925d757fe25f39.txt"
BUSINESS_REPORT = "001_3f6f350d1aff0367.txt"
REVIEW = "002_3096ba7c283ef362.txt"
STI_PLAN = "004_458db82b3813648c.txt"
ALL_SOURCES = (POLICY_PLAN, BUSINESS_REPORT, REVIEW, UNIT_BUDGET, STI_PLAN)


@pytest.fixture(scope="session")
def sources() -> dict[str, Document]:
    """Every source document, by file name."""
    return {name: read_document(SOURCES / name) for name in ALL_SOURCES}


@pytest.fixture(scope="session")
def policy_plan(sources: dict[str, Document]) -> Document:
    """經濟部 108 年度施政計畫."""
    return sources[POLICY_PLAN]


@pytest.fixture(scope="session")
def business_report(sources: dict[str, Document]) -> Document:
    """經濟部業務報告."""
    return sources[BUSINESS_REPORT]


@pytest.fixture(scope="session")
def sti_plan(sources: dict[str, Document]) -> Document:
    """國家科學技術發展計畫."""
    return sources[STI_PLAN]


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether the run was asked to rewrite golden files."""
    return bool(request.config.getoption("--update-golden"))


def narrative_excerpt(name: str) -> Document:
    """A fixture excerpt: real lines copied from a narrative source document."""
    return read_document(NARRATIVE_FIXTURES / name)


def make_document(text: str, name: str = "test.txt") -> Document:
    """A document from literal text."""
    return Document(name=name, lines=tuple(text.split("\n")))
