"""Fixtures for the parser tests: the five source documents and the narrative excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.read import read_document
from layers.records import Document

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "data" / "sources"
FIXTURES = ROOT / "tests" / "fixtures" / "narrative"
GOLDEN = Path(__file__).resolve().parent / "golden"

POLICY_PLAN = "000_86925d757fe25f39.txt"
BUSINESS_REPORT = "001_3f6f350d1aff0367.txt"
REVIEW = "002_3096ba7c283ef362.txt"
UNIT_BUDGET = "003_8de6e0f7f6b119a0.txt"
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


def excerpt(name: str) -> Document:
    """A fixture excerpt: real lines copied from a source document."""
    return read_document(FIXTURES / name)


def make_document(text: str, name: str = "test.txt") -> Document:
    """A document from literal text."""
    return Document(name=name, lines=tuple(text.split("\n")))
