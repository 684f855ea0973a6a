"""Small SVG charts for a project page, drawn by the server: no script, no other host.

:func:`budget_chart` draws the budget by year, legal beside executed; :func:`progress_chart`
draws cumulative planned against actual progress. Each is an ``<svg role="img">`` with a title
and a description that says in words what the bars show (the same figures are in the page's
table), in the page's language; every text is escaped. ``None`` when there is nothing to draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from markupsafe import Markup, escape

from webapp.formatting import format_budget_year, format_pct, format_twd
from webapp.i18n import Lang, strings

__all__ = ["budget_chart", "progress_chart"]

LEGAL: Final = "#0072B2"
EXECUTED: Final = "#E69F00"
PLANNED: Final = "#9e9e9e"
ACTUAL: Final = "#1b6e20"
_WIDTH: Final = 360
_BAR_AREA: Final = 120  # the height of the bars' area


def budget_chart(rows: Sequence[Mapping[str, Any]], lang: Lang) -> Markup | None:
    """Legal and executed budget per year (the years' rows of a budget table, not its total)."""
    years = [
        row
        for row in rows
        if isinstance(row.get("year"), int)
        and (row.get("legal_twd") is not None or row.get("executed_twd") is not None)
    ]
    if not years:
        return None
    words = strings(lang)
    top = max(max(row.get("legal_twd") or 0, row.get("executed_twd") or 0) for row in years) or 1
    slot = min(60, (_WIDTH - 20) // len(years))
    bars: list[str] = []
    said: list[str] = []
    for index, row in enumerate(years):
        x = 10 + index * slot
        label = format_budget_year(row["year"], lang)
        for offset, key, colour in ((0, "legal_twd", LEGAL), (1, "executed_twd", EXECUTED)):
            value = row.get(key)
            if value is None:
                continue
            height = max(1.0, _BAR_AREA * value / top)
            bars.append(
                f'<rect x="{x + offset * (slot // 2 - 2)}" y="{10 + _BAR_AREA - height:.1f}" '
                f'width="{slot // 2 - 4}" height="{height:.1f}" fill="{colour}"/>'
            )
        bars.append(
            f'<text x="{x + slot // 2 - 2}" y="{_BAR_AREA + 26}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
        said.append(
            f"{label} {words['budget']} {format_twd(row.get('legal_twd'), lang)}、"
            f"{words['executed']} {format_twd(row.get('executed_twd'), lang)}"
            if lang == "zh"
            else f"{label}: {words['budget'].lower()} {format_twd(row.get('legal_twd'), lang)}, "
            f"{words['executed'].lower()} {format_twd(row.get('executed_twd'), lang)}"
        )
    legend = _legend([(LEGAL, words["budget"]), (EXECUTED, words["executed"])], y=_BAR_AREA + 44)
    return _svg(
        "budget-chart",
        words["chart_budget"],
        ("；" if lang == "zh" else "; ").join(said),
        _BAR_AREA + 56,
        "".join(bars) + legend,
    )


def progress_chart(planned: object, actual: object, lang: Lang) -> Markup | None:
    """Cumulative planned and actual progress, as two bars out of 100 %."""
    figures = [
        (PLANNED, "progress_planned", planned),
        (ACTUAL, "progress_actual", actual),
    ]
    shown = [(c, key, v) for c, key, v in figures if isinstance(v, (int, float))]
    if not shown:
        return None
    words = strings(lang)
    parts: list[str] = []
    for index, (colour, key, value) in enumerate(shown):
        y = 10 + index * 30
        width = (_WIDTH - 150) * min(max(float(value), 0.0), 100.0) / 100
        shown_pct = escape(format_pct(value))
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="12">{escape(words[key])}</text>'
            f'<rect x="110" y="{y}" width="{_WIDTH - 150}" height="18" fill="#eeeeee"/>'
            f'<rect x="110" y="{y}" width="{width:.1f}" height="18" fill="{colour}"/>'
            f'<text x="{_WIDTH - 36}" y="{y + 14}" font-size="12">{shown_pct}</text>'
        )
    said = ("、" if lang == "zh" else ", ").join(
        f"{words[key]} {format_pct(value)}" for _, key, value in shown
    )
    return _svg(
        "progress-chart", words["chart_progress"], said, 10 + 30 * len(shown), "".join(parts)
    )


def _legend(items: list[tuple[str, str]], *, y: int) -> str:
    parts = []
    for index, (colour, text) in enumerate(items):
        x = 10 + index * 120
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{y}" font-size="12">{escape(text)}</text>'
        )
    return "".join(parts)


def _svg(ident: str, title: str, description: str, height: int, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" id="{ident}" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" aria-labelledby="{ident}-title {ident}-desc" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{body}</svg>'
    )
