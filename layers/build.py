"""The pipeline, read like a recipe: read → extract → merge → locate → write."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from layers import extract, merge, read
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
    reports: tuple[DocumentReport, ...]
    unreadable: tuple[tuple[str, str], ...]
    seconds: float

    @property
    def ok(self) -> bool:
        """Whether every document could be read."""
        return not self.unreadable


def build(sources: Path) -> BuildResult:
    """Build the project register from the documents in ``sources``."""
    started = time.perf_counter()
    documents, unreadable = read.read_documents(sources)  # one unreadable file loses only itself
    extraction = extract.extract_records(documents)  # one parser per document kind
    projects = merge.merge_reports(extraction.records)  # one project, many report entries
    return BuildResult(
        projects=tuple(projects),
        reports=extraction.reports,
        unreadable=tuple(unreadable),
        seconds=time.perf_counter() - started,
    )


def build_register(result: BuildResult) -> dict[str, JSONValue]:
    """The register as an RFC 7946 FeatureCollection (geometry null until located)."""
    features = [
        {"type": "Feature", "id": p.id, "geometry": None, "properties": _properties(p)}
        for p in result.projects
    ]
    return {"type": "FeatureCollection", "features": features}


def _properties(project: Project) -> dict[str, JSONValue]:
    properties = feature_properties(project)
    properties.update(counties=[], towns=[], precision=None, places=[], location_note=None)
    return properties


def write_build(result: BuildResult, out: Path) -> list[Path]:
    """Write ``projects.geojson`` and the build report (Markdown and JSON) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(result.projects, result.reports, result.unreadable, result.seconds)
    written = {
        out / "projects.geojson": json.dumps(build_register(result), ensure_ascii=False),
        out / "build-report.json": json.dumps(report, ensure_ascii=False, indent=2),
        out / "build-report.md": report_markdown(report),
    }
    for path, text in written.items():
        path.write_text(text + "\n", encoding="utf-8")
    log.info("write: %d projects -> %s", len(result.projects), out)
    return list(written)
