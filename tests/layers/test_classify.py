"""The one place a layer is decided: every facility type has one, and names decide by their head."""

from __future__ import annotations

import pytest

from layers.classify import FACILITY_LAYERS, Layer, classify
from layers.parsers import mentions, names, unit_budget_parks


def test_every_facility_type_the_parsers_emit_has_a_layer() -> None:
    emitted = set(names.FACILITY_SUFFIXES.values())
    emitted |= {kind for _, kind in mentions.PLAN_TYPES}
    emitted |= {unit_budget_parks.WATER_SUPPLY, "nuclear_plant", "park", "network_centre"}
    assert emitted - set(FACILITY_LAYERS) == set()


@pytest.mark.parametrize(
    ("name", "facility_type", "program", "layer", "layer2"),
    [
        ("臺南永康廠", "reclaimed_water_plant", None, Layer.WATER, None),  # a reclaimed-water plant
        ("林口新3號機", "power_unit", None, Layer.ENERGY, None),  # a generating unit
        ("新烏山嶺引水隧道", "tunnel", None, Layer.WATER, None),
        ("龜山島火山", "volcano", None, Layer.DISASTER, None),
        ("海纜聯網第二中心", "network_centre", None, Layer.OTHER, None),
        ("加強水庫集水區保育治理計畫", None, None, Layer.WATER, Layer.DISASTER),  # head decides
        ("縣市管河川及區域排水整體改善計畫", None, "水環境建設", Layer.DISASTER, Layer.WATER),
        ("智慧電動巴士DMIT計畫", None, "綠能建設", Layer.ENERGY, None),
        ("一般行政", None, None, Layer.OTHER, None),
    ],
)
def test_classify(
    name: str, facility_type: str | None, program: str | None, layer: Layer, layer2: Layer | None
) -> None:
    assert classify(name, facility_type=facility_type, program=program) == (layer, layer2)
