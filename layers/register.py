"""The project register as GeoJSON: one Feature per project, every figure with its source."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any, Final

from layers.merge import Project
from layers.records import BudgetRow, DocumentKind, Figure, Record, RecordKind
from layers.status import project_status

__all__ = [
    "JSONValue",
    "feature_properties",
    "json_value",
    "latest_budget_row",
    "unit_budget_level",
]

JSONValue = Any

_BUDGET_ROW_FIELDS = (
    "phase",
    "year",
    "legal_twd",
    "allocated_twd",
    "realized_twd",
    "payable_twd",
    "surplus_twd",
    "prepaid_twd",
    "executed_twd",
    "spend_ratio_pct",
    "execution_rate_pct",
    "achievement_rate_pct",
    "reserve_pending",
    "agency",
    "line",
    "printed",
)


def json_value(value: object) -> JSONValue:
    """A JSON-ready copy: Decimal → int or float, date → ISO string, tuples → lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    return value


def latest_budget_row(project: Project) -> tuple[Record, BudgetRow] | None:
    """The latest budget year's row of the project's main budget table (not a total, not a
    sub-table), among years with figures allocated or executed and not after the report's
    as-of year (a plan for a later year is never the headline); ``None`` without a table."""
    best: tuple[Record, BudgetRow] | None = None
    for entry in project.entries:
        for row in entry.budget_rows:
            if row.agency is not None or row.year == "total":
                continue
            if row.allocated_twd is None and row.executed_twd is None:
                continue
            if entry.budget_year is not None and row.year > entry.budget_year:
                continue
            if best is None or _row_key(entry, row) > _row_key(*best):
                best = (entry, row)
    return best


def _row_key(entry: Record, row: BudgetRow) -> tuple[int, int]:
    assert row.year != "total"
    return (entry.budget_year or 0, row.year)


def feature_properties(project: Project) -> dict[str, JSONValue]:
    """The register's properties of one project (geometry and places are added when located)."""
    entries = project.entries
    latest = latest_budget_row(project)
    row = latest[1] if latest else None
    progress_entry = next((e for e in entries if e.progress is not None), None)
    progress = progress_entry.progress if progress_entry else None
    budget_entry = latest[0] if latest else next((e for e in entries if e.budget_rows), None)
    return {
        "name": project.name,
        "aliases": list(project.aliases),
        "layer": project.layer.value,
        "layer2": project.layer2.value if project.layer2 else None,
        "program": _first(entries, "program"),
        "agencies": list(dict.fromkeys(a for e in entries for a in e.agencies)),
        "kinds": sorted({e.kind.value for e in entries}),
        "facility_type": _first(entries, "facility_type"),
        "place_bound": project.place_bound,
        "period_start": json_value(_first(entries, "period_start")),
        "period_end": json_value(_first(entries, "period_end")),
        "budget_year": row.year if row else _first(entries, "budget_year"),
        "budget_legal_twd": row.legal_twd if row else None,
        "budget_allocated_twd": row.allocated_twd if row else None,
        "budget_executed_twd": row.executed_twd if row else None,
        "execution_rate_pct": json_value(row.execution_rate_pct) if row else None,
        **unit_budget_level(entries),
        "budget_rows": [_budget_row(r) for r in budget_entry.budget_rows] if budget_entry else [],
        "progress_as_of": json_value(progress.as_of) if progress else None,
        "progress_planned_pct": json_value(progress.total_planned_pct) if progress else None,
        "progress_actual_pct": json_value(progress.total_actual_pct) if progress else None,
        "progress_year_planned_pct": json_value(progress.year_planned_pct) if progress else None,
        "progress_year_actual_pct": json_value(progress.year_actual_pct) if progress else None,
        "status": project_status(entries).value,
        "status_phrases": [e.status_phrase for e in entries if e.status_phrase],
        "completion_year": _first(entries, "completion_year"),
        "jobs_person_years": json_value(_first(entries, "jobs_person_years")),
        "private_investment_twd": _first(entries, "private_investment_twd"),
        "delay_reasons": _first(entries, "delay_reasons"),
        "figures": [_figure(f, e) for e in entries for f in e.figures],
        "sources": [_source(e) for e in entries],
        "merges": list(project.merges),
        "checks": [check for e in entries for check in e.checks],
    }


#: The levels of a unit budget, outermost first (each level's amount holds those below it),
#: and the level above each: a branch plan's work plan, an item's branch plan (or work plan).
_LEVELS: Final = (
    (RecordKind.PLAN, "work_plan", lambda entry: None),
    (RecordKind.BRANCH_PLAN, "branch_plan", lambda entry: entry.work_plan),
    (RecordKind.MULTI_YEAR_PLAN, "item", lambda entry: entry.program or entry.work_plan),
    (RecordKind.BUDGET_ITEM, "item", lambda entry: entry.program or entry.work_plan),
)


def unit_budget_level(entries: tuple[Record, ...]) -> dict[str, JSONValue]:
    """Where the project sits in a unit budget's hierarchy (工作計畫 › 分支計畫 › item), the
    level above it and its amount for the year (本年度, NT$). The amount of a level holds the
    amounts below it: a sum over the register counts each NT$ once only over work plans."""
    budget = [e for e in entries if e.source.kind is DocumentKind.UNIT_BUDGET]
    for kind, level, parent in _LEVELS:
        entry = next((e for e in budget if e.kind is kind), None)
        if entry is None:
            continue
        amount = next((f.twd for f in entry.figures if f.what == "amount"), None)
        return {"budget_level": level, "budget_parent": parent(entry), "budget_amount_twd": amount}
    return {"budget_level": None, "budget_parent": None, "budget_amount_twd": None}


def _first(entries: tuple[Record, ...], name: str) -> Any:
    return next((getattr(e, name) for e in entries if getattr(e, name) is not None), None)


def _budget_row(row: BudgetRow) -> dict[str, JSONValue]:
    values = asdict(row)
    return {name: json_value(values[name]) for name in _BUDGET_ROW_FIELDS}


def _figure(figure: Figure, entry: Record) -> dict[str, JSONValue]:
    data = {f.name: json_value(getattr(figure, f.name)) for f in fields(figure)}
    data["document"] = entry.source.document
    return data


def _source(entry: Record) -> dict[str, JSONValue]:
    return {
        "document": entry.source.document,
        "kind": entry.source.kind.value,
        "record": entry.kind.value,
        "name": entry.name,
        "lines": [entry.source.first_line, entry.source.last_line],
    }
