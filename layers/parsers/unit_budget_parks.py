"""Industrial parks and their water supply named in a unit budget, for the geocoder to place.

A park is named either in running text after a county or city (``雲林離島式基礎工業區``,
``彰濱工業區``, ``高雄大社工業區``) or in the title of a plan that sets one up
(``…暨新材料循環產業園區申請設置計畫``). Generic mentions (``已編定工業區``, ``各產業園區``)
name no place and are left alone.
"""

from __future__ import annotations

import re
from typing import Final

from layers.parsers.unit_budget_entries import Entry
from layers.records import Document, RecordKind

__all__ = ["INDUSTRIAL_PARK", "WATER_SUPPLY", "mark_park_plans", "park_entries"]

INDUSTRIAL_PARK: Final = "industrial_park"
WATER_SUPPLY: Final = "industrial_water_supply"

_PLACES: Final = (
    "臺北|台北|新北|桃園|臺中|台中|臺南|台南|高雄|基隆|新竹|苗栗|彰化|彰濱|南投|雲林|嘉義|"
    "屏東|宜蘭|花蓮|臺東|台東|澎湖|金門|連江"
)
_SUFFIX: Final = "(?:工業區|產業園區|工業園區)"
_PLACED_PARK: Final = re.compile(rf"(?:{_PLACES})[\u4e00-\u9fff]{{0,6}}?{_SUFFIX}")
_TITLED_PARK: Final = re.compile(rf"[^暨及、「」()（）\s]{{2,12}}?{_SUFFIX}")
_WATER: Final = re.compile(r"(?:內廠商分攤)?工業用水(?:專用)?設施")


def park_entries(document: Document, plan_names: list[str]) -> list[Entry]:
    """One FACILITY per park and per park water supply, placed at its first mention."""
    entries: dict[str, Entry] = {}
    for index, line in enumerate(document.lines):
        for match in _PLACED_PARK.finditer(line):
            _mention(entries, match.group(0), INDUSTRIAL_PARK, line, match.start(), index + 1)
            water = _WATER.match(line, match.end())
            if water:
                name = match.group(0) + water.group(0).removeprefix("內廠商分攤")
                _mention(
                    entries,
                    name,
                    WATER_SUPPLY,
                    line,
                    match.start(),
                    index + 1,
                    key=f"{match.group(0)} water",
                )
    for name in plan_names:
        for match in _TITLED_PARK.finditer(name):
            if match.group(0) not in entries:
                _first_mention(entries, match.group(0), document)
    return list(entries.values())


def _mention(
    entries: dict[str, Entry],
    name: str,
    facility_type: str,
    line: str,
    at: int,
    number: int,
    *,
    key: str | None = None,
) -> None:
    """Record the first mention of a facility; later ones add only their printed name."""
    known = entries.get(key or name)
    if known is not None:
        known.add_alias(name)
        return
    entries[key or name] = Entry(
        RecordKind.FACILITY,
        name,
        number,
        number,
        text=_sentence(line, at),
        facility_type=facility_type,
    )


def _first_mention(entries: dict[str, Entry], name: str, document: Document) -> None:
    for index, line in enumerate(document.lines):
        at = line.find(name)
        if at >= 0:
            _mention(entries, name, INDUSTRIAL_PARK, line, at, index + 1)
            return


def _sentence(line: str, at: int) -> str:
    """The sentence of ``line`` around position ``at``, without HTML-ish tags."""
    start = max(line.rfind("。", 0, at), line.rfind(">", 0, at), line.rfind("\t", 0, at)) + 1
    ends = [i for i in (line.find("。", at), line.find("<", at), line.find("\t", at)) if i >= 0]
    end = min(ends) + 1 if ends else len(line)
    return line[start:end].strip(" \t<")


def mark_park_plans(entries: list[Entry]) -> None:
    """Plans and items whose name names a park are about that park: give them its type."""
    for entry in entries:
        if entry.kind is not RecordKind.FACILITY and _TITLED_PARK.search(entry.name):
            entry.facility_type = INDUSTRIAL_PARK
