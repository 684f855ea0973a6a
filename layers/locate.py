"""Stage 4: place every project with the offline geocoder, saying how precisely.

Which texts can place a project, in order:

1. Its **name and aliases**: every place they name (a site, a town, a county), except an
   area it only serves (供應…地區). A generating unit named after its plant (林口新 3 號機,
   通霄燃氣複循環新 3 號機) is at that plant (林口電廠, 通霄電廠).
2. If they name none, the **text of its report entries**, but only the places that text names
   as where the work is (:func:`geo.evidence.place_role`): a named site (a gazetteer
   facility) unless its sentence marks it as incidental, and a county or town only in a
   sentence that says something is built or done there (位於, 設於, 工址, 施工地點, 於 X
   興建…, X…工程, 新北 4 口). Places named as examples (如…, …等 47 座 with fewer listed),
   prize-winners, governments, firms and associations (X 市政府, X 公司, X 業者), subsidised or
   commissioned parties, private investment, meeting and event venues, comparisons and
   served areas never place a project. A site recorded on its own (a business-report
   facility, whose text is the paragraph naming it and its neighbours) is placed by its name
   alone: the other places of that paragraph belong to the other sites.

The **text decides over the gazetteer**: when the clause of a report that names the project
puts it in a county or town (雲林外海…「離岸風力發電第一期計畫」; not as an agency, partner,
example…) and none of them is the county the gazetteer gives its name, it is placed where the
clause says, and the conflict is kept in its note and listed in the build report.

A unit budget's **work plan or branch plan** (工作計畫, 分支計畫) is placed by its name only:
the places its text names are those of the items under it, which the map shows; pinning the
whole work plan (NT$552.6 million for 工業管理) to one item's town would mislead.

A **distributed programme**, whose report says the county governments carry out its works
(各縣市政府辦理…, :func:`geo.evidence.county_works`), is nationwide: the sites its text names
are a sample of its works, and pinning it (and its whole budget) to them would mislead.

National programmes (no entry place-bound, a distributed programme, or a text that says 全國)
get precision 6 and no geometry; a project that names no place keeps a null geometry and a
reason, which lists the places its text names only incidentally. Nothing is dropped, nothing
is put at (0, 0).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from shapely.geometry import mapping

from geo.evidence import Role, county_works, place_role
from geo.geocode import Geocoder
from geo.places import GeocodeResult, Place, PlaceKind, Precision
from layers.merge import Project
from layers.records import DocumentKind, Record, RecordKind

__all__ = ["Location", "locate_project", "locate_projects"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a project is, how precisely, and the evidence."""

    geometry: dict[str, Any] | None
    precision: int | None
    counties: tuple[str, ...]
    towns: tuple[str, ...]
    places: tuple[dict[str, Any], ...]
    approximate: bool
    note: str | None
    conflict: str | None = None  # a stored place the report's own text contradicts
    #: The note as a code and its values (``{"code": "no_place", ...}``), for pages to say in
    #: the reader's language; ``note`` is its English sentence, for exports and logs.
    reason: dict[str, Any] | None = None


def locate_projects(
    projects: list[Project] | tuple[Project, ...], *, geocoder: Geocoder
) -> list[tuple[Project, Location]]:
    """Locate every project (see the module docstring for the rules)."""
    located = [(project, locate_project(project, geocoder=geocoder)) for project in projects]
    placed = sum(1 for _, location in located if location.geometry is not None)
    national = sum(1 for _, location in located if location.precision == Precision.NATIONWIDE)
    log.info(
        "locate: %d projects -> %d placed, %d national, %d unplaced",
        len(located),
        placed,
        national,
        len(located) - placed - national,
    )
    return located


