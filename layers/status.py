"""The one rule that gives a project its status from its figures.

In order, the first that applies:

1. ``completed``: cumulative actual progress (總累計 實際進度) is 100 % or more, or a report
   prints the project as finished (已完工, 完工啟用, 已完成) with no progress table.
2. ``behind``: cumulative actual progress is below cumulative planned progress.
3. ``on_track``: cumulative actual progress is at or above planned progress.
4. ``planned``: no progress table, and a report prints it as future work (規劃, 預計…完工,
   籌設). Under construction with no progress figures is ``unknown``.
5. ``unknown``: anything else. A status is never guessed where the figures are missing.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from layers.records import Progress, Record

__all__ = ["Status", "project_status"]

_DONE_PHRASES = ("已完工", "完工啟用", "已完成", "竣工", "已商轉", "商轉")
_PLANNED_PHRASES = ("規劃", "預計", "籌設")


class Status(StrEnum):
    """Where a project stands."""

    COMPLETED = "completed"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    PLANNED = "planned"
    UNKNOWN = "unknown"


def project_status(entries: tuple[Record, ...]) -> Status:
    """The status of a project from its report entries (see the module docstring)."""
    progress = _latest_progress(entries)
    if progress is not None and progress.total_actual_pct is not None:
        actual, planned = progress.total_actual_pct, progress.total_planned_pct
        if actual >= Decimal(100):
            return Status.COMPLETED
        if planned is not None:
            return Status.BEHIND if actual < planned else Status.ON_TRACK
    phrases = [entry.status_phrase for entry in entries if entry.status_phrase]
    if any(p in phrase for phrase in phrases for p in _DONE_PHRASES):
        return Status.COMPLETED
    if any(p in phrase for phrase in phrases for p in _PLANNED_PHRASES):
        return Status.PLANNED
    return Status.UNKNOWN


def _latest_progress(entries: tuple[Record, ...]) -> Progress | None:
    found = [entry.progress for entry in entries if entry.progress is not None]
    if not found:
        return None
    return max(found, key=lambda p: (p.as_of is not None, p.as_of or 0))
