"""County aggregates: shared projects counted in each county, never twice nationally."""

from __future__ import annotations

from typing import Any

import geopandas
import pandas as pd
import pytest

from geo.counties import COUNTY_NAMES
from layers.aggregate import AGGREGATE_GROUPS, AGGREGATE_MEASURES, aggregate_counties, join_counties
from layers.filters import ProjectFilter, apply_filter
from layers.status import Status


def test_every_county_has_a_row_with_every_column(register: dict[str, Any]) -> None:
    result = aggregate_counties(register["features"])
    assert tuple(result.counties) == COUNTY_NAMES
    columns = {f"{g}_{m}" for g in AGGREGATE_GROUPS for m in AGGREGATE_MEASURES}
    assert all(set(row) == columns for row in result.counties.values())
    assert set(result.national) == set(result.nationwide) == columns
    assert result.counties["臺北市"]["all_projects"] == 0
    assert result.counties["臺北市"]["all_execution_rate_pct"] is None


def test_shared_projects_count_in_each_county(register: dict[str, Any]) -> None:
    rows = aggregate_counties(register["features"]).counties
    tainan, kaohsiung, chiayi = rows["臺南市"], rows["高雄市"], rows["嘉義縣"]
    assert (tainan["all_projects"], tainan["all_shared_projects"]) == (3, 2)  # p1, p2*, p7*
    assert (tainan["water_projects"], tainan["water_shared_projects"]) == (2, 1)
    # p1 is Tainan's own (100 M); p2 (50 M) is shared with Kaohsiung: half of it is Tainan's
    assert tainan["water_legal_twd"] == 125_000_000
    assert (tainan["water_own_legal_twd"], tainan["water_shared_legal_twd"]) == (
        100_000_000,
        25_000_000,
    )
    assert tainan["water_executed_twd"] == 100_000_000  # 80 M + half of 40 M
    assert tainan["water_execution_rate_pct"] == 83.33  # 100 M / 120 M allocated
    assert tainan["all_behind"] == 2
    assert (kaohsiung["all_projects"], kaohsiung["energy_projects"]) == (2, 1)
    assert (chiayi["disaster_projects"], chiayi["disaster_behind"]) == (1, 1)


def test_national_totals_count_each_project_once(register: dict[str, Any]) -> None:
    result = aggregate_counties(register["features"])
    assert result.national["all_projects"] == 7
    assert result.national["all_shared_projects"] == 2
    assert result.national["all_legal_twd"] == 1_385_000_000
    assert (
        sum(row["all_projects"] for row in result.counties.values()) == 7
    )  # 3 single + 2 shared, twice
    assert result.national["all_execution_rate_pct"] == 60.63  # 770 M / 1,270 M


def test_national_programmes_are_reported_apart(register: dict[str, Any]) -> None:
    result = aggregate_counties(register["features"])
    assert result.nationwide["all_projects"] == 1
    assert result.nationwide["energy_legal_twd"] == 1_000_000_000
    assert all(row["energy_legal_twd"] < 1_000_000_000 for row in result.counties.values())
    assert result.unplaced == 1


def test_aggregates_follow_the_filter(register: dict[str, Any]) -> None:
    behind = apply_filter(register["features"], ProjectFilter(status=Status.BEHIND))
    result = aggregate_counties(behind)
    assert result.national["all_projects"] == result.national["all_behind"] == 3
    assert result.counties["臺南市"]["all_projects"] == 2
    water = [f for f in register["features"] if f["properties"]["layer"] == "water"]
    assert aggregate_counties(water).counties["高雄市"]["energy_projects"] == 0


def test_geometry_null_register_aggregates_to_unplaced(register: dict[str, Any]) -> None:
    bare = [
        {**f, "geometry": None, "properties": {**f["properties"], "counties": []}}
        for f in register["features"]
    ]
    result = aggregate_counties(bare)
    assert all(row["all_projects"] == 0 for row in result.counties.values())
    assert result.unplaced == 6
    assert result.national["all_projects"] == 7


def test_join_keeps_polygons_and_adds_columns(
    register: dict[str, Any], counties_gdf: geopandas.GeoDataFrame
) -> None:
    joined = join_counties(aggregate_counties(register["features"]), counties_gdf)
    assert isinstance(joined, geopandas.GeoDataFrame)
    assert joined.crs == counties_gdf.crs
    assert list(joined["county_code"]) == ["67000", "64000", "09007"]
    assert list(joined["all_projects"]) == [3, 2, 0]
    assert joined["water_execution_rate_pct"].iloc[0] == 83.33
    assert joined["water_execution_rate_pct"].isna().iloc[2]
    assert joined.geometry.equals(counties_gdf.geometry)
    assert "all_projects" not in counties_gdf  # the input is not changed
    assert isinstance(joined["all_projects"].dtype, pd.Int64Dtype)


MONEY = ("legal_twd", "own_legal_twd", "shared_legal_twd", "allocated_twd", "executed_twd")


@pytest.mark.parametrize("which", ["small", "real"])
def test_county_money_adds_up_to_the_placed_total(
    register: dict[str, Any], built_register: dict[str, Any], which: str
) -> None:
    """Each NT$ of a placed project is in exactly one county row: the rows add up."""
    features = (register if which == "small" else built_register)["features"]
    result = aggregate_counties(features)
    for group in AGGREGATE_GROUPS:
        for measure in MONEY:
            column = f"{group}_{measure}"
            total = sum(row[column] for row in result.counties.values())
            assert total == result.placed[column], column
    assert result.placed["all_legal_twd"] <= result.national["all_legal_twd"]


def test_a_shared_amount_is_split_to_the_dollar() -> None:
    feature = {
        "type": "Feature",
        "id": "x",
        "geometry": None,
        "properties": {
            "layer": "water",
            "counties": ["臺南市", "高雄市", "嘉義縣"],
            "budget_legal_twd": 100,
            "precision": 3,
        },
    }
    rows = aggregate_counties([feature]).counties
    shares = [rows[c]["water_legal_twd"] for c in ("臺南市", "高雄市", "嘉義縣")]
    assert shares == [34, 33, 33]
    assert all(rows[c]["water_own_legal_twd"] == 0 for c in ("臺南市", "高雄市", "嘉義縣"))
