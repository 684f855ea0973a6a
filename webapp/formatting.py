"""Numbers, dates and places as the web map shows them; nothing here knows about Flask.

Budgets are stored in NT$. A Taiwanese reader expects 千元 (the unit of every budget table in
the reports) for ordinary amounts and 億元 (100 million) for large ones:
``1_194_000_000`` → ``11.94 億元``, ``8_902_000`` → ``8,902 千元``. In English the same amounts
read ``NT$1.19 billion`` and ``NT$8.9 million``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from layers.aggregate import is_nationwide
from layers.filters import ProjectFilter
from layers.schema import Project
from webapp.i18n import Lang, county_label, label, strings

__all__ = [
    "behind_gap",
    "behind_level",
    "download_stem",
    "filter_title",
    "format_budget_year",
    "format_counties",
    "format_gap",
    "format_money_column",
    "format_pct",
    "format_period",
    "format_progress",
    "format_twd",
    "format_year",
    "location_sentence",
    "off_map_reason",
]

_YI: Final = 100_000_000  # 億
_ROC: Final = 1911
DASH: Final = "—"


def format_twd(amount: object, lang: Lang = "zh") -> str:
    """An NT$ amount in 千元 or 億元 (Chinese) or in thousands, millions or billions (English).

    Parameters
    ----------
    amount
        Whole NT$; anything not a number (``None``) gives a dash.
    lang
        ``zh`` or ``en``.
    """
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return DASH
    if lang == "en":
        return _english_twd(amount)
    if abs(amount) >= _YI:
        return f"{amount / _YI:,.2f} 億元"
    if amount and abs(amount) < 1000:
        return f"{amount:,.0f} 元"
    return f"{amount / 1000:,.0f} 千元"


def _english_twd(amount: float) -> str:
    size = abs(amount)
    if size >= 1_000_000_000:
        return f"NT${amount / 1_000_000_000:,.2f} billion"
    if size >= 1_000_000:
        return f"NT${amount / 1_000_000:,.1f} million"
    if size >= 1000:
        return f"NT${amount / 1000:,.0f} thousand"
    return f"NT${amount:,.0f}"


def format_pct(value: object) -> str:
    """A percentage as printed, up to two decimals: ``83.95 %``, ``100 %``; a dash if none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return DASH
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def format_progress(props: Project, lang: Lang = "zh") -> str:
    """Cumulative actual against planned progress: ``83.95 % ／ 83.96 %``, a dash if neither."""
    actual, planned = props.get("progress_actual_pct"), props.get("progress_planned_pct")
    if actual is None and planned is None:
        return DASH
    slash = " ／ " if lang == "zh" else " / "
    return f"{format_pct(actual)}{slash}{format_pct(planned)}"


#: Behind-schedule levels by the gap (cumulative planned minus actual progress, in points):
#: under 5 slightly, 5 to under 10 behind, 10 or more seriously (嚴重落後: the 10-point
#: line Taiwan's public-works supervision draws; we found no published text here to cite).
BEHIND_LEVELS: Final = ((10.0, "serious"), (5.0, "behind"), (0.0, "slight"))


def behind_gap(props: Project) -> float | None:
    """How far a project behind schedule is behind: cumulative planned minus actual progress,
    in percentage points (``None`` unless it is behind with both figures printed)."""
    actual, planned = props.get("progress_actual_pct"), props.get("progress_planned_pct")
    if props.get("status") != "behind" or actual is None or planned is None:
        return None
    return round(float(planned) - float(actual), 2)


def behind_level(gap: float) -> str:
    """The level of a gap (:data:`BEHIND_LEVELS`): ``slight``, ``behind`` or ``serious``."""
    return next(level for least, level in BEHIND_LEVELS if gap >= least)


def format_gap(gap: float | None, lang: Lang = "zh") -> str:
    """A gap in points with its level: ``12.3 百分點（嚴重落後）``; a dash if none."""
    if gap is None:
        return DASH
    level = label("behind_level", behind_level(gap), lang)
    return f"{gap:,.2f} 百分點（{level}）" if lang == "zh" else f"{gap:,.2f} points ({level})"


