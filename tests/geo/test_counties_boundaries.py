"""The filter's list of counties and the boundary data agree on every name and code."""

from __future__ import annotations

import json

from geo.counties import COUNTIES
from geo.datafiles import data_path


def test_counties_match_the_boundaries() -> None:
    features = json.loads(data_path("boundaries", "counties.geojson").read_text(encoding="utf-8"))
    codes = {
        f["properties"]["county"]: f["properties"]["county_code"] for f in features["features"]
    }
    assert codes == {county.name: county.code for county in COUNTIES}
