"""docs/data-dictionary.md describes every field of a built register and of its exports."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import geopandas
import pyogrio
import pytest

from layers.aggregate import AGGREGATE_GROUPS, AGGREGATE_MEASURES
from layers.export import csv_columns, export

DICTIONARY = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"


@pytest.fixture(scope="module")
def documented() -> set[str]:
    text = DICTIONARY.read_text(encoding="utf-8")
    names = set(re.findall(r"`([a-z_0-9{}]+)`", text))
    # `{group}_{measure}` documents every aggregate column at once
    measures = {n.removeprefix("{group}_") for n in names if n.startswith("{group}_")}
    return names | {f"{g}_{m}" for g in AGGREGATE_GROUPS for m in measures}


def _nested_names(features: list[dict[str, Any]], key: str) -> set[str]:
    return {name for f in features for item in f["properties"][key] for name in item}


def test_every_register_property_is_documented(
    built_register: dict[str, Any], documented: set[str]
) -> None:
    features = built_register["features"]
    names = {name for f in features for name in f["properties"]}
    assert {"budget_legal_twd", "counties", "precision", "location_note"} <= names
    for key in ("budget_rows", "figures", "sources"):
        names |= _nested_names(features, key)
    assert sorted(names - documented) == []


def test_every_export_column_is_documented(
    register: dict[str, Any],
    counties_gdf: geopandas.GeoDataFrame,
    documented: set[str],
    tmp_path: Path,
) -> None:
    stream = io.StringIO()
    export(register["features"], "csv", stream)
    header = next(csv.reader(io.StringIO(stream.getvalue().removeprefix("\ufeff"))))
    assert header == csv_columns(register["features"])
    path = tmp_path / "x.gpkg"
    export(register["features"], "gpkg", path, counties_gdf=counties_gdf)
    gpkg = {
        column
        for name, _ in pyogrio.list_layers(path)
        for column in pyogrio.read_info(path, layer=name)["fields"]
    }
    assert {f"{g}_{m}" for g in AGGREGATE_GROUPS for m in AGGREGATE_MEASURES} <= gpkg
    assert sorted((set(header) | gpkg) - documented) == []
