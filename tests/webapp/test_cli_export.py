"""``infra-atlas export``: the filter options, the three formats, errors as usage errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geopandas
import pyogrio
import pytest
from click.testing import CliRunner, Result

from webapp.cli import EXPORT_FORMATS, main


@pytest.fixture
def build_dir(tmp_path: Path, register: dict[str, Any]) -> Path:
    folder = tmp_path / "build"
    folder.mkdir()
    text = json.dumps(register, ensure_ascii=False)
    (folder / "projects.geojson").write_text(text, encoding="utf-8")
    return folder


def _run(build_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-q", "export", "--build", str(build_dir), *args])


def _ids(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [feature["id"] for feature in json.loads(result.stdout)["features"]]


@pytest.mark.parametrize("county", ["臺南市", "台南市"])
def test_county_export_lists_multi_county_projects(build_dir: Path, county: str) -> None:
    result = _run(build_dir, "--county", county, "--format", "geojson")
    assert _ids(result) == ["p1", "p2", "p7"]
    assert "exported 3 of 7 projects (3 placed) as geojson" in result.stderr


def test_filter_options_combine(build_dir: Path) -> None:
    args = ["--layer", "water", "--layer", "disaster", "--county", "嘉義縣", "--county", "高雄市"]
    assert _ids(_run(build_dir, *args, "--format", "geojson")) == ["p2", "p7"]
    assert _ids(_run(build_dir, "--q", "台電", "--format", "geojson")) == ["p3"]
    assert _ids(_run(build_dir, "--status", "behind", "--year", "110", "--format", "geojson")) == [
        "p1",
        "p4",
        "p7",
    ]
    assert _ids(_run(build_dir, "--precision", "6", "--format", "geojson")) == ["p4"]
    assert _ids(_run(build_dir, "--town", "旗山區", "--format", "geojson")) == ["p2"]
    assert _ids(_run(build_dir, "--budget-min", "200000000", "--format", "geojson")) == [
        "p3",
        "p4",
    ]


def test_csv_to_stdout_and_gpkg_to_a_file_hold_the_same_projects(
    build_dir: Path, tmp_path: Path, counties_gdf: geopandas.GeoDataFrame
) -> None:
    boundaries = tmp_path / "counties.geojson"
    counties_gdf.to_file(boundaries, driver="GeoJSON")
    out = tmp_path / "tainan.gpkg"
    args = ["--county", "台南市", "--boundaries", str(boundaries)]
    gpkg = _run(build_dir, *args, "--format", "gpkg", "--out", str(out))
    assert gpkg.exit_code == 0, gpkg.output
    layers = [name for name, _ in pyogrio.list_layers(out)]
    assert "counties" in layers
    ids = [i for name in layers[:5] for i in pyogrio.read_dataframe(out, layer=name)["id"]]
    result = _run(build_dir, "--county", "台南市", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert sorted(ids) == sorted(row["id"] for row in rows) == ["p1", "p2", "p7"]


def test_csv_to_a_file(build_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = _run(build_dir, "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--county", "東京都"], "'county': '東京都' is not a county of Taiwan (臺北市、新北市"),
        (["--layer", "roads"], "parameter 'layer': 'roads' is not one of: water"),
        (["--year", "soon"], "parameter 'year': 'soon' is not a year"),
        (["--program", "太空建設"], "'太空建設' is not a programme of the register (水環境建設"),
        (["--status", "behind", "--status", "planned"], "'status' takes one value, got 2"),
    ],
)
def test_bad_filter_values_are_usage_errors(build_dir: Path, args: list[str], message: str) -> None:
    result = _run(build_dir, *args, "--format", "geojson")
    assert result.exit_code == 2
    assert message in result.output


def test_gpkg_needs_out_and_a_build_must_exist(build_dir: Path, tmp_path: Path) -> None:
    result = _run(build_dir, "--format", "gpkg")
    assert result.exit_code == 2
    assert "give --out FILE" in result.output
    result = _run(tmp_path / "nowhere", "--format", "csv")
    assert result.exit_code == 2
    assert "no register at" in result.output
    result = _run(build_dir, "--format", "shp")
    assert result.exit_code == 2


def test_the_cli_formats_are_the_library_formats() -> None:
    from layers.export import EXPORT_FORMATS as LIBRARY_FORMATS

    assert EXPORT_FORMATS == LIBRARY_FORMATS


def test_export_has_help() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "--county" in result.output
    assert "--format" in result.output
