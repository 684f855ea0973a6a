"""Make a synthetic national-scale register: 100,000 projects with points in Taiwan's counties.

The projects are made up, but shaped like the real register: the same properties, points
scattered around each county's seat (weighted towards the populous ones), about 8 % spanning
two or three counties (MultiPoint), 3 % national programmes and 5 % unplaced, log-normal
budgets in NT$, a status and a small budget table each. The same seed gives the same file.

Run: ``python benchmarks/make_synthetic.py [--projects N] [--seed S] [--out FILE]``
(default ``data/build/synthetic/projects.geojson``, which git ignores).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from geo.counties import COUNTY_NAMES
from layers.classify import Layer
from layers.export import VALIDATED, register_digest, seen_register_digest
from layers.packed import PACKED, pack, write_packed
from layers.schema import validate_register
from layers.status import Status

DEFAULT_OUT = Path("data/build/synthetic/projects.geojson")

#: Approximate (lon, lat) of each county seat, a spread in degrees and a weight (rough share
#: of projects); made up for the benchmark, not a gazetteer.
SEATS: dict[str, tuple[float, float, float, int]] = {
    "臺北市": (121.56, 25.04, 0.05, 6),
    "新北市": (121.46, 25.01, 0.15, 9),
    "桃園市": (121.30, 24.99, 0.12, 7),
    "臺中市": (120.68, 24.14, 0.15, 8),
    "臺南市": (120.21, 23.00, 0.15, 8),
    "高雄市": (120.31, 22.63, 0.15, 9),
    "基隆市": (121.74, 25.13, 0.03, 2),
    "新竹市": (120.97, 24.80, 0.03, 2),
    "嘉義市": (120.45, 23.48, 0.02, 1),
    "新竹縣": (121.02, 24.84, 0.10, 3),
    "苗栗縣": (120.82, 24.56, 0.12, 3),
    "彰化縣": (120.54, 24.08, 0.10, 5),
    "南投縣": (120.69, 23.91, 0.20, 4),
    "雲林縣": (120.43, 23.71, 0.10, 4),
    "嘉義縣": (120.30, 23.46, 0.12, 3),
    "屏東縣": (120.49, 22.67, 0.15, 5),
    "宜蘭縣": (121.75, 24.75, 0.12, 3),
    "花蓮縣": (121.60, 23.99, 0.20, 3),
    "臺東縣": (121.14, 22.76, 0.20, 3),
    "澎湖縣": (119.57, 23.57, 0.05, 1),
    "金門縣": (118.32, 24.43, 0.03, 1),
    "連江縣": (119.95, 26.16, 0.02, 1),
}
PROGRAMS = ("水環境建設", "綠能建設", "數位建設", "城鄉建設", "軌道建設")
NAMES = ("水庫", "供水管線", "太陽光電", "變電所", "產業園區", "排水治理", "海岸防護", "數位服務")
LAYER_WEIGHTS = {Layer.WATER: 30, Layer.ENERGY: 25, Layer.INDUSTRIAL_PARK: 10,
                 Layer.DISASTER: 20, Layer.OTHER: 15}  # fmt: skip


def synthetic_register(projects: int = 100_000, *, seed: int = 20240501) -> dict[str, Any]:
    """A synthetic register FeatureCollection of ``projects`` features (see the docstring)."""
    rng = random.Random(seed)
    assert set(SEATS) == set(COUNTY_NAMES)
    features = [_feature(rng, index) for index in range(projects)]
    return {"type": "FeatureCollection", "features": features}


def _feature(rng: random.Random, index: int) -> dict[str, Any]:
    roll = rng.random()
    layer = rng.choices(list(LAYER_WEIGHTS), weights=list(LAYER_WEIGHTS.values()))[0]
    counties = rng.choices(list(SEATS), weights=[s[3] for s in SEATS.values()], k=3)
    counties = list(dict.fromkeys(counties[: 1 if roll < 0.92 else rng.choice((2, 3))]))
    points = [_point(rng, county) for county in counties]
    geometry: dict[str, Any] | None = (
        {"type": "Point", "coordinates": points[0]}
        if len(points) == 1
        else {"type": "MultiPoint", "coordinates": points}
    )
    precision: int | None = rng.choice((1, 2, 3, 3, 4)) if len(points) == 1 else 2
    note = None
    if 0.85 <= roll < 0.88:  # a national programme
        geometry, counties, precision, note = None, [], 6, "nationwide programme"
    elif 0.80 <= roll < 0.85:  # unplaced
        geometry, counties, precision, note = None, [], None, "no place named in the reports"
    props = _properties(rng, index, layer, counties)
    props.update(precision=precision, location_note=note, place_bound=precision != 6)
    return {"type": "Feature", "id": f"s{index:06d}", "geometry": geometry, "properties": props}


def _point(rng: random.Random, county: str) -> list[float]:
    lon, lat, spread, _ = SEATS[county]
    return [round(rng.gauss(lon, spread), 6), round(rng.gauss(lat, spread), 6)]


def _properties(
    rng: random.Random, index: int, layer: Layer, counties: list[str]
) -> dict[str, Any]:
    year = rng.randint(2017, 2024)
    legal = int(rng.lognormvariate(18.5, 1.5)) // 1000 * 1000  # printed in 千元
    allocated = legal if rng.random() < 0.7 else int(legal * rng.uniform(0.6, 1.0))
    executed = int(allocated * min(1.0, rng.betavariate(8, 2)))
    planned = round(rng.uniform(5, 100), 2)
    actual = round(min(100.0, planned + rng.gauss(0, 8)), 2)
    status = (Status.COMPLETED if actual >= 100 else
              Status.BEHIND if actual < planned else Status.ON_TRACK)  # fmt: skip
    row = {"phase": "1", "year": year, "legal_twd": legal, "allocated_twd": allocated,
           "executed_twd": executed, "printed": f"{year - 1911} {legal // 1000:,}"}  # fmt: skip
    return {
        "name": f"{counties[0] if counties else '全國'}{rng.choice(NAMES)}計畫{index}",
        "aliases": [],
        "layer": layer.value,
        "layer2": None,
        "program": rng.choice(PROGRAMS),
        "place_bound": True,
        "period_start": f"{year - rng.randint(0, 4)}-01-01",
        "period_end": f"{year + rng.randint(0, 6)}-12-31",
        "budget_year": year,
        "budget_legal_twd": legal,
        "budget_allocated_twd": allocated,
        "budget_executed_twd": executed,
        "execution_rate_pct": round(100 * executed / allocated, 2) if allocated else None,
        "budget_rows": [row],
        "progress_planned_pct": planned,
        "progress_actual_pct": actual,
        "status": status.value,
        "counties": counties,
        "towns": [],
        "places": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    register = synthetic_register(args.projects, seed=args.seed)
    validate_register(register["features"], "the synthetic register")  # as a build does
    text = json.dumps(register, ensure_ascii=False)
    args.out.write_text(text, encoding="utf-8")
    # the digest of the checked bytes, as a build writes it, so serve does not check again
    digest = register_digest(text.encode("utf-8"))
    (args.out.parent / VALIDATED).write_text(digest + "\n", encoding="ascii")
    write_packed(pack(register["features"], digest), args.out.parent / PACKED)  # as a build does
    seen_register_digest(args.out)  # as a build does
    print(f"synthetic: {args.projects} projects -> {args.out}")


if __name__ == "__main__":
    main()
