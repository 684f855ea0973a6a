"""The build report: per document, its kind, records, tables and every problem with its line."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from layers.records import Cover
from layers.register import JSONValue, latest_budget_row, unit_budget_level

if TYPE_CHECKING:
    from layers.merge import Project
    from layers.records import DocumentReport

__all__ = ["build_report", "report_markdown"]


def build_report(
    projects: tuple[Project, ...],
    reports: tuple[DocumentReport, ...],
    unreadable: tuple[tuple[str, str], ...],
    seconds: float,
    conflicts: tuple[tuple[str, str], ...] = (),
) -> dict[str, JSONValue]:
    """The report as JSON-ready data; ``conflicts`` are (project, note) where a report's text
    contradicts the gazetteer's place for a name."""
    layers = Counter(project.layer.value for project in projects)
    return {
        "projects": len(projects),
        "projects_by_layer": dict(sorted(layers.items())),
        "not_place_bound": sum(1 for project in projects if not project.place_bound),
        "seconds": round(seconds, 3),
        "documents": [
            {
                "document": report.document,
                "kind": report.kind.value if report.kind else None,
                "records": report.records,
                "tables_parsed": report.tables_parsed,
                **_cover(report.cover),
                "problems": [
                    {"line": problem.line, "message": problem.message}
                    for problem in report.problems
                ],
            }
            for report in reports
        ],
        "unreadable": [{"document": name, "error": error} for name, error in unreadable],
        "money": _money(projects),
        "place_conflicts": [{"project": name, "note": note} for name, note in conflicts],
        "titles": [
            {
                "document": entry.source.document,
                "lines": [entry.source.first_line, entry.source.last_line],
                "name": entry.name,
                "source": entry.title_source,
            }
            for project in projects
            for entry in project.entries
            if entry.title_source is not None
        ],
        "merges": [
            {"project": project.name, "id": project.id, "reasons": list(project.merges)}
            for project in projects
            if project.merges
        ],
        "checks": sum(len(entry.checks) for project in projects for entry in project.entries),
    }


def _money(projects: tuple[Project, ...]) -> dict[str, JSONValue]:
    """Totals that count each NT$ once: the special budget of each project's headline year, and
    the unit budget over its work plans only (branch plans and items are parts of them)."""
    headline = [
        row.legal_twd
        for project in projects
        if (found := latest_budget_row(project))
        for row in [found[1]]
        if row.legal_twd is not None
    ]
    levels = [unit_budget_level(project.entries) for project in projects]
    work_plans = [
        level["budget_amount_twd"] for level in levels if level["budget_level"] == "work_plan"
    ]
    return {
        "special_budget_legal_twd": sum(headline),
        "special_budget_projects": len(headline),
        "unit_budget_twd": sum(amount for amount in work_plans if amount is not None),
        "unit_budget_work_plans": len(work_plans),
    }


def report_markdown(report: dict[str, JSONValue]) -> str:
    """The report as Markdown for people."""
    lines = [
        "# Build report",
        "",
        f"{report['projects']} projects ({report['not_place_bound']} not place-bound), "
        f"built in {report['seconds']} s; {report['checks']} printed inconsistencies flagged.",
        "",
        "Money, each NT$ counted once: special budget (法定預算, each project's latest year not "
        f"after its report's date) NT${report['money']['special_budget_legal_twd']:,} over "
        f"{report['money']['special_budget_projects']} projects; unit budget NT$"
        f"{report['money']['unit_budget_twd']:,} over its "
        f"{report['money']['unit_budget_work_plans']} work plans (branch plans and items are "
        "parts of them and are not added again).",
        "",
        "| document | kind | printed title | years | issued | records | tables | problems |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for doc in report["documents"]:
        kind = doc["kind"] or "**not recognised**"
        first, last = doc.get("first_year"), doc.get("last_year")
        years = "" if first is None else f"{first}" if first == last else f"{first}–{last}"
        lines.append(
            f"| {doc['document']} | {kind} | {doc.get('title') or '(none printed)'} | {years} "
            f"| {doc.get('issued') or ''} | {doc['records']} | {doc['tables_parsed']} "
            f"| {len(doc['problems'])} |"
        )
    for item in report["unreadable"]:
        lines.append(f"| {item['document']} | **unreadable** | | | | 0 | 0 | {item['error']} |")
    lines += ["", "## Problems", ""]
    for doc in report["documents"]:
        for problem in doc["problems"]:
            where = f"line {problem['line']}" if problem["line"] else "whole document"
            lines.append(f"- `{doc['document']}` {where}: {problem['message']}")
    lines += ["", "## Places where a report contradicts the gazetteer", ""]
    lines += [f"- {item['project']}: {item['note']}" for item in report["place_conflicts"]]
    lines += ["", "## Where each section's title was read", ""]
    lines += ["| document | lines | title | read from |", "| --- | --- | --- | --- |"]
    for title in sorted(report["titles"], key=lambda t: (t["document"], t["lines"][0])):
        first, last = title["lines"]
        lines.append(
            f"| {title['document']} | {first}–{last} | {title['name']} | {title['source']} |"
        )
    lines += ["", "## Merges", ""]
    for merge in report["merges"]:
        for reason in merge["reasons"]:
            lines.append(f"- {merge['project']} (`{merge['id']}`): {reason}")
    return "\n".join(lines)


def _cover(cover: Cover | None) -> dict[str, JSONValue]:
    """What a document prints of itself: its title, the years it covers, its issue month."""
    cover = cover or Cover()
    return {
        "title": cover.title,
        "first_year": cover.first_year,
        "last_year": cover.last_year,
        "issued": cover.issued,
        "cover_line": cover.line,
    }
