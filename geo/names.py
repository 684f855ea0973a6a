"""Place-name normalisation and the many ways Taiwan's counties and towns are written.

:func:`normalize` makes one canonical string (台→臺, full-width→half-width, no spaces, one form
of each punctuation mark). :class:`PlaceNames` knows every written form of every county and
town: the official name, the county without its suffix (``臺南`` → 臺南市), the pre-merger names
of 2010 and 2014 (``臺北縣`` → 新北市, ``板橋市`` → 板橋區), and a town written right after its
county (``高雄大樹`` → 高雄市大樹區). A form that fits several places (``新竹``, ``中山區``) is
resolved by the counties its context names, or reported ambiguous, never guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Protocol

from geo.errors import PlaceNotFoundError
from geo.matcher import Matcher, longest_first

if TYPE_CHECKING:
    from geo.boundaries import Boundaries

__all__ = [
    "Area",
    "AreaKind",
    "FormKind",
    "NameForm",
    "NameMatch",
    "PlaceNames",
    "TownLike",
    "default_place_names",
    "former_town_names",
    "narrow",
    "normalize",
    "normalize_for_matching",
    "place_names_of",
]

_SPACES = " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_SPACES += "\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
#: One character in, at most one out: full-width ASCII, 台, dots, dashes; spaces dropped.
_TABLE: dict[int, int | None] = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    **dict.fromkeys(map(ord, _SPACES)),
    ord("台"): ord("臺"),
    **{ord(dot): ord("·") for dot in "‧・･•∙⋅"},
    **{ord(dash): ord("-") for dash in "‐‑‒–—―−"},
    ord("～"): ord("~"),
    ord("〜"): ord("~"),
}

#: The municipalities whose 鄉/鎮/市 became 區 on 2010-12-25 (2014-12-25 for 桃園).
_MERGED = {
    "65000": "臺北縣",
    "66000": "臺中縣",
    "67000": "臺南縣",
    "64000": "高雄縣",
    "68000": "桃園縣",
}
#: Districts that were already 區 of the old provincial or special cities before the mergers
#: (codes from the MOI town list): they had no 鄉/鎮/市 name to carry over.
_OLD_CITY_DISTRICTS = {
    "64000": range(64000010, 64000120),  # 高雄市 before 2010: 鹽埕區 … 小港區
    "66000": range(66000010, 66000090),  # 臺中市 before 2010: 中區 … 北屯區
    "67000": range(67000320, 67000380),  # 臺南市 before 2010: 東區 … 中西區
}
#: Common names of a county that are not its official name.
_OTHER_COUNTY_NAMES = {"馬祖": "連江縣"}
_TOWN_SUFFIXES = "鄉鎮市區"


def normalize(text: str) -> str:
    """The canonical form of a name or text: NFKC, 台→臺, no whitespace, one punctuation form.

    Idempotent: ``normalize(normalize(s)) == normalize(s)``.
    """
    result = unicodedata.normalize("NFKC", text).translate(_TABLE)
    # Dropping a space can leave a combining mark that NFKC would now compose (U+00A8 → " ̈"),
    # so repeat until nothing changes; two rounds are enough for any text seen so far.
    while (again := unicodedata.normalize("NFKC", result).translate(_TABLE)) != result:
        result = again
    return result


def normalize_for_matching(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalise ``text`` character by character, keeping where each character came from.

    Returns the normalised text and, for each of its characters, the offset in ``text`` of the
    character it came from, so a match can be reported in the original. Only the
    one-to-one mappings of :func:`normalize` are applied (no NFKC expansion).
    """
    normal = text.translate(_TABLE)
    if len(normal) == len(text):
        return normal, tuple(range(len(text)))
    offsets = tuple(i for i, char in enumerate(text) if _TABLE.get(ord(char), 0) is not None)
    return normal, offsets


class AreaKind(StrEnum):
    """Which level of the administrative hierarchy an area is."""

    COUNTY = "county"
    TOWN = "town"


class FormKind(StrEnum):
    """How a written form relates to the official name."""

    OFFICIAL = "official"
    COUNTY_TOWN = "county_town"  # 高雄大樹, 臺南市東區
    SHORT = "short"  # 臺南 for 臺南市
    FORMER = "former"  # 臺北縣, 板橋市
    BOTH = "both"  # 新竹縣市: both 新竹縣 and 新竹市


