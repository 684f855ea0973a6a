"""Stage 3: merge records that describe the same project into one project.

Two records are one project when any name either prints (its name or another printed form:
a cover's short title, a site's name as a work 臺南山上淨水場供水系統改善, a site without its
county) matches after normalisation (:func:`match_key`: 台→臺, width, spaces, punctuation,
and a trailing 工程/計畫/投資計畫 dropped), or when ``data/project_aliases.csv`` lists one as an
alias of the other. Every merge keeps its
reason, and the build report lists them.

A merge is refused when two entries of the same kind contradict each other (different budget
tables, periods or agencies: the same name printed for two projects, or an edited copy); the
second opens a project of its own and the refusal is listed with the merges.

A merged project is **named** by its entry of the most authoritative kind (a review section's
title, then a multi-year plan, a branch plan, a plan, a budget item, a facility); among entries
of one kind, by the first in reading order, which depends on the documents' content only (see
:func:`layers.extract.extract_records`), never on their file names.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from geo.datafiles import data_path
from layers.classify import Layer, classify
from layers.records import Record, RecordKind

__all__ = ["Project", "agency_key", "load_aliases", "match_key", "merge_reports", "project_id"]

log = logging.getLogger(__name__)

_PUNCTUATION = re.compile(r"[\s\-－—–‧·・.,，、()（）「」『』\[\]【】:：/／]")
_SUFFIX = re.compile(r"(?:投資)?(?:工程)?(?:計畫|計劃)$|工程$")
# Which record names a merged project: the review's title first, then budgets, then narratives.
_NAME_PRIORITY = {
    RecordKind.REVIEW_PROJECT: 0,
    RecordKind.MULTI_YEAR_PLAN: 1,
    RecordKind.BRANCH_PLAN: 2,
    RecordKind.PLAN: 3,
    RecordKind.BUDGET_ITEM: 4,
    RecordKind.FACILITY: 5,
}


@dataclass(frozen=True, slots=True)
class Project:
    """One project and every report entry that mentions it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    layer: Layer
    layer2: Layer | None
    entries: tuple[Record, ...]
    merges: tuple[str, ...]

    @property
    def place_bound(self) -> bool:
        """Whether any entry describes something built in a place."""
        return any(entry.place_bound for entry in self.entries)


def match_key(name: str) -> str:
    """The form of a name used for matching; idempotent."""
    text = unicodedata.normalize("NFKC", name).replace("台", "臺")
    text = _PUNCTUATION.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _SUFFIX.sub("", text)
    return text or _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name))


def load_aliases(path: Path | None = None) -> dict[str, tuple[str, str]]:
    """Alias match key → (canonical match key, reason), from ``data/project_aliases.csv``."""
    path = path or data_path("project_aliases.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            match_key(row["alias"]): (match_key(row["name"]), row["reason"].strip())
            for row in csv.DictReader(handle)
        }


def merge_reports(
    records: tuple[Record, ...], *, aliases: dict[str, tuple[str, str]] | None = None
) -> list[Project]:
    """Group records into projects, in order of first appearance."""
    aliases = load_aliases() if aliases is None else aliases
    groups: dict[str, list[Record]] = {}
    index: dict[str, str] = {}  # every printed name of a group's entries → the group
    reasons: dict[str, list[str]] = {}
    opened_by_alias: dict[str, str] = {}
    for record in records:
        key = match_key(record.name)
        names = [key, *(match_key(alias) for alias in record.aliases)]
        target, reason = _target(names, index, aliases)
        if target not in groups and reason.startswith("listed alias"):
            # The group opens under the listed name: whoever joins it later by that name
            # joins because of the alias, and the merge says so.
            opened_by_alias[target] = reason
        elif target in groups and target in opened_by_alias and target == key:
            reason = opened_by_alias[target]
        if target in groups and (clash := _contradiction(record, groups[target])):
            first, own = groups[target][0], _refused(target, groups)
            groups[own] = [record]
            reasons[own] = [
                f"{record.name} ({record.source.document}:{record.source.first_line}) "
                f"≠ {first.name} ({first.source.document}:{first.source.first_line}): "
                f"not merged, {clash}"
            ]
            continue
        if target in groups:
            first = groups[target][0]
            reasons[target].append(
                f"{record.name} ({record.source.document}:{record.source.first_line}) "
                f"= {first.name} ({first.source.document}:{first.source.first_line}): {reason}"
            )
        groups.setdefault(target, []).append(record)
        reasons.setdefault(target, [])
        for name in names:
            index.setdefault(name, target)
    projects = [_project(key, group, tuple(reasons[key])) for key, group in groups.items()]
    merged = sum(1 for project in projects if len(project.entries) > 1)
    log.info("merge: %d records -> %d projects (%d merged)", len(records), len(projects), merged)
    return projects


def _target(
    names: list[str], index: dict[str, str], aliases: dict[str, tuple[str, str]]
) -> tuple[str, str]:
    for name in names:
        if name in index:
            return index[name], "same name after normalisation"
    for name in names:
        if name in aliases:
            return aliases[name][0], f"listed alias ({aliases[name][1]})"
    return names[0], "same name after normalisation"


def _contradiction(record: Record, group: list[Record]) -> str | None:
    """Why ``record`` cannot be the project of ``group``, or ``None``."""
    for other in group:
        if other.kind != record.kind:
            continue
        if record.budget_rows and other.budget_rows and _table(record) != _table(other):
            return "their budget tables differ"
        if record.period_start and other.period_start and record.period_start != other.period_start:
            return "their periods differ"
        if record.agencies and other.agencies and not _agency_set(record) & _agency_set(other):
            return "their agencies differ"
    return None


def _table(record: Record) -> set[tuple[object, ...]]:
    return {(row.phase, row.year, row.agency, row.legal_twd) for row in record.budget_rows}


def _agency_set(record: Record) -> set[str]:
    return {agency_key(agency) for agency in record.agencies}


def agency_key(name: str) -> str:
    """The form of an agency's name used for matching: 經濟部水利署 and 水利署 are one agency,
    行政院農委會 and 農委會 too; 台→臺."""
    return re.sub(r"^(?:經濟部|行政院)(?=.)", "", name).replace("台", "臺")


def _refused(key: str, groups: dict[str, list[Record]]) -> str:
    """A key of its own for a record refused by the group ``key``: ``key#2``, ``key#3``…"""
    n = 2
    while f"{key}#{n}" in groups:
        n += 1
    return f"{key}#{n}"


def _project(key: str, entries: list[Record], merges: tuple[str, ...]) -> Project:
    lead = min(entries, key=lambda record: _NAME_PRIORITY[record.kind])
    names = [record.name for record in entries] + [a for record in entries for a in record.aliases]
    aliases = tuple(dict.fromkeys(name for name in names if name != lead.name))
    program = next((record.program for record in entries if record.program), None)
    facility = next((record.facility_type for record in entries if record.facility_type), None)
    layer, layer2 = classify(lead.name, facility_type=facility, program=program)
    return Project(
        id=project_id(key),
        name=lead.name,
        aliases=aliases,
        layer=layer,
        layer2=layer2,
        entries=tuple(entries),
        merges=merges,
    )


def project_id(key: str) -> str:
    """A stable id from a project's match key."""
    return "p" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
