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
