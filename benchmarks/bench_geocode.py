"""Print how many place strings per second geocode() handles (one core, warm caches).

Builds 10,000 strings from the gazetteer's facility names and the town list (official names,
county+town written together, pre-merger names, short sentences around them), then times
``geocode`` over them after one warm-up call that builds the matcher. Then times every record
of the five bundled documents (``data/sources/``): ``geocode`` of each record's name and
text, the same with each place's role read (:func:`geo.evidence.place_role`), and the whole
locate stage over the merged projects.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/bench_geocode.py [--gazetteer CSV] [--n 10000] [--sources DIR]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from geo.boundaries import load_boundaries
from geo.datafiles import data_path
from geo.evidence import place_role
from geo.gazetteer import Facility, load_facilities
from geo.geocode import Geocoder, geocode
from geo.names import former_town_names
from layers import extract, locate, merge, read

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
    parser.add_argument("--sources", type=Path, default=None, help="the documents' folder")
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
    bench_documents(args.sources or data_path("sources"), facilities)


def bench_documents(sources: Path, facilities: tuple[Facility, ...]) -> None:
    """Time geocoding over every record of the documents in ``sources``."""
    documents, _ = read.read_documents(sources)
    records = extract.extract_records(documents).records
    texts = [(r.name, r.text) for r in records]
    chars = sum(len(name) + len(text) for name, text in texts)
    geocoder = Geocoder(facilities, load_boundaries())
    start = time.perf_counter()
    results = [geocoder.geocode(text, name=name) for name, text in texts]
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    roles = sum(
        1
        for (_, text), result in zip(texts, results, strict=True)
        for place in result.places
        if place.source == "text" and place_role(text, place)
    )
    with_roles = elapsed + time.perf_counter() - start
    projects = merge.merge_reports(records)
    start = time.perf_counter()
    located = locate.locate_projects(projects, geocoder=geocoder)
    located_s = time.perf_counter() - start
    placed = sum(1 for _, location in located if location.geometry is not None)
    print(
        f"{len(documents)} documents, {len(records)} records ({chars:,} characters), "
        f"{sum(len(r.places) for r in results)} places, {roles} roles read"
    )
    print(f"records, geocode:          {len(records) / elapsed:,.0f} records/s")
    print(f"records, geocode + roles:  {len(records) / with_roles:,.0f} records/s")
    print(
        f"locate stage:              {len(projects) / located_s:,.0f} projects/s "
        f"({len(projects)} projects, {placed} placed, {located_s:.2f} s)"
    )


if __name__ == "__main__":
    main()
