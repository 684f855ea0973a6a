"""Find every place a text names: facility sites, towns, counties, and where they are.

One :class:`Geocoder` compiles every written form (facility names and aliases, and each form
:mod:`geo.names` knows for counties and towns) into one Aho–Corasick automaton, built once
and reused. A text is normalised, scanned once, and the longest non-overlapping names win
(``石門水庫`` over ``石門``, ``臺南市`` over ``臺南``, ``山上淨水場`` over ``山上``). Names that fit
several places are narrowed by the counties the text names elsewhere, else reported
ambiguous. A place right after 供應, 供水, 服務, 受益… is *served*, not built, and does not
locate the text when a built place does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from geo.boundaries import Boundaries, County, load_boundaries
from geo.errors import AmbiguousPlaceError, DataFileError, PlaceNotFoundError
from geo.gazetteer import Facility, FacilityKind, load_facilities
from geo.matcher import Matcher, longest_first
from geo.names import AreaKind, NameForm, PlaceNames, normalize, normalize_for_matching
from geo.places import Ambiguity, GeocodeResult, Place, PlaceKind, Precision, Source

__all__ = ["GeocodeResult", "Geocoder", "geocode", "geocode_or_raise"]

#: Kinds whose point stands for something kilometres long or wide: precision 2, not 1.
_EXTENDED = {FacilityKind.PIPELINE, FacilityKind.RIVER, FacilityKind.DRAINAGE}
_EXTENDED |= {FacilityKind.OFFSHORE_WIND}
#: Phrases that say the work covers the whole country.
_NATIONWIDE = ("全國", "全臺", "全島", "全國各地", "臺灣各地", "各縣市")
#: A place after one of these words (in the same clause, close by) is served, not built.
_SERVED = re.compile(r"供應|供水|供給|服務|受益|支援|送水至|輸送至|送至")
_CLAUSE_END = re.compile(r"[，,。；;！!？?：:()「」]")
_SERVED_REACH = 15  # characters from the verb to the place, 供應南投、彰化及雲林地區


@dataclass(frozen=True, slots=True)
class _Target:
    """A place a written form can mean, located once when the geocoder is built."""

    kind: PlaceKind
    name: str
    county: str | None
    county_code: str | None
    town: str | None
    town_code: str | None
    lon: float | None
    lat: float | None
    precision: Precision
    facility_kind: str | None = None

    @property
    def label(self) -> str:
        """Full name for reports: 臺北市中山區, 新竹縣, 石門水庫."""
        if self.kind is PlaceKind.TOWN:
            return f"{self.county}{self.town}"
        return self.name


@dataclass(frozen=True, slots=True)
class _Entry:
    """What one written form means: one target, several named together, or candidates."""

    targets: tuple[_Target, ...]
    ambiguous: bool
    standalone: bool = True


@dataclass(frozen=True, slots=True)
class _Found:
    """A form found in a text, before context is applied."""

    matched: str
    offset: int
    line: int | None
    source: Source
    entry: _Entry
    served: bool


class Geocoder:
    """Every written form of every place, compiled once.

    Parameters
    ----------
    facilities
        The gazetteer (:func:`geo.gazetteer.load_facilities`).
    boundaries
        Counties and towns (:func:`geo.boundaries.load_boundaries`).

    Raises
    ------
    DataFileError
        A facility names a county or town that does not exist.
    """

    def __init__(self, facilities: Sequence[Facility], boundaries: Boundaries) -> None:
        self.boundaries = boundaries
        self.names = PlaceNames(boundaries.towns)
        entries: dict[str, _Entry] = {}
        for written, targets in _facility_forms(facilities, boundaries, self.names):
            known = entries.get(written)
            if known is None:  # one site: every segment of it, not a choice among them
                entries[written] = _Entry(targets, ambiguous=False)
            elif known.targets != targets:  # two sites share a name: a choice, by context
                entries[written] = _Entry((*known.targets, *targets), ambiguous=True)
        for written, form in self.names.forms.items():
            entries.setdefault(written, self._area_entry(form))
        nation = _Target(PlaceKind.NATION, "臺灣", *(None,) * 6, Precision.NATIONWIDE)
        for phrase in _NATIONWIDE:
            entries.setdefault(phrase, _Entry((nation,), ambiguous=False))
        self._entries = entries
        self._matcher = Matcher(entries)

    def _area_entry(self, form: NameForm) -> _Entry:
        targets = []
        for area in form.areas:
            if area.kind is AreaKind.COUNTY:
                county = self.boundaries.county(area.code)
                targets.append(_county_target(county.code, county.name, county.lon, county.lat))
            else:
                town = self.boundaries.town(area.code)
                targets.append(
                    _town_target(
                        town.code, town.name, town.county_code, town.county, town.lon, town.lat
                    )
                )
        return _Entry(tuple(targets), form.ambiguous, form.standalone)

    def geocode(self, text: str, *, name: str | None = None) -> GeocodeResult:
        """Every place ``text`` (and the project ``name``, if given) names.

        Returns
        -------
        GeocodeResult
            With empty ``places`` when the text names no place.
        """
        found = list(self._scan(text, "text"))
        if name:
            found.extend(self._scan(name, "name"))
        context = {
            target.county_code
            for item in found
            if not item.entry.ambiguous and item.entry.standalone
            for target in item.entry.targets
        }
        places: list[Place] = []
        ambiguous: list[Ambiguity] = []
        for item in found:
            _resolve(item, context, places, ambiguous)
        return GeocodeResult(
            text=text,
            name=name,
            places=tuple(p for p in places if not p.served),
            served=tuple(p for p in places if p.served),
            ambiguous=tuple(ambiguous),
        )

    def _scan(self, text: str, source: Source) -> Iterator[_Found]:
        normal, offsets = normalize_for_matching(text)
        hits = longest_first(self._matcher.find_all(normal))
        if not hits:
            return
        breaks = [i for i, char in enumerate(text) if char == "\n"] if "\n" in text else None
        served_ends = [m.end() for m in _SERVED.finditer(normal)]
        for hit in hits:
            start, end = offsets[hit.start], offsets[hit.end - 1] + 1
            yield _Found(
                matched=text[start:end],
                offset=start,
                line=None if breaks is None else bisect_right(breaks, start - 1) + 1,
                source=source,
                entry=self._entries[self._matcher.patterns[hit.pattern]],
                served=_is_served(normal, hit.start, served_ends),
            )


def _resolve(
    item: _Found, context: set[str | None], places: list[Place], ambiguous: list[Ambiguity]
) -> None:
    """Add the place(s) ``item`` names, or an ambiguity when context does not decide."""
    targets, by_context = item.entry.targets, False
    if item.entry.ambiguous or not item.entry.standalone:
        inside = tuple(t for t in targets if t.county_code in context)
        if len(inside) != 1 or not item.entry.standalone:
            ambiguous.append(
                Ambiguity(
                    item.matched,
                    item.offset,
                    item.line,
                    item.source,
                    tuple(t.label for t in targets),
                )
            )
            return
        targets, by_context = inside, item.entry.ambiguous
    for target in targets:
        places.append(_place(item, target, by_context=by_context))


def _place(item: _Found, target: _Target, *, by_context: bool) -> Place:
    return Place(
        matched=item.matched,
        offset=item.offset,
        line=item.line,
        source=item.source,
        kind=target.kind,
        name=target.name,
        county=target.county,
        county_code=target.county_code,
        town=target.town,
        town_code=target.town_code,
        lon=target.lon,
        lat=target.lat,
        precision=target.precision,
        approximate=target.precision is not Precision.EXACT and target.lon is not None,
        served=item.served and target.kind is not PlaceKind.NATION,
        by_context=by_context,
        facility_kind=target.facility_kind,
    )


def _is_served(normal: str, start: int, served_ends: list[int]) -> bool:
    """Whether a served-area verb comes shortly before ``start`` in the same clause."""
    i = bisect_right(served_ends, start) - 1
    if i < 0 or start - served_ends[i] > _SERVED_REACH:
        return False
    return _CLAUSE_END.search(normal, served_ends[i], start) is None


def _county_target(code: str, name: str, lon: float, lat: float) -> _Target:
    return _Target(PlaceKind.COUNTY, name, name, code, None, None, lon, lat, Precision.COUNTY)


def _town_target(
    code: str, name: str, county_code: str, county: str, lon: float, lat: float
) -> _Target:
    return _Target(PlaceKind.TOWN, name, county, county_code, name, code, lon, lat, Precision.TOWN)


def _facility_forms(
    facilities: Sequence[Facility], boundaries: Boundaries, names: PlaceNames
) -> Iterator[tuple[str, tuple[_Target, ...]]]:
    for facility in facilities:
        targets = _facility_targets(facility, boundaries, names)
        for written in dict.fromkeys(normalize(n) for n in (facility.name, *facility.aliases)):
            if written:
                yield written, targets


def _facility_targets(
    facility: Facility, boundaries: Boundaries, names: PlaceNames
) -> tuple[_Target, ...]:
    """Where a facility is: its point, else each recorded town's point, else each county's.

    A site spanning counties or towns gets one target per segment, so it is drawn as a
    MultiPoint and counted in every county; its point, if known, stands for its first town.
    """
    segments: list[_Target] = []
    for county_name in facility.counties:
        county = _facility_county(facility, county_name, names, boundaries)
        base = _Target(
            PlaceKind.FACILITY,
            facility.name,
            county.name,
            county.code,
            None,
            None,
            county.lon,
            county.lat,
            Precision.COUNTY,
            str(facility.kind),
        )
        towns = [town for c, town in facility.towns if c == county_name]
        if not towns:
            segments.append(base)
        for town_name in towns:
            found = boundaries.towns_named(normalize(town_name), county=county.code)
            if len(found) != 1:
                msg = f"gazetteer: {facility.name}: no town {town_name} in {county.name}"
                raise DataFileError(msg)
            town = found[0]
            segments.append(
                replace(
                    base,
                    town=town.name,
                    town_code=town.code,
                    lon=town.lon,
                    lat=town.lat,
                    precision=Precision.TOWN,
                )
            )
    if facility.lon is not None and facility.lat is not None:
        precision = Precision.NEAR if facility.kind in _EXTENDED else Precision.EXACT
        segments[0] = replace(segments[0], lon=facility.lon, lat=facility.lat, precision=precision)
    return tuple(segments)


def _facility_county(
    facility: Facility, name: str, names: PlaceNames, boundaries: Boundaries
) -> County:
    try:
        counties = names.county(name).areas
        if len(counties) != 1:
            msg = f"county {name} fits {len(counties)} counties"
            raise AmbiguousPlaceError(msg)
        return boundaries.county(counties[0].code)
    except (PlaceNotFoundError, AmbiguousPlaceError) as exc:
        msg = f"gazetteer: {facility.name}: {exc}"
        raise DataFileError(msg) from exc


_GEOCODERS: dict[tuple[int, int], tuple[object, object, Geocoder]] = {}


def _geocoder(gazetteer: Sequence[Facility] | None, boundaries: Boundaries | None) -> Geocoder:
    """The geocoder for these inputs, built on first use (keyed by identity, kept alive)."""
    key = (id(gazetteer), id(boundaries))
    cached = _GEOCODERS.get(key)
    if cached is None:
        facilities = load_facilities() if gazetteer is None else gazetteer
        geocoder = Geocoder(facilities, boundaries or load_boundaries())
        cached = _GEOCODERS[key] = (gazetteer, boundaries, geocoder)
    return cached[2]


def geocode(
    text: str,
    *,
    name: str | None = None,
    gazetteer: Sequence[Facility] | None = None,
    boundaries: Boundaries | None = None,
) -> GeocodeResult:
    """Every place ``text`` (and the project ``name``) names, with where each one is.

    Parameters
    ----------
    text
        Any text: a place string, a project description, a whole report.
    name
        The project's name, scanned too; its places are marked ``source="name"``.
    gazetteer
        Facilities to find (default: the bundled gazetteer). The geocoder built for a given
        sequence object is cached, so pass the same object on each call.
    boundaries
        Counties and towns (default: the bundled boundaries).

    Raises
    ------
    DataFileError
        A bundled file is missing, or a facility names an unknown county or town.
    """
    return _geocoder(gazetteer, boundaries).geocode(text, name=name)


def geocode_or_raise(
    text: str,
    *,
    name: str | None = None,
    gazetteer: Sequence[Facility] | None = None,
    boundaries: Boundaries | None = None,
) -> GeocodeResult:
    """Like :func:`geocode`, but a text that places nothing is an error.

    Raises
    ------
    PlaceNotFoundError
        The text names no place at all.
    AmbiguousPlaceError
        The text names places, but each fits several and its context does not say which.
    """
    result = geocode(text, name=name, gazetteer=gazetteer, boundaries=boundaries)
    if result.precision is None:
        if result.ambiguous:
            candidates = "; ".join(
                f"{a.matched}: {' or '.join(a.candidates)}" for a in result.ambiguous
            )
            msg = f"ambiguous places in {text[:40]!r}: {candidates}"
            raise AmbiguousPlaceError(msg)
        msg = f"no place named in {text[:40]!r}"
        raise PlaceNotFoundError(msg)
    return result
