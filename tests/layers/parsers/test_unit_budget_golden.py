"""Golden tests: the records of real excerpts of the unit budget, checked by hand."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layers.parsers import unit_budget
from layers.records import Document
from tests.layers.parsers.conftest import records_json


@pytest.mark.parametrize(
    ("excerpt_name", "golden_name"),
    [
        ("industrial_management.txt", "industrial_management.json"),
        ("general_administration.txt", "general_administration.json"),
    ],
)
def test_excerpt_matches_golden(
    excerpt: Callable[[str], Document],
    golden_text: Callable[[str, str], None],
    excerpt_name: str,
    golden_name: str,
) -> None:
    result = unit_budget.parse(excerpt(excerpt_name))
    golden_text(golden_name, records_json(result.records))
