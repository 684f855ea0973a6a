"""The built register, normalised and sorted, as a golden file: any change to the output shows
in review (``tests/golden/register.jsonl``, one project a line) and is made on purpose.

Run ``python -m pytest tests/test_register_golden.py --update-golden`` after a deliberate
change, and read the diff.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import GOLDEN

PATH = GOLDEN / "register.jsonl"


def _line(feature: dict[str, Any]) -> str:
    props = feature["properties"]
    geometry = feature["geometry"]
    compact = {
        "id": feature["id"],
        "name": props["name"],
        "aliases": props["aliases"],
        "layer": [props["layer"], props["layer2"]],
        "program": props["program"],
        "agencies": props["agencies"],
        "status": props["status"],
        "period": [props["period_start"], props["period_end"]],
        "headline": [props["budget_year"], props["budget_legal_twd"], props["budget_executed_twd"]],
        "unit_budget": [props["budget_level"], props["budget_parent"], props["budget_amount_twd"]],
        "budget_rows": [
            [r["phase"], r["year"], r["agency"], r["legal_twd"], r["executed_twd"], r["line"]]
            for r in props["budget_rows"]
        ],
        "progress": [props["progress_planned_pct"], props["progress_actual_pct"]],
        "jobs": [props["jobs_person_years"], props["private_investment_twd"]],
        "place": [props["counties"], props["towns"], props["precision"]],
        "geometry": None
        if geometry is None
        else [geometry["type"], json.loads(json.dumps(geometry["coordinates"]))],
        "sources": [
            f"{s['document'][:3]}:{s['lines'][0]}-{s['lines'][1]}" for s in props["sources"]
        ],
    }
    return json.dumps(compact, ensure_ascii=False, sort_keys=True)


def test_register_matches_golden(
    built_register: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    lines = sorted(_line(feature) for feature in built_register["features"])
    text = "\n".join(lines) + "\n"
    if request.config.getoption("--update-golden"):
        PATH.write_text(text, encoding="utf-8")
    expected = PATH.read_text(encoding="utf-8").splitlines()
    gone = sorted(set(expected) - set(lines))
    new = sorted(set(lines) - set(expected))
    assert (gone, new) == ([], []), "the register changed; review and --update-golden"
