"""Records under construction: one :class:`Entry` per item and kind, merged from mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from layers.records import DocumentKind, Figure, Record, RecordKind, Source

__all__ = ["Entry", "fmt_thousands", "sum_values"]


@dataclass(slots=True)
class Entry:
    """A record being assembled from every place the document prints it."""

    kind: RecordKind
    name: str
    first_line: int
    last_line: int
    text: str = ""
    work_plan: str | None = None
    program: str | None = None
    facility_type: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    aliases: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def add_alias(self, alias: str) -> None:
        """Remember another printed form of the name."""
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)

    def add_check(self, check: str) -> None:
        """Flag an inconsistency once."""
        if check not in self.checks:
            self.checks.append(check)

    def values(self, what: str) -> list[Figure]:
        """The figures measuring ``what``."""
        return [f for f in self.figures if f.what == what]

    def to_record(self, document: str, budget_year: int | None) -> Record:
        """The frozen record."""
        return Record(
            name=self.name,
            kind=self.kind,
            source=Source(document, DocumentKind.UNIT_BUDGET, self.first_line, self.last_line),
            text=self.text,
            aliases=tuple(self.aliases),
            facility_type=self.facility_type,
            program=self.program,
            agencies=tuple(dict.fromkeys(self.agencies)),
            work_plan=self.work_plan,
            period_start=self.period_start,
            period_end=self.period_end,
            budget_year=budget_year,
            figures=tuple(self.figures),
            checks=tuple(self.checks),
        )


def sum_values(figures: list[Figure]) -> Decimal | None:
    """The sum of the figures' values, or ``None`` if any is missing."""
    if not figures or any(f.value is None for f in figures):
        return None
    return sum((f.value for f in figures if f.value is not None), Decimal(0))


def fmt_thousands(value: Decimal | None) -> str:
    """A value printed the way the document prints it (``3,796,926``)."""
    if value is None:
        return "?"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,}"