def locate_project(project: Project, *, geocoder: Geocoder) -> Location:
    """Locate one project (see the module docstring for the rules)."""
    names = "\n".join((project.name, *project.aliases))
    by_name = geocoder.geocode(names)
    if by_name.places and by_name.located:
        conflict = _text_conflict(project, by_name, geocoder)
        if conflict is not None:
            return conflict
        return _location(by_name, [("name", 0, by_name)])
    if not project.place_bound:
        return _national("a national programme: not bound to a place", "national_programme")
    plant = _plant_of_unit(project.name)
    if plant is not None:
        by_plant = geocoder.geocode(plant)
        if by_plant.located:
            located = _location(by_plant, [("name", 0, by_plant)])
            note = f"a generating unit: placed at its plant, {plant}"
            return replace(located, note=note, reason=_reason("generating_unit", plant=plant))
    distributed = _distributed(project)
    if distributed is not None:
        return distributed
    results = [
        (entry.source.document, entry.source.first_line, _sites(entry, geocoder))
        for entry in project.entries
        if entry.text and entry.kind is not RecordKind.FACILITY
    ]
    combined = GeocodeResult(
        text="",
        name=None,
        places=tuple(p for _, _, (r, _) in results for p in r.places),
        served=(),
        ambiguous=tuple(a for _, _, (r, _) in results for a in r.ambiguous),
    )
    if combined.located and _budget_level_above_items(project):
        note = (
            "a work plan or branch plan of a unit budget: the places its text names belong to "
            "the items under it, which carry them; its whole amount is not pinned to one"
        )
        return _unplaced(note, _reason("budget_level"))
    if combined.located:
        return _location(combined, [(doc, line, r) for doc, line, (r, _) in results])
    if combined.nationwide:
        return _national("the text says the work is nationwide", "text_nationwide")
    if not results and all(entry.kind is RecordKind.FACILITY for entry in project.entries):
        note = "a site is placed by its own name, and this name is not in the gazetteer"
        return _unplaced(note, _reason("site_not_in_gazetteer"))
    return _unplaced_note(combined, results)


#: A generating unit: its plant's short name, then 燃氣複循環/新 and the unit's number.
_UNIT = re.compile(r"^(?P<plant>[^\d\s]{2,4}?)(?:燃氣複循環|燃煤|燃氣)?新?\s*\d+\s*號機$")


def _text_conflict(project: Project, by_name: GeocodeResult, geocoder: Geocoder) -> Location | None:
    """Where the clause of a report that names the project (from the last 、，；。：及與和
    before the name to its end) puts it, by the county or town printed nearest before the name, in
    another county than the gazetteer entry of its name: the text decides, the conflict is
    kept in the note; ``None`` when they agree or the clause says nothing."""
    if any(place.kind in (PlaceKind.COUNTY, PlaceKind.TOWN) for place in by_name.places):
        return None  # the name prints its own county or town (苗栗通霄溪伏流水)
    stored = {place.county for place in by_name.located if place.county}
    for entry in project.entries:
        text = _SPACE.sub("", entry.text)
        for name in (project.name, *project.aliases):
            printed = _SPACE.sub("", name)
            at = text.find(printed) if printed else -1
            if at < 0:
                continue
            start = max(text.rfind(mark, 0, at) for mark in _CLAUSE_MARKS) + 1
            clause = text[start : at + len(printed)]
            before = [p for p in geocoder.geocode(clause).places if p.offset < at - start]
            nearest = max(before, key=lambda place: place.offset, default=None)
            said = [
                place
                for place in [nearest]
                if place is not None
                and place.kind in (PlaceKind.COUNTY, PlaceKind.TOWN)
                and place_role(clause, place) in (Role.SITE, Role.NO_SITE_WORDS)
            ]
            counties = {place.county for place in said if place.county}
            if not counties or counties & stored:
                continue
            result = GeocodeResult(clause, None, tuple(said), (), ())
            located = _location(result, [(entry.source.document, entry.source.first_line, result)])
            note = (
                f"the gazetteer puts {name} in {'、'.join(sorted(stored))}, but its report "
                f"({entry.source.document} line {entry.source.first_line}) says "
                f"{'、'.join(sorted(counties))}: placed where the report says"
            )
            reason = _reason(
                "text_conflict",
                name=name,
                stored=sorted(stored),
                said=sorted(counties),
                document=entry.source.document,
                line=entry.source.first_line,
            )
            return replace(located, note=note, conflict=note, reason=reason)
    return None


_SPACE = re.compile(r"\s+")
_CLAUSE_MARKS = ("。", "；", "，", "、", "：", "\n", "（", "(", "及", "與", "和")


def _plant_of_unit(name: str) -> str | None:
    """``林口新3號機`` → ``林口電廠``: the plant a generating unit is part of, or ``None``."""
    match = _UNIT.match(name.strip())
    return f"{match['plant']}電廠" if match else None


