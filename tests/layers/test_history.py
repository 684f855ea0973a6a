"""When each project first appeared and last changed, carried from build to build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from layers.build import write_build
from layers.history import carry_history, digest, read_history


def _feature(fid: str, budget: int) -> dict[str, Any]:
    return {"id": fid, "geometry": None, "properties": {"name": fid, "budget_legal_twd": budget}}


def test_history_keeps_what_did_not_change_and_dates_what_did() -> None:
    first = carry_history({}, [_feature("a", 1), _feature("b", 2)], "2026-01-01T00:00:00Z")
    assert first["a"] == {
        "digest": digest(_feature("a", 1)),
        "first_seen": "2026-01-01T00:00:00Z",
        "changed": "2026-01-01T00:00:00Z",
    }
    later = "2026-07-01T00:00:00Z"
    second = carry_history(first, [_feature("b", 3), _feature("a", 1), _feature("c", 4)], later)
    assert second["a"]["changed"] == "2026-01-01T00:00:00Z"  # the same content
    assert (second["b"]["first_seen"], second["b"]["changed"]) == ("2026-01-01T00:00:00Z", later)
    assert second["c"]["first_seen"] == later  # new
    assert set(second) == {"a", "b", "c"}  # order does not matter; gone ids are dropped
    assert "a" in carry_history(second, [_feature("a", 1)], later)
    assert "b" not in carry_history(second, [_feature("a", 1)], later)


def test_a_missing_or_damaged_history_starts_again(tmp_path: Path) -> None:
    assert read_history(tmp_path / "history.json") == {}
    (tmp_path / "history.json").write_text("{not json", encoding="utf-8")
    assert read_history(tmp_path / "history.json") == {}
    (tmp_path / "history.json").write_text('{"a": {"digest": 1}}', encoding="utf-8")
    assert read_history(tmp_path / "history.json") == {}  # no time: not an entry


def test_a_rebuild_of_the_same_sources_changes_no_date(tmp_path: Path, real_result: Any) -> None:
    write_build(real_result, tmp_path)
    before = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    write_build(real_result, tmp_path)
    after = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert after == before
    register = json.loads((tmp_path / "projects.geojson").read_text(encoding="utf-8"))
    assert set(after) == {feature["id"] for feature in register["features"]}
