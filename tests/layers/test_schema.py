"""A damaged register is refused on loading with one line naming the feature and the field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.errors import BuildError
from layers.export import read_register
from layers.schema import FIELDS, validate_register
from webapp import create_app
from webapp.cli import main


def _damage(register: dict[str, Any], how: str) -> str:
    """The register as text with one damage done to its second feature."""
    data = copy.deepcopy(register)
    feature = data["features"][1]
    if how == "no id":
        del feature["id"]
    elif how == "no properties":
        del feature["properties"]
    elif how == "NaN budget":
        feature["properties"]["budget_legal_twd"] = float("nan")
    elif how == "text budget":
        feature["properties"]["budget_legal_twd"] = "一億"
    elif how == "text coordinates":
        feature["geometry"] = {"type": "Point", "coordinates": ["120.3", "23.1"]}
    elif how == "infinite coordinates":
        feature["geometry"] = {"type": "Point", "coordinates": [float("inf"), 23.1]}
    elif how == "a polygon":
        feature["geometry"] = {"type": "Polygon", "coordinates": [[[120, 23], [121, 23]]]}
    elif how == "repeated id":
        feature["id"] = data["features"][0]["id"]
    elif how == "unknown layer":
        feature["properties"]["layer"] = "roads"
    elif how == "no name":
        feature["properties"]["name"] = None
    elif how == "counties not a list":
        feature["properties"]["counties"] = "臺南市"
    return json.dumps(data, ensure_ascii=False)  # NaN and Infinity as Python writes them


DAMAGES = {
    "no id": "feature 1 has no id",
    "no properties": "feature 1 (id 'p2') has no properties",
    "NaN budget": "'budget_legal_twd' is nan, expected a whole number",
    "text budget": "'budget_legal_twd' is '一億', expected a whole number",
    "text coordinates": "geometry has a position that is not numbers",
    "infinite coordinates": "geometry has a position that is not numbers",
    "a polygon": "geometry of type 'Polygon' is not a Point",
    "repeated id": "feature 1 repeats the id 'p1' of feature 0",
    "unknown layer": "'layer' is 'roads', expected one of",
    "no name": "property 'name' is missing",
    "counties not a list": "'counties' is '臺南市', expected a list of texts",
}


@pytest.mark.parametrize(("how", "message"), DAMAGES.items())
def test_a_damaged_register_is_refused_in_one_line(
    register: dict[str, Any], tmp_path: Path, how: str, message: str
) -> None:
    (tmp_path / "projects.geojson").write_text(_damage(register, how), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        read_register(tmp_path)
    text = str(raised.value)
    assert message in text
    assert text.startswith(str(tmp_path / "projects.geojson"))
    assert "\n" not in text
    with pytest.raises(BuildError, match=r"projects\.geojson"):
        create_app({"TESTING": True, "ATLAS_BUILD": tmp_path})


def test_serve_refuses_a_damaged_register_without_a_traceback(
    register: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "projects.geojson").write_text(_damage(register, "NaN budget"), "utf-8")
    result = CliRunner().invoke(main, ["serve", "--build", str(tmp_path)])
    assert result.exit_code == 2
    assert "'budget_legal_twd' is nan" in result.output
    assert "Traceback" not in result.output


def test_the_real_register_holds_to_the_schema(built_register: dict[str, Any]) -> None:
    validate_register(built_register["features"], "the real build")
    written = {key for f in built_register["features"] for key in f["properties"]}
    assert written == set(FIELDS)  # the build writes every field, and no other


def test_a_built_register_is_not_checked_twice_but_an_edited_one_is(
    tmp_path: Path, real_result: Any
) -> None:
    """The build checks its register and writes the digest of its bytes beside it; loading a
    file with that digest skips the check, and any edit (a damaged field) brings it back."""
    from layers.build import write_build
    from layers.export import VALIDATED, read_register, register_digest

    write_build(real_result, tmp_path)
    path = tmp_path / "projects.geojson"
    assert (tmp_path / VALIDATED).read_text().strip() == register_digest(path.read_bytes())
    assert len(read_register(tmp_path)) == len(real_result.projects)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][3]["properties"]["budget_legal_twd"] = "a lot"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BuildError, match=r"feature 3 .*'budget_legal_twd' is 'a lot'"):
        read_register(tmp_path)
    # the digest is what decides: the same damaged bytes, declared checked, are trusted
    (tmp_path / VALIDATED).write_text(register_digest(path.read_bytes()), encoding="ascii")
    assert read_register(tmp_path)[3]["properties"]["budget_legal_twd"] == "a lot"
