"""``infra-atlas geocode TEXT`` prints places as JSON and fails on a text with none."""

from __future__ import annotations

import json

from click.testing import CliRunner

from webapp.cli import main


def test_geocode_prints_places() -> None:
    result = CliRunner().invoke(main, ["geocode", "臺南山上淨水場"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    place = data["places"][0]
    assert (place["county"], place["town"]) == ("臺南市", "山上區")
    assert place["matched"] == "臺南山上淨水場"
    assert data["precision"] in (1, 3)
    assert data["geometry"]["type"] == "Point"


def test_text_without_a_place_exits_non_zero() -> None:
    result = CliRunner().invoke(main, ["geocode", "今天天氣很好"])
    assert result.exit_code == 1
    assert "names no known place" in result.output


def test_geocode_has_help() -> None:
    result = CliRunner().invoke(main, ["geocode", "--help"])
    assert result.exit_code == 0
    assert "TEXT" in result.output
