"""The one place where a project's map layer is decided.

Rules, applied to a project's name (and, for facilities, their type):

1. Each layer has a list of keywords (:data:`LAYER_KEYWORDS`). Every layer with a keyword in
   the name is a candidate; candidates are ordered by where their first keyword appears in the
   name, so the head of the name decides (``加強水庫集水區保育治理計畫``: water, then disaster).
2. A facility type maps to its layer directly (:data:`FACILITY_LAYERS`) and comes first.
3. The programme of a review project adds its layer (水環境建設 → water, 綠能建設 → energy) as
   the last candidate.
4. ``layer`` is the first candidate, ``layer2`` the second if any; with no candidate the project
   is ``other`` (digital, talent, administration…).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["FACILITY_LAYERS", "LAYER_KEYWORDS", "Layer", "classify"]


class Layer(StrEnum):
    """The map layers."""

    WATER = "water"
    ENERGY = "energy"
    INDUSTRIAL_PARK = "industrial_park"
    DISASTER = "disaster"
    OTHER = "other"


LAYER_KEYWORDS: Final[dict[Layer, tuple[str, ...]]] = {
    Layer.WATER: (
        "水庫",
        "人工湖",
        "淨水",
        "供水",
        "自來水",
        "原水",
        "幹管",
        "管線",
        "聯通管",
        "再生水",
        "海淡",
        "海水淡化",
        "伏流水",
        "水井",
        "節水",
        "水資源",
        "防淤",
        "清淤",
        "深層海水",
        "取水",
        "水源",
        "水權",
        "導水",
        "湖山",
        "蓄水",
        "攔河堰",
        "水利",
    ),
    Layer.ENERGY: (
        "電廠",
        "發電",
        "電網",
        "電力",
        "風電",
        "風場",
        "風力",
        "太陽光電",
        "光電",
        "綠能",
        "地熱",
        "儲能",
        "天然氣",
        "接收站",
        "核能",
        "核一",
        "核二",
        "核三",
        "核四",
        "除役",
        "變電",
        "輸電",
        "能源",
        "氫能",
        "燃煤",
        "燃氣",
        "機組",
        "電動",
        "智慧讀表",
        "碳循環",
    ),
    Layer.INDUSTRIAL_PARK: (
        "工業區",
        "產業園區",
        "科學園區",
        "科技產業園區",
        "加工出口區",
        "加工區",
        "專區",
        "園區",
        "工業港",
    ),
    Layer.DISASTER: (
        "防洪",
        "排水",
        "治理",
        "防災",
        "淹水",
        "海岸",
        "斷層",
        "地質",
        "土石流",
        "滯洪",
        "河川",
        "防汛",
        "水患",
        "坡地",
        "地層下陷",
        "抽水站",
        "堤防",
        "分洪",
        "保育",
    ),
}

#: The layer of every facility type the parsers emit (a test keeps the two in step).
FACILITY_LAYERS: Final[dict[str, Layer]] = {
    "reservoir": Layer.WATER,
    "artificial_lake": Layer.WATER,
    "weir": Layer.WATER,
    "water_treatment_plant": Layer.WATER,
    "reclaimed_water_plant": Layer.WATER,
    "desalination_plant": Layer.WATER,
    "subsurface_intake": Layer.WATER,
    "pipeline": Layer.WATER,
    "sediment_tunnel": Layer.WATER,
    "tunnel": Layer.WATER,
    "well": Layer.WATER,
    "water_supply": Layer.WATER,
    "industrial_water_supply": Layer.WATER,
    "flood_control": Layer.DISASTER,
    "detention_pond": Layer.DISASTER,
    "pumping_station": Layer.DISASTER,
    "watershed": Layer.DISASTER,
    "fault": Layer.DISASTER,
    "volcano": Layer.DISASTER,
    "landslide": Layer.DISASTER,
    "soil_liquefaction": Layer.DISASTER,
    "subsidence": Layer.DISASTER,
    "power_plant": Layer.ENERGY,
    "power_unit": Layer.ENERGY,
    "nuclear_plant": Layer.ENERGY,
    "substation": Layer.ENERGY,
    "transmission_line": Layer.ENERGY,
    "grid": Layer.ENERGY,
    "lng_terminal": Layer.ENERGY,
    "offshore_wind": Layer.ENERGY,
    "wind_farm": Layer.ENERGY,
    "geothermal": Layer.ENERGY,
    "small_hydro": Layer.ENERGY,
    "solar": Layer.ENERGY,
    "industrial_park": Layer.INDUSTRIAL_PARK,
    "science_park": Layer.INDUSTRIAL_PARK,
    "technology_industrial_park": Layer.INDUSTRIAL_PARK,
    "park": Layer.INDUSTRIAL_PARK,
    "network_centre": Layer.OTHER,
}

_PROGRAMME_LAYERS: Final[dict[str, Layer]] = {
    "水環境建設": Layer.WATER,
    "綠能建設": Layer.ENERGY,
}


def classify(
    name: str, *, facility_type: str | None = None, program: str | None = None
) -> tuple[Layer, Layer | None]:
    """The layer and second layer of a project (see the module docstring for the rules)."""
    candidates: list[Layer] = []
    if facility_type in FACILITY_LAYERS and FACILITY_LAYERS[facility_type] != Layer.OTHER:
        candidates.append(FACILITY_LAYERS[facility_type])
    hits = []
    for layer, keywords in LAYER_KEYWORDS.items():
        positions = [name.find(keyword) for keyword in keywords if keyword in name]
        if positions:
            hits.append((min(positions), layer))
    candidates += [layer for _, layer in sorted(hits, key=lambda hit: hit[0])]
    if program in _PROGRAMME_LAYERS:
        candidates.append(_PROGRAMME_LAYERS[program])
    unique = list(dict.fromkeys(candidates))
    if not unique:
        return Layer.OTHER, None
    return unique[0], unique[1] if len(unique) > 1 else None
