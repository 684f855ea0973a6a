"""The pipeline, read like a recipe: read → extract → merge → locate → write."""

from __future__ import annotations

import json
import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from geo.boundaries import load_boundaries
from geo.datafiles import replace_text
from geo.errors import BuildError
from geo.gazetteer import load_facilities
from geo.geocode import Geocoder
from layers import extract, locate, merge, read
from layers.export import VALIDATED, register_digest, seen_register_digest
from layers.history import carry_history, read_history
from layers.locate import Location
from layers.merge import Project
from layers.packed import PACKED, pack, write_packed
from layers.records import DocumentReport
from layers.register import JSONValue, feature_properties
from layers.report import build_report, report_markdown
from layers.schema import ProjectFeature, validate_register

__all__ = ["BuildResult", "build", "build_register", "check_writable", "write_build"]

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
        location_reason=location.reason,
    )
    return properties


def check_writable(out: Path) -> None:
    """Make ``out`` if needed and check that files can be written in it, before a build runs.

    Raises
    ------
    BuildError
        One line naming the folder and why it cannot be written.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-check-"):
            pass
    except OSError as exc:
        msg = f"cannot write the build to {out}: {exc.strerror or exc}"
        raise BuildError(msg) from exc


def write_build(result: BuildResult, out: Path, *, allow_empty: bool = False) -> list[Path]:
    """Write ``projects.geojson`` and its binary form ``projects.arrow`` (:mod:`layers.packed`),
    the build report (Markdown and JSON) and the projects' history (:mod:`layers.history`:
    when each first appeared and last changed) into ``out``.

    Each file is written whole to a temporary file beside it and then renamed over the old one
    (:func:`os.replace`, atomic on one file system): a reader sees the old register or the new
    one, never a part, and a build stopped while writing leaves the old register as it was.

    Raises
    ------
    BuildError
        The build found no project while ``out`` holds a register with projects (unless
        ``allow_empty``), or ``out`` cannot be written.
    """
    register = out / "projects.geojson"
    if not result.projects and not allow_empty and (held := _projects_in(register)):
        msg = (
            f"the build found no project; {register} holds {held} and is kept "
            "(check the sources folder, or allow an empty register)"
        )
        raise BuildError(msg)
    check_writable(out)
    report = build_report(
        result.projects, result.reports, result.unreadable, result.seconds, _conflicts(result)
    )
    built = build_register(result)
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    features = cast(list[dict[str, Any]], built["features"])
    validate_register(features, "the built register")  # our own output, checked once here
    history = carry_history(read_history(out / "history.json"), features, now)
    text = json.dumps(built, ensure_ascii=False) + "\n"
    digest = register_digest(text.encode("utf-8"))
    written = {
        register: text,
        # the digest of the bytes just checked: serve need not check them again
        out / VALIDATED: digest + "\n",
        out / "history.json": json.dumps(history, ensure_ascii=False, indent=1),
        out / "build-report.json": json.dumps(report, ensure_ascii=False, indent=2),
        out / "build-report.md": report_markdown(report),
    }
    for path, content in written.items():
        replace_text(path, content if content.endswith("\n") else content + "\n")
    # the binary form serve loads, made from (and naming) the register just written
    write_packed(pack(cast(list[ProjectFeature], features), digest), out / PACKED)
    seen_register_digest(register)  # kept beside it: the first start need not read it again
    log.info("write: %d projects -> %s", len(result.projects), out)
    return [*written, out / PACKED]


def _conflicts(result: BuildResult) -> tuple[tuple[str, str], ...]:
    return tuple(
        (project.name, location.conflict)
        for project, location in zip(result.projects, result.locations, strict=True)
        if location.conflict
    )


def _projects_in(register: Path) -> int:
    """How many features the register at ``register`` holds (0 if none or unreadable)."""
    try:
        return len(json.loads(register.read_text(encoding="utf-8")).get("features", []))
    except (OSError, ValueError, AttributeError):
        return 0
