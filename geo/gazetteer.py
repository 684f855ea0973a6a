"""The facility gazetteer: named sites the documents mention, with real positions.

``data/gazetteer/facilities.csv`` has one row per site, UTF-8, with these columns:

``name``
    The official name, in 臺 form (``石門水庫``).
``aliases``
    Other names it is printed under, separated by ``|`` (``石門壩|石門``); may be empty.
``kind``
    One of :class:`FacilityKind`.
``lon``, ``lat``
    WGS 84 degrees, blank where the exact position is not known with confidence: the site then
    falls back to its town.
``county``, ``town``
    The official 臺-form county and town names the site lies in. A site that spans several
    counties or towns (a pipeline, a river, a park astride a town line) lists each, separated by
    ``;`` (``桃園市;新竹縣;新竹市``). A town may be written bare when the row has one county,
    else with its county in front (``桃園市平鎮區``). A county listed without any of its towns
    means "somewhere in that county". The first county (and its first town) is where the
    row's point lies, if it has one. Town may be blank when it is not known with confidence.
``offshore``
    ``1`` for a site at sea (offshore wind farms), else ``0``.
``position_source``
    How the position was obtained (for example ``dam crest, official coordinates`` or
    ``town only``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from geo.datafiles import data_path
from geo.errors import DataFileError

__all__ = ["Facility", "FacilityKind", "load_facilities"]


class FacilityKind(StrEnum):
    """What kind of site a gazetteer row is."""

    RESERVOIR = "reservoir"
    DAM = "dam"
    ARTIFICIAL_LAKE = "artificial_lake"
    WEIR = "weir"
    WATER_TREATMENT = "water_treatment"
    RECLAIMED_WATER = "reclaimed_water"
    DESALINATION = "desalination"
    SUBSURFACE_INTAKE = "subsurface_intake"
    PIPELINE = "pipeline"
    RIVER = "river"
    DRAINAGE = "drainage"
    POWER_PLANT = "power_plant"
    NUCLEAR_PLANT = "nuclear_plant"
    SUBSTATION = "substation"
    LNG_TERMINAL = "lng_terminal"
    OFFSHORE_WIND = "offshore_wind"
    GEOTHERMAL = "geothermal"
    SMALL_HYDRO = "small_hydro"
    SOLAR = "solar"
    INDUSTRIAL_PARK = "industrial_park"
    SCIENCE_PARK = "science_park"
    TECHNOLOGY_PARK = "technology_park"
    PORT = "port"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Facility:
    """One named site, in one or several counties and towns.

    ``towns`` pairs each recorded town with its county: ``(("桃園市", "平鎮區"),)``.
    """

    name: str
    aliases: tuple[str, ...]
    kind: FacilityKind
    lon: float | None
    lat: float | None
    counties: tuple[str, ...]
    towns: tuple[tuple[str, str], ...]
    offshore: bool
    position_source: str

    @property
    def has_point(self) -> bool:
        """Whether the site's exact position is known."""
        return self.lon is not None and self.lat is not None

    @property
    def county(self) -> str:
        """The first county: where the point lies, if there is one."""
        return self.counties[0]

    @property
    def town(self) -> str | None:
        """The first town of the first county, if recorded: where the point lies."""
        first = [town for county, town in self.towns if county == self.county]
        return first[0] if first else None

    @property
    def spans(self) -> bool:
        """Whether the site is recorded in more than one county or town."""
        return len(self.counties) > 1 or len(self.towns) > 1


def load_facilities(path: Path | None = None) -> tuple[Facility, ...]:
    """Read the facility gazetteer (default ``data/gazetteer/facilities.csv``).

    Raises
    ------
    DataFileError
        The file is missing or a row cannot be read; the message names file and line.
    """
    path = path or data_path("gazetteer", "facilities.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    facilities = []
    for number, row in enumerate(rows, start=2):
        try:
            facilities.append(_facility(row))
        except (KeyError, ValueError) as exc:
            msg = f"{path}: line {number}: {exc}"
            raise DataFileError(msg) from exc
    return tuple(facilities)


def _facility(row: dict[str, str]) -> Facility:
    lon, lat = row["lon"].strip(), row["lat"].strip()
    if bool(lon) != bool(lat):
        msg = "lon and lat must both be given or both be blank"
        raise ValueError(msg)
    counties = _split(row["county"])
    if not counties:
        msg = "county is required"
        raise ValueError(msg)
    return Facility(
        name=row["name"].strip(),
        aliases=tuple(alias.strip() for alias in row["aliases"].split("|") if alias.strip()),
        kind=FacilityKind(row["kind"].strip()),
        lon=float(lon) if lon else None,
        lat=float(lat) if lat else None,
        counties=counties,
        towns=_towns(row["town"], counties),
        offshore=row["offshore"].strip() == "1",
        position_source=row["position_source"].strip(),
    )


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in cell.split(";") if part.strip()))


def _towns(cell: str, counties: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each town of ``cell`` with its county: written in front, or the row's only county."""
    towns = []
    for written in _split(cell):
        county = next((c for c in counties if written.startswith(c) and written != c), None)
        if county is not None:
            towns.append((county, written.removeprefix(county)))
        elif len(counties) == 1:
            towns.append((counties[0], written))
        else:
            msg = f"town {written} must start with one of its counties ({';'.join(counties)})"
            raise ValueError(msg)
    return tuple(towns)
