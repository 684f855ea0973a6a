"""Recall of the business report: the named, place-bound sites it prints, found with their county.

``tests/fixtures/recall/business_report_sites.csv`` is a hand-checked list of the sites and works
the business report (001) names and places (in lists and enumerations too), each with its county
and the line that prints it. The list was made by reading the report, not from the parser's
output; it is the measure, not a copy of the result.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from layers.merge import match_key

LIST = Path(__file__).resolve().parents[1] / "fixtures" / "recall" / "business_report_sites.csv"
BUSINESS = "001_3f6f350d1aff0367.txt"


@pytest.fixture(scope="module")
def sites() -> list[dict[str, str]]:
    with LIST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("台", "臺")


def test_every_listed_site_cites_the_line_that_prints_it(
    sites: list[dict[str, str]], sources: Path
) -> None:
    lines = (sources / BUSINESS).read_text(encoding="utf-8").split("\n")
    for site in sites:
        line = int(site["line"])
        window = _plain("".join(lines[max(0, line - 3) : line + 8]))
        name = _plain(site["name"])
        assert name[:3] in window or name[-4:] in window, (site["name"], line)


def _found(features: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    key = match_key(name)
    found = []
    for feature in features:
        props = feature["properties"]
        printed = [props["name"], *props["aliases"], *(s["name"] for s in props["sources"])]
        from_report = any(s["document"] == BUSINESS for s in props["sources"])
        if from_report and key in {match_key(n) for n in printed}:
            found.append(props)
    return found


def test_recall_and_county_accuracy(
    built_register: dict[str, Any], sites: list[dict[str, str]]
) -> None:
    features = built_register["features"]
    missed, wrong = [], []
    for site in sites:
        found = _found(features, site["name"])
        if not found:
            missed.append(site["name"])
        elif not any(site["county"] in props["counties"] for props in found):
            wrong.append((site["name"], site["county"], [p["counties"] for p in found]))
    recall = 1 - len(missed) / len(sites)
    accuracy = 1 - len(wrong) / (len(sites) - len(missed))
    print(f"recall {recall:.1%} of {len(sites)}; county accuracy {accuracy:.1%}; missed {missed}")
    assert recall >= 0.9, missed
    assert accuracy >= 0.9, wrong