class TownLike(Protocol):
    """What :class:`PlaceNames` needs of a town (:class:`geo.boundaries.Town` fits)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def county_code(self) -> str: ...
    @property
    def county(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Area:
    """A county or town a written form can mean."""

    kind: AreaKind
    code: str
    name: str
    county_code: str
    county: str


@dataclass(frozen=True, slots=True)
class NameForm:
    """One written form and the areas it can mean."""

    written: str
    areas: tuple[Area, ...]
    kind: FormKind
    #: False for 東區, 北區…: also the regions of national agencies (北區水資源局), so a text
    #: locates them only when their county is written right before them.
    standalone: bool = True

    @property
    def ambiguous(self) -> bool:
        """Whether the form means one of several areas (a 縣市 pair names all of them)."""
        return len(self.areas) > 1 and self.kind is not FormKind.BOTH


@dataclass(frozen=True, slots=True)
class NameMatch:
    """What a name was resolved to: one area, several named together, or several candidates."""

    written: str
    areas: tuple[Area, ...]
    ambiguous: bool
    by_context: bool = False


def narrow(areas: tuple[Area, ...], counties: Iterable[str]) -> tuple[Area, ...]:
    """The candidates lying in one of the given county codes, if exactly one does, else all."""
    named = set(counties)
    inside = tuple(area for area in areas if area.county_code in named)
    return inside if len(inside) == 1 else areas


class PlaceNames:
    """Every written form of every county and town.

    Parameters
    ----------
    towns
        The 368 towns, each knowing its county (for example ``load_boundaries().towns``).
    """

    def __init__(self, towns: Iterable[TownLike]) -> None:
        self.towns = tuple(towns)
        forms: dict[str, NameForm] = {}
        # Official names first: a later, looser form never displaces an official one.
        for form in _forms(self.towns):
            known = forms.get(form.written)
            if known is None:
                forms[form.written] = form
            elif known.kind is form.kind and form.areas[0] not in known.areas:
                forms[form.written] = NameForm(
                    form.written, known.areas + form.areas, form.kind, known.standalone
                )
        self.forms = forms
        self._matcher = Matcher(forms)

    def find(self, text: str) -> Iterator[tuple[int, int, NameForm]]:
        """Each county or town form in normalised ``text``: start, end and form, longest first."""
        for hit in longest_first(self._matcher.find_all(text)):
            yield hit.start, hit.end, self.forms[self._matcher.patterns[hit.pattern]]

    def counties_named(self, text: str) -> set[str]:
        """Codes of the counties ``text`` names unambiguously, itself or through a town."""
        return {
            form.areas[0].county_code
            for _, _, form in self.find(normalize(text))
            if len({area.county_code for area in form.areas}) == 1
        }

    def resolve(self, name: str, *, context: str = "", county: str | None = None) -> NameMatch:
        """The county or town ``name`` means, narrowed by a county (code or name) or context.

        Raises
        ------
        PlaceNotFoundError
            ``name`` is no form of any county or town.
        """
        written = normalize(name)
        form = self.forms.get(written)
        if form is None:
            msg = f"no county or town is written {name!r}"
            raise PlaceNotFoundError(msg)
        if not form.ambiguous:
            return NameMatch(written, form.areas, ambiguous=False)
        hints = self.counties_named(context)
        if county is not None:
            hints = (
                {county}
                if county.isdigit()
                else {a.county_code for a in self.resolve(county).areas}
            )
        areas = narrow(form.areas, hints)
        return NameMatch(written, areas, ambiguous=len(areas) > 1, by_context=len(areas) == 1)

    def county(self, name: str, *, context: str = "") -> NameMatch:
        """Like :meth:`resolve`, for a county name (``臺南``, ``新竹``, ``臺北縣``)."""
        match = self.resolve(name, context=context)
        if any(area.kind is not AreaKind.COUNTY for area in match.areas):
            msg = f"{name!r} is not a county"
            raise PlaceNotFoundError(msg)
        return match

    def town(self, name: str, *, county: str | None = None, context: str = "") -> NameMatch:
        """Like :meth:`resolve`, for a town name (``東區``, ``板橋市``, ``高雄大樹``)."""
        match = self.resolve(name, county=county, context=context)
        if any(area.kind is not AreaKind.TOWN for area in match.areas):
            msg = f"{name!r} is not a town"
            raise PlaceNotFoundError(msg)
        return match


def _county_areas(towns: tuple[TownLike, ...]) -> dict[str, Area]:
    return {
        town.county_code: Area(
            AreaKind.COUNTY, town.county_code, town.county, town.county_code, town.county
        )
        for town in towns
    }


def _town_area(town: TownLike) -> Area:
    return Area(AreaKind.TOWN, town.code, town.name, town.county_code, town.county)


def _forms(towns: tuple[TownLike, ...]) -> Iterator[NameForm]:
    """Every form, best kind first: official, county+town, short, former, 縣市 pairs."""
    counties = _county_areas(towns)
    former_towns = former_town_names(towns)
    for area in counties.values():
        yield NameForm(area.name, (area,), FormKind.OFFICIAL)
    for town in towns:
        standalone = len(town.name) > 2  # not 東區, 北區…
        yield NameForm(town.name, (_town_area(town),), FormKind.OFFICIAL, standalone=standalone)
    for town in towns:
        for county_form in _county_forms(counties[town.county_code]):
            for town_form in _town_forms(town, former_towns):
                yield NameForm(county_form + town_form, (_town_area(town),), FormKind.COUNTY_TOWN)
    for area in counties.values():
        yield NameForm(area.name[:-1], (area,), FormKind.SHORT)
    for other, official in _OTHER_COUNTY_NAMES.items():
        yield from (
            NameForm(other, (a,), FormKind.SHORT) for a in counties.values() if a.name == official
        )
    for code, old in _MERGED.items():
        yield NameForm(old, (counties[code],), FormKind.FORMER)
    for old_name, town in former_towns.items():
        yield NameForm(old_name, (_town_area(town),), FormKind.FORMER)
    for stem in {a.name[:-1] for a in counties.values() if a.name.endswith("縣")}:
        pair = tuple(a for a in counties.values() if a.name[:-1] == stem)
        if len(pair) == 2:
            yield NameForm(stem + "縣市", pair, FormKind.BOTH)


def _county_forms(county: Area) -> list[str]:
    """How a county is written before one of its towns: 臺南市, 臺南, 臺南縣 (former)."""
    old = _MERGED.get(county.code)
    return [county.name, county.name[:-1], *([old, old[:-1]] if old else [])]


def _town_forms(town: TownLike, former: dict[str, TownLike]) -> list[str]:
    """How a town is written after its county: 大樹區, 大樹, 大樹鄉 (former)."""
    forms = [town.name]
    if len(town.name) > 2:  # 東 alone is no town
        forms.append(town.name[:-1])
    forms.extend(old for old, now in former.items() if now is town)
    return forms


def former_town_names(towns: Iterable[TownLike]) -> dict[str, TownLike]:
    """Pre-merger names of the 區 of the 2010/2014 municipalities: ``{"板橋市": 板橋區, …}``.

    Each 區 that was a 鄉, 鎮 or 市 of the old county gets its stem with all three suffixes
    (the town list does not say which one it had); a form that is also a current town or county
    name (東勢鄉 is in 雲林縣, 桃園市 is the municipality) or that fits two districts is left out.
    """
    towns = tuple(towns)
    current = {town.name for town in towns} | {town.county for town in towns}
    candidates: dict[str, list[TownLike]] = {}
    for town in towns:
        old_city = _OLD_CITY_DISTRICTS.get(town.county_code, range(0))
        if town.county_code not in _MERGED or int(town.code) in old_city or len(town.name) < 3:
            continue
        for suffix in _TOWN_SUFFIXES[:3]:
            candidates.setdefault(town.name[:-1] + suffix, []).append(town)
    return {
        old: found[0] for old, found in candidates.items() if len(found) == 1 and old not in current
    }


@cache
def default_place_names() -> PlaceNames:
    """The :class:`PlaceNames` of the bundled boundaries, built once."""
    from geo.boundaries import load_boundaries  # geopandas only when asked

    return PlaceNames(load_boundaries().towns)


def place_names_of(boundaries: Boundaries) -> PlaceNames:
    """The :class:`PlaceNames` of given boundaries."""
    return PlaceNames(boundaries.towns)
