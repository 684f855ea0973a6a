"""Golden tests: real excerpts of the three narrative documents, parsed and compared.

The golden files were generated with ``--update-golden`` and then checked line by line
against the excerpts; a change to them is a change of behaviour to review.
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from layers.parsers import business_report, policy_plan, sti_plan
from layers.records import Figure, Record
from tests.layers.parsers.conftest import GOLDEN, excerpt


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _figure(figure: Figure) -> dict[str, Any]:
    return {slot: _plain(getattr(figure, slot)) for slot in Figure.__slots__}


def _record(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": record.name,
        "kind": record.kind.value,
        "lines": [record.source.first_line, record.source.last_line],
        "facility_type": record.facility_type,
        "place_bound": record.place_bound,
        "aliases": list(record.aliases),
        "work_plan": record.work_plan,
        "status_phrase": record.status_phrase,
        "completion_year": record.completion_year,
        "figures": [_figure(f) for f in record.figures],
        "text": record.text,
    }
    return out


def _normalised(module: ModuleType, fixture: str) -> dict[str, Any]:
    result = module.parse(excerpt(fixture))
    return {
        "records": sorted(
            (_record(r) for r in result.records), key=lambda r: (r["lines"], r["name"])
        ),
        "problems": [[p.line, p.message] for p in result.problems],
    }


@pytest.mark.parametrize(
    ("module", "fixture"),
    [
        (policy_plan, "policy_plan_excerpt.txt"),
        (business_report, "business_report_excerpt.txt"),
        (sti_plan, "sti_plan_excerpt.txt"),
    ],
)
def test_golden(module: ModuleType, fixture: str, update_golden: bool) -> None:
    actual = _normalised(module, fixture)
    path: Path = GOLDEN / fixture.replace("_excerpt.txt", ".json")
    if update_golden:
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    expected = json.loads(path.read_text())
    assert actual == expected
