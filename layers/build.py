"""The pipeline, read like a recipe: read → extract → merge → locate → write."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from geo.boundaries import load_boundaries
from geo.gazetteer import load_facilities
from geo.geocode import Geocoder
from layers import extract, locate, merge, read
from layers.locate import Location
from layers.merge import Project
from layers.records import DocumentReport
from layers.register import JSONValue, feature_properties
from layers.report import build_report, report_markdown

__all__ = ["BuildResult", "build", "build_register", "write_build"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build produced."""

    projects: tuple[Project, ...]
    locations: tuple[Location, ...]
    reports: tuple[DocumentReport, ...]
    unreadable: tuple[tuple[str, str], ...]
    seconds: float

    @property
    def ok(self) -> bool:
        """Whether every document could be read."""
        return not self.unreadable


def build(sources: Path, *, geocoder: Geocoder | None = None) -> BuildResult:
    """Build the register from the documents in ``sources``: read → extract → merge → locate.

    ``geocoder`` defaults to one over the bundled gazetteer and boundaries.
    """
    started = time.perf_counter()
    geocoder = geocoder or Geocoder(load_facilities(), load_boundaries())
    documents, unreadable = read.read_documents(sources)  # one unreadable file loses only itself
    extraction = extract.extract_records(documents)  # one parser per document kind
    projects = merge.merge_reports(extraction.records)  # one project, many report entries
    located = locate.locate_projects(projects, geocoder=geocoder)  # where, and how precisely
    return BuildResult(
        projects=tuple(projects),
        locations=tuple(location for _, location in located),
        reports=extraction.reports,
        unreadable=tuple(unreadable),
        seconds=time.perf_counter() - started,
    )


def build_register(result: BuildResult) -> dict[str, JSONValue]:
    """The register as an RFC 7946 FeatureCollection, one Feature per project."""
    features = [
        {
            "type": "Feature",
            "id": project.id,
            "geometry": location.geometry,
            "properties": _properties(project, location),
        }
        for project, location in zip(result.projects, result.locations, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _properties(project: Project, location: Location) -> dict[str, JSONValue]:
    properties = feature_properties(project)
    properties.update(
        counties=list(location.counties),
        towns=list(location.towns),
        precision=location.precision,
        approximate=location.approximate,
        places=list(location.places),
        location_note=location.note,
    )
    return properties


def write_build(result: BuildResult, out: Path) -> list[Path]:
    """Write ``projects.geojson`` and the build report (Markdown and JSON) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    conflicts = tuple(
        (project.name, location.conflict)
        for project, location in zip(result.projects, result.locations, strict=True)
        if location.conflict
    )
    report = build_report(
        result.projects, result.reports, result.unreadable, result.seconds, conflicts
    )
    written = {
        out / "projects.geojson": json.dumps(build_register(result), ensure_ascii=False),
        out / "build-report.json": json.dumps(report, ensure_ascii=False, indent=2),
        out / "build-report.md": report_markdown(report),
    }
    for path, text in written.items():
        path.write_text(text + "\n", encoding="utf-8")
    log.info("write: %d projects -> %s", len(result.projects), out)
    return list(written)
