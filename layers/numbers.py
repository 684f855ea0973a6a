"""Reading numbers, amounts and dates as the documents print them.

Printed forms seen in the sources: ``235,650``, ``1200,000`` (odd grouping), ``12, 046`` (a line
or space break inside the number), ``00.00``, ``000,000`` (a placeholder), ``-`` and ``--``
(blank cells), ``同(A)`` (same as column A). Numbers are returned as printed values; nothing
is rounded or "fixed".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from geo.errors import ParseError

__all__ = [
    "BLANK_CELLS",
    "UNIT_TWD",
    "amount_to_twd",
    "is_placeholder",
    "join_split_numbers",
    "parse_number",
    "roc_date",
    "roc_year",
]

BLANK_CELLS: Final = frozenset({"-", "--", "—", "－", "–", "─", "---", ""})

#: NT$ per printed unit of money.
UNIT_TWD: Final[dict[str, int]] = {
    "元": 1,
    "千元": 1_000,
    "萬元": 10_000,
    "百萬元": 1_000_000,
    "億元": 100_000_000,
}

_NUMBER = re.compile(r"^[+-]?(?:\d[\d,]*)?(?:\.\d+)?$")
_ROC_DATE = re.compile(r"^(\d{1,3})[/.年-](\d{1,2})[/.月-](\d{1,2})日?$")


def parse_number(text: str) -> Decimal | None:
    """Read a printed number; ``None`` for a blank cell.

    Commas are grouping marks wherever they fall (``1200,000`` is 1,200,000), spaces inside the
    number are line-break debris (``12, 046``). A trailing ``%`` is allowed.

    Raises
    ------
    ParseError
        The text is not a number or a blank cell.
    """
    cleaned = text.strip().rstrip("%").replace(" ", "").replace("，", ",")
    if cleaned in BLANK_CELLS:
        return None
    if not _NUMBER.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        msg = f"not a number: {text!r}"
        raise ParseError(msg)
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        msg = f"not a number: {text!r}"
        raise ParseError(msg) from exc


def is_placeholder(text: str) -> bool:
    """Whether a printed cell is a zero-filled template value such as ``000,000`` or ``00.00``."""
    digits = text.replace(",", "").replace(".", "").strip()
    return len(digits) >= 2 and set(digits) == {"0"}


def join_split_numbers(tokens: list[str]) -> list[str]:
    """Rejoin numbers that a PDF line break split at a grouping comma (``12,`` ``046``)."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1].endswith(",") and re.fullmatch(r"\d{3}(?:,\d{3})*(?:\.\d+)?", token):
            out[-1] += token
        else:
            out.append(token)
    return out


def amount_to_twd(value: Decimal | None, unit: str) -> int | None:
    """Convert a printed amount in ``unit`` (元, 千元, 萬元, 百萬元, 億元) to whole NT$.

    Raises
    ------
    ParseError
        The unit is not a unit of money.
    """
    if unit not in UNIT_TWD:
        msg = f"not a unit of money: {unit!r}"
        raise ParseError(msg)
    if value is None:
        return None
    return int((value * UNIT_TWD[unit]).to_integral_value())


def roc_year(year: int) -> int:
    """The Gregorian year of ROC year ``year`` (民國 N = N + 1911)."""
    if not 1 <= year <= 200:
        msg = f"not an ROC year: {year}"
        raise ParseError(msg)
    return year + 1911


def roc_date(text: str) -> date:
    """Read an ROC date such as ``104/4/10`` or ``110年12月31日`` as a Gregorian date.

    Raises
    ------
    ParseError
        The text is not an ROC date or names a day that does not exist.
    """
    match = _ROC_DATE.match(text.strip().replace(" ", ""))
    if not match:
        msg = f"not an ROC date: {text!r}"
        raise ParseError(msg)
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(roc_year(year), month, day)
    except ValueError as exc:
        msg = f"not a valid date: {text!r}"
        raise ParseError(msg) from exc
