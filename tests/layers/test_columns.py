"""The columnar register selects exactly what the reference filter selects.

``layers.filters.apply_filter`` reads each feature; ``layers.columns.RegisterColumns`` masks
arrays. On random filters over the real register and the small one, both give the same
features in the same order.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from geo.counties import COUNTY_NAMES
from layers.classify import Layer
from layers.columns import RegisterColumns
from layers.filters import FilterChoices, ProjectFilter, apply_filter
from layers.status import Status


def _filters(features: list[dict[str, Any]]) -> st.SearchStrategy[ProjectFilter]:
    choices = FilterChoices.from_features(features)
    names = [f["properties"]["name"] for f in features]
    pieces = st.sampled_from(names).flatmap(
        lambda name: st.tuples(st.integers(0, len(name)), st.integers(1, 4)).map(
            lambda cut: name[cut[0] : cut[0] + cut[1]]
        )
    )
    amounts = st.integers(0, 3 * 10**10)
    fields = {
        "layers": st.lists(st.sampled_from(list(Layer)), unique=True, max_size=3).map(tuple),
        "counties": st.lists(st.sampled_from(COUNTY_NAMES), unique=True, max_size=3).map(tuple),
        "town": st.sampled_from(sorted(choices.towns) or ["無"]),
        "program": st.sampled_from(list(choices.programs) or ["無"]),
        "status": st.sampled_from(list(Status)),
        "year": st.integers(2010, 2030),
        "precision": st.sampled_from([1, 2, 3, 4, 6]),
        "q": pieces.filter(lambda q: bool(q.strip())) | st.text(min_size=1, max_size=3),
        "budget_min": amounts,
        "budget_max": amounts,
    }
    # one to three fields at a time, so that most filters select something
    chosen = st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True)
    return chosen.flatmap(
        lambda keys: st.fixed_dictionaries({key: fields[key] for key in keys}).map(
            lambda values: ProjectFilter(**values)
        )
    )


@pytest.mark.parametrize("which", ["small", "real"])
def test_columns_select_what_the_filter_selects(
    register: dict[str, Any], built_register: dict[str, Any], which: str
) -> None:
    features = (register if which == "small" else built_register)["features"]
    columns = RegisterColumns.of(features)

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_filters(features))
    def check(f: ProjectFilter) -> None:
        expected = apply_filter(features, f)
        found = columns.select(f)
        event("selects something" if expected else "selects nothing")
        assert [id(x) for x in found] == [id(x) for x in expected]

    check()


def test_the_empty_filter_keeps_every_feature_in_order(built_register: dict[str, Any]) -> None:
    features = built_register["features"]
    assert RegisterColumns.of(features).select(ProjectFilter()) == features


@pytest.mark.parametrize("which", ["small", "real"])
def test_columns_aggregate_what_the_aggregates_count(
    register: dict[str, Any], built_register: dict[str, Any], which: str
) -> None:
    """Every county row, the national, nationwide and placed totals, to the dollar."""
    from layers.aggregate import aggregate_counties

    features = (register if which == "small" else built_register)["features"]
    columns = RegisterColumns.of(features)

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_filters(features))
    def check(f: ProjectFilter) -> None:
        expected = aggregate_counties(apply_filter(features, f))
        found = columns.aggregate(columns.mask(f))
        assert found == expected

    check()
    everything = columns.aggregate(columns.mask(ProjectFilter()))
    assert everything == aggregate_counties(features)


def test_a_nationwide_programme_in_several_counties_is_not_shared() -> None:
    """As the aggregates count it: a nationwide programme is in no county row and not shared."""
    from layers.aggregate import aggregate_counties

    features = [
        {
            "type": "Feature",
            "id": f"n{index}",
            "geometry": None,
            "properties": {
                "name": "全國計畫",
                "layer": "water",
                "counties": ["臺南市", "高雄市"],
                "precision": precision,
                "budget_legal_twd": 101,
                "budget_allocated_twd": 7,
                "budget_executed_twd": None,
            },
        }
        for index, precision in enumerate((6, 3, 3))
    ]
    columns = RegisterColumns.of(features)
    found = columns.aggregate(columns.mask(ProjectFilter()))
    assert found == aggregate_counties(features)
    assert found.nationwide["all_shared_projects"] == 0
    assert found.counties["臺南市"]["all_legal_twd"] == 2 * 51  # the odd dollar to the first
