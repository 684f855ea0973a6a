"""Safe outputs: no CSV cell runs as a formula, in any of the three CSV paths."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from layers.export import neutralise_cell
from webapp import create_app
from webapp.cli import main

HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+886", "'+886"),
        ("-x", "'-x"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("曾文水庫", "曾文水庫"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise_cell(text: str, cell: str) -> None:
    assert neutralise_cell(text) == cell


@pytest.fixture
def hostile_build(tmp_path: Path, register: dict[str, Any]) -> Path:
    """The small register with hostile names and aliases, and a negative figure."""
    for feature, name in zip(register["features"], HOSTILE, strict=False):
        feature["properties"]["name"] = name
        feature["properties"]["aliases"] = [name]
    register["features"][0]["properties"]["budget_legal_twd"] = -5
    (tmp_path / "projects.geojson").write_text(json.dumps(register, ensure_ascii=False), "utf-8")
    return tmp_path


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def _assert_safe(rows: list[dict[str, str]]) -> None:
    names = {row["name"] for row in rows}
    assert {f"'{name}" for name in HOSTILE} <= names
    for row in rows:
        for column, value in row.items():
            if column != "budget_legal_twd":
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
    assert "-5" in {row["budget_legal_twd"] for row in rows}  # a number stays a number


def test_cli_export_csv(hostile_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        main, ["export", "--build", str(hostile_build), "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    _assert_safe(_cells(out.read_bytes().decode("utf-8")))


def test_map_download_csv(hostile_build: Path) -> None:
    client = create_app({"TESTING": True, "ATLAS_BUILD": hostile_build}).test_client()
    response = client.get("/export.csv")
    assert response.status_code == 200
    _assert_safe(_cells(response.get_data(as_text=True)))


def test_api_items_csv(hostile_build: Path) -> None:
    client = create_app({"TESTING": True, "ATLAS_BUILD": hostile_build}).test_client()
    response = client.get("/api/collections/projects/items?f=csv&limit=100")
    assert response.status_code == 200
    _assert_safe(_cells(response.get_data(as_text=True)))