def format_money_column(amount: object, lang: Lang = "zh") -> str:
    """An amount in a table column's one unit: 億元 with two decimals in Chinese, NT$ million
    with one in English (the column's header names the unit); a dash if none."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return DASH
    return f"{amount / _YI:,.2f}" if lang == "zh" else f"{amount / 1_000_000:,.1f}"


def format_budget_year(year: object, lang: Lang = "zh") -> str:
    """The budget year of a figure: ``110 年度`` or ``FY2021``; empty if none."""
    if isinstance(year, bool) or not isinstance(year, int):
        return ""
    return f"{year - _ROC} 年度" if lang == "zh" else f"FY{year}"


def format_year(year: object, lang: Lang = "zh") -> str:
    """A Gregorian year, with its Republic of China year in Chinese: ``110 年（2021）``."""
    if isinstance(year, bool) or not isinstance(year, int):
        return DASH
    return f"{year - _ROC} 年（{year}）" if lang == "zh" else str(year)


def format_period(start: object, end: object, lang: Lang = "zh") -> str:
    """The project period by month: ``2017-09 – 2025-08``, with ROC years in Chinese."""
    parts = [value[:7] if isinstance(value, str) and value else "" for value in (start, end)]
    if not any(parts):
        return DASH
    text = " – ".join(part or "?" for part in parts)
    if lang == "zh":
        years = [str(int(part[:4]) - _ROC) for part in parts if part[:4].isdigit()]
        if years:
            text += f"（民國 {'–'.join(dict.fromkeys(years))} 年）"
    return text


def format_counties(props: Project, lang: Lang = "zh") -> str:
    """The counties a project lies in (、-joined), or why it has none (nationwide, not placed)."""
    counties = props.get("counties") or []
    if counties:
        separator = "、" if lang == "zh" else ", "
        return separator.join(county_label(name, lang) for name in counties)
    words = strings(lang)
    return words["national"] if is_nationwide(props) else words["unplaced"]


def off_map_reason(props: Project, lang: Lang = "zh") -> str:
    """Why a project has no point on the map, in the reader's language."""
    headline = label("precision", 6, lang) if is_nationwide(props) else strings(lang)["unplaced"]
    sentence = location_sentence(props, lang)
    return f"{headline}{'：' if lang == 'zh' else ': '}{sentence}" if sentence else headline


def location_sentence(props: Project, lang: Lang = "zh") -> str | None:
    """The project's location note as a sentence in ``lang``, from its ``location_reason``;
    ``None`` when there is nothing to say. A register without reasons (another origin) gives
    its English note in English only: a Chinese page never shows developer English."""
    reason = props.get("location_reason")
    if not isinstance(reason, Mapping) or "code" not in reason:
        note = props.get("location_note")
        return str(note) if note and lang == "en" else None
    words = strings(lang)
    code = str(reason["code"])
    if code == "no_place":
        return _no_place(reason, lang)
    if code == "text_conflict":
        separator = "、" if lang == "zh" else ", "
        return words["reason_text_conflict"].format(
            name=reason.get("name", ""),
            stored=separator.join(county_label(c, lang) for c in reason.get("stored", [])),
            said=separator.join(county_label(c, lang) for c in reason.get("said", [])),
            document=reason.get("document", ""),
            line=reason.get("line", ""),
        )
    template = words.get(f"reason_{code}")
    if template is None:
        return None
    return template.format(**{key: value for key, value in reason.items() if key != "code"})


def _no_place(reason: Mapping[str, Any], lang: Lang) -> str:
    words = strings(lang)
    separator = "、" if lang == "zh" else "; "
    passing = [
        words["reason_passing_place"].format(
            name=place.get("name", ""),
            role=label("role", place.get("role", ""), lang),
            document=place.get("document", ""),
            line=place.get("line", ""),
        )
        for place in reason.get("passing", [])
    ]
    if reason.get("more"):
        passing.append(words["reason_more"].format(n=reason["more"]))
    text = (
        words["reason_no_place_passing"].format(places=separator.join(passing))
        if passing
        else words["reason_no_place"]
    )
    if reason.get("ambiguous"):
        text += words["reason_ambiguous"].format(names="、".join(reason["ambiguous"]))
    return text


def download_stem(project_filter: ProjectFilter) -> str:
    """A download's file name, without its extension, saying what it holds:
    ``infra-atlas-臺南市-water-behind-2021`` (the counties, town, layers, status and year)."""
    parts = [
        *project_filter.counties,
        (project_filter.town or "").replace(" ", ""),
        *(layer.value for layer in project_filter.layers),
        project_filter.status.value if project_filter.status else "",
        str(project_filter.year or ""),
    ]
    return "-".join(["infra-atlas", *(part for part in parts if part)])


def filter_title(project_filter: ProjectFilter, lang: Lang = "zh") -> str:
    """A filter in words, for a feed's title: ``臺灣基礎建設地圖：臺南市・進度落後``."""
    words = strings(lang)
    parts = [
        *(county_label(county, lang) for county in project_filter.counties),
        project_filter.town or "",
        *(label("layer", layer.value, lang) for layer in project_filter.layers),
        project_filter.program or "",
        label("status", project_filter.status.value, lang) if project_filter.status else "",
        format_year(project_filter.year, lang) if project_filter.year else "",
        f"「{project_filter.q}」" if project_filter.q else "",
    ]
    chosen = [part for part in parts if part]
    if not chosen:
        return words["title"]
    return (
        words["title"]
        + ("：" if lang == "zh" else ": ")
        + ("・" if lang == "zh" else ", ").join(chosen)
    )
