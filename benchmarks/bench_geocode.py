"""Print how many place strings per second geocode() handles (one core, warm caches).

Builds 10,000 strings from the gazetteer's facility names and the town list (official names,
county+town written together, pre-merger names, short sentences around them), then times
``geocode`` over them after one warm-up call that builds the matcher.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/bench_geocode.py [--gazetteer CSV] [--n 10000]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from geo.boundaries import load_boundaries
from geo.gazetteer import Facility, load_facilities
from geo.geocode import geocode
from geo.names import former_town_names

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "facilities.csv"
TEMPLATES = ("{}", "辦理{}改善工程", "{}新建工程計畫", "位於{}，預計完成", "{}及周邊地區")


def place_strings(facilities: tuple[Facility, ...], n: int, seed: int = 0) -> list[str]:
    """``n`` strings naming facilities, towns and counties in the ways reports write them."""
    rng = random.Random(seed)
    towns = load_boundaries().towns
    former = list(former_town_names(towns))
    pool = [f.name for f in facilities] + [a for f in facilities for a in f.aliases]
    pool += [t.county + t.name for t in towns] + [t.county[:-1] + t.name[:-1] for t in towns]
    pool += [t.name for t in towns if len(t.name) > 2] + former
    strings = []
    for _ in range(n):
        place = rng.choice(pool)
        if rng.random() < 0.2:
            place += "、" + rng.choice(pool)
        strings.append(rng.choice(TEMPLATES).format(place))
    return strings


def main() -> None:
    """Time geocode over the generated strings and print strings per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gazetteer", type=Path, default=None, help="facilities CSV")
    parser.add_argument("--n", type=int, default=10_000, help="number of strings")
    args = parser.parse_args()
    facilities = load_facilities(args.gazetteer)
    if not facilities:  # the bundled gazetteer is still being filled
        facilities = load_facilities(FIXTURE)
    strings = place_strings(facilities, args.n)
    geocode("石門水庫", gazetteer=facilities)  # build the matcher once
    start = time.perf_counter()
    located = sum(geocode(s, gazetteer=facilities).precision is not None for s in strings)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    for s in strings:
        geocode(s, gazetteer=facilities).to_dict()
    with_dict = time.perf_counter() - start
    print(f"{len(facilities)} facilities, {len(strings)} strings, {located} located")
    print(f"geocode:           {len(strings) / elapsed:,.0f} strings/s")
    print(f"geocode + to_dict: {len(strings) / with_dict:,.0f} strings/s")


if __name__ == "__main__":
    main()
