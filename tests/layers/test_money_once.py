"""Money counted once: the unit budget keeps its hierarchy, headlines are not future plans."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest


def _named(register: dict[str, Any], name: str) -> dict[str, Any]:
    found = [f["properties"] for f in register["features"] if f["properties"]["name"] == name]
    assert len(found) == 1, name
    return found[0]


def test_every_unit_budget_level_knows_the_level_above(built_register: dict[str, Any]) -> None:
    props = [f["properties"] for f in built_register["features"]]
    levels = {p["name"]: p for p in props if p["budget_level"]}
    work_plans = {n for n, p in levels.items() if p["budget_level"] == "work_plan"}
    branches = {n for n, p in levels.items() if p["budget_level"] == "branch_plan"}
    assert work_plans >= {"工業技術升級輔導", "一般行政", "工業管理"}
    for name in branches:
        assert levels[name]["budget_parent"] in work_plans, name
    items = [p for p in levels.values() if p["budget_level"] == "item"]
    assert len(items) > 50
    assert all(p["budget_parent"] for p in items)


def test_branch_plans_add_up_to_their_work_plan(built_register: dict[str, Any]) -> None:
    """A work plan's amount holds its branch plans': adding both would count it twice."""
    props = [f["properties"] for f in built_register["features"]]
    by_parent: dict[str, int] = defaultdict(int)
    for p in props:
        if p["budget_level"] == "branch_plan" and p["budget_amount_twd"]:
            by_parent[p["budget_parent"]] += p["budget_amount_twd"]
    assert (
        by_parent["工業技術升級輔導"]
        == _named(built_register, "工業技術升級輔導")["budget_amount_twd"]
    )
    assert by_parent["一般行政"] <= _named(built_register, "一般行政")["budget_amount_twd"]


@pytest.mark.parametrize("name", ["工業管理", "工業技術升級輔導"])
def test_a_work_plan_is_not_pinned_to_one_items_place(
    built_register: dict[str, Any], name: str
) -> None:
    # 003 line 430: 工業管理 (NT$552.6 million) names 新材料循環產業園區 (高雄市) among its items
    props = _named(built_register, name)
    assert props["counties"] == []
    assert props["precision"] in (None, 6)


def test_the_headline_is_not_a_future_year(built_register: dict[str, Any]) -> None:
    # Section 39 prints its 114 (2025) plan beside its 110 (2021) row; the report is of 2021.
    for feature in built_register["features"]:
        props = feature["properties"]
        if "review_project" in props["kinds"] and props["budget_year"] is not None:
            assert props["budget_year"] <= 2021, props["name"]
    section_39 = _named(built_register, "（第 39 項計畫：報告未載明名稱）")
    assert (section_39["budget_year"], section_39["budget_legal_twd"]) == (2021, 280_000_000)