def _distributed(project: Project) -> Location | None:
    """The location of a distributed programme (see the module docstring), or ``None``."""
    for entry in project.entries:
        if not entry.text or entry.kind is RecordKind.FACILITY:
            continue
        offset = county_works(entry.text)
        if offset is not None:
            line = entry.source.first_line + entry.text.count("\n", 0, offset)
            printed = _SPACE.sub("", entry.text[offset : offset + 24])[:12]
            note = (
                f"the county governments carry out its works ({printed}…, "
                f"{entry.source.document} line {line}): nationwide, its named sites are examples"
            )
            reason = _reason(
                "distributed", printed=printed, document=entry.source.document, line=line
            )
            return replace(_national(note, "distributed"), reason=reason)
    return None


def _budget_level_above_items(project: Project) -> bool:
    """Whether every entry is a unit budget's work plan or branch plan (工作計畫, 分支計畫)."""
    return all(
        entry.source.kind is DocumentKind.UNIT_BUDGET
        and entry.kind in (RecordKind.PLAN, RecordKind.BRANCH_PLAN)
        for entry in project.entries
    )


def _sites(entry: Record, geocoder: Geocoder) -> tuple[GeocodeResult, list[tuple[Place, Role]]]:
    """The entry's text geocoded, keeping only the places that say where the work is."""
    result = geocoder.geocode(entry.text)
    roles = [(place, place_role(entry.text, place)) for place in result.places]
    sites = tuple(place for place, role in roles if role is Role.SITE)
    incidental: list[tuple[Place, Role]] = [(p, role) for p, role in roles if role is not Role.SITE]
    incidental += [(place, Role.SERVED) for place in result.served]
    kept = GeocodeResult(result.text, None, sites, (), result.ambiguous)
    return kept, incidental


def _unplaced_note(
    combined: GeocodeResult,
    results: list[tuple[str, int, tuple[GeocodeResult, list[tuple[Place, Role]]]]],
) -> Location:
    note = "no place named in its name or text"
    passing = {
        (
            place.matched.replace("\n", ""),
            str(role),
            document,
            first_line + (place.line or 1) - 1,
        ): None
        for document, first_line, (_, found) in results
        for place, role in found
    }
    listed = list(passing)[:6]
    if passing:
        note = "no place named where the work is: only " + "、".join(
            f"{name} ({role}, {document} line {line})" for name, role, document, line in listed
        )
        if len(passing) > 6:
            note += f" and {len(passing) - 6} more"
    ambiguous = sorted({a.matched for a in combined.ambiguous})
    if ambiguous:
        note += f" (ambiguous names not guessed: {'、'.join(ambiguous)})"
    reason = _reason(
        "no_place",
        passing=[
            {"name": name, "role": role, "document": document, "line": line}
            for name, role, document, line in listed
        ],
        more=max(0, len(passing) - 6),
        ambiguous=ambiguous,
    )
    return _unplaced(note, reason)


def _reason(code: str, **values: Any) -> dict[str, Any]:
    """A note as a code and its values, for pages to word in the reader's language."""
    return {"code": code, **values}


def _unplaced(note: str, reason: dict[str, Any]) -> Location:
    return Location(None, None, (), (), (), False, note, reason=reason)


def _national(note: str, code: str) -> Location:
    return Location(None, int(Precision.NATIONWIDE), (), (), (), False, note, reason=_reason(code))


def _location(result: GeocodeResult, sources: list[tuple[str, int, GeocodeResult]]) -> Location:
    geometry = result.geometry()
    located = result.located
    towns = tuple(dict.fromkeys(f"{p.county} {p.town}" for p in located if p.county and p.town))
    evidence = tuple(_evidence(place, sources) for place in located)
    precision = result.precision
    return Location(
        geometry=_rounded(mapping(geometry)) if geometry is not None else None,
        precision=None if precision is None else int(precision),
        counties=tuple(dict.fromkeys(p.county for p in located if p.county)),
        towns=towns,
        places=evidence,
        approximate=any(p.approximate for p in located),
        note=None,
    )


def _rounded(geometry: Any) -> dict[str, Any]:
    """GeoJSON with lon/lat at 6 decimals (about 0.1 m), as RFC 7946 advises."""
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        return {"type": "Point", "coordinates": [round(c, 6) for c in coords]}
    return {"type": geometry["type"], "coordinates": [[round(c, 6) for c in p] for p in coords]}


def _evidence(place: Place, sources: list[tuple[str, int, GeocodeResult]]) -> dict[str, Any]:
    data = place.to_dict()
    for document, first_line, result in sources:
        if place in result.places or place in result.served:
            data["document"] = document
            data["document_line"] = (
                first_line + (place.line or 1) - 1 if document != "name" else None
            )
            break
    return data
