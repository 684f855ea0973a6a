"""``infra-atlas build`` on the bundled documents and on altered copies of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from webapp.cli import main

REVIEW = "002_3096ba7c283ef362.txt"


def _build(sources: Path, out: Path) -> tuple[int, str, dict[str, Any], dict[str, Any]]:
    result = CliRunner().invoke(main, ["-q", "build", "--sources", str(sources), "--out", str(out)])
    register = json.loads((out / "projects.geojson").read_text(encoding="utf-8"))
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return result.exit_code, result.output, register, report


def _by_name(register: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["name"]: f for f in register["features"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sources: Path) -> dict[str, Any]:
    code, _, register, _ = _build(sources, tmp_path_factory.mktemp("build"))
    assert code == 0
    return register


@pytest.fixture
def copies(tmp_path: Path, sources: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for index, path in enumerate(sorted(sources.glob("*.txt"))):
        shutil.copy(path, folder / f"renamed_{index}.txt")  # names must not matter
    return folder


def test_register_is_a_feature_collection_with_stable_ids(
    built: dict[str, Any], built_register: dict[str, Any]
) -> None:
    assert built["type"] == "FeatureCollection"
    ids = [feature["id"] for feature in built["features"]]
    assert len(ids) == len(set(ids))
    # the command's build and the suite's own build of the same documents: the same ids
    assert [feature["id"] for feature in built_register["features"]] == ids


def test_register_properties(built: dict[str, Any]) -> None:
    feature = _by_name(built)["石門水庫阿姆坪防淤隧道工程計畫"]
    props = feature["properties"]
    assert feature["geometry"]["type"] == "Point"
    assert props["counties"] == ["桃園市"]
    assert props["layer"] == "water"
    assert props["program"] == "水環境建設"
    assert props["budget_year"] == 2021
    assert props["budget_legal_twd"] == 106_560_000
    assert props["execution_rate_pct"] == 100
    assert props["progress_planned_pct"] == 83.96
    assert props["progress_actual_pct"] == 83.95
    assert props["status"] == "behind"
    documents = {source["document"][:3] for source in props["sources"]}
    assert documents == {"000", "001", "002"}  # the 2019 plan, the business report, the review
    assert len(props["merges"]) == 2
    assert all(row["year"] == "total" or row["year"] > 2000 for row in props["budget_rows"])


def test_altered_copies_give_altered_figures(copies: Path, tmp_path: Path) -> None:
    review = next(
        p for p in copies.iterdir() if "特別預算執行情形" in p.read_text(encoding="utf-8")
    )
    text = review.read_text(encoding="utf-8")
    text = text.replace("110 106,560 同(A) 8,902 8.35", "110 106,777 同(A) 8,902 8.35", 1)
    start = text.index("深層海水取水工程計畫")  # the cover of section 7 …
    end = text.index("白河水庫後續更新改善工程", start)  # … up to the cover of section 8
    review.write_text(text[:start] + text[end:], encoding="utf-8")

    code, _, register, report = _build(copies, tmp_path / "out")

    assert code == 0
    projects = _by_name(register)
    assert (
        projects["石門水庫阿姆坪防淤隧道工程計畫"]["properties"]["budget_legal_twd"] == 106_777_000
    )
    # The removed section's project survives only through the 2019 plan that also names it.
    removed = projects["深層海水取水工程計畫"]["properties"]
    assert [s["kind"] for s in removed["sources"]] == ["policy_plan"]
    assert removed["budget_rows"] == []
    assert any(doc["document"].startswith("renamed_") for doc in report["documents"])
    problems = [p["message"] for doc in report["documents"] for p in doc["problems"]]
    assert "the introduction counts 47 projects; 46 sections found" in problems


def test_unknown_document_is_reported_and_the_rest_builds(copies: Path, tmp_path: Path) -> None:
    (copies / "menu.txt").write_text("今日午餐：牛肉麵 120 元\n", encoding="utf-8")
    code, _, register, report = _build(copies, tmp_path / "out")
    assert code == 0
    unknown = [doc for doc in report["documents"] if doc["document"] == "menu.txt"]
    assert unknown[0]["kind"] is None
    assert "no parser recognises" in unknown[0]["problems"][0]["message"]
    assert len(register["features"]) >= 47


def test_unreadable_document_fails_by_name_and_loses_nothing_else(
    copies: Path, tmp_path: Path
) -> None:
    (copies / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    code, output, register, report = _build(copies, tmp_path / "out")
    assert code == 1
    assert "broken.txt" in output
    assert report["unreadable"][0]["document"] == "broken.txt"
    assert len(register["features"]) >= 47


def test_missing_sources_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--sources", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "sources folder not found" in result.output


@pytest.mark.parametrize("command", [[], *([name] for name in main.commands)])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert len(result.output.splitlines()) > 3


def test_serve_refuses_a_build_folder_without_a_register(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--build", str(tmp_path)])
    assert result.exit_code == 2
    assert "run `infra-atlas build` first" in result.output


def test_serve_refuses_an_unknown_basemap(tmp_path: Path, sources: Path) -> None:
    CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(tmp_path)])
    result = CliRunner().invoke(main, ["serve", "--build", str(tmp_path), "--tiles", "google"])
    assert result.exit_code == 2
    assert "unknown basemap 'google'" in result.output
